"""The demo agreements of the Banjarmasin mission, loaded on top of the missions demo."""

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django_scopes import scopes_disabled

from niaga.accounts.demo import load as load_accounts
from niaga.agreements import demo, queries
from niaga.agreements.models import ActionItemStatus, Agreement
from niaga.missions import demo as missions_demo
from niaga.missions.models import Mission
from niaga.regions.models import Province


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        lines: list[str] = []
        load_accounts(out=lines.append)
        missions_demo.load(out=lines.append)
        demo.load(out=lines.append)
        yield lines
        transaction.set_rollback(True)


@pytest.fixture
def world(loaded, db):
    with scopes_disabled():
        yield loaded


def test_the_banjarmasin_mission_has_the_mou_and_two_pks(world):
    mission = Mission.objects.get(slug="jatim-kalsel-2022")
    signed = queries.signed_at_mission(mission)
    assert [a.kind for a in signed] == ["mou", "pks", "pks"]
    assert all(a.signed_on == dt.date(2022, 4, 13) for a in signed)
    mou = signed[0]
    assert [p.name for p in mou.parties.all()] == [
        "Pemerintah Provinsi Jawa Timur",
        "Pemerintah Provinsi Kalimantan Selatan",
    ]
    assert mou.document_name == "Nota Kesepakatan Jatim-Kalsel 2022.pdf"
    with mou.document.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    numbers = {p.name: p.number for a in signed for p in a.parties.all()}
    assert (
        numbers["Dinas Perindustrian dan Perdagangan Provinsi Jawa Timur"]
        == "12.23/86/PKS/011.3/2022"
    )
    assert all(numbers.values())


def test_action_items_are_done_in_progress_and_overdue_on_the_demo_day(world):
    jatim = Province.objects.get(slug="jatim")
    kalsel = Province.objects.get(slug="kalsel")
    overdue = queries.overdue_action_items(jatim, demo.DEMO_TODAY)
    assert [item.title for item in overdue] == [
        "Laporan realisasi pasokan per semester",
        "Membuka gerai produk unggulan Jawa Timur di Banjarmasin",
        "Evaluasi pelaksanaan nota kesepakatan tahun ketiga",
    ]
    # South Kalimantan is party to all three: the same reminders.
    assert queries.overdue_action_items(kalsel, demo.DEMO_TODAY) == overdue
    statuses = [item.status for a in Agreement.all_objects.all() for item in a.action_items.all()]
    assert statuses.count(ActionItemStatus.DONE) == 4
    # The validity flags on the demo day: the MoU in force, one PKS expiring, one expired.
    flags = {
        a.kind + a.title[:30]: queries.validity(a, demo.DEMO_TODAY)
        for a in Agreement.all_objects.all()
    }
    assert sorted(flags.values()) == ["active", "expired", "expiring"]


def test_a_second_run_changes_nothing(world):
    before = Agreement.all_objects.count()
    lines: list[str] = []
    demo.load(out=lines.append)
    assert Agreement.all_objects.count() == before == 3
    assert "(0 recorded now)" in lines[0]
