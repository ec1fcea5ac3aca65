"""Reads of support records: totals per pesantren, regency and year, the list of
records, and what a pesantren received. Each function costs a fixed number of
queries (GROUP BY in the database), whatever the number of rows.

Definitions the dashboard may rely on:
- A grant total is the sum of `amount_idr` over grants *and* their reversals:
  a reversal carries the negative amount, the original's recipient and date,
  so every total is net and exact (a reversed grant counts nothing).
- `grants` in a GrantTotal is the number of grants that stand: grants
  recorded minus reversals (each reversal cancels one grant of its group).
- Assistance is counted in records.
- A pesantren is *assisted* when it received a grant that stands or any
  assistance in the period.
- Grants are support in the "financing" aspect: an aspect filter of
  financing keeps them, any other aspect drops them.
- A year is the calendar year of the grant's or the assistance's date.

Every function opens the province scope of the program it is given, so it
can be called from a page, an API endpoint or a command alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear
from django_scopes import scope

from niaga.programs.models import Assistance, Grant, Program, SupportAspect, SupportEvidence
from niaga.regions.models import Regency
from niaga.registry.models import Pesantren

GRANT = "grant"
ASSISTANCE = "assistance"
KINDS = (GRANT, ASSISTANCE)
LATEST = 5  # records shown on a pesantren's profile


class GrantTotal(NamedTuple):
    amount_idr: int  # net of reversals
    grants: int  # grants that stand (recorded minus reversed)


@contextmanager
def _scoped(program: Program):
    with scope(province=program.province_id):
        yield


def _grants(program: Program, *, year=None, through_year=None, regency=None, pesantren=None):
    rows = Grant.objects.filter(program=program).order_by()
    if year is not None:
        rows = rows.filter(granted_on__year=int(year))
    if through_year is not None:
        rows = rows.filter(granted_on__year__lte=int(through_year))
    if regency is not None:
        rows = rows.filter(pesantren__regency=regency)
    if pesantren is not None:
        rows = rows.filter(pesantren=pesantren)
    return rows


def _assistance(
    program: Program, *, year=None, through_year=None, regency=None, pesantren=None, aspect=None
):
    rows = Assistance.objects.filter(program=program).order_by()
    if year is not None:
        rows = rows.filter(given_on__year=int(year))
    if through_year is not None:
        rows = rows.filter(given_on__year__lte=int(through_year))
    if regency is not None:
        rows = rows.filter(pesantren__regency=regency)
    if pesantren is not None:
        rows = rows.filter(pesantren=pesantren)
    if aspect:
        rows = rows.filter(aspect=aspect)
    return rows


_NET = Coalesce(Sum("amount_idr"), Value(0), output_field=BigIntegerField())
_STANDING = Count("pk", filter=Q(reverses__isnull=True)) - Count(
    "pk", filter=Q(reverses__isnull=False)
)


def _grant_totals(rows, key: str) -> dict:
    return {
        row["key"]: GrantTotal(int(row["amount"]), int(row["standing"]))
        for row in rows.values(key=F(key)).annotate(amount=_NET, standing=_STANDING).order_by("key")
    }


# --- Grants ----------------------------------------------------------------------


def grant_total(program: Program, *, year=None, regency=None, pesantren=None) -> GrantTotal:
    """The net amount and standing grants of `program`, optionally in one year,
    regency (a Regency or its code) or for one pesantren. One query."""
    with _scoped(program):
        found = _grants(program, year=year, regency=regency, pesantren=pesantren).aggregate(
            amount=_NET, standing=_STANDING
        )
    return GrantTotal(int(found["amount"] or 0), int(found["standing"] or 0))


def grant_totals_by_pesantren(program: Program, year=None) -> dict[int, GrantTotal]:
    """Pesantren id → GrantTotal, for pesantren with any grant entry. One query."""
    with _scoped(program):
        return _grant_totals(_grants(program, year=year), "pesantren_id")


def grant_totals_by_regency(program: Program, year=None) -> dict[str, GrantTotal]:
    """Regency code → GrantTotal, by the recipient pesantren's regency. One query."""
    with _scoped(program):
        return _grant_totals(_grants(program, year=year), "pesantren__regency_id")


