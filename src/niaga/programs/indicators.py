"""The standard OPOP indicators computed live from the registry and the program's
own records, for the whole province and per regency/city, as of the end of
any year and now.

Every indicator is a running total (how many there are by then, not how many
were added in that year). "The end of a year" is midnight at the turn of the
year in the province's own zone (WIB, WITA or WIT); dates without a time
(completion, grant, assistance dates) count in their calendar year. "Now" is
the running total through today, except where said otherwise below.

Definitions (the dashboard shows the same, under "how this is counted"):

- **santripreneurs**: people in the province's registry whose pillar is
  santripreneur, plus people who completed a cohort of this program, each
  person once. A person counts from the year they were registered or, if
  earlier, the year they first completed a cohort of this program (a graduate
  counts as a santripreneur of the year of completion).
- **pesantrenpreneurs**: pesantren cooperatives (kopontren) in the registry,
  from the year they were registered.
- **sosiopreneurs**: people in the registry whose pillar is sosiopreneur,
  from the year they were registered.
- **products**: products in the registry, whatever their curation status,
  from the year they were registered. (The registry has no "withdrawn"
  product status; withdrawing a curation returns a product, which still
  counts as a product.)
- **curated products**: products curated by then. For past years the
  curation history says when a product became curated (and when a curation
  was withdrawn or reopened); a product curated without a recorded history
  counts from its curation time. Now: the products whose status is curated.
- **pesantren assisted**: distinct pesantren that by then received from
  this program a grant that still stands (grants net of reversals above
  zero) or any assistance record.
- **training graduates**: completed enrolments in this program's cohorts, by
  their completion date (a person who completes two cohorts counts twice).
- **grants disbursed**: the sum in rupiah of this program's grants net of
  reversals, by grant date.

Regency: a person's regency/city of residence, else their pesantren's; a
cooperative's, grant's and assistance's pesantren's; a product's own (copied
from its owner), else its pesantren's. Rows without any regency count for
the province only (key None in the per-regency figures).

Cost: each indicator takes one to three queries, grouped in the database by
year and regency (and by pesantren for pesantren assisted), whatever the
number of people, products or records; the running totals are summed here.
Every function opens the program's province scope.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, Least
from django.utils import timezone
from django_scopes import scope

from niaga.programs.models import (
    Assistance,
    Enrolment,
    EnrolmentStatus,
    Grant,
    IndicatorKey,
    Program,
)
from niaga.regions.models import Province
from niaga.registry.models import (
    Cooperative,
    CurationEvent,
    CurationStatus,
    Person,
    Pillar,
    Product,
)

ALL = "__all__"  # the whole province, in `Tally.at` and `Tally.now`
Regency = str | None  # a regency code; None: no regency recorded


@dataclass
class Tally:
    """One computed indicator: what was added (or taken away) per year and
    regency, from which the running totals are summed."""

    current_year: int
    increments: dict[tuple[int, Regency], int] = field(default_factory=dict)
    # Per regency, the value now when it is not the running total through the
    # current year (curated products: their current status).
    now_override: dict[Regency, int] | None = None

    def add(self, year: int, regency: Regency, amount: int) -> None:
        if amount:
            key = (int(year), regency)
            self.increments[key] = self.increments.get(key, 0) + int(amount)

    def by_regency(self, year: int) -> dict[Regency, int]:
        """Each regency's running total at the end of `year` (regencies with none left out)."""
        if year >= self.current_year:
            return self.now_by_regency()
        totals: dict[Regency, int] = defaultdict(int)
        for (when, regency), amount in self.increments.items():
            if when <= year:
                totals[regency] += amount
        return dict(totals)

    def now_by_regency(self) -> dict[Regency, int]:
        if self.now_override is not None:
            return dict(self.now_override)
        totals: dict[Regency, int] = defaultdict(int)
        for (when, regency), amount in self.increments.items():
            if when <= self.current_year:
                totals[regency] += amount
        return dict(totals)

    def at(self, year: int, regency: Regency | str = ALL) -> int:
        """The running total at the end of `year` (the current year: now)."""
        totals = self.by_regency(year)
        return sum(totals.values()) if regency == ALL else totals.get(regency, 0)

    def now(self, regency: Regency | str = ALL) -> int:
        return self.at(self.current_year, regency)

    def yearly(self, first: int, last: int) -> dict[int, int]:
        """The province's running total at the end of each year first..last."""
        return {year: self.at(year) for year in range(first, last + 1)}


