"""Reads of the OPOP registry that cross relations: lists, profiles, histories, choices.

Every function reads through the registry's scoped managers, so it must run
inside the province's scope (province pages are; commands and tasks open it).
Lists are built to cost the same number of queries whatever their length:
related rows come by `select_related` and counts by correlated subqueries,
never by a query per row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from niaga.accounts.models import Role
from niaga.accounts.queries import roles_by_province
from niaga.audit.models import AuditEvent
from niaga.regions.models import District, Province, Regency
from niaga.registry.models import (
    Cooperative,
    Enterprise,
    Person,
    Pesantren,
    PesantrenAccess,
    Pillar,
    Product,
)

PROFILE_LIST_LIMIT = 100
HISTORY_LIMIT = 50

_PILLAR_FLAGS = {
    Pillar.SANTRIPRENEUR: "takes_santripreneur",
    Pillar.PESANTRENPRENEUR: "takes_pesantrenpreneur",
    Pillar.SOSIOPRENEUR: "takes_sosiopreneur",
}


def _count_of(queryset: QuerySet, field: str):
    """How many rows of `queryset` point at the outer row through `field` (0 when none)."""
    rows = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _words(text: str) -> list[str]:
    return text.split()[:10]


# --- Pesantren -----------------------------------------------------------------------


def pesantren_rows() -> QuerySet[Pesantren]:
    """Every pesantren of the scope with its regency, district and cooperative, and
    `people_count` and `product_count`, by name."""
    return (
        Pesantren.objects.select_related("regency", "district", "cooperative")
        .annotate(
            people_count=_count_of(Person.objects.all(), "pesantren"),
            product_count=_count_of(Product.objects.all(), "pesantren"),
        )
        .order_by("name", "id")
    )


def pesantren_search(
    *,
    q: str = "",
    regency: str = "",
    typology: str = "",
    pillar: str = "",
    status: str = "",
    joined_year: int | None = None,
) -> QuerySet[Pesantren]:
    """`pesantren_rows` filtered. Every word of `q` must appear in the name, the
    NSPP or the leader's name; `regency` is a Kemendagri code (35.17); `pillar`
    one of Pillar; `joined_year` the year the pesantren joined OPOP."""
    rows = pesantren_rows()
    for word in _words(q):
        rows = rows.filter(
            Q(name__icontains=word) | Q(nspp__contains=word) | Q(leader_name__icontains=word)
        )
    if regency:
        rows = rows.filter(regency_id=regency)
    if typology:
        rows = rows.filter(typology=typology)
    if pillar in _PILLAR_FLAGS:
        rows = rows.filter(**{_PILLAR_FLAGS[pillar]: True})
    if status:
        rows = rows.filter(status=status)
    if joined_year:
        rows = rows.filter(opop_joined_year=joined_year)
    return rows


def joined_years() -> list[int]:
    """The years pesantren of the scope joined OPOP, newest first (for a filter)."""
    return list(
        Pesantren.objects.filter(opop_joined_year__isnull=False)
        .order_by("-opop_joined_year")
        .values_list("opop_joined_year", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class PesantrenProfile:
    """What a pesantren's profile page shows. Lists stop at PROFILE_LIST_LIMIT rows;
    the counts say how many there are in all."""

    pesantren: Pesantren
    cooperative: Cooperative | None
    people: list[Person]
    people_count: int
    enterprises: list[Enterprise]
    products: list[Product]
    product_count: int
    accounts: list[PesantrenAccess]
    history: list[AuditEvent]


def pesantren_profile(pesantren: Pesantren) -> PesantrenProfile:
    """A pesantren with its cooperative, people (NIK only masked), businesses,
    products, accounts and history. A fixed number of queries."""
    cooperative = Cooperative.objects.filter(pesantren=pesantren).first()
    people = Person.objects.filter(pesantren=pesantren).order_by("full_name", "id")
    products = (
        Product.objects.filter(pesantren=pesantren)
        .select_related("owner_cooperative", "owner_person")
        .order_by("name", "id")
    )
    return PesantrenProfile(
        pesantren=pesantren,
        cooperative=cooperative,
        people=list(
            # Not the NIK's ciphertext or hash: the page shows only the masked form.
            people.only("id", "full_name", "role", "pillar", "nik_masked", "erased_at")[
                :PROFILE_LIST_LIMIT
            ]
        ),
        people_count=people.count(),
        enterprises=list(
            Enterprise.objects.filter(pesantren=pesantren)
            .select_related("owner")
            .order_by("name", "id")[:PROFILE_LIST_LIMIT]
        ),
        products=list(products[:PROFILE_LIST_LIMIT]),
        product_count=products.count(),
        accounts=list(
            PesantrenAccess.objects.filter(pesantren=pesantren)
            .select_related("user")
            .order_by("user__username")
        ),
        history=pesantren_history(pesantren, cooperative=cooperative),
    )


def pesantren_history(
    pesantren: Pesantren, *, cooperative: Cooperative | None = None, limit: int = HISTORY_LIMIT
) -> list[AuditEvent]:
    """The audit events of the pesantren and of its cooperative, newest first.

    Events point at their object by `object_type` (the model's label) and
    `object_id`; a pesantren account's creation is recorded on the pesantren.
    """
    wanted = Q(object_type=Pesantren._meta.label_lower, object_id=str(pesantren.pk))
    if cooperative is not None:
        wanted |= Q(object_type=Cooperative._meta.label_lower, object_id=str(cooperative.pk))
    return list(
        AuditEvent.objects.filter(wanted, province_id=pesantren.province_id)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )


def pesantren_of_account(user) -> QuerySet[Pesantren]:
    """The pesantren a pesantren account speaks for in the current scope (usually one).

    Empty for an inactive user and where the user no longer holds the
    `pesantren` role: taking the role away ends the access.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Pesantren.objects.none()
    provinces = [code for code, roles in roles_by_province(user).items() if Role.PESANTREN in roles]
    return Pesantren.objects.filter(accounts__user=user, province_id__in=provinces).distinct()


# --- Cooperatives and businesses ----------------------------------------------------


def cooperative_search(
    *, q: str = "", regency: str = "", legal_form: str = ""
) -> QuerySet[Cooperative]:
    """The scope's cooperatives with their pesantren and `product_count`, by name.
    Every word of `q` must appear in the cooperative's or the pesantren's name or the NIB."""
    rows = (
        Cooperative.objects.select_related("pesantren__regency")
        .annotate(product_count=_count_of(Product.objects.all(), "owner_cooperative"))
        .order_by("name", "id")
    )
    for word in _words(q):
        rows = rows.filter(
            Q(name__icontains=word) | Q(pesantren__name__icontains=word) | Q(nib__contains=word)
        )
    if regency:
        rows = rows.filter(pesantren__regency_id=regency)
    if legal_form:
        rows = rows.filter(legal_form=legal_form)
    return rows


def enterprise_search(*, q: str = "", pillar: str = "") -> QuerySet[Enterprise]:
    """The scope's santri and alumni businesses with owner and pesantren, by name.
    Every word of `q` must appear in the business's or the owner's name or the NIB."""
    rows = Enterprise.objects.select_related("owner", "pesantren").order_by("name", "id")
    for word in _words(q):
        rows = rows.filter(
            Q(name__icontains=word) | Q(owner__full_name__icontains=word) | Q(nib__contains=word)
        )
    if pillar:
        rows = rows.filter(pillar=pillar)
    return rows


def owner_choices(
    pesantren: Pesantren | None = None, *, including: Person | None = None
) -> QuerySet[Person]:
    """People who may own a business, by name: not erased; of `pesantren` when given
    (a province's whole list is long), and `including` (a business's current owner)."""
    people = Person.objects.filter(erased_at__isnull=True)
    if pesantren is not None:
        wanted = Q(pesantren=pesantren)
        if including is not None:
            wanted |= Q(pk=including.pk)
        people = people.filter(wanted)
    return people.order_by("full_name", "id")


# --- Regions ----------------------------------------------------------------------------


def regencies_of(province: Province) -> QuerySet[Regency]:
    return Regency.objects.filter(province=province).order_by("name")


def districts_of(regency_code: str) -> QuerySet[District]:
    """The districts (kecamatan) of one regency/city, by name."""
    return District.objects.filter(regency_id=regency_code).order_by("name")
