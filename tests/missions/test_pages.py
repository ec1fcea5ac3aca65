"""The officers' mission pages: list, create, detail, status and announcements."""

import re
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from niaga.missions import domain
from niaga.missions.domain import DealInput
from niaga.missions.models import Mission, MissionStatus, Snapshot
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"province:{name}", kwargs=kwargs)


def record(mission, sellers, buyers, user, value=1_500_000_000, commodity="Telur ayam ras"):
    return domain.deal_record(
        actor=user,
        mission=mission,
        key=str(uuid.uuid4()),
        data=DealInput(
            direction="sell",
            seller_id=sellers[0].pk,
            buyer_id=buyers[0].pk,
            commodity=commodity,
            value_idr=value,
            stage="komitmen",
        ),
    )[0]


def test_the_list_shows_organised_and_hosted_missions(client, mission, kalsel_viewer, jatim_desk):
    client.force_login(jatim_desk)
    page = client.get(url("missions", province="jatim")).content.decode()
    assert "Misi uji uji-misi" in page and "Penyelenggara, ke Kalimantan Selatan" in page
    client.force_login(kalsel_viewer)
    page = client.get(url("missions", province="kalsel")).content.decode()
    assert "Misi uji uji-misi" in page and "Tuan rumah, untuk Jawa Timur" in page


def test_other_provinces_see_nothing(client, mission, jatim):
    bali_admin = make_user(
        "bali-admin", province=jatim.__class__.objects.get(slug="bali"), roles=["province_admin"]
    )
    client.force_login(bali_admin)
    assert "uji-misi" not in client.get(url("missions", province="bali")).content.decode()
    assert client.get(url("mission", province="bali", slug="uji-misi")).status_code == 404
    assert client.get(url("mission", province="jatim", slug="uji-misi")).status_code == 404


