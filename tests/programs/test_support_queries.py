"""Totals of support: per pesantren, regency and year they equal the plain sums of
the rows (reversals included), for a hand-built world and for random ones."""

import datetime
import itertools

import pytest
from django_scopes import scope, scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from niaga.programs import support_queries as queries
from niaga.programs.domain import support as domain
from niaga.programs.models import Grant
from niaga.regions.models import Regency
from tests.programs import support_world
from tests.programs.factories import make_program
from tests.programs.support_world import (
    JOMBANG,
    SURABAYA,
    make_assistance,
    make_evidence,
    make_grant,
    make_reversal,
)
from tests.registry.factories import make_pesantren

# Fixtures of the shared support world.
world = support_world.world
media = support_world.media

pytestmark = pytest.mark.django_db

D = datetime.date
GT = queries.GrantTotal


@pytest.fixture
def rows(world):
    """Grants and assistance in two regencies and two years, one grant reversed, and
    Kalsel's grant (in `world`) and another Jatim program's grant that must not count."""
    with scopes_disabled():
        lirboyo = make_pesantren(
            world.jatim, name="PP Lirboyo", regency=Regency.objects.get(code=JOMBANG)
        )
        p = world.program
        make_grant(p, world.tebuireng, 25_000_000, D(2023, 4, 1))
        wrong = make_grant(p, world.tebuireng, 100_000_000, D(2024, 2, 1))
        make_reversal(wrong)
        make_grant(p, world.tebuireng, 10_000_000, D(2024, 2, 1))
        make_grant(p, lirboyo, 40_000_000, D(2024, 8, 17))
        make_grant(p, world.ampel, 15_500_000, D(2023, 11, 30))
        make_assistance(p, world.ampel, "marketing", D(2024, 5, 5))
        make_assistance(p, world.ampel, "product", D(2024, 6, 6))
        make_assistance(p, lirboyo, "institution", D(2023, 1, 9))
        other = make_program(world.jatim, slug="opop-lain")
        make_grant(other, world.ampel, 999_000_000, D(2024, 1, 1))
        make_assistance(other, world.tebuireng, "marketing", D(2024, 1, 1))
    return lirboyo


def test_grant_totals_per_pesantren_regency_and_year(world, rows):
    lirboyo, p = rows, world.program
    assert queries.grant_totals_by_pesantren(p) == {
        world.tebuireng.pk: GT(35_000_000, 2),
        world.ampel.pk: GT(15_500_000, 1),
        lirboyo.pk: GT(40_000_000, 1),
    }
    assert queries.grant_totals_by_regency(p) == {
        JOMBANG: GT(75_000_000, 3),
        SURABAYA: GT(15_500_000, 1),
    }
    assert queries.grant_totals_by_regency(p, 2024) == {JOMBANG: GT(50_000_000, 2)}
    assert queries.grant_totals_by_year(p) == {2023: GT(40_500_000, 2), 2024: GT(50_000_000, 2)}
    assert queries.grant_totals_by_year(p, JOMBANG) == {
        2023: GT(25_000_000, 1),
        2024: GT(50_000_000, 2),
    }
    assert queries.grant_total(p) == GT(90_500_000, 4)
    assert queries.grant_total(p, year=2023, regency=SURABAYA) == GT(15_500_000, 1)
    # Equal to the plain sum of the rows, reversals included.
    with scopes_disabled():
        plain = sum(Grant.objects.filter(program=p).values_list("amount_idr", flat=True))
    assert plain == 90_500_000