def grant_totals_by_year(program: Program, regency=None) -> dict[int, GrantTotal]:
    """Calendar year of the grant date → GrantTotal. One query."""
    with _scoped(program):
        rows = (
            _grants(program, regency=regency)
            .values(key=ExtractYear("granted_on"))
            .annotate(amount=_NET, standing=_STANDING)
            .order_by("key")
        )
        return {
            int(row["key"]): GrantTotal(int(row["amount"]), int(row["standing"])) for row in rows
        }


# --- Assistance ------------------------------------------------------------------


def _counts(rows, key) -> dict:
    return {
        row["key"]: int(row["n"])
        for row in rows.values(key=key).annotate(n=Count("pk")).order_by("key")
    }


def assistance_counts_by_pesantren(program: Program, year=None, aspect=None) -> dict[int, int]:
    """Pesantren id → number of assistance records. One query."""
    with _scoped(program):
        return _counts(_assistance(program, year=year, aspect=aspect), F("pesantren_id"))


def assistance_counts_by_regency(program: Program, year=None, aspect=None) -> dict[str, int]:
    """Regency code → number of assistance records. One query."""
    with _scoped(program):
        return _counts(_assistance(program, year=year, aspect=aspect), F("pesantren__regency_id"))


def assistance_counts_by_year(program: Program, regency=None, aspect=None) -> dict[int, int]:
    """Calendar year → number of assistance records. One query."""
    with _scoped(program):
        counts = _counts(
            _assistance(program, regency=regency, aspect=aspect), ExtractYear("given_on")
        )
    return {int(year): n for year, n in counts.items()}


def assistance_counts_by_aspect(
    program: Program, year=None, regency=None, pesantren=None
) -> dict[str, int]:
    """SupportAspect value → number of assistance records. One query."""
    with _scoped(program):
        return _counts(
            _assistance(program, year=year, regency=regency, pesantren=pesantren), F("aspect")
        )


# --- Pesantren assisted ----------------------------------------------------------


def _assisted(program: Program, *, year=None, through_year=None, regency=None):
    """Pesantren with a standing grant or any assistance, as a queryset."""
    standing = _grants(program, year=year, through_year=through_year).filter(
        reverses__isnull=True, reversed_by__isnull=True
    )
    helped = _assistance(program, year=year, through_year=through_year)
    rows = Pesantren.objects.filter(
        Q(pk__in=standing.values("pesantren_id")) | Q(pk__in=helped.values("pesantren_id"))
    )
    if regency is not None:
        rows = rows.filter(regency=regency)
    return rows.order_by()


def pesantren_assisted(program: Program, year=None, *, through_year=None, regency=None) -> int:
    """How many distinct pesantren `program` assisted (a standing grant or any
    assistance): in `year`, or up to and including `through_year`
    (cumulative), or ever; optionally in one regency. One query."""
    with _scoped(program):
        return _assisted(program, year=year, through_year=through_year, regency=regency).count()


def pesantren_assisted_by_regency(program: Program, year=None) -> dict[str, int]:
    """Regency code → distinct pesantren assisted (in `year`, or ever). One query."""
    with _scoped(program):
        return _counts(_assisted(program, year=year), F("regency_id"))


def pesantren_assisted_by_year(program: Program, regency=None) -> dict[int, int]:
    """Calendar year → distinct pesantren assisted that year (one pesantren
    assisted in two years counts in both). Two queries."""
    with _scoped(program):
        standing = _grants(program, regency=regency).filter(
            reverses__isnull=True, reversed_by__isnull=True
        )
        pairs = set(
            standing.values_list(ExtractYear("granted_on"), "pesantren_id").distinct()
        ) | set(
            _assistance(program, regency=regency)
            .values_list(ExtractYear("given_on"), "pesantren_id")
            .distinct()
        )
    counts: dict[int, int] = defaultdict(int)
    for year, _pesantren in pairs:
        counts[int(year)] += 1
    return dict(sorted(counts.items()))


