"""The computed indicators equal direct counts of the registry and the program's
records, year by year, for the province and per regency, and cost a fixed
number of queries."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from niaga.programs import indicators
from niaga.programs.models import Assistance, Enrolment, EnrolmentStatus, Grant, IndicatorKey
from niaga.registry.models import (
    Cooperative,
    CurationEvent,
    CurationStatus,
    Person,
    Pillar,
    Product,
)
from tests.programs import dashboard_world
from tests.programs.dashboard_world import JOMBANG, SURABAYA, at, backdate
from tests.registry.factories import make_person, make_product

pytestmark = pytest.mark.django_db

# The world's fixtures, used by name.
world = dashboard_world.world

WIB = ZoneInfo("Asia/Jakarta")
K = IndicatorKey
YEARS = range(2019, 2026)


def end_of(year: int) -> dt.datetime:
    return dt.datetime(year + 1, 1, 1, tzinfo=WIB)


def area_of_person(person: Person):
    if person.regency_id:
        return person.regency_id
    return person.pesantren.regency_id if person.pesantren_id else None


def area_of_product(product: Product):
    return product.regency_id or (product.pesantren.regency_id if product.pesantren_id else None)


# --- Direct counts, written without the code under test --------------------------------


def direct_santripreneurs(w, year=None) -> dict:
    """Person → regency, for the people who count by the end of `year` (None: ever)."""
    with scopes_disabled():
        pillar = Person.objects.filter(province=w.jatim, pillar=Pillar.SANTRIPRENEUR)
        graduates = Enrolment.objects.filter(
            cohort__course__program=w.program, status=EnrolmentStatus.COMPLETED
        )
        if year is not None:
            pillar = pillar.filter(created_at__lt=end_of(year))
            graduates = graduates.filter(completed_on__lte=dt.date(year, 12, 31))
        ids = set(pillar.values_list("pk", flat=True)) | set(
            graduates.values_list("person_id", flat=True)
        )
        return {p.pk: area_of_person(p) for p in Person.objects.filter(pk__in=ids)}


def direct_people(w, pillar, year=None) -> dict:
    with scopes_disabled():
        rows = Person.objects.filter(province=w.jatim, pillar=pillar)
        if year is not None:
            rows = rows.filter(created_at__lt=end_of(year))
        return {p.pk: area_of_person(p) for p in rows}


def direct_cooperatives(w, year=None) -> dict:
    with scopes_disabled():
        rows = Cooperative.objects.filter(province=w.jatim).select_related("pesantren")
        if year is not None:
            rows = rows.filter(created_at__lt=end_of(year))
        return {c.pk: c.pesantren.regency_id for c in rows}


def direct_products(w, year=None) -> dict:
    with scopes_disabled():
        rows = Product.objects.filter(province=w.jatim)
        if year is not None:
            rows = rows.filter(created_at__lt=end_of(year))
        return {p.pk: area_of_product(p) for p in rows}


def direct_curated(w, year=None) -> dict:
    """Replays each product's curation history up to the end of `year`; a product
    curated without history counts from its curation time; now: its status."""
    with scopes_disabled():
        products = list(Product.objects.filter(province=w.jatim))
        if year is None:
            return {
                p.pk: area_of_product(p) for p in products if p.status == CurationStatus.CURATED
            }
        result = {}
        for product in products:
            events = list(CurationEvent.objects.filter(product=product).order_by("at", "pk"))
            if not events:
                if product.status == CurationStatus.CURATED and product.curated_at < end_of(year):
                    result[product.pk] = area_of_product(product)
                continue
            state = None
            for event in events:
                if event.at < end_of(year):
                    state = event.to_status
            if state == CurationStatus.CURATED:
                result[product.pk] = area_of_product(product)
        return result


def direct_assisted(w, year=None) -> dict:
    with scopes_disabled():
        last = dt.date(year, 12, 31) if year is not None else dt.date.max
        result = {}
        granted = Grant.objects.filter(program=w.program).values_list("pesantren_id", flat=True)
        helped = Assistance.objects.filter(program=w.program).values_list("pesantren_id", flat=True)
        for pesantren_id in set(granted) | set(helped):
            net = sum(
                Grant.objects.filter(
                    program=w.program, pesantren_id=pesantren_id, granted_on__lte=last
                ).values_list("amount_idr", flat=True)
            )
            helped = Assistance.objects.filter(
                program=w.program, pesantren_id=pesantren_id, given_on__lte=last
            ).exists()
            if net > 0 or helped:
                result[pesantren_id] = w.pesantren_regency[pesantren_id]
        return result


def direct_graduates(w, year=None) -> list:
    with scopes_disabled():
        rows = Enrolment.objects.filter(
            cohort__course__program=w.program, status=EnrolmentStatus.COMPLETED
        ).select_related("person__pesantren")
        if year is not None:
            rows = rows.filter(completed_on__lte=dt.date(year, 12, 31))
        return [area_of_person(e.person) for e in rows]


def direct_grants(w, year=None) -> dict:
    with scopes_disabled():
        rows = Grant.objects.filter(program=w.program).select_related("pesantren")
        if year is not None:
            rows = rows.filter(granted_on__lte=dt.date(year, 12, 31))
        totals: dict = {}
        for grant in rows:
            area = grant.pesantren.regency_id
            totals[area] = totals.get(area, 0) + grant.amount_idr
        return totals


def _by_area(mapping) -> dict:
    """{area: count} from {row: area} or [area, ...]."""
    areas = mapping.values() if isinstance(mapping, dict) else mapping
    counts: dict = {}
    for area in areas:
        counts[area] = counts.get(area, 0) + 1
    return counts


DIRECT = {
    K.SANTRIPRENEURS: lambda w, y: _by_area(direct_santripreneurs(w, y)),
    K.PESANTRENPRENEURS: lambda w, y: _by_area(direct_cooperatives(w, y)),
    K.SOSIOPRENEURS: lambda w, y: _by_area(direct_people(w, Pillar.SOSIOPRENEUR, y)),
    K.PRODUCTS: lambda w, y: _by_area(direct_products(w, y)),
    K.CURATED_PRODUCTS: lambda w, y: _by_area(direct_curated(w, y)),
    K.PESANTREN_ASSISTED: lambda w, y: _by_area(direct_assisted(w, y)),
    K.TRAINING_GRADUATES: lambda w, y: _by_area(direct_graduates(w, y)),
    K.GRANTS_DISBURSED: lambda w, y: {a: v for a, v in direct_grants(w, y).items() if v},
}


@pytest.fixture
def w(world):
    with scopes_disabled():
        world.pesantren_regency = {p.pk: p.regency_id for p in world.pesantren.values()}
    return world


# --- The computations against the direct counts --------------------------------------


@pytest.mark.parametrize("key", list(K))
def test_each_year_and_now_equal_the_direct_count(w, key):
    tally = indicators.tallies(w.program, [key])[key]
    for year in YEARS:
        direct = DIRECT[key](w, year)
        assert tally.at(year) == sum(direct.values()), (key, year)
        assert {a: v for a, v in tally.by_regency(year).items() if v} == direct, (key, year)
    now = DIRECT[key](w, None)
    assert tally.now() == sum(now.values())
    assert {a: v for a, v in tally.now_by_regency().items() if v} == now


def test_known_values_by_hand(w):
    """The world's story, counted by hand (see dashboard_world)."""
    t = indicators.tallies(w.program, list(K))
    assert t[K.SANTRIPRENEURS].yearly(2019, 2025) == {
        2019: 0, 2020: 2, 2021: 5, 2022: 7, 2023: 7, 2024: 8, 2025: 8,
    }  # fmt: skip
    assert t[K.SANTRIPRENEURS].now() == 8
    assert t[K.SANTRIPRENEURS].now_by_regency() == {JOMBANG: 3, SURABAYA: 4, None: 1}
    assert t[K.PESANTRENPRENEURS].yearly(2020, 2025) == {
        2020: 1, 2021: 1, 2022: 2, 2023: 2, 2024: 2, 2025: 2,
    }  # fmt: skip
    assert t[K.PESANTRENPRENEURS].now() == 3
    assert t[K.SOSIOPRENEURS].at(2021) == 1
    assert t[K.SOSIOPRENEURS].now() == 2
    assert t[K.PRODUCTS].yearly(2020, 2022) == {2020: 1, 2021: 3, 2022: 5}
    assert t[K.PRODUCTS].now() == 6
    assert t[K.CURATED_PRODUCTS].yearly(2020, 2024) == {
        2020: 0, 2021: 1, 2022: 4, 2023: 4, 2024: 4,
    }  # fmt: skip
    assert t[K.CURATED_PRODUCTS].by_regency(2022) == {JOMBANG: 3, SURABAYA: 1}
    assert t[K.CURATED_PRODUCTS].by_regency(2023) == {JOMBANG: 2, SURABAYA: 2}
    assert t[K.CURATED_PRODUCTS].now() == 4
    assert t[K.PESANTREN_ASSISTED].yearly(2020, 2023) == {2020: 1, 2021: 1, 2022: 2, 2023: 3}
    assert t[K.PESANTREN_ASSISTED].now_by_regency() == {JOMBANG: 2, SURABAYA: 1}
    assert t[K.TRAINING_GRADUATES].yearly(2021, 2023) == {2021: 2, 2022: 3, 2023: 4}
    assert t[K.GRANTS_DISBURSED].yearly(2020, 2024) == {
        2020: 25_000_000, 2021: 25_000_000, 2022: 25_000_000, 2023: 65_000_000, 2024: 80_000_000,
    }  # fmt: skip
    assert t[K.GRANTS_DISBURSED].now_by_regency() == {JOMBANG: 80_000_000}


