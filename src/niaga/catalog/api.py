"""The public catalogue API: curated products and pesantren profiles, no token needed.

`/api/v1/catalog/…` answers everyone, like the catalogue pages, and reads
through the same functions (`niaga.catalog.queries`): only curated products
and what their public pages show. A product that is not curated, or a
pesantren without curated products, answers 404 like one that does not exist.
Filters take Kemendagri codes ("35", "35.78"); a bad value answers 422
naming the field.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema

from niaga.api.main import problem_responses
from niaga.catalog import queries
from niaga.catalog.search import MAX_QUERY_LENGTH, Criteria, criteria
from niaga.registry.models import Category, CurationLevel

router = Router(tags=["catalog"])
MAX_PAGE = 100_000

CategoryName = Literal[tuple(Category.values)]  # type: ignore[valid-type]
LevelName = Literal[tuple(CurationLevel.values)]  # type: ignore[valid-type]


class CatalogueQuery(Schema):
    q: str | None = Field(
        None, max_length=MAX_QUERY_LENGTH, description="Words in the name or description."
    )
    province: str | None = Field(None, pattern=r"^\d{2}$", description="e.g. 35")
    regency: str | None = Field(None, pattern=r"^\d{2}\.\d{2}$", description="e.g. 35.78")
    category: CategoryName | None = None
    halal: bool | None = Field(
        None, description="true: a valid halal certificate; false: without one."
    )
    level: LevelName | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE, description="24 products a page.")


class ProductItem(Schema):
    id: int
    name: str
    category: str
    province: str = Field(description="Kemendagri province code, e.g. 35.")
    regency: str | None = Field(description="Kemendagri regency/city code, e.g. 35.78.")
    owner: str = Field(description="The cooperative, or an adult owner's name, or the pesantren.")
    halal: bool = Field(description="A halal certificate that has not expired.")
    level: str


class ProductList(Schema):
    count: int
    items: list[ProductItem]


class PesantrenRef(Schema):
    id: int
    name: str


class LegalOut(Schema):
    kind: str
    number: str
    halal_scheme: str
    expires_on: datetime.date | None
    valid: bool = Field(description="false once the expiry date has passed.")


class PhotoOut(Schema):
    id: int
    url: str
    thumbnail_url: str
    width: int
    height: int
    caption: str


class ProductDetail(ProductItem):
    description: str
    pesantren: PesantrenRef | None
    unit: str
    price_min_idr: int | None
    price_max_idr: int | None
    monthly_capacity: int | None
    hs_code: str
    legal_documents: list[LegalOut]
    photos: list[PhotoOut]
    url: str = Field(description="The product's page in the public catalogue.")


class PesantrenProfile(Schema):
    id: int
    name: str
    province: str
    regency: str
    typology: str
    founded_year: int | None
    product_count: int
    products: list[ProductItem] = Field(description="Its curated products, 24 a page.")


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)


def item_json(product) -> dict:
    return {
        "id": product.pk,
        "name": product.name,
        "category": product.category,
        "province": product.province_id,
        "regency": product.regency_id,
        "owner": product.owner_label,
        "halal": bool(product.halal),
        "level": product.level,
    }


@router.get(
    "/products",
    response=ProductList,
    auth=None,
    summary=gettext_lazy("Search the catalogue of curated products"),
    description=gettext_lazy(
        "Words are stemmed (kerajinan finds pengrajin) and forgive a typo; every word "
        "must match. Best matches first (words in the name before words in the "
        "description), then the newest. No token needed."
    ),
    openapi_extra=problem_responses(422),
)
def product_list(request: HttpRequest, query: Query[CatalogueQuery]):
    found = criteria(
        q=query.q,
        province=query.province,
        regency=query.regency,
        category=query.category,
        halal=query.halal,
        level=query.level,
    )
    page = queries.catalogue_page(found, query.page)
    return {"count": page.count, "items": [item_json(p) for p in page.items]}


@router.get(
    "/products/{product_id}",
    response=ProductDetail,
    auth=None,
    summary=gettext_lazy("A curated product"),
    openapi_extra=problem_responses(404),
)
def product_detail(request: HttpRequest, product_id: int):
    product = queries.public_product(product_id)
    today = timezone.localdate()
    return {
        **item_json(product),
        "description": product.description,
        "pesantren": {"id": product.pesantren_id, "name": product.pesantren.name}
        if product.pesantren_id
        else None,
        "unit": product.unit,
        "price_min_idr": product.price_min,
        "price_max_idr": product.price_max,
        "monthly_capacity": product.monthly_capacity,
        "hs_code": product.hs_code,
        "legal_documents": [
            {
                "kind": doc.kind,
                "number": doc.number,
                "halal_scheme": doc.halal_scheme,
                "expires_on": doc.expires_on,
                "valid": doc.expires_on is None or doc.expires_on >= today,
            }
            for doc in product.legal_documents.all()
        ],
        "photos": [
            {
                "id": photo.pk,
                "url": reverse("catalog:photo", kwargs={"photo_id": photo.pk}),
                "thumbnail_url": reverse("catalog:thumbnail", kwargs={"photo_id": photo.pk}),
                "width": photo.width,
                "height": photo.height,
                "caption": photo.caption,
            }
            for photo in product.photos.all()
        ],
        "url": reverse("catalog:product", kwargs={"product_id": product.pk}),
    }


@router.get(
    "/pesantren/{pesantren_id}",
    response=PesantrenProfile,
    auth=None,
    summary=gettext_lazy("A pesantren's public profile and its curated products"),
    description=gettext_lazy(
        "Only pesantren with curated products have a public profile; it holds no personal data."
    ),
    openapi_extra=problem_responses(404, 422),
)
def pesantren_profile(request: HttpRequest, pesantren_id: int, query: Query[PageQuery]):
    pesantren = queries.public_pesantren(pesantren_id)
    page = queries.catalogue_page(Criteria(pesantren=pesantren.pk), query.page)
    return {
        "id": pesantren.pk,
        "name": pesantren.name,
        "province": pesantren.province_id,
        "regency": pesantren.regency_id,
        "typology": pesantren.typology,
        "founded_year": pesantren.founded_year,
        "product_count": page.count,
        "products": [item_json(p) for p in page.items],
    }
