"""Demo content: each Niaga app may have a `demo.py` with `load(*, out) -> list[DemoAccount]`.

`niaga demo` calls them in INSTALLED_APPS order (regions before accounts
before missions…), each inside its own transaction. Every loader must be
idempotent: it looks its rows up by natural keys and creates only what is
missing, so running the demo twice changes nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    description: str


def demo_loaders() -> list[tuple[str, Callable]]:
    loaders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("niaga."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        loaders.append((config.label, module.load))
    return loaders


def load_all(*, out: Callable[[str], None]) -> list[DemoAccount]:
    accounts: list[DemoAccount] = []
    for label, load in demo_loaders():
        with transaction.atomic():
            accounts.extend(load(out=out) or [])
        out(f"  demo content loaded: {label}")
    return accounts
