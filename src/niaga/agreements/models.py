"""Agreements between agencies: governors' MoUs and cooperation agreements (PKS).

An agreement is recorded by one province space (`owner`) and is visible to
every province that is party to it (`AgreementParty.province`). Each party
numbers the agreement in its own register, so the official number belongs to
the party: `12.23/86/PKS/011.3/2022` is unique among one party's agreements,
not across the country. Action items are what the parties promised to do, each
with an owner, a due date and dated progress notes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from niaga.regions.models import Province


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding (MoU)")
    PKS = "pks", _("Cooperation agreement (PKS)")


class AgreementStatus(models.TextChoices):
    """Recorded state; whether an active agreement is expiring or expired
    follows from its validity dates and today (see queries)."""

    ACTIVE = "active", pgettext_lazy("agreement status", "In force")
    TERMINATED = "terminated", pgettext_lazy("agreement status", "Terminated")


class AgreementScopedManager(models.Manager):
    """Agreements visible in the current province scope: recorded by it or party to it.

    Fail-closed like django-scopes: outside any scope the query refuses to run,
    unless scopes are disabled explicitly."""

    def get_queryset(self):
        from django_scopes.manager import DisabledQuerySet
        from django_scopes.state import get_scope

        current = get_scope()
        queryset = super().get_queryset()
        if not current.get("_enabled", True):
            return queryset
        if "province" not in current:
            return DisabledQuerySet(self.model, using=self._db, missing_scopes={"province"})
        province = current["province"]
        if province is None:
            raise ValueError("a province scope of None would show every province's agreements")
        parties = AgreementParty.all_objects.filter(province=province).values("agreement_id")
        return queryset.filter(Q(owner=province) | Q(pk__in=parties))


class Agreement(models.Model):
    owner = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    kind = models.CharField(_("kind"), max_length=4, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    signed_on = models.DateField(_("date signed"))
    place = models.CharField(_("place signed"), max_length=150, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    scope = models.TextField(_("scope"), blank=True)
    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("signed at mission"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AgreementStatus.choices,
        default=AgreementStatus.ACTIVE,
    )
    # The signed document: a PDF in private storage, served only through a
    # permission-checked view.
    document = models.FileField(
        _("signed document"), upload_to="private/agreements/%Y/", max_length=200, blank=True
    )
    document_name = models.CharField(_("file name"), max_length=200, blank=True)
    document_size = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for termination"), blank=True)
    # An API client's key for this create and a hash of what it sent: a retry
    # with the same key and body returns this agreement instead of a second one.
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)

    objects = AgreementScopedManager()
    all_objects = models.Manager()  # noqa: DJ012 (a second manager, not a field)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="agreement_valid_period",
            ),
            models.UniqueConstraint(
                fields=["owner", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="agreement_idempotency_key_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PartyKind(models.TextChoices):
    GOVERNMENT = "government", _("Provincial government")
    OFFICE = "office", _("Provincial office")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other institution")


class AgreementParty(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("agreement")
    )
    kind = models.CharField(_("kind of party"), max_length=10, choices=PartyKind.choices)
    # e.g. "Pemerintah Provinsi Jawa Timur", "Dinas Perindustrian dan Perdagangan
    # Provinsi Kalimantan Selatan", "PT Sumber Pangan Lestari".
    name = models.CharField(_("party"), max_length=200)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    business = models.ForeignKey(
        "missions.Business",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("business"),
    )
    number = models.CharField(_("official number"), max_length=100, blank=True)
    signatory = models.CharField(_("signed by"), max_length=150, blank=True)
    signatory_title = models.CharField(_("position"), max_length=150, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    # Reached through its agreement, whose manager applies the scope.
    all_objects = models.Manager()
    objects = all_objects

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["agreement", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "number",
                condition=~Q(number=""),
                name="agreement_number_unique_per_party",
                violation_error_message=_("This party already has an agreement with this number."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ActionItemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action item", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("action item", "In progress")
    DONE = "done", pgettext_lazy("action item", "Done")
    DROPPED = "dropped", pgettext_lazy("action item", "Dropped")


class ActionItem(models.Model):
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="action_items",
        verbose_name=_("agreement"),
    )
    title = models.CharField(_("action"), max_length=300)
    owner_name = models.CharField(
        _("owner"), max_length=200, help_text=_("The office or person who does it.")
    )
    owner_party = models.ForeignKey(
        AgreementParty,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("party responsible"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ActionItemStatus.choices,
        default=ActionItemStatus.OPEN,
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    all_objects = models.Manager()
    objects = all_objects

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ActionItemNote(models.Model):
    """A dated progress note on an action item; never edited."""

    item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="notes", verbose_name=_("action item")
    )
    written_on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    status_after = models.CharField(
        _("status"), max_length=12, choices=ActionItemStatus.choices, blank=True
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(_("written at"))

    all_objects = models.Manager()
    objects = all_objects

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["written_on", "written_at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.written_on}"
