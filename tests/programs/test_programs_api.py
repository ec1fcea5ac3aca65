"""The programs API: programs, cohorts, enrolments and certificates by token, and the
public certificate check. Another province's program answers 404, like an unknown one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from niaga.programs.models import Attendance, Certificate, EnrolmentStatus
from tests.api.conftest import bearer
from tests.conftest import make_user
from tests.programs.factories import make_enrolment
from tests.programs.training_world import build_side

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def world(jatim, kalsel, opop_jatim, opop_kalsel):
    """Jatim: a cohort of 3 seats, Ahmad and Siti enrolled (Ahmad completed with a
    certificate, present at 4 of 5 sessions), Rizki waiting; Kalsel: its own cohort
    with a certificate."""
    jatim_side = build_side(
        jatim, opop_jatim, ["Ahmad Fauzi", "Siti Aminah", "Muhammad Rizki", "Nur Hidayah"]
    )
    kalsel_side = build_side(kalsel, opop_kalsel, ["Rahmat Hidayat"])
    with scopes_disabled():
        ahmad, siti, rizki, _nur = jatim_side.people
        completed = make_enrolment(
            jatim_side.cohort,
            ahmad,
            status=EnrolmentStatus.COMPLETED,
            score=85,
            completed_on=dt.date(2024, 3, 8),
        )
        make_enrolment(jatim_side.cohort, siti)
        make_enrolment(
            jatim_side.cohort,
            rizki,
            status=EnrolmentStatus.WAITING,
            waiting_since=timezone.now(),
        )
        for session in jatim_side.sessions:
            Attendance.objects.create(
                province=jatim,
                session=session,
                enrolment=completed,
                present=session.number != 5,
            )
        Certificate.objects.create(province=jatim, enrolment=completed, code="7K3MQ9TX2HBD")
        kalsel_enrolment = make_enrolment(
            kalsel_side.cohort,
            kalsel_side.people[0],
            status=EnrolmentStatus.COMPLETED,
            score=90,
            completed_on=dt.date(2024, 3, 8),
        )
        Certificate.objects.create(
            province=kalsel,
            enrolment=kalsel_enrolment,
            code="AAAABBBBCCCC",
            revoked_at=timezone.now(),
            revoked_reason="Data peserta keliru",
        )
    return jatim_side, kalsel_side


def test_a_token_lists_only_the_programs_its_user_may_read(
    client, world, jatim_program_officer, national_viewer
):
    answer = client.get("/api/v1/programs/", headers=bearer(jatim_program_officer))
    assert answer.status_code == 200
    assert [p["slug"] for p in answer.json()["items"]] == ["opop-jatim"]
    answer = client.get("/api/v1/programs/", headers=bearer(national_viewer))
    assert [p["slug"] for p in answer.json()["items"]] == ["opop-jatim", "opop-kalsel"]


def test_a_program_with_its_curriculum(client, world, jatim_program_officer):
    answer = client.get("/api/v1/programs/opop-jatim", headers=bearer(jatim_program_officer))
    assert answer.status_code == 200
    body = answer.json()
    assert {k: body[k] for k in ("slug", "name", "province", "launch_date", "status")} == {
        "slug": "opop-jatim",
        "name": "OPOP Jawa Timur",
        "province": "35",
        "launch_date": "2019-08-07",
        "status": "active",
    }
    assert body["replicated_from"] is None
    assert [(m["order"], m["title"]) for m in body["modules"]] == [
        (1, "Koperasi pesantren"),
        (2, "Pemasaran digital"),
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/programs/opop-kalsel",
        "/api/v1/programs/opop-kalsel/cohorts",
        "/api/v1/programs/opop-kalsel/certificates",
        "/api/v1/programs/tidak-ada",
    ],
)
def test_another_provinces_program_answers_404_like_an_unknown_one(
    client, world, jatim_program_officer, path
):
    answer = client.get(path, headers=bearer(jatim_program_officer))
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/problem+json"


def test_another_provinces_cohort_answers_404_under_ones_own_program(
    client, world, jatim_program_officer
):
    _jatim, kalsel_side = world
    answer = client.get(
        f"/api/v1/programs/opop-jatim/cohorts/{kalsel_side.cohort.pk}/enrolments",
        headers=bearer(jatim_program_officer),
    )
    assert answer.status_code == 404


def test_cohorts_with_their_seats(client, world, jatim_program_officer):
    jatim_side, _kalsel = world
    answer = client.get(
        "/api/v1/programs/opop-jatim/cohorts", headers=bearer(jatim_program_officer)
    )
    assert answer.json() == {
        "count": 1,
        "items": [
            {
                "id": jatim_side.cohort.pk,
                "course": "Santripreneur Berbasis Koperasi",
                "delivery_mode": "in_class",
                "name": "Angkatan 2024-1",
                "starts_on": "2024-03-04",
                "ends_on": "2024-03-08",
                "venue": "UNUSA, Surabaya",
                "online": False,
                "trainers": ["Dr. Hasan Basri", "Ibu Laila Rahmawati"],
                "capacity": 3,
                "status": "planned",
                "enrolled": 2,
                "waiting": 1,
                "sessions": 5,
            }
        ],
    }


def test_enrolments_with_attendance_waiting_position_and_certificate(
    client, world, jatim_program_officer
):
    jatim_side, _kalsel = world
    ahmad, siti, rizki, _nur = jatim_side.people
    answer = client.get(
        f"/api/v1/programs/opop-jatim/cohorts/{jatim_side.cohort.pk}/enrolments",
        headers=bearer(jatim_program_officer),
    )
    items = {row["full_name"]: row for row in answer.json()["items"]}
    assert answer.json()["count"] == 3
    assert {k: v for k, v in items["Ahmad Fauzi"].items() if k != "id"} == {
        "person_id": ahmad.pk,
        "full_name": "Ahmad Fauzi",
        "status": "completed",
        "waiting_position": None,
        "sessions_attended": 4,
        "score": 85,
        "completed_on": "2024-03-08",
        "certificate_code": "7K3M-Q9TX-2HBD",
    }
    assert (items["Siti Aminah"]["status"], items["Siti Aminah"]["certificate_code"]) == (
        "enrolled",
        None,
    )
    assert (items["Muhammad Rizki"]["status"], items["Muhammad Rizki"]["waiting_position"]) == (
        "waiting",
        1,
    )
    assert items["Muhammad Rizki"]["person_id"] == rizki.pk
    assert items["Siti Aminah"]["person_id"] == siti.pk


def test_enrolling_takes_the_last_seat_then_the_waiting_list(client, world, jatim_program_officer):
    from tests.registry.factories import make_person

    jatim_side, _kalsel = world
    with scopes_disabled():
        jatim_side.cohort.capacity = 2  # Siti holds one seat; one is free
        jatim_side.cohort.save()
        late = make_person(jatim_side.province, full_name="Fatimah Zahra")
    nur = jatim_side.people[3]
    url = f"/api/v1/programs/opop-jatim/cohorts/{jatim_side.cohort.pk}/enrolments"
    headers = bearer(jatim_program_officer)

    def enrol(person):
        return client.post(
            url, {"person_id": person.pk}, content_type="application/json", headers=headers
        )

    answer = enrol(nur)
    assert answer.status_code == 201
    assert {k: answer.json()[k] for k in ("full_name", "status", "waiting_position")} == {
        "full_name": "Nur Hidayah",
        "status": "enrolled",
        "waiting_position": None,
    }
    answer = enrol(late)
    assert answer.status_code == 201
    # Rizki was waiting first: Fatimah is second in line.
    assert {k: answer.json()[k] for k in ("full_name", "status", "waiting_position")} == {
        "full_name": "Fatimah Zahra",
        "status": "waiting",
        "waiting_position": 2,
    }
    again = enrol(nur)
    assert again.status_code == 422
    assert [(e["field"], e["rule"]) for e in again.json()["errors"]] == [
        ("person", "already_enrolled")
    ]


def test_enrolling_a_person_of_another_province_or_unknown_is_refused(
    client, world, jatim_program_officer
):
    jatim_side, kalsel_side = world
    url = f"/api/v1/programs/opop-jatim/cohorts/{jatim_side.cohort.pk}/enrolments"
    headers = bearer(jatim_program_officer)
    for person_id in (kalsel_side.people[0].pk, 999_999):
        answer = client.post(
            url, {"person_id": person_id}, content_type="application/json", headers=headers
        )
        assert answer.status_code == 422
        (error,) = answer.json()["errors"]
        assert error["field"] == "person_id"
        assert error["message"] == "No person with this id in the province's registry."
    with scopes_disabled():
        assert jatim_side.cohort.enrolments.count() == 3


def test_a_viewer_reads_but_cannot_enrol(client, world, jatim):
    from niaga.accounts.models import Role

    jatim_side, _kalsel = world
    viewer = make_user("jatim-lihat", province=jatim, roles=[Role.VIEWER])
    url = f"/api/v1/programs/opop-jatim/cohorts/{jatim_side.cohort.pk}/enrolments"
    assert client.get(url, headers=bearer(viewer)).status_code == 200
    answer = client.post(
        url,
        {"person_id": jatim_side.people[3].pk},
        content_type="application/json",
        headers=bearer(viewer),
    )
    assert answer.status_code == 404
    with scopes_disabled():
        assert jatim_side.cohort.enrolments.count() == 3


def test_certificates_of_a_program(client, world, jatim_program_officer):
    answer = client.get(
        "/api/v1/programs/opop-jatim/certificates", headers=bearer(jatim_program_officer)
    )
    (item,) = answer.json()["items"]
    assert {
        k: item[k] for k in ("code", "status", "holder", "course", "cohort", "completed_on")
    } == {
        "code": "7K3M-Q9TX-2HBD",
        "status": "valid",
        "holder": "Ahmad Fauzi",
        "course": "Santripreneur Berbasis Koperasi",
        "cohort": "Angkatan 2024-1",
        "completed_on": "2024-03-08",
    }


@pytest.mark.parametrize("code", ["7K3MQ9TX2HBD", "7k3m-q9tx-2hbd", "7K3M Q9TX 2HBD"])
def test_anyone_verifies_a_valid_certificate_without_a_token(client, world, code):
    answer = client.get(f"/api/v1/certificates/{code}")
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "valid",
        "holder": "Ahmad Fauzi",
        "course": "Santripreneur Berbasis Koperasi",
        "program": "OPOP Jawa Timur",
        "completed_on": "2024-03-08",
    }


def test_a_revoked_certificate_says_so_and_a_forged_code_is_unknown(client, world):
    revoked = client.get("/api/v1/certificates/AAAA-BBBB-CCCC")
    assert revoked.json() == {
        "status": "revoked",
        "holder": "Rahmat Hidayat",
        "course": "Santripreneur Berbasis Koperasi",
        "program": "OPOP Kalimantan Selatan",
        "completed_on": "2024-03-08",
    }
    for forged in ("7K3MQ9TX2HBE", "NOT-A-CODE", "0" * 12):
        answer = client.get(f"/api/v1/certificates/{forged}")
        assert answer.status_code == 404
        assert answer["Content-Type"] == "application/problem+json"


def test_cohort_and_enrolment_lists_cost_the_same_queries_with_more_rows(
    client, world, jatim_program_officer
):
    from tests.registry.factories import make_person

    jatim_side, _kalsel = world
    headers = bearer(jatim_program_officer)
    urls = [
        "/api/v1/programs/opop-jatim/cohorts",
        f"/api/v1/programs/opop-jatim/cohorts/{jatim_side.cohort.pk}/enrolments",
        "/api/v1/programs/opop-jatim/certificates",
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, headers=headers).status_code == 200
            result.append(len(queries))
        return result

    counts()  # warm the token and permission caches
    few = counts()
    with scopes_disabled():
        for n in range(8):
            person = make_person(jatim_side.province, full_name=f"Santri Tambahan {n}")
            enrolment = make_enrolment(
                jatim_side.cohort,
                person,
                status=EnrolmentStatus.COMPLETED,
                completed_on=dt.date(2024, 3, 8),
            )
            Certificate.objects.create(
                province=jatim_side.province, enrolment=enrolment, code=f"ZZZZZZZZZZ{n:02d}"
            )
    assert counts() == few


# --- Indicators and the dashboard ---------------------------------------------------


@pytest.fixture
def fixed_day(monkeypatch):
    """28 November 2026, 10.00 WIB: the dashboard's "now"."""
    moment = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