def test_assistance_counts_and_pesantren_assisted(world, rows):
    lirboyo, p = rows, world.program
    assert queries.assistance_counts_by_pesantren(p) == {world.ampel.pk: 2, lirboyo.pk: 1}
    assert queries.assistance_counts_by_regency(p) == {SURABAYA: 2, JOMBANG: 1}
    assert queries.assistance_counts_by_regency(p, aspect="marketing") == {SURABAYA: 1}
    assert queries.assistance_counts_by_year(p) == {2023: 1, 2024: 2}
    assert queries.assistance_counts_by_aspect(p) == {
        "institution": 1,
        "marketing": 1,
        "product": 1,
    }
    assert queries.pesantren_assisted(p) == 3
    assert queries.pesantren_assisted(p, 2024) == 3
    assert queries.pesantren_assisted(p, 2023) == 3
    assert queries.pesantren_assisted_by_regency(p) == {JOMBANG: 2, SURABAYA: 1}
    assert queries.pesantren_assisted_by_year(p) == {2023: 3, 2024: 3}
    assert queries.pesantren_assisted(p, through_year=2022) == 0


def test_a_pesantren_whose_only_grant_was_reversed_is_not_assisted(world):
    with scopes_disabled():
        make_reversal(make_grant(world.program, world.ampel, 5_000_000, D(2024, 1, 3)))
        make_grant(world.program, world.tebuireng, 5_000_000, D(2022, 1, 3))
    p = world.program
    assert queries.pesantren_assisted(p) == 1
    assert queries.pesantren_assisted(p, through_year=2023) == 1
    assert queries.pesantren_assisted(p, 2024) == 0
    assert queries.pesantren_assisted_by_regency(p) == {JOMBANG: 1}
    assert queries.pesantren_assisted_by_year(p) == {2022: 1}
    assert queries.grant_totals_by_regency(p) == {JOMBANG: GT(5_000_000, 1), SURABAYA: GT(0, 0)}


def test_totals_tables_add_up(world, rows):
    by_regency = queries.totals_by_regency(world.program, total_label="Semua")
    assert [
        (r.key, r.label, r.grant_amount_idr, r.grants, r.assistance, r.pesantren_assisted)
        for r in by_regency.rows
    ] == [
        (JOMBANG, "Kabupaten Jombang", 75_000_000, 3, 1, 2),
        (SURABAYA, "Kota Surabaya", 15_500_000, 1, 2, 1),
    ]
    total = by_regency.total
    assert (total.label, total.grant_amount_idr, total.grants, total.assistance) == (
        "Semua",
        90_500_000,
        4,
        3,
    )
    assert total.pesantren_assisted == 3
    by_year = queries.totals_by_year(world.program)
    assert [(r.key, r.grant_amount_idr, r.grants, r.assistance) for r in by_year.rows] == [
        (2023, 40_500_000, 2, 1),
        (2024, 50_000_000, 2, 2),
    ]
    assert queries.support_years(world.program) == [2024, 2023]


def test_the_list_of_records_and_its_filters(world, rows):
    p = world.program

    def listed(**filters):
        return [
            (r["kind"], r["date"], r["amount_idr"])
            for r in queries.support_records(p, queries.RecordFilters(**filters))
        ]

    everything = queries.support_records(p)
    assert everything.count() == 9
    assert [r["date"] for r in everything[0:9]] == sorted(
        (r["date"] for r in everything), reverse=True
    )
    assert listed(year=2023) == [
        ("grant", D(2023, 11, 30), 15_500_000),
        ("grant", D(2023, 4, 1), 25_000_000),
        ("assistance", D(2023, 1, 9), None),
    ]
    assert listed(regency=SURABAYA, kind="assistance") == [
        ("assistance", D(2024, 6, 6), None),
        ("assistance", D(2024, 5, 5), None),
    ]
    assert listed(aspect="marketing") == [("assistance", D(2024, 5, 5), None)]
    # Grants are financing: that aspect keeps them.
    assert [k for k, _d, _a in listed(aspect="financing")] == ["grant"] * 6
    assert sorted(a for _k, _d, a in listed(pesantren=world.tebuireng.pk)) == [
        -100_000_000,
        10_000_000,
        25_000_000,
        100_000_000,
    ]
    assert listed(kind="grant", aspect="product") == []
    reversed_rows = [
        r for r in everything if r["kind"] == "grant" and r["amount_idr"] == 100_000_000
    ]
    assert reversed_rows[0]["is_reversed"] is True


