"""A django-scopes manager for rows that belong to more than one province.

A mission belongs to its organiser and is visible to its host: inside the scope
of either province the rows appear, inside any other they do not, and outside
any scope the query refuses to run (as django-scopes' own ScopedManager does).
"""

import copy

from django.db import models
from django.db.models import Q
from django_scopes.manager import DisabledQuerySet
from django_scopes.state import get_scope


def ProvincesScopedManager(*paths: str, _manager_class=models.Manager):
    """A manager showing rows whose province at any of `paths` is the scope's province."""

    class Manager(_manager_class):
        def with_scopes_disabled(self):
            """This manager with every row, for code that crosses provinces on purpose."""
            unscoped = copy.copy(self)
            unscoped._override_scope = {"_enabled": False}
            return unscoped

        def get_queryset(self):
            current = getattr(self, "_override_scope", None) or get_scope()
            if not current.get("_enabled", True):
                return super().get_queryset()
            if "province" not in current:
                return DisabledQuerySet(self.model, using=self._db, missing_scopes={"province"})
            province = current["province"]
            if province is None:
                raise ValueError("a province scope of None would show every province's rows")
            condition = Q()
            for path in paths:
                condition |= Q(**{path: province})
            return super().get_queryset().filter(condition)

    return Manager()