@pytest.fixture
def indicators(jatim, opop_jatim, opop_kalsel, fixed_day):
    """Santripreneurs entered for 2021–2024 (100, 200, 300, 400; a straight line),
    target 600 for 2026; products entered for 2025 only (one value: no forecast)."""
    from niaga.programs.models import IndicatorFigure, IndicatorSource, Target
    from tests.programs.factories import make_indicator

    with scopes_disabled():
        santri = make_indicator(
            opop_jatim, "santripreneurs", source=IndicatorSource.ENTERED, order=1
        )
        for year, value in ((2021, 100), (2022, 200), (2023, 300), (2024, 400)):
            IndicatorFigure.objects.create(
                province=jatim,
                indicator=santri,
                as_of=dt.date(year, 12, 31),
                value=value,
                source_note="Dinas KUKM Jatim",
            )
        Target.objects.create(province=jatim, indicator=santri, year=2026, value=600)
        products = make_indicator(opop_jatim, "products", source=IndicatorSource.ENTERED, order=2)
        IndicatorFigure.objects.create(
            province=jatim,
            indicator=products,
            as_of=dt.date(2025, 12, 31),
            value=450,
            source_note="Dinas KUKM Jatim",
        )
        make_indicator(opop_kalsel, "santripreneurs", source=IndicatorSource.ENTERED)
    return santri, products


