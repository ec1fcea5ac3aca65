"""The registry API: pesantren, cooperatives, people and products of a province space.

`/api/v1/registry/{province}/…` where `province` is the province's Kemendagri
code (`35`) or its short name (`jatim`). A token acts as its user: another
province, an unknown province and a missing right all answer 404, the same.
Reads run inside the province's scope; writes go through
`niaga.registry.domain`, the same functions the pages use.

Personal data stays masked here as everywhere: a person's NIK is only ever
`3578********0001` and phones are masked. Revealing a NIK is a page action for
the data protection officer, audited, and has no API.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy
from django_scopes import scope
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from niaga.api.auth import TokenAuth
from niaga.api.main import problem_responses
from niaga.regions.models import Province
from niaga.registry.domain import people as people_domain
from niaga.registry.domain import pesantren as pesantren_domain
from niaga.registry.domain import products as products_domain
from niaga.registry.models import (
    Category,
    Cooperative,
    CurationLevel,
    CurationStatus,
    Person,
    PersonRole,
    Pesantren,
    PesantrenStatus,
    Pillar,
    Product,
    Typology,
)
from niaga.registry.validators import mask_phone

router = Router(tags=["registry"])
TOKEN = TokenAuth()
PAGE_SIZE_DEFAULT = 100
PAGE_SIZE_MAX = 500


# --- Schemas -------------------------------------------------------------------


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(PAGE_SIZE_DEFAULT, ge=1, le=PAGE_SIZE_MAX)


class PesantrenQuery(PageQuery):
    q: str | None = Field(None, max_length=100, description="Words in the name or the NSPP.")
    regency: str | None = Field(None, pattern=r"^\d{2}\.\d{2}$", description="e.g. 35.17")
    status: Literal[tuple(PesantrenStatus.values)] | None = None  # type: ignore[valid-type]
    typology: Literal[tuple(Typology.values)] | None = None  # type: ignore[valid-type]


class PesantrenOut(Schema):
    id: int
    name: str
    nspp: str | None
    province: str = Field(description="Kemendagri province code, e.g. 35.")
    regency: str = Field(description="Kemendagri regency/city code, e.g. 35.17.")
    district: str | None = Field(description="Kemendagri district code, e.g. 35.17.05.")
    address: str
    leader_name: str
    santri_male: int
    santri_female: int
    typology: str
    founded_year: int | None
    pillars: list[str]
    opop_joined_year: int | None
    status: str
    cooperative_id: int | None
    people_count: int
    product_count: int
    version: int


class PesantrenList(Schema):
    count: int
    items: list[PesantrenOut]


class CooperativeOut(Schema):
    id: int
    pesantren_id: int
    name: str
    legal_form: str
    deed_number: str
    deed_date: datetime.date | None
    nib: str | None
    kbli_code: str
    kbli_version: str
    members_count: int
    business_lines: str
    version: int


class CooperativeList(Schema):
    count: int
    items: list[CooperativeOut]


class PersonQuery(PageQuery):
    pesantren: int | None = Field(None, ge=1)
    role: Literal[tuple(PersonRole.values)] | None = None  # type: ignore[valid-type]
    pillar: Literal[tuple(Pillar.values)] | None = None  # type: ignore[valid-type]


class PersonOut(Schema):
    id: int
    full_name: str
    role: str
    pillar: str
    gender: str
    birth_year: int | None = Field(description="Only the year: the full date is personal data.")
    is_minor: bool
    nik_masked: str = Field(description="Masked NIK, e.g. 3578********0001, or empty.")
    phone_masked: str
    pesantren_id: int | None
    regency: str | None
    erased: bool
    version: int


class PersonList(Schema):
    count: int
    items: list[PersonOut]


class ProductQuery(PageQuery):
    status: Literal[tuple(CurationStatus.values)] | None = None  # type: ignore[valid-type]
    category: Literal[tuple(Category.values)] | None = None  # type: ignore[valid-type]
    level: Literal[tuple(CurationLevel.values)] | None = None  # type: ignore[valid-type]
    pesantren: int | None = Field(None, ge=1)


class LegalDocumentOut(Schema):
    kind: str
    number: str
    halal_scheme: str
    issued_on: datetime.date | None
    expires_on: datetime.date | None


class ProductOut(Schema):
    id: int
    name: str
    description: str
    category: str
    owner_cooperative_id: int | None
    owner_person_id: int | None
    pesantren_id: int | None
    regency: str | None
    price_min_idr: int | None
    price_max_idr: int | None
    unit: str
    monthly_capacity: int | None
    hs_code: str
    status: str
    level: str
    curated_at: datetime.datetime | None
    legal_documents: list[LegalDocumentOut]
    version: int


class ProductList(Schema):
    count: int
    items: list[ProductOut]


class PesantrenIn(Schema):
    """A new pesantren; the domain checks every rule and names the field it breaks."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., max_length=200)
    nspp: str | None = None
    address: str = ""
    regency: str = Field(..., description="Kemendagri regency/city code, e.g. 35.17.")
    district: str | None = Field(None, description="Kemendagri district code, e.g. 35.17.05.")
    leader_name: str = ""
    santri_male: int = Field(0, ge=0)
    santri_female: int = Field(0, ge=0)
    typology: Literal[tuple(Typology.values)]  # type: ignore[valid-type]
    founded_year: int | None = None
    phone: str = ""
    email: str = ""
    pillars: list[Literal[tuple(Pillar.values)]] = []  # type: ignore[valid-type]
    opop_joined_year: int | None = None


