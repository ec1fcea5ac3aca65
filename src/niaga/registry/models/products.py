"""Products, their photos and legality documents, and the curation trail.

A product belongs to a cooperative or to a person (exactly one). `pesantren`
and `regency` are copied from the owner when the product is saved through the
domain functions, so the catalogue filters without joining through owners.
Curation is a small state machine (see `niaga.registry.curation`); every move
is a `CurationEvent`, never an edit of history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from niaga.regions.models import Province, Regency
from niaga.registry.models.common import Tracked
from niaga.registry.models.people import Person
from niaga.registry.models.pesantren import Cooperative, Pesantren


class Category(models.TextChoices):
    FOOD = "food", _("Food and beverage")
    FASHION = "fashion", _("Fashion and textile")
    CRAFT = "craft", _("Craft")
    AGRICULTURE = "agriculture", _("Agriculture and livestock")
    COSMETICS = "cosmetics", _("Cosmetics and herbal")
    SERVICES = "services", _("Services")
    OTHER = "other", _("Other")


class CurationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CURATED = "curated", _("Curated")
    RETURNED = "returned", _("Returned")


class CurationLevel(models.TextChoices):
    """The curation ladder, lowest first."""

    LOCAL = "local", _("Local market")
    MODERN_RETAIL = "modern_retail", _("Modern retail")
    EXPORT = "export", _("Export-ready")


class Product(Tracked):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    owner_cooperative = models.ForeignKey(
        Cooperative,
        on_delete=models.PROTECT,
        related_name="products",
        null=True,
        blank=True,
        verbose_name=_("owning cooperative"),
    )
    owner_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="products",
        null=True,
        blank=True,
        verbose_name=_("owning person"),
    )
    pesantren = models.ForeignKey(
        Pesantren,
        on_delete=models.PROTECT,
        related_name="products",
        null=True,
        blank=True,
        verbose_name=_("pesantren"),
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("regency/city"),
    )
    price_min = models.BigIntegerField(_("lowest price (Rp)"), null=True, blank=True)
    price_max = models.BigIntegerField(_("highest price (Rp)"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=30, help_text=_("e.g. kg, pack, piece, bottle"))
    monthly_capacity = models.PositiveIntegerField(
        _("monthly capacity"), null=True, blank=True, help_text=_("In units per month.")
    )
    hs_code = models.CharField(_("HS code"), max_length=8, blank=True)
    status = models.CharField(
        _("curation status"),
        max_length=10,
        choices=CurationStatus.choices,
        default=CurationStatus.DRAFT,
    )
    level = models.CharField(
        _("curation level"), max_length=14, choices=CurationLevel.choices, blank=True
    )
    curated_at = models.DateTimeField(_("curated at"), null=True, blank=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(owner_cooperative__isnull=False, owner_person__isnull=True)
                    | Q(owner_cooperative__isnull=True, owner_person__isnull=False)
                ),
                name="product_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(price_min__isnull=True)
                | Q(price_max__isnull=True)
                | Q(price_min__lte=models.F("price_max")),
                name="product_price_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status="curated", level__in=[c.value for c in CurationLevel])
                | (~Q(status="curated") & Q(level="")),
                name="product_level_iff_curated",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "province", "category"], name="product_catalogue"),
            models.Index(fields=["province", "status"], name="product_queue"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owner(self):
        return self.owner_cooperative or self.owner_person

    @property
    def is_public(self) -> bool:
        return self.status == CurationStatus.CURATED


class ProductPhoto(models.Model):
    """A photo, stored re-encoded without EXIF, with a small thumbnail."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="photos", verbose_name=_("product")
    )
    image = models.FileField(_("photo"), upload_to="products/%Y/%m/", max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to="products/%Y/%m/", max_length=200)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["product", "position", "id"]

    def __str__(self) -> str:
        return self.image.name


class LegalKind(models.TextChoices):
    HALAL = "halal", _("Halal certificate")
    PIRT = "pirt", _("P-IRT (home-industry food permit)")
    BPOM = "bpom", _("BPOM registration")
    SNI = "sni", _("SNI")
    TRADEMARK = "trademark", _("Trademark")


class HalalScheme(models.TextChoices):
    REGULAR = "regular", _("Regular")
    SELF_DECLARE = "self_declare", _("Self-declare")


class LegalDocument(Tracked):
    """One legality document of a product; at most one of each kind per product."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="legal_documents", verbose_name=_("product")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LegalKind.choices)
    number = models.CharField(_("number"), max_length=40)
    halal_scheme = models.CharField(
        _("halal scheme"), max_length=12, choices=HalalScheme.choices, blank=True
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("legality document")
        verbose_name_plural = _("legality documents")
        ordering = ["product", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["product", "kind"], name="legal_document_one_per_kind"),
            models.CheckConstraint(
                condition=Q(kind="halal", halal_scheme__in=["regular", "self_declare"])
                | (~Q(kind="halal") & Q(halal_scheme="")),
                name="legal_document_scheme_for_halal",
            ),
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True)
                | Q(expires_on__isnull=True)
                | Q(issued_on__lte=models.F("expires_on")),
                name="legal_document_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["kind", "expires_on"], name="legal_document_expiry")]


class CurationEvent(models.Model):
    """One move of a product through curation: who, when, from and to, and the notes."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="curation_events", verbose_name=_("product")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(_("from"), max_length=10, choices=CurationStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=CurationStatus.choices)
    level = models.CharField(
        _("curation level"), max_length=14, choices=CurationLevel.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("curation event")
        verbose_name_plural = _("curation events")
        ordering = ["product", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