def test_the_dashboard_gives_actual_target_and_forecast(client, indicators, jatim_program_officer):
    answer = client.get(
        "/api/v1/programs/opop-jatim/dashboard", headers=bearer(jatim_program_officer)
    )
    assert answer.status_code == 200
    body = answer.json()
    assert (body["program"], body["province"], body["as_of"]) == ("opop-jatim", "35", "2026-11-28")
    santri, products = body["indicators"]
    assert {k: santri[k] for k in ("key", "source", "unit", "actual", "target", "target_year")} == {
        "key": "santripreneurs",
        "source": "entered",
        "unit": "count",
        "actual": 400,
        "target": 600,
        "target_year": 2026,
    }
    # A straight line of +100 a year from 400 in 2024 reaches 600 in 2026, exactly.
    assert santri["forecast"] == {
        "year": 2026,
        "value": 600,
        "low": 600,
        "high": 600,
        "method": "linear_trend",
        "years_used": [2021, 2022, 2023, 2024],
    }
    assert santri["verdict"] == {"kind": "on_track", "gap": 0}
    assert [(p["year"], p["value"]) for p in santri["series"]] == [
        (2019, None),
        (2020, None),
        (2021, 100),
        (2022, 200),
        (2023, 300),
        (2024, 400),
        (2025, None),
        (2026, None),
    ]
    assert (products["actual"], products["target"], products["forecast"]) == (450, None, None)
    assert products["verdict"]["kind"] == "no_target"


