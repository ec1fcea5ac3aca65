"""Indicators of a program, their dated figures and their targets.

An indicator is either computed live from the registry (`source=computed`,
its `key` names the computation in `niaga.programs.indicators`) or entered as
dated figures with their source (`source=entered`). A computed indicator may
also carry entered figures for the years before the system held the data
("end 2022: 239,993 santripreneurs, source: Dinas KUKM Jatim"); the yearly
series takes an entered figure over the computed one for its year.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from niaga.regions.models import Province, Regency

from .program import Program


class IndicatorKey(models.TextChoices):
    SANTRIPRENEURS = "santripreneurs", _("Santripreneurs")
    PESANTRENPRENEURS = "pesantrenpreneurs", _("Pesantrenpreneurs")
    SOSIOPRENEURS = "sosiopreneurs", _("Sosiopreneurs")
    PRODUCTS = "products", _("Products")
    CURATED_PRODUCTS = "curated_products", _("Curated products")
    PESANTREN_ASSISTED = "pesantren_assisted", _("Pesantren assisted")
    TRAINING_GRADUATES = "training_graduates", _("Training graduates")
    GRANTS_DISBURSED = "grants_disbursed", _("Grants disbursed (Rp)")


class IndicatorSource(models.TextChoices):
    COMPUTED = "computed", _("Computed from the registry")
    ENTERED = "entered", _("Entered figures")


class Indicator(models.Model):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("program")
    )
    key = models.CharField(_("indicator"), max_length=20, choices=IndicatorKey.choices)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=8, choices=IndicatorSource.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["program", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "key"], name="indicator_once"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_money(self) -> bool:
        return self.key == IndicatorKey.GRANTS_DISBURSED


class IndicatorFigure(models.Model):
    """A figure as it stood on a date, with where it comes from. A regency's
    figure has `regency`; the province's has none."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="figures", verbose_name=_("indicator")
    )
    as_of = models.DateField(_("as of"))
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regency/city"),
    )
    value = models.BigIntegerField(_("value"))
    source_note = models.CharField(_("source"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("indicator figure")
        verbose_name_plural = _("indicator figures")
        ordering = ["indicator", "as_of", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="figure_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.as_of}: {self.value}"


class Target(models.Model):
    """What an indicator should reach by the end of a year, for the province
    (no regency) or one regency."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regency/city"),
    )
    value = models.BigIntegerField(_("target"))

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year", "regency", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(regency__isnull=True),
                name="target_province_once",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "regency"],
                condition=Q(regency__isnull=False),
                name="target_regency_once",
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.year}: {self.value}"