def test_the_year_follows_the_province_zone(w):
    """00.30 WIB on 1 January 2024 is 17.30 UTC on 31 December 2023: a 2024 person."""
    tally = indicators.tallies(w.program, [K.SANTRIPRENEURS])[K.SANTRIPRENEURS]
    assert tally.by_regency(2023)[SURABAYA] == 3  # Badrun, Eko, Hasan
    assert tally.by_regency(2024)[SURABAYA] == 4  # and Chusnul


def test_a_graduate_counts_once_from_the_year_of_completion(w):
    tally = indicators.tallies(w.program, [K.SANTRIPRENEURS])[K.SANTRIPRENEURS]
    # Fauzi (pillar santripreneur, registered now) graduated in 2021; Eko (no
    # pillar) graduated in 2021 and again in 2023: each counts once, from 2021.
    assert tally.by_regency(2020).get(JOMBANG) == 1  # Ahmad
    assert tally.by_regency(2021)[JOMBANG] == 2  # and Fauzi
    assert tally.by_regency(2021)[SURABAYA] == 2  # Badrun and Eko
    assert tally.at(2023) == tally.at(2022) == 7


def test_computed_value_for_a_year_a_regency_and_now(w):
    assert indicators.computed_value(w.program, K.PRODUCTS, year=2021) == 3
    assert indicators.computed_value(w.program, K.PRODUCTS, year=2021, regency=JOMBANG) == 3
    assert indicators.computed_value(w.program, K.PRODUCTS, regency=SURABAYA) == 3
    assert indicators.computed_value(w.program, K.SANTRIPRENEURS, regency=None) == 1


def test_the_other_province_counts_its_own(w):
    t = indicators.tallies(w.kalsel_program, list(K))
    assert t[K.SANTRIPRENEURS].now() == 2  # its santripreneur and its graduate
    assert t[K.PESANTRENPRENEURS].now() == 1
    assert t[K.CURATED_PRODUCTS].at(2021) == 1
    assert t[K.GRANTS_DISBURSED].now() == 75_000_000
    assert t[K.PESANTREN_ASSISTED].now() == 1
    assert t[K.TRAINING_GRADUATES].at(2022) == 0
    assert t[K.TRAINING_GRADUATES].now() == 1


def test_the_number_of_queries_does_not_grow_with_the_rows(w):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            indicators.tallies(w.program, list(K))
        return len(queries.captured_queries)

    few = count()
    with scopes_disabled():
        for n in range(30):
            person = make_person(
                w.jatim, pillar=Pillar.SANTRIPRENEUR, regency=w.jombang, full_name=f"Baru {n}"
            )
            backdate(person, at(2021 + n % 4))
            make_product(person, status=CurationStatus.CURATED if n % 2 else CurationStatus.DRAFT)
    assert count() == few
