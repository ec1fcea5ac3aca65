"""What happens to a mission's commitments afterwards: stage moves, deliveries
and payments, verification, follow-up contacts.

Nothing here edits the mission ledger (`niaga.missions.models.Deal`). A deal's
*current stage* is the `to_stage` of its latest `DealEvent`, or the stage it
was recorded with when it has none. Realization entries are money records and
append-only like the ledger: a mistaken entry is cancelled by a reversal entry
(its negative, linked to it), reversed at most once. So

    delivered value of a deal = sum of its delivery entries' value_idr
    paid (realised) value     = sum of its payment entries' value_idr

and a deal is fully realised when its paid value reaches its committed value
(the ledger entry's `value_idr`). Lifecycle and realization attach to *live*
ledger entries only: an original or correction entry that has not been reversed.

Every row is visible inside the scope of the mission's organising or host
province (`ProvincesScopedManager`), like the mission itself.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from niaga.core.managers import ProvincesScopedManager
from niaga.missions.models import Deal
from niaga.regions.models import Province

DEAL_SCOPE = ("deal__mission__organiser", "deal__mission__host")


class LifecycleStage(models.TextChoices):
    """In lifecycle order; `batal` (cancelled) ends a deal from any stage before dibayar."""

    POTENSI = "potensi", pgettext_lazy("deal stage", "Potential (potensi)")
    KOMITMEN = "komitmen", pgettext_lazy("deal stage", "Commitment (komitmen)")
    KONTRAK = "kontrak", pgettext_lazy("deal stage", "Contract (kontrak)")
    TERKIRIM = "terkirim", pgettext_lazy("deal stage", "Delivered (terkirim)")
    DIBAYAR = "dibayar", pgettext_lazy("deal stage", "Paid (dibayar)")
    BATAL = "batal", pgettext_lazy("deal stage", "Cancelled (batal)")


# Position in the forward order; batal is outside it.
STAGE_ORDER = {
    LifecycleStage.POTENSI: 0,
    LifecycleStage.KOMITMEN: 1,
    LifecycleStage.KONTRAK: 2,
    LifecycleStage.TERKIRIM: 3,
    LifecycleStage.DIBAYAR: 4,
}


class DealEvent(models.Model):
    """A dated move of a deal from one lifecycle stage to another. Never edited.

    A move backwards (or out of batal) is allowed only as an explicit
    correction (`is_correction`, with a reason)."""

    deal = models.ForeignKey(
        Deal, on_delete=models.PROTECT, related_name="lifecycle_events", verbose_name=_("deal")
    )
    from_stage = models.CharField(_("from stage"), max_length=10, choices=LifecycleStage.choices)
    to_stage = models.CharField(_("to stage"), max_length=10, choices=LifecycleStage.choices)
    occurred_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_correction = models.BooleanField(_("correction"), default=False)
    # True when the move followed from realization entries (paid value reached
    # the committed value), not from an officer's explicit move.
    is_automatic = models.BooleanField(_("automatic"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, blank=True)

    objects = ProvincesScopedManager(*DEAL_SCOPE)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["deal", "recorded_at"], name="dealevent_deal_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="dealevent_idempotency_key_once",
            ),
            models.CheckConstraint(
                condition=~Q(from_stage=models.F("to_stage")), name="dealevent_moves"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deal_id}: {self.from_stage} → {self.to_stage}"


class RealizationKind(models.TextChoices):
    DELIVERY = "delivery", _("Delivery")
    PAYMENT = "payment", _("Payment")


class RealizationEntryKind(models.TextChoices):
    ORIGINAL = "original", pgettext_lazy("realization entry", "Recorded")
    REVERSAL = "reversal", pgettext_lazy("realization entry", "Reversal")


class RealizationEntry(models.Model):
    """A (partial) delivery or payment of a deal. Append-only (see the module docstring)."""

    deal = models.ForeignKey(
        Deal, on_delete=models.PROTECT, related_name="realization_entries", verbose_name=_("deal")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RealizationKind.choices)
    entry_kind = models.CharField(
        _("entry"),
        max_length=10,
        choices=RealizationEntryKind.choices,
        default=RealizationEntryKind.ORIGINAL,
    )
    reverses = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        verbose_name=_("reverses"),
    )
    occurred_on = models.DateField(_("date"))
    volume = models.DecimalField(
        _("volume"), max_digits=18, decimal_places=3, null=True, blank=True
    )
    # Integer rupiah; negative only on a reversal.
    value_idr = models.BigIntegerField(_("value (Rp)"))
    note = models.TextField(_("note"), blank=True)
    reason = models.CharField(_("reason for reversal"), max_length=300, blank=True)
    # Evidence (a delivery note, a transfer slip): private storage, served only
    # through a permission-checked view; the officer's file name kept for download.
    evidence = models.FileField(
        _("evidence file"), upload_to="private/realization/%Y/%m/", max_length=200, blank=True
    )
    evidence_name = models.CharField(_("file name"), max_length=200, blank=True)
    evidence_content_type = models.CharField(max_length=100, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=80)
    payload_hash = models.CharField(max_length=64, blank=True)

    objects = ProvincesScopedManager(*DEAL_SCOPE)

    class Meta:
        verbose_name = _("realization entry")
        verbose_name_plural = _("realization entries")
        ordering = ["occurred_on", "recorded_at", "id"]
        indexes = [models.Index(fields=["deal", "kind"], name="realization_deal_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "idempotency_key"], name="realization_idempotency_key_once"
            ),
            models.UniqueConstraint(
                fields=["reverses"],
                condition=Q(entry_kind="reversal"),
                name="realization_reversed_once",
            ),
            models.CheckConstraint(
                condition=Q(entry_kind="original", value_idr__gt=0, reverses__isnull=True)
                | Q(entry_kind="reversal", value_idr__lt=0, reverses__isnull=False),
                name="realization_value_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deal_id} {self.kind} {self.value_idr}"


class VerificationStatus(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    DISPUTED = "disputed", _("Disputed")


class Verification(models.Model):
    """A verifier's finding on a deal or on one realization entry. Append-only:
    the latest finding on a target is its status; earlier ones stay as history."""

    deal = models.ForeignKey(
        Deal, on_delete=models.PROTECT, related_name="verifications", verbose_name=_("deal")
    )
    # Set when the finding is about one entry rather than the deal as a whole.
    entry = models.ForeignKey(
        RealizationEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verifications",
        verbose_name=_("realization entry"),
    )
    status = models.CharField(_("status"), max_length=10, choices=VerificationStatus.choices)
    note = models.TextField(_("note"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("verifier"),
    )
    verified_at = models.DateTimeField(_("verified at"))

    objects = ProvincesScopedManager(*DEAL_SCOPE)

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["verified_at", "id"]

    def __str__(self) -> str:
        return f"{self.deal_id}/{self.entry_id}: {self.status}"


class ContactChannel(models.TextChoices):
    CALL = "call", _("Phone call")
    VISIT = "visit", _("Visit")
    MESSAGE = "message", _("Message")
    EMAIL = "email", _("E-mail")


class ContactParty(models.TextChoices):
    SELLER = "seller", _("Seller")
    BUYER = "buyer", _("Buyer")
    BOTH = "both", _("Seller and buyer")


class ContactLog(models.Model):
    """A follow-up contact an officer made about a deal, and what came of it."""

    deal = models.ForeignKey(
        Deal, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("deal")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel.choices)
    party = models.CharField(_("contacted"), max_length=10, choices=ContactParty.choices)
    contacted_on = models.DateField(_("date"))
    outcome = models.CharField(_("outcome"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = ProvincesScopedManager(*DEAL_SCOPE)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["contacted_on", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.deal_id} {self.channel} {self.contacted_on}"


class DealAssignment(models.Model):
    """The officer responsible for following a deal up. One row per deal at most;
    reassigning updates it (audited)."""

    deal = models.OneToOneField(
        Deal, on_delete=models.PROTECT, related_name="assignment", verbose_name=_("deal")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible officer"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"))

    objects = ProvincesScopedManager(*DEAL_SCOPE)

    class Meta:
        verbose_name = _("responsible officer")
        verbose_name_plural = _("responsible officers")

    def __str__(self) -> str:
        return f"{self.deal_id}: {self.officer_id}"


DEFAULT_STALE_AFTER_DAYS = 30


class FollowUpPolicy(models.Model):
    """A province's follow-up settings: after how many days without progress (a
    stage move or a realization entry) a deal shows on the follow-up list and
    in reminders. A province without a row uses DEFAULT_STALE_AFTER_DAYS."""

    province = models.OneToOneField(
        Province,
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="+",
        verbose_name=_("province"),
    )
    stale_after_days = models.PositiveSmallIntegerField(
        _("days without progress"),
        default=DEFAULT_STALE_AFTER_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    send_email_reminders = models.BooleanField(_("send reminders by e-mail"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("follow-up settings")
        verbose_name_plural = _("follow-up settings")

    def __str__(self) -> str:
        return f"{self.province_id}: {self.stale_after_days}"


class MissionTransparency(models.Model):
    """Opt-in, per mission, to a public page of committed and realised totals and
    the top commitments (no personal contact data). Only a public mission's
    organiser can turn it on."""

    mission = models.OneToOneField(
        "missions.Mission",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="transparency",
        verbose_name=_("mission"),
    )
    is_published = models.BooleanField(_("public realization page"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"))

    objects = ProvincesScopedManager("mission__organiser", "mission__host")

    def __str__(self) -> str:
        return f"{self.mission_id}: {self.is_published}"
