"""Trade missions, their businesses and participants, and the append-only deal ledger.

A mission belongs to its organising province and is visible to its host
province. Deals are never updated or deleted: a correction appends a reversing
entry (the negative of the original) and, if needed, the corrected deal, both
linked to the original. `LedgerState` holds the running totals, updated in the
same transaction as every ledger entry, so a total is always the ledger's sum.
"""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from niaga.core.managers import ProvincesScopedManager
from niaga.regions.models import Province, Regency

nib_validator = RegexValidator(r"^\d{13}$", _("An NIB has exactly 13 digits."), code="nib")
hs_validator = RegexValidator(r"^\d{8}$", _("An HS code has exactly 8 digits."), code="hs_code")


class Business(models.Model):
    """A business (pelaku usaha) registered in a province space for its missions.

    `owner` is the province space that keeps the record; `province` and
    `regency` are where the business is. An organiser registers the host
    province's businesses in its own space too.
    """

    owner = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("kept by")
    )
    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="+", verbose_name=_("regency/city")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    sector = models.CharField(_("sector"), max_length=100)
    commodities = models.CharField(
        _("commodities"), max_length=300, blank=True, help_text=_("What it sells or buys.")
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    nib = models.CharField(_("NIB"), max_length=13, blank=True, validators=[nib_validator])

    objects = ScopedManager(province="owner")

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "owner",
                models.functions.Lower("name"),
                "regency",
                name="business_unique_name",
                violation_error_message=_(
                    "A business with this name is already registered in this regency."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MissionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("mission status", "Planned")
    OPEN = "open", pgettext_lazy("mission status", "Open")
    CLOSED = "closed", pgettext_lazy("mission status", "Closed")


class Mission(models.Model):
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    organiser = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("organising province")
    )
    host = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("host province")
    )
    host_regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="+", verbose_name=_("host regency/city")
    )
    venue = models.CharField(_("venue"), max_length=200)
    # Stored in UTC; entered and shown in the host province's zone.
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    status = models.CharField(
        _("status"), max_length=10, choices=MissionStatus.choices, default=MissionStatus.PLANNED
    )
    is_public = models.BooleanField(
        _("public board"), default=False, help_text=_("The big-screen board needs no login.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProvincesScopedManager("organiser", "host")

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="mission_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=~Q(organiser=models.F("host")), name="mission_two_provinces"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Side(models.TextChoices):
    ORGANISER = "organiser", _("Organiser's delegation")
    HOST = "host", _("Host side")


class Participant(models.Model):
    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="participants", verbose_name=_("mission")
    )
    business = models.ForeignKey(
        Business,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("business"),
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)

    objects = ProvincesScopedManager("mission__organiser", "mission__host")

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["mission", "business"], name="participant_once"),
        ]

    def __str__(self) -> str:
        return str(self.business)


class Direction(models.TextChoices):
    """Relative to the organising province."""

    SELL = "sell", pgettext_lazy("deal direction", "Sell (jual)")
    BUY = "buy", pgettext_lazy("deal direction", "Buy (beli)")
    INVEST = "invest", pgettext_lazy("deal direction", "Investment")


class Stage(models.TextChoices):
    POTENSI = "potensi", pgettext_lazy("deal stage", "Potential (potensi)")
    KOMITMEN = "komitmen", pgettext_lazy("deal stage", "Commitment (komitmen)")
    KONTRAK = "kontrak", pgettext_lazy("deal stage", "Contract (kontrak)")


class EntryKind(models.TextChoices):
    ORIGINAL = "original", pgettext_lazy("ledger entry", "Recorded")
    REVERSAL = "reversal", pgettext_lazy("ledger entry", "Reversal")
    CORRECTION = "correction", pgettext_lazy("ledger entry", "Correction")


class Deal(models.Model):
    """One ledger entry. Never updated, never deleted (see the module docstring)."""

    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="deals", verbose_name=_("mission")
    )
    kind = models.CharField(
        _("entry"), max_length=10, choices=EntryKind.choices, default=EntryKind.ORIGINAL
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices)
    seller = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="+", verbose_name=_("seller")
    )
    buyer = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="+", verbose_name=_("buyer")
    )
    commodity = models.CharField(_("commodity"), max_length=120)
    hs_code = models.CharField(_("HS code"), max_length=8, blank=True, validators=[hs_validator])
    volume = models.DecimalField(
        _("volume"),
        max_digits=18,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    # Integer rupiah. Negative only on a reversal entry.
    value_idr = models.BigIntegerField(_("value (Rp)"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    note = models.TextField(_("note"), blank=True)
    reason = models.CharField(_("reason for correction"), max_length=300, blank=True)
    is_late = models.BooleanField(_("late entry"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), db_index=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=80)
    # SHA-256 of the request that created the entry, to tell a replay from a reuse.
    payload_hash = models.CharField(max_length=64)

    objects = ProvincesScopedManager("mission__organiser", "mission__host")

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["mission", "recorded_at"], name="deal_mission_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "idempotency_key"], name="deal_idempotency_key_once"
            ),
            # An entry is reversed at most once: nothing can be counted off twice.
            models.UniqueConstraint(
                fields=["corrects"], condition=Q(kind="reversal"), name="deal_reversed_once"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="reversal", value_idr__lt=0) | Q(~Q(kind="reversal"), value_idr__gt=0)
                ),
                name="deal_value_sign",
            ),
            models.CheckConstraint(
                condition=Q(kind="original", corrects__isnull=True)
                | Q(~Q(kind="original"), corrects__isnull=False),
                name="deal_correction_links",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commodity} · {self.value_idr}"


class LedgerState(models.Model):
    """The running totals of one mission's ledger, changed with every entry.

    `version` counts entries, so a cached breakdown keyed on it is never stale.
    """

    mission = models.OneToOneField(
        Mission, on_delete=models.PROTECT, primary_key=True, related_name="ledger"
    )
    version = models.BigIntegerField(default=0)
    total_idr = models.BigIntegerField(default=0)
    count = models.IntegerField(default=0)
    sell_idr = models.BigIntegerField(default=0)
    buy_idr = models.BigIntegerField(default=0)
    invest_idr = models.BigIntegerField(default=0)
    last_recorded_at = models.DateTimeField(null=True, blank=True)

    objects = ProvincesScopedManager("mission__organiser", "mission__host")

    def __str__(self) -> str:
        return f"{self.mission_id}: {self.total_idr} ({self.count})"


class Snapshot(models.Model):
    """A total announced at a clock time ("18.30 WITA: Rp 147.321.766.000")."""

    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="snapshots", verbose_name=_("mission")
    )
    announced_at = models.DateTimeField(_("announced at"))
    total_idr = models.BigIntegerField(_("total (Rp)"))
    count = models.IntegerField(_("transactions"))
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("announced by"),
    )

    objects = ProvincesScopedManager("mission__organiser", "mission__host")

    class Meta:
        verbose_name = _("announced total")
        verbose_name_plural = _("announced totals")
        ordering = ["announced_at"]

    def __str__(self) -> str:
        return f"{self.announced_at:%Y-%m-%d %H:%M} {self.total_idr}"
