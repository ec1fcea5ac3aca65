"""People of the three pillars, their consents, and santri/alumni businesses.

A person's NIK is personal data under UU PDP (Law 27/2022): it is stored only
encrypted (`nik_encrypted`, see `niaga.core.personal_data`), with a keyed hash
(`nik_hash`) for uniqueness and look-up and a masked form (`nik_masked`,
`3578********0001`) for display. The clear NIK is never stored or logged.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from niaga.regions.models import Province, Regency
from niaga.registry.models.common import Pillar, Tracked
from niaga.registry.models.pesantren import Pesantren

ADULT_AGE = 18


class PersonRole(models.TextChoices):
    SANTRI = "santri", _("Santri")
    ALUMNUS = "alumnus", _("Alumnus")
    STAFF = "staff", _("Staff")
    COMMUNITY = "community", _("Community member")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Whole years between a birth date and a day (29 February birthdays count on 1 March)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


class Person(Tracked):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    pesantren = models.ForeignKey(
        Pesantren,
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
        verbose_name=_("pesantren"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=10, choices=PersonRole.choices)
    pillar = models.CharField(_("pillar"), max_length=16, choices=Pillar.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    nik_encrypted = models.TextField(_("NIK (encrypted)"), blank=True, editable=False)
    nik_hash = models.CharField(  # noqa: DJ001 - NULL: no NIK; unique only when present
        _("NIK look-up hash"), max_length=64, null=True, editable=False
    )
    nik_masked = models.CharField(_("NIK"), max_length=16, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("regency/city of residence"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "nik_hash"],
                condition=Q(nik_hash__isnull=False),
                name="person_nik_once_per_province",
            ),
        ]
        indexes = [models.Index(fields=["province", "pesantren"], name="person_province_pesantren")]

    def __str__(self) -> str:
        return self.full_name

    def age(self, day: datetime.date | None = None) -> int | None:
        if self.birth_date is None:
            return None
        return age_on(self.birth_date, day or datetime.date.today())

    def is_minor(self, day: datetime.date | None = None) -> bool:
        """Under 18 on `day`. A person without a birth date is treated as a minor:
        the strictest handling applies until an adult age is known."""
        age = self.age(day)
        return age is None or age < ADULT_AGE

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class ConsentPurpose(models.TextChoices):
    REGISTRY = "registry", _("Registry and program administration")
    TRAINING = "training", _("Training and certificates")
    CATALOGUE_CONTACT = "catalogue_contact", _("Contact details shown to buyers")
    PUBLICATION = "publication", _("Photos and stories in publications")


class ConsentGiver(models.TextChoices):
    SELF = "self", _("The person")
    GUARDIAN = "guardian", _("A parent or guardian")


class Consent(models.Model):
    """Consent for one purpose. Withdrawal sets `withdrawn_on`; rows are never deleted
    so the history of what was allowed when stays provable."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("given on"))
    given_by = models.CharField(_("given by"), max_length=8, choices=ConsentGiver.choices)
    guardian_name = models.CharField(_("guardian's name"), max_length=150, blank=True)
    guardian_relation = models.CharField(_("guardian's relation"), max_length=60, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
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
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["person", "purpose", "-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(given_by="self") | ~Q(guardian_name=""),
                name="consent_guardian_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class Enterprise(Tracked):
    """A santripreneur's or sosiopreneur's own business, optionally tied to a pesantren."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("owner")
    )
    pesantren = models.ForeignKey(
        Pesantren,
        on_delete=models.PROTECT,
        related_name="enterprises",
        null=True,
        blank=True,
        verbose_name=_("pesantren"),
    )
    name = models.CharField(_("name"), max_length=200)
    pillar = models.CharField(
        _("pillar"),
        max_length=16,
        choices=[(p.value, p.label) for p in (Pillar.SANTRIPRENEUR, Pillar.SOSIOPRENEUR)],
    )
    business_line = models.CharField(_("business line"), max_length=200, blank=True)
    nib = models.CharField(_("NIB"), max_length=13, null=True, blank=True)  # noqa: DJ001
    kbli_code = models.CharField(_("KBLI code"), max_length=5, blank=True)
    kbli_version = models.CharField(_("KBLI version"), max_length=4, default="2020")
    started_year = models.PositiveSmallIntegerField(_("year started"), null=True, blank=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("santri or alumni business")
        verbose_name_plural = _("santri and alumni businesses")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nib"], condition=Q(nib__isnull=False), name="enterprise_nib_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name
