"""Support records: grants (money) and assistance by aspect, to a pesantren or
its cooperative, with evidence files.

Grants are money: append-only. A mistake is corrected by a new grant entry
with the negative amount that `reverses` the wrong one (architecture rule 4),
so totals are plain sums and nothing once recorded disappears.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from niaga.regions.models import Province
from niaga.registry.models import Cooperative, Pesantren

from .program import Program, SupportAspect


class FundSource(models.TextChoices):
    APBD = "apbd", _("Provincial budget (APBD)")
    APBN = "apbn", _("State budget (APBN)")
    CSR = "csr", _("Corporate social responsibility (CSR)")
    ZAKAT = "zakat", _("Zakat, infaq and sadaqah")
    OTHER = "other", _("Other")


class _Recipient(models.Model):
    """Who received the support: a pesantren, and its cooperative when the
    cooperative was the recipient. The pesantren is always set, so totals per
    pesantren and regency need no second path."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="+", verbose_name=_("program")
    )
    pesantren = models.ForeignKey(
        Pesantren, on_delete=models.PROTECT, related_name="+", verbose_name=_("pesantren")
    )
    cooperative = models.ForeignKey(
        Cooperative,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cooperative"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        abstract = True


class Grant(_Recipient):
    amount_idr = models.BigIntegerField(_("amount (Rp)"))
    granted_on = models.DateField(_("date"))
    purpose = models.CharField(_("purpose"), max_length=300)
    source = models.CharField(_("source of funds"), max_length=8, choices=FundSource.choices)
    source_detail = models.CharField(_("source detail"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-granted_on", "-id"]
        constraints = [
            # A grant is positive; only a reversal is negative, and it needs a reason.
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount_idr__gt=0))
                | (Q(reverses__isnull=False) & Q(amount_idr__lt=0) & ~Q(reason="")),
                name="grant_amount_sign",
            ),
        ]
        indexes = [models.Index(fields=["province", "granted_on"], name="grant_province_date")]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.granted_on}"


class Assistance(_Recipient):
    aspect = models.CharField(_("aspect"), max_length=16, choices=SupportAspect.choices)
    given_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=500)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("assistance")
        verbose_name_plural = _("assistance")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["province", "given_on"], name="assistance_province_date")]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.get_aspect_display()} · {self.given_on}"


class SupportEvidence(models.Model):
    """A file proving a grant or an assistance (receipt, photo, report). Kept
    under private storage and served only through a permission-checked view."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    assistance = models.ForeignKey(
        Assistance, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to="private/support/%Y/%m/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grant__isnull=False, assistance__isnull=True)
                | Q(grant__isnull=True, assistance__isnull=False),
                name="evidence_of_one_record",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