class PersonIn(Schema):
    """A new person. `nik` is sent once and stored only encrypted; answers show it masked."""

    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(..., max_length=150)
    role: Literal[tuple(PersonRole.values)]  # type: ignore[valid-type]
    gender: Literal["male", "female"]
    pillar: Literal[tuple(Pillar.values)] | Literal[""] = ""  # type: ignore[valid-type]
    birth_date: datetime.date | None = None
    nik: str | None = Field(None, description="16 digits; never returned.")
    phone: str = ""
    email: str = ""
    pesantren_id: int | None = None
    regency: str | None = None
    address: str = ""


class ProductIn(Schema):
    """A new product (draft) of exactly one owner: a cooperative or a person."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., max_length=200)
    category: Literal[tuple(Category.values)]  # type: ignore[valid-type]
    unit: str = Field(..., max_length=30)
    owner_cooperative_id: int | None = None
    owner_person_id: int | None = None
    description: str = ""
    price_min_idr: int | None = None
    price_max_idr: int | None = None
    monthly_capacity: int | None = None
    hs_code: str = ""


class CurationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    move: Literal["submit", "start_review", "curate", "return", "resubmit", "recurate", "withdraw"]
    level: Literal[tuple(CurationLevel.values)] | Literal[""] = ""  # type: ignore[valid-type]
    notes: str = ""
    version: int | None = Field(None, description="The product version you read; 409-free check.")


# --- Helpers -------------------------------------------------------------------


def _province(request: HttpRequest, province: str) -> Province:
    """The province if the caller may read its registry; otherwise 404."""
    lookup = {"code": province} if province.isdigit() else {"slug": province}
    found = Province.objects.filter(**lookup).first()
    user = request.auth
    if found is None or not user.has_perm("registry.view_registry", found):
        raise Http404("no such province")
    return found


def _may(request: HttpRequest, permission: str, province: Province) -> None:
    """404 unless the caller holds `permission`: a read-only caller learns nothing more."""
    if not request.auth.has_perm(permission, province):
        raise Http404("no such page for this token")


def _page(queryset, query: PageQuery) -> tuple[int, list]:
    start = (query.page - 1) * query.page_size
    return queryset.count(), list(queryset[start : start + query.page_size])


def _pesantren_json(row: Pesantren) -> dict:
    return {
        "id": row.pk,
        "name": row.name,
        "nspp": row.nspp,
        "province": row.province_id,
        "regency": row.regency_id,
        "district": row.district_id,
        "address": row.address,
        "leader_name": row.leader_name,
        "santri_male": row.santri_male,
        "santri_female": row.santri_female,
        "typology": row.typology,
        "founded_year": row.founded_year,
        "pillars": [str(p) for p in row.pillars],
        "opop_joined_year": row.opop_joined_year,
        "status": row.status,
        "cooperative_id": getattr(row, "cooperative_pk", None),
        "people_count": row.people_count,
        "product_count": row.product_count,
        "version": row.version,
    }


def _pesantren_rows():
    return Pesantren.objects.annotate(
        people_count=Count("people", distinct=True),
        product_count=Count("products", distinct=True),
    ).order_by("name", "id")


def _with_cooperative_ids(rows: list[Pesantren]) -> list[Pesantren]:
    ids = dict(
        Cooperative.objects.filter(pesantren__in=[r.pk for r in rows]).values_list(
            "pesantren_id", "id"
        )
    )
    for row in rows:
        row.cooperative_pk = ids.get(row.pk)
    return rows


def _person_json(row: Person) -> dict:
    return {
        "id": row.pk,
        "full_name": row.full_name,
        "role": row.role,
        "pillar": row.pillar,
        "gender": row.gender,
        "birth_year": row.birth_date.year if row.birth_date else None,
        "is_minor": row.is_minor(),
        "nik_masked": row.nik_masked,
        "phone_masked": mask_phone(row.phone) if row.phone else "",
        "pesantren_id": row.pesantren_id,
        "regency": row.regency_id,
        "erased": row.is_erased,
        "version": row.version,
    }


def _product_json(row: Product) -> dict:
    return {
        "id": row.pk,
        "name": row.name,
        "description": row.description,
        "category": row.category,
        "owner_cooperative_id": row.owner_cooperative_id,
        "owner_person_id": row.owner_person_id,
        "pesantren_id": row.pesantren_id,
        "regency": row.regency_id,
        "price_min_idr": row.price_min,
        "price_max_idr": row.price_max,
        "unit": row.unit,
        "monthly_capacity": row.monthly_capacity,
        "hs_code": row.hs_code,
        "status": row.status,
        "level": row.level,
        "curated_at": row.curated_at,
        "legal_documents": [
            {
                "kind": d.kind,
                "number": d.number,
                "halal_scheme": d.halal_scheme,
                "issued_on": d.issued_on,
                "expires_on": d.expires_on,
            }
            for d in row.legal_documents.all()
        ],
        "version": row.version,
    }


# --- Endpoints -----------------------------------------------------------------

_READ = problem_responses(401, 404)


@router.get(
    "/{province}/pesantren",
    response=PesantrenList,
    auth=TOKEN,
    summary=gettext_lazy("A province's pesantren"),
    openapi_extra=_READ,
)
def pesantren_list(request: HttpRequest, province: str, query: Query[PesantrenQuery]):
    found = _province(request, province)
    with scope(province=found):
        rows = _pesantren_rows()
        if query.q:
            for word in query.q.split():
                rows = rows.filter(Q(name__icontains=word) | Q(nspp=word))
        if query.regency:
            rows = rows.filter(regency_id=query.regency)
        if query.status:
            rows = rows.filter(status=query.status)
        if query.typology:
            rows = rows.filter(typology=query.typology)
        count, page = _page(rows, query)
        return {"count": count, "items": [_pesantren_json(r) for r in _with_cooperative_ids(page)]}


@router.get(
    "/{province}/pesantren/{pesantren_id}",
    response=PesantrenOut,
    auth=TOKEN,
    summary=gettext_lazy("One pesantren"),
    openapi_extra=_READ,
)
def pesantren_detail(request: HttpRequest, province: str, pesantren_id: int):
    found = _province(request, province)
    with scope(province=found):
        row = _pesantren_rows().filter(pk=pesantren_id).first()
        if row is None:
            raise Http404("no such pesantren")
        return _pesantren_json(_with_cooperative_ids([row])[0])


@router.get(
    "/{province}/cooperatives",
    response=CooperativeList,
    auth=TOKEN,
    summary=gettext_lazy("A province's pesantren cooperatives"),
    openapi_extra=_READ,
)
def cooperative_list(request: HttpRequest, province: str, query: Query[PageQuery]):
    found = _province(request, province)
    with scope(province=found):
        count, page = _page(Cooperative.objects.order_by("name", "id"), query)
        return {"count": count, "items": page}


@router.get(
    "/{province}/cooperatives/{cooperative_id}",
    response=CooperativeOut,
    auth=TOKEN,
    summary=gettext_lazy("One cooperative"),
    openapi_extra=_READ,
)
def cooperative_detail(request: HttpRequest, province: str, cooperative_id: int):
    found = _province(request, province)
    with scope(province=found):
        row = Cooperative.objects.filter(pk=cooperative_id).first()
        if row is None:
            raise Http404("no such cooperative")
        return row


@router.get(
    "/{province}/people",
    response=PersonList,
    auth=TOKEN,
    summary=gettext_lazy("A province's people, with NIK and phone masked"),
    openapi_extra=_READ,
)
def person_list(request: HttpRequest, province: str, query: Query[PersonQuery]):
    found = _province(request, province)
    with scope(province=found):
        rows = Person.objects.order_by("full_name", "id")
        if query.pesantren:
            rows = rows.filter(pesantren_id=query.pesantren)
        if query.role:
            rows = rows.filter(role=query.role)
        if query.pillar:
            rows = rows.filter(pillar=query.pillar)
        count, page = _page(rows, query)
        return {"count": count, "items": [_person_json(r) for r in page]}


@router.get(
    "/{province}/people/{person_id}",
    response=PersonOut,
    auth=TOKEN,
    summary=gettext_lazy("One person, with NIK and phone masked"),
    openapi_extra=_READ,
)
def person_detail(request: HttpRequest, province: str, person_id: int):
    found = _province(request, province)
    with scope(province=found):
        row = Person.objects.filter(pk=person_id).first()
        if row is None:
            raise Http404("no such person")
        return _person_json(row)


@router.get(
    "/{province}/products",
    response=ProductList,
    auth=TOKEN,
    summary=gettext_lazy("A province's products, every curation status"),
    openapi_extra=_READ,
)
def product_list(request: HttpRequest, province: str, query: Query[ProductQuery]):
    found = _province(request, province)
    with scope(province=found):
        rows = Product.objects.prefetch_related("legal_documents").order_by("name", "id")
        if query.status:
            rows = rows.filter(status=query.status)
        if query.category:
            rows = rows.filter(category=query.category)
        if query.level:
            rows = rows.filter(level=query.level)
        if query.pesantren:
            rows = rows.filter(pesantren_id=query.pesantren)
        count, page = _page(rows, query)
        return {"count": count, "items": [_product_json(r) for r in page]}


@router.get(
    "/{province}/products/{product_id}",
    response=ProductOut,
    auth=TOKEN,
    summary=gettext_lazy("One product with its legality documents"),
    openapi_extra=_READ,
)
def product_detail(request: HttpRequest, province: str, product_id: int):
    found = _province(request, province)
    with scope(province=found):
        row = Product.objects.prefetch_related("legal_documents").filter(pk=product_id).first()
        if row is None:
            raise Http404("no such product")
        return _product_json(row)


_WRITE = problem_responses(401, 404, 422)


@router.post(
    "/{province}/pesantren",
    response={201: PesantrenOut},
    auth=TOKEN,
    summary=gettext_lazy("Register a pesantren"),
    openapi_extra=_WRITE,
)
def pesantren_create(request: HttpRequest, province: str, body: PesantrenIn):
    found = _province(request, province)
    _may(request, "registry.manage_registry", found)
    fields = body.dict()
    pillars = set(fields.pop("pillars"))
    with scope(province=found):
        created = pesantren_domain.pesantren_create(
            actor=request.auth,
            province=found,
            **fields,
            takes_santripreneur=Pillar.SANTRIPRENEUR in pillars,
            takes_pesantrenpreneur=Pillar.PESANTRENPRENEUR in pillars,
            takes_sosiopreneur=Pillar.SOSIOPRENEUR in pillars,
        )
        row = _pesantren_rows().get(pk=created.pk)
        return Status(201, _pesantren_json(_with_cooperative_ids([row])[0]))


@router.post(
    "/{province}/people",
    response={201: PersonOut},
    auth=TOKEN,
    summary=gettext_lazy("Register a person (the NIK is stored encrypted)"),
    openapi_extra=_WRITE,
)
def person_create(request: HttpRequest, province: str, body: PersonIn):
    found = _province(request, province)
    _may(request, "registry.manage_registry", found)
    fields = body.dict()
    pesantren_id = fields.pop("pesantren_id")
    regency_code = fields.pop("regency")
    with scope(province=found):
        pesantren = None
        if pesantren_id is not None:
            pesantren = Pesantren.objects.filter(pk=pesantren_id).first()
            if pesantren is None:
                raise _field_error("pesantren_id", gettext_lazy("No such pesantren here."))
        regency = None
        if regency_code:
            from niaga.regions.models import Regency

            regency = Regency.objects.filter(code=regency_code).first()
            if regency is None:
                raise _field_error("regency", gettext_lazy("No such regency or city code."))
        person = people_domain.person_create(
            actor=request.auth, province=found, pesantren=pesantren, regency=regency, **fields
        )
        return Status(201, _person_json(person))


@router.post(
    "/{province}/products",
    response={201: ProductOut},
    auth=TOKEN,
    summary=gettext_lazy("Register a product (as a draft)"),
    openapi_extra=_WRITE,
)
def product_create(request: HttpRequest, province: str, body: ProductIn):
    found = _province(request, province)
    _may(request, "registry.manage_registry", found)
    with scope(province=found):
        if (body.owner_cooperative_id is None) == (body.owner_person_id is None):
            raise _field_error(
                "owner_cooperative_id",
                gettext_lazy("Give exactly one owner: owner_cooperative_id or owner_person_id."),
            )
        if body.owner_cooperative_id is not None:
            owner = Cooperative.objects.filter(pk=body.owner_cooperative_id).first()
            field = "owner_cooperative_id"
        else:
            owner = Person.objects.filter(pk=body.owner_person_id).first()
            field = "owner_person_id"
        if owner is None:
            raise _field_error(field, gettext_lazy("No such owner here."))
        try:
            product = products_domain.product_create(
                actor=request.auth,
                province=found,
                owner=owner,
                name=body.name,
                category=body.category,
                unit=body.unit,
                description=body.description,
                price_min=body.price_min_idr,
                price_max=body.price_max_idr,
                monthly_capacity=body.monthly_capacity,
                hs_code=body.hs_code,
            )
        except PermissionDenied:
            raise Http404("no such page for this token") from None
        product = Product.objects.prefetch_related("legal_documents").get(pk=product.pk)
        return Status(201, _product_json(product))


@router.post(
    "/{province}/products/{product_id}/curation",
    response=ProductOut,
    auth=TOKEN,
    summary=gettext_lazy("Move a product through curation"),
    description=gettext_lazy(
        "Moves: submit, start_review, curate (with level), return (with notes), resubmit, "
        "recurate (with level), withdraw (with notes). Each move needs its role."
    ),
    openapi_extra=_WRITE,
)
def product_curation(request: HttpRequest, province: str, product_id: int, body: CurationIn):
    found = _province(request, province)
    with scope(province=found):
        product = Product.objects.filter(pk=product_id).first()
        if product is None:
            raise Http404("no such product")
        try:
            products_domain.product_move(
                actor=request.auth,
                product=product,
                move=body.move,
                level=body.level,
                notes=body.notes,
                version=body.version,
            )
        except PermissionDenied:
            raise Http404("no such page for this token") from None
        product = Product.objects.prefetch_related("legal_documents").get(pk=product.pk)
        return _product_json(product)


def _field_error(field: str, message):
    from django.core.exceptions import ValidationError

    return ValidationError({field: [ValidationError(message, code="invalid")]})
