"""The public catalogue's search index and buyers' inquiries.

`ProductTerm` is an inverted index of curated products: one row per stemmed
word of a product's name and description, so a search is an indexed look-up
on both SQLite and PostgreSQL. It holds only public text and is not scoped;
it is rebuilt by `niaga.catalog.indexing` whenever a product changes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from niaga.regions.models import Province
from niaga.registry.models import Product


class ProductTerm(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=40)
    # 3 when the word is in the name, 1 when only in the description.
    weight = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "product"], name="product_term_once"),
        ]
        # The search ranks a term's products by weight straight from this index;
        # catalog/sql.py names it (INDEXED BY on SQLite), so keep the name.
        indexes = [
            models.Index(fields=["term", "product", "weight"], name="product_term_ranking"),
        ]

    def __str__(self) -> str:
        return self.term


class InquiryStatus(models.TextChoices):
    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Inquiry(models.Model):
    """A buyer's question about a product, sent from the public catalogue."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("product")
    )
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    message = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.NEW
    )
    reply_note = models.TextField(_("reply note"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["province", "status"], name="inquiry_inbox")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(phone="", email=""), name="inquiry_has_a_way_back"
            ),
        ]

    def __str__(self) -> str:
        # No buyer's name: this text lands in the audit log.
        return f"#{self.pk} · {self.product_id}"