# --- Tables of the totals page ---------------------------------------------------


@dataclass
class TotalsRow:
    key: object  # a regency code or a year
    label: str
    grant_amount_idr: int = 0
    grants: int = 0
    assistance: int = 0
    pesantren_assisted: int = 0


@dataclass
class Totals:
    rows: list[TotalsRow]
    total: TotalsRow


def _total_row(rows: list[TotalsRow], label: str, assisted: int) -> TotalsRow:
    return TotalsRow(
        key=None,
        label=label,
        grant_amount_idr=sum(r.grant_amount_idr for r in rows),
        grants=sum(r.grants for r in rows),
        assistance=sum(r.assistance for r in rows),
        pesantren_assisted=assisted,
    )


def totals_by_regency(program: Program, year=None, *, total_label: str = "") -> Totals:
    """One row per regency with any support: net grants, standing grants,
    assistance records, pesantren assisted; and the program's total row (its
    pesantren assisted counted once each). Five queries."""
    grants = grant_totals_by_regency(program, year)
    assistance = assistance_counts_by_regency(program, year)
    assisted = pesantren_assisted_by_regency(program, year)
    codes = set(grants) | set(assistance) | set(assisted)
    names = dict(Regency.objects.filter(code__in=codes).values_list("code", "name"))
    rows = []
    for code in sorted(codes):
        money = grants.get(code, GrantTotal(0, 0))
        rows.append(
            TotalsRow(
                key=code,
                label=names.get(code, code),
                grant_amount_idr=money.amount_idr,
                grants=money.grants,
                assistance=assistance.get(code, 0),
                pesantren_assisted=assisted.get(code, 0),
            )
        )
    return Totals(rows, _total_row(rows, total_label, pesantren_assisted(program, year)))


def totals_by_year(program: Program, regency=None, *, total_label: str = "") -> Totals:
    """One row per year with any support (oldest first), and the total row. Four queries."""
    grants = grant_totals_by_year(program, regency)
    assistance = assistance_counts_by_year(program, regency)
    assisted = pesantren_assisted_by_year(program, regency)
    years = sorted(set(grants) | set(assistance) | set(assisted))
    rows = []
    for year in years:
        money = grants.get(year, GrantTotal(0, 0))
        rows.append(
            TotalsRow(
                key=year,
                label=str(year),
                grant_amount_idr=money.amount_idr,
                grants=money.grants,
                assistance=assistance.get(year, 0),
                pesantren_assisted=assisted.get(year, 0),
            )
        )
    total = pesantren_assisted(program, regency=regency)
    return Totals(rows, _total_row(rows, total_label, total))


def support_years(program: Program) -> list[int]:
    """The years with any grant or assistance, newest first. Two queries."""
    with _scoped(program):
        years = set(
            Grant.objects.filter(program=program)
            .order_by()
            .values_list(ExtractYear("granted_on"), flat=True)
            .distinct()
        ) | set(
            Assistance.objects.filter(program=program)
            .order_by()
            .values_list(ExtractYear("given_on"), flat=True)
            .distinct()
        )
    return sorted((int(y) for y in years), reverse=True)


# --- The list of records ---------------------------------------------------------

# The columns of a support record row, in the order both halves of the union select them.
RECORD_COLUMNS = (
    "kind",
    "pk",
    "date",
    "recorded_at",
    "program_slug",
    "pesantren_id",
    "pesantren_name",
    "nspp",
    "regency_name",
    "cooperative_name",
    "aspect",
    "amount_idr",
    "text",
    "source",
    "source_detail",
    "reverses_id",
    "is_reversed",
    "reason",
    "evidence_count",
)