def test_what_a_pesantren_received(world, rows):
    with scopes_disabled():
        make_evidence(Grant.objects.get(pesantren=world.tebuireng, granted_on=D(2023, 4, 1)))
    received = queries.received_by_pesantren(world.tebuireng)
    assert [(r.program.slug, r.grant, r.assistance) for r in received.programs] == [
        ("opop-jatim", GT(35_000_000, 2), 0),
        ("opop-lain", GT(0, 0), 1),
    ]
    assert [
        (r["kind"], r["date"], r["amount_idr"], r["program_slug"]) for r in received.latest
    ] == [
        ("grant", D(2024, 2, 1), 10_000_000, "opop-jatim"),
        ("grant", D(2024, 2, 1), -100_000_000, "opop-jatim"),
        ("grant", D(2024, 2, 1), 100_000_000, "opop-jatim"),
        ("assistance", D(2024, 1, 1), None, "opop-lain"),
        ("grant", D(2023, 4, 1), 25_000_000, "opop-jatim"),
    ]
    assert (received.records, received.more) == (5, 0)
    assert [r["evidence_count"] for r in received.latest] == [0, 0, 0, 0, 1]
    assert queries.received_by_pesantren(world.tebuireng, latest=2).more == 3
    summary = queries.pesantren_support(world.program, world.ampel)
    assert (summary.grant, summary.assistance, summary.by_aspect) == (
        GT(15_500_000, 1),
        2,
        {"product": 1, "marketing": 1},
    )


# --- A property: any mix of grants and reversals sums exactly ----------------------------

REGENCIES = (JOMBANG, SURABAYA, "35.05")
_programs = itertools.count(1)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    grants=st.lists(
        st.tuples(
            st.sampled_from(range(len(REGENCIES))),
            st.integers(min_value=1, max_value=10**12),
            st.integers(min_value=2019, max_value=2025),
            st.booleans(),  # reversed afterwards
        ),
        max_size=10,
    )
)
def test_per_regency_totals_equal_the_plain_sum(world, jatim_program_officer, grants):
    with scopes_disabled():
        program = make_program(world.jatim, slug=f"opop-hipotesis-{next(_programs)}")
        pesantren = [
            make_pesantren(world.jatim, regency=Regency.objects.get(code=code))
            for code in REGENCIES
        ]
    expected_regency: dict[str, int] = {}
    expected_year: dict[int, int] = {}
    standing: dict[str, int] = {}
    for index, amount, year, reversed_ in grants:
        grant = domain.grant_record(
            actor=jatim_program_officer,
            program=program,
            pesantren=pesantren[index],
            amount_idr=amount,
            granted_on=D(year, 6, 1),
            purpose="Hibah",
            source="apbd",
        )
        code = REGENCIES[index]
        expected_regency.setdefault(code, 0)
        expected_year.setdefault(year, 0)
        standing.setdefault(code, 0)
        if reversed_:
            domain.grant_reverse(actor=jatim_program_officer, grant=grant, reason="Koreksi")
        else:
            expected_regency[code] += amount
            expected_year[year] += amount
            standing[code] += 1
    by_regency = queries.grant_totals_by_regency(program)
    assert {code: t.amount_idr for code, t in by_regency.items()} == expected_regency
    assert {code: t.grants for code, t in by_regency.items()} == standing
    assert {
        y: t.amount_idr for y, t in queries.grant_totals_by_year(program).items()
    } == expected_year
    assert queries.grant_total(program).amount_idr == sum(expected_regency.values())
    with scope(province=world.jatim):
        plain = sum(Grant.objects.filter(program=program).values_list("amount_idr", flat=True))
    assert plain == sum(expected_regency.values())
    assert queries.pesantren_assisted(program) == sum(1 for n in standing.values() if n)
