"""Reads of the public catalogue and of the inquiry inboxes.

The catalogue is public and looks across every province, so its reads run
with django-scopes disabled, deliberately, and every one of them starts from
curated products (or a photo, document or pesantren of a curated product):
nothing else of the registry is reachable from here. The inboxes are read
inside the province scope their views run in.
"""

from __future__ import annotations

import dataclasses
import functools
import math

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django_scopes import scopes_disabled

from niaga.accounts.models import Role
from niaga.accounts.queries import roles_by_province
from niaga.catalog import sql
from niaga.catalog.models import Inquiry
from niaga.catalog.search import Criteria, parse_query, valid_halal
from niaga.regions.models import Province, Regency
from niaga.registry.models import (
    Category,
    CurationLevel,
    CurationStatus,
    LegalDocument,
    Pesantren,
    Product,
    ProductPhoto,
)
from niaga.registry.models.people import ADULT_AGE, age_on
from niaga.registry.queries import pesantren_of_account

PAGE_SIZE = 24
INBOX_PAGE_SIZE = 50


def _shown_name(
    *,
    cooperative_name: str | None,
    person_name: str | None,
    person_birth_date,
    person_erased: bool,
    pesantren_name: str | None,
) -> str:
    if cooperative_name:
        return cooperative_name
    adult = person_birth_date is not None and (
        age_on(person_birth_date, timezone.localdate()) >= ADULT_AGE
    )
    if person_name and not person_erased and adult:
        return person_name
    return pesantren_name or ""


def owner_label(product: Product) -> str:
    """How the catalogue names a product's owner.

    The cooperative's name; for a person, their name only when they are known
    to be an adult (many santripreneurs are minors, whose names stay out of
    public pages) and not erased; otherwise the pesantren's name, or nothing.
    """
    person = product.owner_person if product.owner_person_id else None
    return _shown_name(
        cooperative_name=product.owner_cooperative.name if product.owner_cooperative_id else None,
        person_name=person.full_name if person else None,
        person_birth_date=person.birth_date if person else None,
        person_erased=bool(person and person.is_erased),
        pesantren_name=product.pesantren.name if product.pesantren_id else None,
    )


@functools.cache
def region_names() -> dict[str, str]:
    """Province and regency names by Kemendagri code: reference data, loaded by
    migrations and never changed while the server runs, so read once."""
    names = dict(Province.objects.values_list("code", "name"))
    names.update(Regency.objects.values_list("code", "name"))
    return names


@dataclasses.dataclass
class _Named:
    name: str


@dataclasses.dataclass
class Card:
    """A product as a result card shows it (and the API lists it): flat, read in one
    query without building model instances."""

    pk: int
    name: str
    category: str
    level: str
    province_id: str
    regency_id: str | None
    province: _Named
    regency: _Named | None
    owner_label: str
    halal: bool
    photo_id: int | None
    score: int = 0

    @property
    def id(self) -> int:
        return self.pk

    def get_category_display(self) -> str:
        return str(Category(self.category).label)

    def get_level_display(self) -> str:
        return str(CurationLevel(self.level).label) if self.level else ""


@dataclasses.dataclass
class CataloguePage:
    count: int
    number: int
    items: list[Card]
    page_size: int = PAGE_SIZE

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.page_size + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.items) - 1 if self.items else 0


def catalogue_page(
    found: Criteria, number: int = 1, *, page_size: int = PAGE_SIZE
) -> CataloguePage:
    """One page of results: cards with `halal`, `score`, `photo_id` and `owner_label`.

    Two statements whatever the number of rows: the page's ids with the count
    (ranked on the index when there are words), then the page's cards. Without
    words a third counts, unless the first page is not full. A page past the
    end is empty, with the right count. Reads across provinces, curated
    products only (see the module's docstring).
    """
    number = max(1, number)
    start = (number - 1) * page_size
    today = timezone.localdate()
    query_words = parse_query(found.q)
    if query_words:
        ranked = sql.ranked(found, query_words, offset=start, limit=page_size, today=today)
        scores = {pk: score for pk, score, _total in ranked}
        if ranked:
            count = ranked[0][2]
        else:  # nothing found, or past the end: no row carried the count
            count = 0 if number == 1 else sql.ranked_count(found, query_words, today=today)
    else:
        ids = sql.browsed(found, offset=start, limit=page_size, today=today)
        scores = dict.fromkeys(ids, 0)
        full = number > 1 or len(ids) == page_size
        count = sql.browsed_count(found, today=today) if full else len(ids)
    items = _cards(list(scores), today=today)
    for item in items:
        item.score = scores[item.pk]
    return CataloguePage(count=count, number=number, items=items, page_size=page_size)


