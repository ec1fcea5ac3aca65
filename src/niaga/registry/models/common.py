"""Choices and fields shared by the registry's models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Pillar(models.TextChoices):
    """OPOP's three pillars."""

    SANTRIPRENEUR = "santripreneur", _("Santripreneur (santri)")
    PESANTRENPRENEUR = "pesantrenpreneur", _("Pesantrenpreneur (cooperative)")
    SOSIOPRENEUR = "sosiopreneur", _("Sosiopreneur (alumni and community)")


class Tracked(models.Model):
    """Creation and change times plus a version number for edit conflicts.

    Forms carry the version they were read at; a domain update with an older
    version is refused, so two officers editing one record see a conflict
    rather than a silent overwrite.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True
