"""Validity and overdue detection on a fixed date; the filtered list."""

import datetime as dt

import pytest
from django_scopes import scope, scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from niaga.agreements import domain, queries
from niaga.agreements.models import ActionItem, Agreement
from tests.agreements.conftest import NOW, TODAY, make_agreement, party

pytestmark = pytest.mark.django_db


def agreement(valid_until, status="active"):
    return Agreement(valid_from=dt.date(2020, 1, 1), valid_until=valid_until, status=status)


@pytest.mark.parametrize(
    ("valid_until", "status", "expected"),
    [
        (None, "active", "active"),
        (TODAY + dt.timedelta(days=91), "active", "active"),
        (TODAY + dt.timedelta(days=90), "active", "expiring"),
        (TODAY, "active", "expiring"),
        (TODAY - dt.timedelta(days=1), "active", "expired"),
        (TODAY - dt.timedelta(days=1), "terminated", "terminated"),
        (TODAY + dt.timedelta(days=400), "terminated", "terminated"),
    ],
)
def test_validity_on_a_fixed_date(valid_until, status, expected):
    assert queries.validity(agreement(valid_until, status), TODAY) == expected


def item(status, due_on):
    return ActionItem(status=status, due_on=due_on)


@pytest.mark.parametrize(
    ("status", "due_on", "overdue"),
    [
        ("open", TODAY - dt.timedelta(days=1), True),
        ("in_progress", dt.date(2023, 1, 1), True),
        ("open", TODAY, False),
        ("open", None, False),
        ("done", dt.date(2023, 1, 1), False),
        ("dropped", dt.date(2023, 1, 1), False),
    ],
)
def test_overdue_on_a_fixed_date(status, due_on, overdue):
    assert queries.is_overdue(item(status, due_on), TODAY) is overdue
    assert queries.days_overdue(item(status, due_on), TODAY) == (
        (TODAY - due_on).days if overdue else 0
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    offsets=st.lists(st.integers(-400, 400) | st.none(), min_size=1, max_size=6),
    today=st.dates(dt.date(2023, 1, 1), dt.date(2030, 12, 31)),
)
def test_the_database_flags_agree_with_the_python_rule(
    jatim, kalsel, jatim_manager, offsets, today
):
    with scopes_disabled():
        Agreement.all_objects.all().delete()
    for offset in offsets:
        make_agreement(
            jatim_manager,
            jatim,
            [party("A", jatim), party("B", kalsel)],
            valid_from=dt.date(2020, 1, 1),
            valid_until=None if offset is None else today + dt.timedelta(days=offset),
        )
    with scope(province=jatim):
        rows = list(queries.agreement_list(today=today))
    assert [row.validity for row in rows] == [queries.validity(row, today) for row in rows]


def test_the_list_counts_open_and_overdue_items_per_agreement(jatim, pks, bali_mou):
    with scope(province=jatim):
        rows = {a.pk: a for a in queries.agreement_list(today=TODAY)}
    # pks: one overdue (due 31 Oct 2026), one done, one without a due date.
    assert (rows[pks.pk].open_count, rows[pks.pk].overdue_count, rows[pks.pk].item_count) == (
        2,
        1,
        3,
    )
    assert (rows[bali_mou.pk].open_count, rows[bali_mou.pk].overdue_count) == (0, 0)
    assert (rows[pks.pk].validity, rows[bali_mou.pk].validity) == ("active", "expiring")


