"""The national comparison of OPOP programs: one row per program of every
province, with its launch, its origin if replicated, and for each standard
indicator the actual, the target and the share of the target reached.

This is a deliberate cross-province read: scopes are disabled here, and only
here, for reading aggregates (counts and sums; no personal data leaves). The
rules are those of the dashboard (`niaga.programs.dashboard`): the actual of
a computed indicator is a figure entered for the current year if there is
one, else the value computed now; of an entered one the latest figure; the
target is the nearest target year from now on, else the latest. The values
computed now follow the definitions of `niaga.programs.indicators`, but are
counted for every program at once, grouped by province or program, so the
page costs a fixed number of queries however many provinces and programs
there are (a test holds both to the same numbers as the dashboard).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django_scopes import scopes_disabled

from niaga.programs.dashboard import choose_target, format_percent, format_value
from niaga.programs.domain.indicators import STANDARD_KEYS
from niaga.programs.models import (
    Assistance,
    Enrolment,
    EnrolmentStatus,
    Grant,
    Indicator,
    IndicatorFigure,
    IndicatorKey,
    IndicatorSource,
    Program,
    Target,
)
from niaga.registry.models import Cooperative, CurationStatus, Person, Pillar, Product

K = IndicatorKey


@dataclass(frozen=True)
class Cell:
    """One indicator of one program; `defined` False when the program lacks it."""

    defined: bool
    money: bool = False
    actual: int | None = None
    target: int | None = None
    target_year: int | None = None

    @property
    def percent(self) -> Fraction | None:
        if self.actual is None or not self.target:
            return None
        return Fraction(self.actual * 100, self.target)

    @property
    def actual_text(self) -> str:
        return format_value(self.actual, money=self.money)

    @property
    def target_text(self) -> str:
        return format_value(self.target, money=self.money)

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)


@dataclass(frozen=True)
class Row:
    program: Program
    cells: dict[str, Cell]

    @property
    def province(self):
        return self.program.province

    def cell(self, key: str) -> Cell:
        return self.cells[key]

    @property
    def ordered_cells(self) -> list[Cell]:
        return [self.cells[key] for key in STANDARD_KEYS]


def key_names() -> list[str]:
    return [str(IndicatorKey(key).label) for key in STANDARD_KEYS]


def _computed_now() -> dict[tuple[int, str], int]:
    """{(program id, key): value now} for every program, in a fixed number of queries."""
    programs = list(Program.objects.values_list("pk", "province_id"))
    people = {
        row["province_id"]: row
        for row in Person.objects.values("province_id")
        .annotate(
            santri=Count("id", filter=Q(pillar=Pillar.SANTRIPRENEUR)),
            sosio=Count("id", filter=Q(pillar=Pillar.SOSIOPRENEUR)),
        )
        .order_by()
    }
    cooperatives = dict(
        Cooperative.objects.values("province_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("province_id", "n")
    )
    products = {
        row["province_id"]: row
        for row in Product.objects.values("province_id")
        .annotate(n=Count("id"), curated=Count("id", filter=Q(status=CurationStatus.CURATED)))
        .order_by()
    }
    graduates = {
        row["program"]: row
        for row in Enrolment.objects.filter(
            status=EnrolmentStatus.COMPLETED, completed_on__isnull=False
        )
        .values(program=F("cohort__course__program_id"))
        .annotate(
            enrolments=Count("id"),
            # Graduates not already santripreneurs by pillar count once more.
            others=Count("person", distinct=True, filter=~Q(person__pillar=Pillar.SANTRIPRENEUR)),
        )
        .order_by()
    }
    grants = dict(
        Grant.objects.values("program_id")
        .annotate(total=Sum("amount_idr"))
        .order_by()
        .values_list("program_id", "total")
    )
    assisted: dict[int, set[int]] = defaultdict(set)
    standing = (
        Grant.objects.values("program_id", "pesantren_id")
        .annotate(net=Sum("amount_idr"))
        .filter(net__gt=0)
        .order_by()
        .values_list("program_id", "pesantren_id")
    )
    helped = Assistance.objects.values_list("program_id", "pesantren_id").distinct().order_by()
    for program_id, pesantren_id in [*standing, *helped]:
        assisted[program_id].add(pesantren_id)

    values = {}
    for program_id, province_id in programs:
        person = people.get(province_id, {})
        product = products.get(province_id, {})
        graduate = graduates.get(program_id, {})
        values.update(
            {
                (program_id, K.SANTRIPRENEURS): person.get("santri", 0) + graduate.get("others", 0),
                (program_id, K.PESANTRENPRENEURS): cooperatives.get(province_id, 0),
                (program_id, K.SOSIOPRENEURS): person.get("sosio", 0),
                (program_id, K.PRODUCTS): product.get("n", 0),
                (program_id, K.CURATED_PRODUCTS): product.get("curated", 0),
                (program_id, K.PESANTREN_ASSISTED): len(assisted.get(program_id, ())),
                (program_id, K.TRAINING_GRADUATES): graduate.get("enrolments", 0),
                (program_id, K.GRANTS_DISBURSED): grants.get(program_id) or 0,
            }
        )
    return values


def national_comparison(*, today: dt.date | None = None) -> list[Row]:
    """Every program of every province, by province code then name (see the
    module docstring). `today` fixes the current year for every province
    (default: today in each province's own zone)."""
    # A deliberate cross-province read of aggregates: see the module docstring.
    with scopes_disabled():
        programs = list(Program.objects.select_related("province").order_by("province", "name"))
        indicators: dict[int, dict[str, Indicator]] = defaultdict(dict)
        for indicator in Indicator.objects.all():
            indicators[indicator.program_id][indicator.key] = indicator
        figures: dict[int, list[IndicatorFigure]] = defaultdict(list)
        for figure in IndicatorFigure.objects.filter(regency__isnull=True).order_by("as_of", "id"):
            figures[figure.indicator_id].append(figure)
        targets: dict[int, dict[int, int]] = defaultdict(dict)
        for target in Target.objects.filter(regency__isnull=True):
            targets[target.indicator_id][target.year] = target.value
        computed = _computed_now()
    rows = []
    for program in programs:
        day = today or timezone.localdate(timezone=program.province.zone)
        cells = {}
        for key in STANDARD_KEYS:
            indicator = indicators[program.pk].get(key)
            if indicator is None:
                cells[key] = Cell(defined=False)
                continue
            own = [f for f in figures.get(indicator.pk, []) if f.as_of <= day]
            if indicator.source == IndicatorSource.COMPUTED:
                this_year = [f for f in own if f.as_of.year == day.year]
                actual = this_year[-1].value if this_year else computed[(program.pk, key)]
            else:
                actual = own[-1].value if own else None
            chosen = choose_target(targets.get(indicator.pk, {}), day.year)
            cells[key] = Cell(
                defined=True,
                money=indicator.is_money,
                actual=actual,
                target=chosen[1] if chosen else None,
                target_year=chosen[0] if chosen else None,
            )
        rows.append(Row(program=program, cells=cells))
    return rows
