"""A world for the indicator and dashboard tests: East Java's program with a few
years of registry rows, training, curation and support in two regencies
(Jombang, Surabaya), rows of a second East Java program that must not count
for the first, and South Kalimantan's program with rows of its own that must
not leak into East Java's figures.

Rows are built straight into the database (no domain rules), with their
registration times moved into the past, so each year's running totals are
known. Every registration time is in UTC; the province's zone decides the
year (WIB, UTC+7).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from niaga.programs.models import (
    Assistance,
    CohortStatus,
    EnrolmentStatus,
    Grant,
    IndicatorKey,
    Program,
)
from niaga.regions.models import Province, Regency
from niaga.registry.models import (
    Cooperative,
    CurationEvent,
    CurationStatus,
    Person,
    Pesantren,
    Pillar,
    Product,
)
from tests.programs.factories import (
    make_cohort,
    make_course,
    make_enrolment,
    make_indicator,
    make_program,
)
from tests.registry.factories import (
    make_cooperative,
    make_person,
    make_pesantren,
    make_product,
)

JOMBANG, SURABAYA, BANJARMASIN = "35.17", "35.78", "63.71"
UTC = dt.UTC


def at(year: int, month: int = 6, day: int = 15, hour: int = 3, minute: int = 0) -> dt.datetime:
    """A moment in UTC."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def backdate(row, moment: dt.datetime) -> None:
    type(row).objects.filter(pk=row.pk).update(created_at=moment)
    row.created_at = moment


def grant(program, pesantren, amount, granted_on, *, reverses=None) -> Grant:
    return Grant.objects.create(
        province_id=program.province_id,
        program=program,
        pesantren=pesantren,
        amount_idr=amount,
        granted_on=granted_on,
        purpose="Modal usaha koperasi",
        source="apbd",
        reverses=reverses,
        reason="Salah catat" if reverses else "",
    )


def reverse(original: Grant) -> Grant:
    return grant(
        Program.objects.get(pk=original.program_id),
        original.pesantren,
        -original.amount_idr,
        original.granted_on,
        reverses=original,
    )


def assistance(program, pesantren, given_on, aspect="marketing") -> Assistance:
    return Assistance.objects.create(
        province_id=program.province_id,
        program=program,
        pesantren=pesantren,
        aspect=aspect,
        given_on=given_on,
        description="Pendampingan pemasaran",
    )


def curation_move(product: Product, from_status, to_status, moment, level="") -> None:
    event = CurationEvent.objects.create(
        province_id=product.province_id,
        product=product,
        from_status=from_status,
        to_status=to_status,
        level=level,
    )
    CurationEvent.objects.filter(pk=event.pk).update(at=moment)


def graduate(cohort, person, completed_on) -> None:
    make_enrolment(
        cohort, person, status=EnrolmentStatus.COMPLETED, completed_on=completed_on, score=80
    )


@dataclass
class World:
    jatim: Province
    kalsel: Province
    program: Program
    other_program: Program  # a second East Java program
    kalsel_program: Program
    jombang: Regency
    surabaya: Regency
    pesantren: dict[str, Pesantren] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    cooperatives: dict[str, Cooperative] = field(default_factory=dict)


S, P, SO = Pillar.SANTRIPRENEUR, Pillar.PESANTRENPRENEUR, Pillar.SOSIOPRENEUR
C = CurationStatus