def test_the_dashboard_of_another_province_answers_404(client, indicators, jatim_program_officer):
    answer = client.get(
        "/api/v1/programs/opop-kalsel/dashboard", headers=bearer(jatim_program_officer)
    )
    assert answer.status_code == 404


def test_indicators_with_figures_and_targets(client, indicators, jatim_program_officer):
    answer = client.get(
        "/api/v1/programs/opop-jatim/indicators", headers=bearer(jatim_program_officer)
    )
    santri, products = answer.json()["items"]
    assert [(f["as_of"], f["value"], f["source_note"]) for f in santri["figures"]] == [
        ("2021-12-31", 100, "Dinas KUKM Jatim"),
        ("2022-12-31", 200, "Dinas KUKM Jatim"),
        ("2023-12-31", 300, "Dinas KUKM Jatim"),
        ("2024-12-31", 400, "Dinas KUKM Jatim"),
    ]
    assert santri["targets"] == [{"year": 2026, "regency": None, "value": 600}]
    assert products["targets"] == []


def test_an_officer_records_a_figure_and_the_dashboard_follows(
    client, indicators, jatim_program_officer
):
    headers = bearer(jatim_program_officer)
    answer = client.post(
        "/api/v1/programs/opop-jatim/indicators/santripreneurs/figures",
        {"as_of": "2025-12-31", "value": 450, "source_note": "BPS Jatim"},
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 201
    assert {k: answer.json()[k] for k in ("as_of", "value", "source_note", "regency")} == {
        "as_of": "2025-12-31",
        "value": 450,
        "source_note": "BPS Jatim",
        "regency": None,
    }
    santri = client.get("/api/v1/programs/opop-jatim/dashboard", headers=headers).json()[
        "indicators"
    ][0]
    assert santri["actual"] == 450
    # 2022–2025 (200, 300, 400, 450): least squares through the mean (2023.5,
    # 337.5) with slope 425/5 = 85, at 2026: 337.5 + 2.5 × 85 = 550; the
    # year-on-year changes 50..100 from 450 in 2025 give 500..550.
    assert (santri["forecast"]["value"], santri["forecast"]["low"], santri["forecast"]["high"]) == (
        550,
        500,
        550,
    )
    assert santri["verdict"] == {"kind": "short", "gap": 50}


def test_a_figure_in_the_future_or_without_source_is_refused_and_nothing_saved(
    client, indicators, jatim_program_officer
):
    from niaga.programs.models import IndicatorFigure

    headers = bearer(jatim_program_officer)
    url = "/api/v1/programs/opop-jatim/indicators/santripreneurs/figures"
    answer = client.post(
        url,
        {"as_of": "2027-01-01", "value": 1, "source_note": "BPS"},
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["as_of"]
    answer = client.post(
        url,
        {"as_of": "2025-06-30", "value": 1, "source_note": "  "},
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["source_note"]
    with scopes_disabled():
        assert IndicatorFigure.objects.filter(indicator=indicators[0]).count() == 4


def test_a_viewer_cannot_record_a_figure_and_an_unknown_indicator_is_404(
    client, indicators, jatim, jatim_program_officer
):
    from niaga.accounts.models import Role

    viewer = make_user("jatim-lihat", province=jatim, roles=[Role.VIEWER])
    body = {"as_of": "2025-12-31", "value": 450, "source_note": "BPS Jatim"}
    answer = client.post(
        "/api/v1/programs/opop-jatim/indicators/santripreneurs/figures",
        body,
        content_type="application/json",
        headers=bearer(viewer),
    )
    assert answer.status_code == 404
    answer = client.post(
        "/api/v1/programs/opop-jatim/indicators/sosiopreneurs/figures",
        body,
        content_type="application/json",
        headers=bearer(jatim_program_officer),
    )
    assert answer.status_code == 404