def test_a_manager_creates_a_mission_in_the_hosts_time(client, jatim, jatim_admin):
    client.force_login(jatim_admin)
    response = client.post(
        url("mission_create", province="jatim"),
        {
            "name": "Misi Dagang Jawa Timur – Kalimantan Timur",
            "slug": "jatim-kaltim-2026",
            "host": "64",
            "host_regency": "64.71",
            "venue": "Hotel Novotel Balikpapan",
            "date": "2026-12-10",
            "opens": "10:00",
            "closes": "18:00",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    with scope(
        province=jatim_admin.memberships.model.objects.model._meta.apps.get_model(
            "regions", "Province"
        ).objects.get(slug="jatim")
    ):
        mission = Mission.objects.get(slug="jatim-kaltim-2026")
    assert mission.opens_at.isoformat() == "2026-12-10T02:00:00+00:00"  # 10.00 WITA
    assert mission.status == MissionStatus.PLANNED and mission.is_public
    detail = client.get(response["Location"]).content.decode()
    assert "10 Desember 2026, 10.00 WITA" in detail


def test_bad_mission_forms_change_nothing(client, jatim, jatim_admin):
    client.force_login(jatim_admin)
    response = client.post(
        url("mission_create", province="jatim"),
        {
            "name": "X",
            "slug": "x-2026",
            "host": "64",
            "host_regency": "63.71",
            "venue": "V",
            "date": "2026-12-10",
            "opens": "18:00",
            "closes": "10:00",
        },
    )
    assert set(response.context["form"].errors) == {"host_regency", "closes"}
    # Organising a mission in one's own province is not offered.
    response = client.post(url("mission_create", province="jatim"), {"host": "35"})
    assert "host" in response.context["form"].errors
    with scope(province=jatim):
        assert not Mission.objects.exists()


def test_desk_officers_and_hosts_cannot_create_or_manage(client, mission, jatim_desk, kalsel_admin):
    client.force_login(jatim_desk)
    assert client.get(url("mission_create", province="jatim")).status_code == 404
    assert (
        client.post(
            url("mission_status", province="jatim", slug="uji-misi"), {"status": "closed"}
        ).status_code
        == 404
    )
    client.force_login(kalsel_admin)  # the host sees the mission but does not run it
    assert client.get(url("mission", province="kalsel", slug="uji-misi")).status_code == 200
    assert (
        client.post(url("mission_announce", province="kalsel", slug="uji-misi")).status_code == 404
    )
    mission.refresh_from_db()
    assert mission.status == MissionStatus.OPEN


def test_detail_shows_exact_totals_breakdowns_and_announcements(
    client, mission, sellers, buyers, jatim_desk, jatim_admin
):
    record(mission, sellers, buyers, jatim_desk, 147_312_766_000, "Telur ayam ras")
    client.force_login(jatim_admin)
    client.post(url("mission_announce", province="jatim", slug="uji-misi"))
    record(mission, sellers, buyers, jatim_desk, 9_000_000, "Kopi robusta")
    page = client.get(url("mission", province="jatim", slug="uji-misi")).content.decode()
    assert "Rp 147,3 miliar" in page and "Rp 147.321.766.000" in page
    assert 'id="total-count">2<' in page
    assert "Kabupaten Blitar" in page  # regency of origin of the seller
    with scope(province=mission.organiser):
        [announced] = Snapshot.objects.all()
    assert announced.total_idr == 147_312_766_000 and announced.count == 1
    snapshots = page.split('id="snapshots"', 1)[1].split("</ul>", 1)[0]
    assert re.search(r"<strong>\d\d\.\d\d WITA</strong>: Rp 147\.312\.766\.000", snapshots)
    filtered = client.get(url("mission", province="jatim", slug="uji-misi"), {"q": "kopi"})
    assert [d.commodity for d in filtered.context["page"]] == ["Kopi robusta"]


def test_status_moves_and_reopening_is_audited(client, mission, jatim_admin):
    from niaga.audit.models import AuditEvent

    client.force_login(jatim_admin)
    client.post(url("mission_status", province="jatim", slug="uji-misi"), {"status": "closed"})
    client.post(url("mission_status", province="jatim", slug="uji-misi"), {"status": "open"})
    response = client.post(
        url("mission_status", province="jatim", slug="uji-misi"), {"status": "planned"}
    )
    assert response.status_code == 302
    mission.refresh_from_db()
    assert mission.status == MissionStatus.OPEN
    with scope(province=mission.organiser):
        actions = list(
            AuditEvent.objects.filter(action__startswith="missions.mission")
            .order_by("id")
            .values_list("action", flat=True)
        )
    assert actions == [
        "missions.mission.created",
        "missions.mission.opened",
        "missions.mission.closed",
        "missions.mission.reopened",
    ]


def test_detail_query_count_does_not_grow_with_deals(
    client, mission, sellers, buyers, jatim_desk, jatim_admin
):
    client.force_login(jatim_admin)
    page_url = url("mission", province="jatim", slug="uji-misi")

    def queries() -> int:
        cache.clear()  # the same cache state for both counts (sessions live there too)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page_url).status_code == 200
        return len(captured)

    record(mission, sellers, buyers, jatim_desk)
    few = queries()
    for n in range(30):
        record(mission, sellers, buyers, jatim_desk, 1_000_000 + n, f"Komoditas {n}")
    assert queries() == few


def test_a_manager_edits_a_mission_and_a_stale_form_is_refused(client, jatim, mission, jatim_admin):
    from niaga.audit.models import AuditEvent

    client.force_login(jatim_admin)
    edit = url("mission_edit", province="jatim", slug="uji-misi")
    form = client.get(edit)
    expected = form.context["expected"]
    assert form.context["form"].initial["opens"].strftime("%H:%M") == "11:00"  # WITA
    changes = {
        "name": "Misi Dagang Jatim – Kalsel",
        "host_regency": "63.72",
        "venue": "Hotel A",
        "date": "2022-04-14",
        "opens": "09:00",
        "closes": "17:00",
        "expected": expected,
    }
    assert client.post(edit, changes).status_code == 302
    mission.refresh_from_db()
    assert (mission.name, mission.host_regency_id, mission.venue) == (
        "Misi Dagang Jatim – Kalsel",
        "63.72",
        "Hotel A",
    )
    assert mission.opens_at.isoformat() == "2022-04-14T01:00:00+00:00"
    assert not mission.is_public and mission.slug == "uji-misi"
    # A second officer's form, opened before that save, cannot overwrite it.
    stale = client.post(edit, {**changes, "venue": "Hotel B"}, follow=True)
    assert "Orang lain mengubah misi dagang ini" in stale.content.decode()
    mission.refresh_from_db()
    assert mission.venue == "Hotel A"
    with scope(province=jatim):
        [event] = AuditEvent.objects.filter(action="missions.mission.changed")
    assert event.before["venue"] == "Galaxy Hotel" and event.after["venue"] == "Hotel A"


def test_only_managers_edit_and_regencies_stay_in_the_host(
    client, mission, jatim_desk, jatim_admin
):
    edit = url("mission_edit", province="jatim", slug="uji-misi")
    client.force_login(jatim_desk)
    assert client.get(edit).status_code == 404
    client.force_login(jatim_admin)
    expected = client.get(edit).context["expected"]
    response = client.post(
        edit,
        {
            "name": "X",
            "host_regency": "35.78",
            "venue": "V",
            "date": "2022-04-13",
            "opens": "11:00",
            "closes": "22:00",
            "expected": expected,
        },
    )
    assert "host_regency" in response.context["form"].errors


def test_regency_of_origin_is_the_organisers_side(client, mission, sellers, buyers, jatim_desk):
    from niaga.missions import queries

    record(mission, sellers, buyers, jatim_desk, 3_000_000_000)  # sale from Kabupaten Blitar
    domain.deal_record(  # a purchase by CV Kopi Ijen (Banyuwangi) from Kota Banjarmasin
        actor=jatim_desk,
        mission=mission,
        key=str(uuid.uuid4()),
        data=DealInput(
            direction="buy",
            seller_id=buyers[0].pk,
            buyer_id=sellers[1].pk,
            commodity="Batubara",
            value_idr=2_000_000_000,
            stage="kontrak",
        ),
    )
    rows = queries.by_regency(mission, queries.totals(mission).version)
    assert [(r["name"], r["total_idr"], r["count"]) for r in rows] == [
        ("Kabupaten Blitar", 3_000_000_000, 1),
        ("Kabupaten Banyuwangi", 2_000_000_000, 1),
    ]


@pytest.mark.parametrize("page", ["desk", "totals"])
def test_desk_and_totals_query_counts_do_not_grow_with_deals(
    client, mission, sellers, buyers, jatim_desk, page
):
    from niaga.missions.models import Mission as MissionModel

    MissionModel.objects.with_scopes_disabled().filter(pk=mission.pk).update(is_public=True)
    client.force_login(jatim_desk)
    address = (
        url("desk", province="jatim", slug="uji-misi")
        if page == "desk"
        else "/api/v1/missions/uji-misi/totals"
    )

    def queries() -> int:
        cache.clear()  # the same cache state for both counts (sessions live there too)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured)

    record(mission, sellers, buyers, jatim_desk)
    few = queries()
    for n in range(30):
        record(mission, sellers, buyers, jatim_desk, 1_000_000 + n, f"Komoditas {n}")
    assert queries() == few