def test_filters(jatim, kalsel, bali, jatim_manager, pks, bali_mou, mission):
    expired = make_agreement(
        jatim_manager,
        jatim,
        [
            party("Dinas Peternakan Provinsi Jawa Timur", jatim, "524/1123/PKS/122.4/2022"),
            party("PT Sumber Pangan Lestari", None, kind="business"),
        ],
        title="PKS Telur",
        signed_on=dt.date(2022, 5, 2),
        valid_from=dt.date(2022, 5, 2),
        valid_until=dt.date(2024, 5, 1),
    )

    def titles(**filters):
        with scope(province=jatim):
            rows = queries.agreement_list(today=TODAY, filters=queries.Filters(**filters))
            return [a.title for a in rows]

    assert titles() == ["MoU Jawa Timur – Bali", "PKS Telur", "PKS Perdagangan Antar Daerah"]
    assert titles(province=kalsel) == ["PKS Perdagangan Antar Daerah"]
    assert titles(province=bali) == ["MoU Jawa Timur – Bali"]
    assert titles(party="sumber pangan") == ["PKS Telur"]
    assert titles(party="011.3/2022") == ["PKS Perdagangan Antar Daerah"]
    assert titles(status="expired") == ["PKS Telur"]
    assert titles(status="expiring") == ["MoU Jawa Timur – Bali"]
    assert titles(status="active") == ["PKS Perdagangan Antar Daerah"]
    assert titles(year=2022) == ["PKS Telur", "PKS Perdagangan Antar Daerah"]
    assert titles(year=2024) == ["MoU Jawa Timur – Bali"]
    assert titles(mission=mission.slug) == ["PKS Perdagangan Antar Daerah"]
    assert titles(kind="mou") == ["MoU Jawa Timur – Bali"]
    assert titles(kind="pks", status="expired", year=2022) == ["PKS Telur"]
    domain.agreement_terminate(
        actor=jatim_manager, agreement=expired, version=1, reason="Selesai", now=NOW
    )
    assert titles(status="terminated") == ["PKS Telur"]
    assert titles(status="expired") == []
    with scope(province=jatim):
        assert queries.years_signed() == [2024, 2022]


def test_each_province_lists_what_it_recorded_or_is_party_to(
    jatim, kalsel, pks, bali_mou, kalsel_own
):
    with scope(province=jatim):
        assert {a.pk for a in queries.agreement_list(today=TODAY)} == {pks.pk, bali_mou.pk}
    with scope(province=kalsel):
        assert {a.pk for a in queries.agreement_list(today=TODAY)} == {pks.pk, kalsel_own.pk}


def test_overdue_action_items_for_reminders(jatim, kalsel, bali, kalsel_manager, pks, kalsel_own):
    domain.action_item_create(
        actor=kalsel_manager,
        agreement=kalsel_own,
        title="Pameran produk Kalsel di Denpasar",
        owner_name="Disperindag Kalsel",
        due_on=dt.date(2026, 1, 31),
        now=NOW,
    )
    assert [i.title for i in queries.overdue_action_items(jatim, TODAY)] == [
        "Temu bisnis lanjutan di Surabaya"
    ]
    assert [i.title for i in queries.overdue_action_items(kalsel, TODAY)] == [
        "Pameran produk Kalsel di Denpasar",
        "Temu bisnis lanjutan di Surabaya",
    ]
    # Bali is party to South Kalimantan's MoU: due on 31 January, overdue from 1 February.
    assert queries.overdue_action_items(bali, dt.date(2026, 1, 31)) == []
    assert [i.title for i in queries.overdue_action_items(bali, dt.date(2026, 2, 1))] == [
        "Pameran produk Kalsel di Denpasar"
    ]
    assert queries.overdue_action_items(jatim, dt.date(2026, 10, 31)) == []
    # A terminated agreement's items are no longer reminded of.
    domain.agreement_terminate(actor=kalsel_manager, agreement=pks, version=1, reason="x", now=NOW)
    assert queries.overdue_action_items(jatim, TODAY) == []


def test_signed_at_mission_takes_both_provinces_agreements_in_signing_order(
    jatim, kalsel, kalsel_manager, pks, bali_mou, mission, django_assert_num_queries
):
    hosted = make_agreement(
        kalsel_manager,
        kalsel,
        [party("Pemprov Kalsel", kalsel), party("Pemprov Jatim", jatim)],
        kind="mou",
        title="MoU gubernur",
        signed_on=dt.date(2022, 4, 12),
        valid_from=dt.date(2022, 4, 12),
        mission=mission,
    )
    with django_assert_num_queries(2):  # agreements with owners; parties with provinces
        signed = queries.signed_at_mission(mission)
        names = [[p.name for p in a.parties.all()] for a in signed]
    assert [a.pk for a in signed] == [hosted.pk, pks.pk]
    assert names[0] == ["Pemprov Kalsel", "Pemprov Jatim"]