def _cards(ids: list[int], *, today) -> list[Card]:
    """The cards of a result page in the order of `ids`."""
    found = {}
    for data in sql.cards(ids, today=today):
        found[data["pk"]] = Card(
            pk=int(data["pk"]),
            name=data["name"],
            category=data["category"],
            level=data["level"],
            province_id=data["province_id"],
            regency_id=data["regency_id"],
            province=_Named(region_names()[data["province_id"]]),
            regency=_Named(region_names()[data["regency_id"]]) if data["regency_id"] else None,
            owner_label=_shown_name(
                cooperative_name=data["cooperative_name"],
                person_name=data["person_name"],
                person_birth_date=data["person_birth_date"],
                person_erased=data["person_erased_at"] is not None,
                pesantren_name=data["pesantren_name"],
            ),
            halal=bool(data["halal"]),
            photo_id=data["photo_id"],
        )
    return [found[pk] for pk in ids if pk in found]


def public_product(product_id: int) -> Product:
    """A curated product with what its public page shows; Http404 for any other product.

    Prefetches photos and legality documents (3 queries in all).
    """
    with scopes_disabled():
        product = (
            Product.objects.filter(pk=product_id, status=CurationStatus.CURATED)
            .select_related("province", "regency", "pesantren", "owner_cooperative", "owner_person")
            .annotate(halal=valid_halal())
            .prefetch_related(
                Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "pk")),
                Prefetch("legal_documents", queryset=LegalDocument.objects.order_by("kind")),
            )
            .first()
        )
    if product is None:
        raise Http404("no such product in the catalogue")
    product.owner_label = owner_label(product)
    return product


def public_pesantren(pesantren_id: int) -> Pesantren:
    """A pesantren that has at least one curated product; Http404 otherwise.

    A pesantren without curated products is not in the catalogue: its profile
    would only reveal that it is registered.
    """
    with scopes_disabled():
        pesantren = (
            Pesantren.objects.filter(pk=pesantren_id, products__status=CurationStatus.CURATED)
            .select_related("province", "regency")
            .only(
                "id",
                "name",
                "typology",
                "founded_year",
                "website",
                "province__code",
                "province__name",
                "regency__code",
                "regency__name",
            )
            .distinct()
            .first()
        )
    if pesantren is None:
        raise Http404("no such pesantren in the catalogue")
    return pesantren


def public_photo(photo_id: int) -> ProductPhoto:
    """A photo of a curated product; Http404 for any other photo."""
    with scopes_disabled():
        photo = (
            ProductPhoto.objects.filter(pk=photo_id, product__status=CurationStatus.CURATED)
            .only("id", "image", "thumbnail", "width", "height")
            .first()
        )
    if photo is None:
        raise Http404("no such photo in the catalogue")
    return photo


# --- Inquiry inboxes (inside a province scope) -----------------------------------------


def inbox(user, province) -> QuerySet[Inquiry] | None:
    """The inquiries `user` may read and answer in `province`, or None for no inbox at all.

    Officers with catalog.answer_inquiry see the whole province's inquiries; a
    pesantren account sees those about products of the pesantren it speaks for
    (registry.PesantrenAccess); anyone else has no inbox.
    """
    inquiries = Inquiry.objects.filter(province=province)
    if user.has_perm("catalog.answer_inquiry", province):
        return inquiries
    own = pesantren_of_account(user).filter(province=province)
    if Role.PESANTREN in roles_by_province(user).get(province.code, frozenset()):
        return inquiries.filter(product__pesantren__in=own.values("pk"))
    return None


def inbox_page(inquiries: QuerySet[Inquiry], *, status: str | None, number: int):
    rows = inquiries.select_related("product", "product__pesantren").order_by("-created_at", "-pk")
    if status:
        rows = rows.filter(status=status)
    return Paginator(rows, INBOX_PAGE_SIZE).get_page(number)


def inbox_counts(inquiries: QuerySet[Inquiry]) -> dict[str, int]:
    """Inquiries per status, for the filter's labels (one query)."""
    counts = dict(
        inquiries.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return counts


def inbox_inquiry(inquiries: QuerySet[Inquiry], inquiry_id: int) -> Inquiry:
    inquiry = (
        inquiries.select_related("product", "product__pesantren", "answered_by")
        .filter(pk=inquiry_id)
        .first()
    )
    if inquiry is None:
        raise Http404("no such inquiry in this inbox")
    return inquiry