def _province(program: Program) -> Province:
    return Province.objects.get(pk=program.province_id)


def _rows_into(tally: Tally, rows, value: str = "n") -> Tally:
    for row in rows:
        if row["year"] is not None:
            tally.add(row["year"], row["area"], row[value] or 0)
    return tally


def _created_year(province: Province, name: str = "created_at"):
    return ExtractYear(name, tzinfo=province.zone)


# --- One function per indicator ---------------------------------------------------


def _santripreneurs(program: Program, province: Province, tally: Tally) -> Tally:
    first_completion = (
        Enrolment.objects.filter(
            person=OuterRef("pk"),
            status=EnrolmentStatus.COMPLETED,
            completed_on__isnull=False,
            cohort__course__program=program,
        )
        .order_by("completed_on")
        .values("completed_on")[:1]
    )
    registered = _created_year(province)
    graduated = ExtractYear("graduated")
    rows = (
        Person.objects.filter(province=province)
        .annotate(graduated=Subquery(first_completion, output_field=DateField()))
        .filter(Q(pillar=Pillar.SANTRIPRENEUR) | Q(graduated__isnull=False))
        .annotate(
            year=Case(
                When(graduated__isnull=True, then=registered),
                When(~Q(pillar=Pillar.SANTRIPRENEUR), then=graduated),
                default=Least(registered, graduated),
                output_field=IntegerField(),
            ),
            area=Coalesce("regency_id", "pesantren__regency_id"),
        )
        .values("year", "area")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _rows_into(tally, rows)


def _people_of_pillar(pillar: str):
    def compute(program: Program, province: Province, tally: Tally) -> Tally:
        rows = (
            Person.objects.filter(province=province, pillar=pillar)
            .values(
                year=_created_year(province),
                area=Coalesce("regency_id", "pesantren__regency_id"),
            )
            .annotate(n=Count("id"))
            .order_by()
        )
        return _rows_into(tally, rows)

    return compute


def _pesantrenpreneurs(program: Program, province: Province, tally: Tally) -> Tally:
    rows = (
        Cooperative.objects.filter(province=province)
        .values(year=_created_year(province), area=F("pesantren__regency_id"))
        .annotate(n=Count("id"))
        .order_by()
    )
    return _rows_into(tally, rows)


def _product_area():
    return Coalesce("regency_id", "pesantren__regency_id")


def _products(program: Program, province: Province, tally: Tally) -> Tally:
    rows = (
        Product.objects.filter(province=province)
        .values(year=_created_year(province), area=_product_area())
        .annotate(n=Count("id"))
        .order_by()
    )
    return _rows_into(tally, rows)


def _curated_products(program: Program, province: Province, tally: Tally) -> Tally:
    curated = CurationStatus.CURATED
    # Moves into and out of "curated" (re-curating at another level is neither).
    moves = (
        CurationEvent.objects.filter(province=province)
        .filter(Q(to_status=curated) | Q(from_status=curated))
        .exclude(to_status=curated, from_status=curated)
        .values(
            year=_created_year(province, "at"),
            area=Coalesce("product__regency_id", "product__pesantren__regency_id"),
        )
        .annotate(
            entered=Count("id", filter=Q(to_status=curated)),
            left=Count("id", filter=Q(from_status=curated)),
        )
        .order_by()
    )
    for row in moves:
        tally.add(row["year"], row["area"], row["entered"] - row["left"])
    entry = CurationEvent.objects.filter(product=OuterRef("pk"), to_status=curated).exclude(
        from_status=curated
    )
    without_history = (
        Product.objects.filter(province=province, status=curated)
        .exclude(Exists(entry))
        .values(
            year=ExtractYear(Coalesce("curated_at", "created_at"), tzinfo=province.zone),
            area=_product_area(),
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    _rows_into(tally, without_history)
    now = (
        Product.objects.filter(province=province, status=curated)
        .values(area=_product_area())
        .annotate(n=Count("id"))
        .order_by()
    )
    tally.now_override = {row["area"]: row["n"] for row in now}
    return tally


def _pesantren_assisted(program: Program, province: Province, tally: Tally) -> Tally:
    net: dict[int, dict[int, int]] = defaultdict(dict)  # pesantren → year → net amount
    area: dict[int, Regency] = {}
    grants = (
        Grant.objects.filter(program=program)
        .values("pesantren_id", "pesantren__regency_id", year=ExtractYear("granted_on"))
        .annotate(amount=Sum("amount_idr"))
        .order_by()
    )
    for row in grants:
        net[row["pesantren_id"]][row["year"]] = row["amount"] or 0
        area[row["pesantren_id"]] = row["pesantren__regency_id"]
    first_assistance: dict[int, int] = {}
    assistance = (
        Assistance.objects.filter(program=program)
        .values("pesantren_id", "pesantren__regency_id")
        .annotate(first=Min("given_on"))
        .order_by()
    )
    for row in assistance:
        first_assistance[row["pesantren_id"]] = row["first"].year
        area[row["pesantren_id"]] = row["pesantren__regency_id"]
    # A pesantren is assisted at the end of a year when its grants up to then
    # net above zero or it had assistance by then; +1 / -1 where that changes.
    for pesantren, regency in area.items():
        first = first_assistance.get(pesantren)
        years = set(net[pesantren]) | ({first} if first is not None else set())
        running, assisted = 0, False
        for year in sorted(years):
            running += net[pesantren].get(year, 0)
            now_assisted = running > 0 or (first is not None and first <= year)
            if now_assisted != assisted:
                tally.add(year, regency, 1 if now_assisted else -1)
                assisted = now_assisted
    return tally


def _training_graduates(program: Program, province: Province, tally: Tally) -> Tally:
    rows = (
        Enrolment.objects.filter(
            cohort__course__program=program,
            status=EnrolmentStatus.COMPLETED,
            completed_on__isnull=False,
        )
        .values(
            year=ExtractYear("completed_on"),
            area=Coalesce("person__regency_id", "person__pesantren__regency_id"),
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    return _rows_into(tally, rows)


def _grants_disbursed(program: Program, province: Province, tally: Tally) -> Tally:
    rows = (
        Grant.objects.filter(program=program)
        .values(year=ExtractYear("granted_on"), area=F("pesantren__regency_id"))
        .annotate(n=Sum("amount_idr"))
        .order_by()
    )
    return _rows_into(tally, rows)


COMPUTATIONS = {
    IndicatorKey.SANTRIPRENEURS: _santripreneurs,
    IndicatorKey.PESANTRENPRENEURS: _pesantrenpreneurs,
    IndicatorKey.SOSIOPRENEURS: _people_of_pillar(Pillar.SOSIOPRENEUR),
    IndicatorKey.PRODUCTS: _products,
    IndicatorKey.CURATED_PRODUCTS: _curated_products,
    IndicatorKey.PESANTREN_ASSISTED: _pesantren_assisted,
    IndicatorKey.TRAINING_GRADUATES: _training_graduates,
    IndicatorKey.GRANTS_DISBURSED: _grants_disbursed,
}


def today_in(province: Province) -> dt.date:
    return timezone.localdate(timezone=province.zone)


def tallies(
    program: Program, keys: Iterable[str], *, today: dt.date | None = None
) -> dict[str, Tally]:
    """The computed indicators `keys` of `program` (unknown keys are skipped)."""
    province = _province(program)
    current_year = (today or today_in(province)).year
    result = {}
    with scope(province=province):
        for key in keys:
            compute = COMPUTATIONS.get(key)
            if compute is not None and key not in result:
                result[key] = compute(program, province, Tally(current_year))
    return result


def computed_value(
    program: Program,
    key: str,
    *,
    year: int | None = None,
    regency: Regency | str = ALL,
    today: dt.date | None = None,
) -> int:
    """One indicator's value at the end of `year` (None: now), for the province
    (default) or one regency code (None: the rows without a regency)."""
    tally = tallies(program, [key], today=today)[key]
    return tally.now(regency) if year is None else tally.at(year, regency)
