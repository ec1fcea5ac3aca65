"""Pesantren, their cooperatives (kopontren) and the accounts that speak for them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from niaga.regions.models import District, Province, Regency
from niaga.registry.models.common import Tracked


class Typology(models.TextChoices):
    SALAFIYAH = "salafiyah", _("Salafiyah (traditional)")
    KHALAFIYAH = "khalafiyah", _("Khalafiyah (modern)")
    COMBINED = "kombinasi", _("Combined")


class PesantrenStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class Pesantren(Tracked):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=200)
    # NULL rather than "": the NSPP is unique only when present.
    nspp = models.CharField(  # noqa: DJ001
        _("NSPP"),
        max_length=12,
        null=True,
        blank=True,
        help_text=_(
            "Pesantren statistic number from the Ministry of Religious Affairs, 12 digits."
        ),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="+", verbose_name=_("regency/city")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("district"),
    )
    leader_name = models.CharField(_("leader (pengasuh)"), max_length=150, blank=True)
    santri_male = models.PositiveIntegerField(_("male santri"), default=0)
    santri_female = models.PositiveIntegerField(_("female santri"), default=0)
    typology = models.CharField(_("typology"), max_length=12, choices=Typology.choices)
    founded_year = models.PositiveSmallIntegerField(_("founding year"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    takes_santripreneur = models.BooleanField(_("santripreneur pillar"), default=False)
    takes_pesantrenpreneur = models.BooleanField(_("pesantrenpreneur pillar"), default=False)
    takes_sosiopreneur = models.BooleanField(_("sosiopreneur pillar"), default=False)
    opop_joined_year = models.PositiveSmallIntegerField(
        _("year joined OPOP"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PesantrenStatus.choices, default=PesantrenStatus.ACTIVE
    )

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("pesantren")
        verbose_name_plural = _("pesantren")
        ordering = ["name", "id"]
        constraints = [
            # NSPP is national: one number, one pesantren, whichever province keeps it.
            models.UniqueConstraint(
                fields=["nspp"], condition=Q(nspp__isnull=False), name="pesantren_nspp_unique"
            ),
        ]
        indexes = [models.Index(fields=["province", "regency"], name="pesantren_province_regency")]

    def __str__(self) -> str:
        return self.name

    @property
    def santri_total(self) -> int:
        return self.santri_male + self.santri_female

    @property
    def pillars(self) -> list[str]:
        from niaga.registry.models.common import Pillar

        flags = {
            Pillar.SANTRIPRENEUR: self.takes_santripreneur,
            Pillar.PESANTRENPRENEUR: self.takes_pesantrenpreneur,
            Pillar.SOSIOPRENEUR: self.takes_sosiopreneur,
        }
        return [pillar for pillar, taken in flags.items() if taken]


class LegalForm(models.TextChoices):
    PRIMARY = "koperasi_primer", _("Primary cooperative (koperasi primer)")
    SECONDARY = "koperasi_sekunder", _("Secondary cooperative (koperasi sekunder)")
    UNREGISTERED = "belum_berbadan_hukum", _("Not yet a legal entity")


class Cooperative(Tracked):
    """A pesantren's cooperative (koperasi pondok pesantren, kopontren): its pesantrenpreneur."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    pesantren = models.OneToOneField(
        Pesantren, on_delete=models.PROTECT, related_name="cooperative", verbose_name=_("pesantren")
    )
    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=24, choices=LegalForm.choices)
    deed_number = models.CharField(_("deed number"), max_length=100, blank=True)
    deed_date = models.DateField(_("deed date"), null=True, blank=True)
    nib = models.CharField(  # noqa: DJ001 - NULL: unique only when present
        _("NIB"),
        max_length=13,
        null=True,
        blank=True,
        help_text=_("Business ID from OSS, 13 digits."),
    )
    kbli_code = models.CharField(_("KBLI code"), max_length=5, blank=True)
    kbli_version = models.CharField(_("KBLI version"), max_length=4, default="2020")
    members_count = models.PositiveIntegerField(_("members"), default=0)
    business_lines = models.CharField(_("business lines"), max_length=300, blank=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nib"], condition=Q(nib__isnull=False), name="cooperative_nib_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PesantrenAccess(models.Model):
    """A login that speaks for a pesantren: it sees that pesantren's products,
    documents and inquiries, and may submit products for curation."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pesantren_access",
        verbose_name=_("user"),
    )
    pesantren = models.ForeignKey(
        Pesantren, on_delete=models.CASCADE, related_name="accounts", verbose_name=_("pesantren")
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("pesantren account")
        verbose_name_plural = _("pesantren accounts")
        constraints = [
            models.UniqueConstraint(fields=["user", "pesantren"], name="pesantren_access_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.pesantren_id}"
