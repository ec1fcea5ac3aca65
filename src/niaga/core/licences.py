"""The third-party packages Niaga runs on, with their licences, for the About page.

Read from the installed packages' metadata, following `niaga`'s runtime
requirements transitively, so the list is always the one actually installed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, distribution

from packaging.requirements import Requirement


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str
    url: str


def _licence_of(meta) -> str:
    expression = meta.get("License-Expression")
    if expression:
        return expression
    classifiers = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::") and c.split("::")[-1].strip() != "OSI Approved"
    ]
    if classifiers:
        return ", ".join(classifiers)
    text = (meta.get("License") or "").strip()
    # Some packages put the whole licence text in this field: keep its first line.
    return text.splitlines()[0][:80] if text else "?"


def _home_page(meta) -> str:
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "source", "repository", "documentation"):
            return url.strip()
    return (meta.get("Home-page") or "").strip()


@cache
def installed_components() -> tuple[Component, ...]:
    seen: dict[str, Component] = {}
    # (distribution name, extras asked for): psycopg[binary,pool] brings psycopg-binary.
    pending: list[tuple[str, frozenset[str]]] = [("niaga", frozenset())]
    done: set[tuple[str, frozenset[str]]] = set()
    while pending:
        name, extras = pending.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if (key, extras) in done:
            continue
        done.add((key, extras))
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue
        meta = dist.metadata
        seen[key] = Component(meta["Name"], dist.version, _licence_of(meta), _home_page(meta))
        for requirement in dist.requires or []:
            req = Requirement(requirement)
            wanted = req.marker is None or any(
                req.marker.evaluate({"extra": extra}) for extra in ("", *extras)
            )
            if wanted:
                pending.append((req.name, frozenset(req.extras)))
    seen.pop("niaga", None)
    return tuple(sorted(seen.values(), key=lambda c: c.name.lower()))