def build_world(jatim, kalsel, opop_jatim, opop_kalsel) -> World:
    with scopes_disabled():
        jombang = Regency.objects.get(code=JOMBANG)
        surabaya = Regency.objects.get(code=SURABAYA)
        other = make_program(jatim, slug="opop-jatim-lain", name="Program Lain Jatim")
        w = World(jatim, kalsel, opop_jatim, other, opop_kalsel, jombang, surabaya)
        pes = w.pesantren
        pes["tebuireng"] = make_pesantren(jatim, name="PP Tebuireng", regency=jombang)
        pes["ampel"] = make_pesantren(jatim, name="PP Sunan Ampel", regency=surabaya)
        pes["darul"] = make_pesantren(jatim, name="PP Darul Ulum", regency=jombang)
        pes["kalimas"] = make_pesantren(jatim, name="PP Kalimas", regency=surabaya)
        pes["martapura"] = make_pesantren(
            kalsel, name="PP Darussalam", regency=Regency.objects.get(code=BANJARMASIN)
        )
        coops = w.cooperatives
        coops["tebuireng"] = make_cooperative(pes["tebuireng"])
        backdate(coops["tebuireng"], at(2020))
        coops["ampel"] = make_cooperative(pes["ampel"])
        backdate(coops["ampel"], at(2022))
        coops["darul"] = make_cooperative(pes["darul"])  # registered now
        coops["martapura"] = make_cooperative(pes["martapura"])
        backdate(coops["martapura"], at(2021))

        ppl = w.people

        def person(name, pillar, created, *, regency=None, pesantren=None, province=jatim):
            row = make_person(
                province, full_name=name, pillar=pillar, regency=regency, pesantren=pesantren
            )
            if created is not None:
                backdate(row, created)
            ppl[name] = row
            return row

        person("Ahmad", S, at(2020, 3), regency=jombang)
        person("Badrun", S, at(2021), pesantren=pes["ampel"])  # regency from the pesantren
        # 00.30 WIB on 1 January 2024: a person of 2024, not 2023.
        person("Chusnul", S, at(2023, 12, 31, 17, 30), regency=surabaya)
        person("Dewi", SO, at(2021), regency=jombang)  # graduates in 2022
        person("Eko", "", at(2019), regency=surabaya)  # graduates in 2021 and 2023
        person("Fauzi", S, None, regency=jombang)  # registered now, graduated in 2021
        person("Gita", SO, None, regency=surabaya)
        person("Hasan", S, at(2022), regency=surabaya)  # enrolled, not completed
        person("Indah", "", at(2020), regency=jombang)  # graduates of the other program
        person("Joko", S, at(2020))  # no regency at all
        person("Kalsel Santri", S, at(2020), province=kalsel)
        person("Kalsel Lulusan", "", at(2020), province=kalsel)

        course = make_course(opop_jatim)
        cohort_2021 = make_cohort(
            course, starts_on=dt.date(2021, 3, 1), status=CohortStatus.COMPLETED
        )
        cohort_2022 = make_cohort(
            course, starts_on=dt.date(2022, 3, 1), status=CohortStatus.COMPLETED
        )
        cohort_2023 = make_cohort(
            course, starts_on=dt.date(2023, 3, 1), status=CohortStatus.COMPLETED
        )
        graduate(cohort_2021, ppl["Eko"], dt.date(2021, 3, 6))
        graduate(cohort_2021, ppl["Fauzi"], dt.date(2021, 3, 6))
        graduate(cohort_2022, ppl["Dewi"], dt.date(2022, 3, 6))
        make_enrolment(cohort_2022, ppl["Hasan"], status=EnrolmentStatus.NOT_COMPLETED)
        graduate(cohort_2023, ppl["Eko"], dt.date(2023, 3, 6))
        make_enrolment(cohort_2023, ppl["Ahmad"], status=EnrolmentStatus.ENROLLED)
        other_cohort = make_cohort(make_course(other), starts_on=dt.date(2022, 5, 2))
        graduate(other_cohort, ppl["Indah"], dt.date(2022, 5, 7))
        kalsel_cohort = make_cohort(make_course(opop_kalsel), starts_on=dt.date(2023, 6, 12))
        graduate(kalsel_cohort, ppl["Kalsel Lulusan"], dt.date(2023, 6, 17))

        prd = w.products

        def product(name, owner, created, status=C.DRAFT, **fields):
            row = make_product(owner, name=name, status=status, **fields)
            if created is not None:
                backdate(row, created)
            prd[name] = row
            return row

        # Curated in 2021 and still.
        product("Kopi Tebuireng", coops["tebuireng"], at(2020), C.CURATED)
        curation_move(prd["Kopi Tebuireng"], C.DRAFT, C.SUBMITTED, at(2020, 11))
        curation_move(prd["Kopi Tebuireng"], C.SUBMITTED, C.IN_REVIEW, at(2021, 2))
        curation_move(prd["Kopi Tebuireng"], C.IN_REVIEW, C.CURATED, at(2021, 5), "local")
        # Curated in 2022, withdrawn in 2023.
        product("Sambal Ahmad", ppl["Ahmad"], at(2021), C.RETURNED)
        curation_move(prd["Sambal Ahmad"], C.IN_REVIEW, C.CURATED, at(2022, 4), "local")
        curation_move(prd["Sambal Ahmad"], C.CURATED, C.RETURNED, at(2023, 8))
        # Curated without a recorded history: counts from its curation time (2023).
        product("Batik Ampel", coops["ampel"], at(2022), C.CURATED, curated_at=at(2023, 2))
        # Curated in 2022, curated again at another level in 2023 (no change in count).
        product("Keripik Badrun", ppl["Badrun"], at(2022), C.CURATED, level="export")
        curation_move(prd["Keripik Badrun"], C.IN_REVIEW, C.CURATED, at(2022, 9), "local")
        curation_move(prd["Keripik Badrun"], C.CURATED, C.CURATED, at(2023, 9), "export")
        # Curated at 00.30 WIB on 1 January 2022 (still 2021 in UTC).
        product("Madu Darul", coops["darul"], at(2021), C.CURATED)
        curation_move(prd["Madu Darul"], C.IN_REVIEW, C.CURATED, at(2021, 12, 31, 17, 30), "local")
        product("Tas Gita", ppl["Gita"], None)  # registered now, draft
        product("Kalsel Kerupuk", coops["martapura"], at(2021), C.CURATED)
        curation_move(prd["Kalsel Kerupuk"], C.IN_REVIEW, C.CURATED, at(2021, 7), "local")

        # Support. Tebuireng: a grant in 2020. Ampel: a grant in 2021 reversed
        # (same date), then assistance in 2022. Darul: a grant in 2023.
        # Kalimas: only the other program's assistance. Kalsel: its own grant.
        grant(opop_jatim, pes["tebuireng"], 25_000_000, dt.date(2020, 2, 10))
        reverse(grant(opop_jatim, pes["ampel"], 10_000_000, dt.date(2021, 6, 1)))
        assistance(opop_jatim, pes["ampel"], dt.date(2022, 4, 5))
        grant(opop_jatim, pes["darul"], 40_000_000, dt.date(2023, 3, 1))
        grant(opop_jatim, pes["tebuireng"], 15_000_000, dt.date(2024, 1, 20))
        assistance(other, pes["kalimas"], dt.date(2024, 1, 9))
        grant(other, pes["kalimas"], 99_000_000, dt.date(2024, 1, 9))
        grant(opop_kalsel, pes["martapura"], 75_000_000, dt.date(2023, 5, 2))
    return w