def _evidence_count(link: str):
    counted = (
        SupportEvidence.objects.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _text_value(text: str):
    return Value(text, output_field=CharField())


def _as_rows(rows, columns: dict):
    """`rows` selecting exactly RECORD_COLUMNS, in order. Every column is an
    annotation named `c_<column>` so that the two halves of the union line up
    and no name clashes with a model field."""
    assert tuple(columns) == RECORD_COLUMNS
    named = {f"c_{name}": expression for name, expression in columns.items()}
    return rows.annotate(**named).values_list(*named)


def _grant_rows(rows):
    return _as_rows(
        rows,
        {
            "kind": _text_value(GRANT),
            "pk": F("pk"),
            "date": F("granted_on"),
            "recorded_at": F("recorded_at"),
            "program_slug": F("program__slug"),
            "pesantren_id": F("pesantren_id"),
            "pesantren_name": F("pesantren__name"),
            "nspp": F("pesantren__nspp"),
            "regency_name": F("pesantren__regency__name"),
            "cooperative_name": F("cooperative__name"),
            "aspect": _text_value(SupportAspect.FINANCING.value),
            "amount_idr": F("amount_idr"),
            "text": F("purpose"),
            "source": F("source"),
            "source_detail": F("source_detail"),
            "reverses_id": F("reverses_id"),
            "is_reversed": Exists(Grant.objects.filter(reverses=OuterRef("pk"))),
            "reason": F("reason"),
            "evidence_count": _evidence_count("grant"),
        },
    )


def _assistance_rows(rows):
    return _as_rows(
        rows,
        {
            "kind": _text_value(ASSISTANCE),
            "pk": F("pk"),
            "date": F("given_on"),
            "recorded_at": F("recorded_at"),
            "program_slug": F("program__slug"),
            "pesantren_id": F("pesantren_id"),
            "pesantren_name": F("pesantren__name"),
            "nspp": F("pesantren__nspp"),
            "regency_name": F("pesantren__regency__name"),
            "cooperative_name": F("cooperative__name"),
            "aspect": F("aspect"),
            "amount_idr": Value(None, output_field=BigIntegerField()),
            "text": F("description"),
            "source": _text_value(""),
            "source_detail": _text_value(""),
            "reverses_id": Value(None, output_field=IntegerField()),
            "is_reversed": Value(False, output_field=BooleanField()),
            "reason": _text_value(""),
            "evidence_count": _evidence_count("assistance"),
        },
    )


def _combined(grants, assistance):
    """The rows of both querysets (either may be None) as one query, newest first."""
    parts = [part for part in (grants, assistance) if part is not None]
    if not parts:
        return None
    ordering = ("-c_date", "-c_recorded_at", "c_kind", "-c_pk")
    if len(parts) == 1:
        return parts[0].order_by(*ordering)
    return parts[0].union(parts[1], all=True).order_by(*ordering)


def _row(values) -> dict:
    return dict(zip(RECORD_COLUMNS, values, strict=True))


@dataclass(frozen=True)
class RecordFilters:
    year: int | None = None
    regency: str | None = None  # a regency code
    aspect: str | None = None
    pesantren: int | None = None  # a pesantren id
    kind: str | None = None  # GRANT or ASSISTANCE


class SupportRecords:
    """The filtered grants and assistance of a program as one list, newest
    first, sliceable and countable for a Paginator (one query each), each
    row a dict of RECORD_COLUMNS."""

    def __init__(self, program: Program, filters: RecordFilters):
        f = filters
        with _scoped(program):
            grants = assistance = None
            if f.kind in (None, "", GRANT) and (
                not f.aspect or f.aspect == SupportAspect.FINANCING
            ):
                grants = _grant_rows(
                    _grants(program, year=f.year, regency=f.regency, pesantren=f.pesantren)
                )
            if f.kind in (None, "", ASSISTANCE):
                assistance = _assistance_rows(
                    _assistance(
                        program,
                        year=f.year,
                        regency=f.regency,
                        pesantren=f.pesantren,
                        aspect=f.aspect,
                    )
                )
            self.query = _combined(grants, assistance)

    def count(self) -> int:
        return 0 if self.query is None else self.query.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if self.query is None:
            return [] if isinstance(index, slice) else None
        found = self.query[index]
        if isinstance(index, slice):
            return [_row(values) for values in found]
        return _row(found)

    def __iter__(self) -> Iterator[dict]:
        if self.query is None:
            return iter(())
        return (_row(values) for values in self.query.iterator())


def support_records(program: Program, filters: RecordFilters | None = None) -> SupportRecords:
    return SupportRecords(program, filters or RecordFilters())


# --- One pesantren ---------------------------------------------------------------


@dataclass
class PesantrenSupport:
    grant: GrantTotal
    assistance: int
    by_aspect: dict[str, int] = field(default_factory=dict)


def pesantren_support(program: Program, pesantren: Pesantren) -> PesantrenSupport:
    """What `pesantren` received from `program`: net grants, assistance by aspect. Two queries."""
    grant = grant_total(program, pesantren=pesantren)
    by_aspect = assistance_counts_by_aspect(program, pesantren=pesantren)
    ordered = {a: by_aspect[a] for a in SupportAspect.values if a in by_aspect}
    return PesantrenSupport(grant=grant, assistance=sum(ordered.values()), by_aspect=ordered)


@dataclass
class ReceivedFromProgram:
    program: Program
    grant: GrantTotal
    assistance: int


@dataclass
class ReceivedSupport:
    programs: list[ReceivedFromProgram]
    latest: list[dict]  # RECORD_COLUMNS, newest first, across programs
    records: int  # grant entries (reversals too) and assistance records in all

    @property
    def more(self) -> int:
        return max(self.records - len(self.latest), 0)


def received_by_pesantren(pesantren: Pesantren, *, latest: int = LATEST) -> ReceivedSupport:
    """What a pesantren received from the programs of its province: per program
    the net grants and assistance records, and its latest records, for its
    profile page. Four queries whatever the number of programs and records."""
    with scope(province=pesantren.province_id):
        programs = list(Program.objects.order_by("name", "id"))
        grants = {
            row["program_id"]: row
            for row in Grant.objects.filter(pesantren=pesantren)
            .order_by()
            .values("program_id")
            .annotate(amount=_NET, standing=_STANDING, entries=Count("pk"))
        }
        helped = {
            row["program_id"]: int(row["n"])
            for row in Assistance.objects.filter(pesantren=pesantren)
            .order_by()
            .values("program_id")
            .annotate(n=Count("pk"))
        }
        query = _combined(
            _grant_rows(Grant.objects.filter(pesantren=pesantren).order_by()),
            _assistance_rows(Assistance.objects.filter(pesantren=pesantren).order_by()),
        )
        rows = [_row(values) for values in query[:latest]] if grants or helped else []
    received = [
        ReceivedFromProgram(
            program=program,
            grant=GrantTotal(int(grants[program.pk]["amount"]), int(grants[program.pk]["standing"]))
            if program.pk in grants
            else GrantTotal(0, 0),
            assistance=helped.get(program.pk, 0),
        )
        for program in programs
    ]
    records = sum(int(row["entries"]) for row in grants.values()) + sum(helped.values())
    return ReceivedSupport(programs=received, latest=rows, records=records)


# --- Pesantren with support ---------------------------------------------------------


def supported_pesantren(program: Program) -> list[tuple[int, str]]:
    """(id, name) of the pesantren with any grant entry or assistance in the program. One query."""
    with _scoped(program):
        return list(
            Pesantren.objects.filter(
                Q(pk__in=Grant.objects.filter(program=program).order_by().values("pesantren_id"))
                | Q(
                    pk__in=Assistance.objects.filter(program=program)
                    .order_by()
                    .values("pesantren_id")
                )
            )
            .order_by("name", "id")
            .values_list("pk", "name")
        )
