"""Provinces and regencies/cities with their Kemendagri codes.

Reference data shared by every province space (not scoped): loaded by a data
migration from `data/*.csv`, which are under the ODbL (see `data/NOTICE`).
"""

import zoneinfo

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ZoneLabel(models.TextChoices):
    WIB = "WIB", "WIB (UTC+7)"
    WITA = "WITA", "WITA (UTC+8)"
    WIT = "WIT", "WIT (UTC+9)"


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    zone_label = models.CharField(_("time zone"), max_length=4, choices=ZoneLabel.choices)
    time_zone = models.CharField(_("IANA time zone"), max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class RegencyKind(models.TextChoices):
    KABUPATEN = "kabupaten", pgettext_lazy("region kind", "Kabupaten")
    KOTA = "kota", pgettext_lazy("region kind", "Kota")


class Regency(models.Model):
    """A kabupaten (code PP.01–PP.69) or kota (PP.71–PP.99)."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regencies", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=RegencyKind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("regency/city")
        verbose_name_plural = _("regencies/cities")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A kecamatan (code PP.KK.CC) of a regency/city."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="districts", verbose_name=_("regency/city")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name