def english_name(key: str) -> str:
    # A plain string: the factory's default is the lazy label itself.
    with translation.override("en"):
        return str(IndicatorKey(key).label)


def indicator(program: Program, key: str, **fields):
    fields.setdefault("name", english_name(key))
    with scopes_disabled():
        return make_indicator(program, key, **fields)


def add_standard_indicators(program: Program) -> dict[str, object]:
    return {key: indicator(program, key, order=n) for n, key in enumerate(IndicatorKey)}


@pytest.fixture
def world(jatim, kalsel, opop_jatim, opop_kalsel) -> World:
    return build_world(jatim, kalsel, opop_jatim, opop_kalsel)


# --- Indicators, figures and targets on top of the world -------------------------------

# Today and this year in East Java (WIB), as the dashboard counts them.
TODAY = timezone.localdate(timezone=ZoneInfo("Asia/Jakarta"))
CY = TODAY.year
SOURCE = "Dinas KUKM Jatim"


def figure(indicator, as_of, value, note=SOURCE, regency=None):
    from niaga.programs.models import IndicatorFigure

    return IndicatorFigure.objects.create(
        province_id=indicator.province_id,
        indicator=indicator,
        as_of=as_of,
        value=value,
        source_note=note,
        regency=regency,
    )


def target(indicator, year, value, regency=None):
    from niaga.programs.models import Target

    return Target.objects.create(
        province_id=indicator.province_id,
        indicator=indicator,
        year=year,
        value=value,
        regency=regency,
    )


@dataclass
class Board:
    world: World
    indicators: dict


def dress(w: World) -> Board:
    """The eight standard indicators of East Java's program with figures and
    targets (sosiopreneurs entered, the rest computed), and an indicator of
    South Kalimantan's program with a figure and a target of its own."""
    from niaga.programs.models import IndicatorSource

    with scopes_disabled():
        ind = add_standard_indicators(w.program)
        sosio = ind[IndicatorKey.SOSIOPRENEURS]
        sosio.source = IndicatorSource.ENTERED
        sosio.save()
        # Entered: 1.000, 2.000, 2.500, 4.000 at the ends of the last four years.
        for back, value in ((4, 1_000), (3, 2_000), (2, 2_500), (1, 4_000)):
            figure(sosio, dt.date(CY - back, 12, 31), value)
        figure(sosio, dt.date(CY - 1, 12, 31), 40, regency=w.jombang)
        target(sosio, CY + 1, 6_000)
        # Computed products with history entered for 2021 (the later figure wins).
        products = ind[IndicatorKey.PRODUCTS]
        figure(products, dt.date(2021, 6, 30), 400, "Dinas KUKM Jatim, semester I")
        figure(products, dt.date(2021, 12, 31), 450)
        figure(products, dt.date(2022, 12, 31), 9, regency=w.surabaya)
        target(products, CY + 2, 1_000)
        target(ind[IndicatorKey.CURATED_PRODUCTS], 2024, 10)
        target(ind[IndicatorKey.SANTRIPRENEURS], CY + 2, 8)
        target(ind[IndicatorKey.SANTRIPRENEURS], 2030 if CY + 2 < 2030 else CY + 5, 50)
        assisted = ind[IndicatorKey.PESANTREN_ASSISTED]
        target(assisted, CY + 1, 5)
        target(assisted, CY, 3, regency=w.jombang)
        target(assisted, CY, 2, regency=w.surabaya)
        target(ind[IndicatorKey.GRANTS_DISBURSED], CY, 100_000_000)
        kalsel = add_standard_indicators(w.kalsel_program)
        figure(
            kalsel[IndicatorKey.SANTRIPRENEURS], dt.date(2023, 12, 31), 777, "Dinas KUMKM Kalsel"
        )
        target(kalsel[IndicatorKey.SANTRIPRENEURS], CY + 1, 1_000)
    return Board(w, ind)


@pytest.fixture
def board(world) -> Board:
    return dress(world)
