"""The public transparency page (opt-in, public missions only, no contact data)
and the realization and report API."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scopes_disabled

from niaga.audit.models import AuditEvent
from niaga.core.money import format_rupiah
from niaga.missions.models import Mission
from niaga.reports import domain, queries
from tests.api.conftest import bearer
from tests.reports.conftest import M

pytestmark = pytest.mark.django_db

PUBLIC = "/transparansi/uji-misi/"
API = "/api/v1/missions/uji-misi"


def _make_public(mission, value=True):
    with scopes_disabled():
        Mission.objects.filter(pk=mission.pk).update(is_public=value)
    mission.is_public = value


# --- transparency_set ---------------------------------------------------------------


def test_only_a_public_mission_can_be_published(world, jatim_admin):
    with pytest.raises(ValidationError) as error:
        domain.transparency_set(actor=jatim_admin, mission=world.mission, is_published=True)
    assert error.value.error_dict["is_published"][0].code == "not_public"
    assert not queries.is_published(world.mission)


def test_only_the_organisers_managers_may_publish(world, jatim_desk, kalsel_admin, jatim_admin):
    _make_public(world.mission)
    for user in (jatim_desk, kalsel_admin):
        with pytest.raises(PermissionDenied):
            domain.transparency_set(actor=user, mission=world.mission, is_published=True)
    domain.transparency_set(actor=jatim_admin, mission=world.mission, is_published=True)
    assert queries.is_published(world.mission)
    # Again: nothing changes, no second audit event.
    domain.transparency_set(actor=jatim_admin, mission=world.mission, is_published=True)
    with scopes_disabled():
        events = list(
            AuditEvent.objects.filter(action__startswith="reports.transparency").values_list(
                "action", "actor__username"
            )
        )
    assert events == [("reports.transparency.published", "jatim-admin")]
    domain.transparency_set(actor=jatim_admin, mission=world.mission, is_published=False)
    assert not queries.is_published(world.mission)


# --- the public page ------------------------------------------------------------------


def test_the_public_page_is_404_unless_published(client, world, jatim_admin):
    assert client.get(PUBLIC).status_code == 404
    _make_public(world.mission)
    assert client.get(PUBLIC).status_code == 404  # public board, page not published
    domain.transparency_set(actor=jatim_admin, mission=world.mission, is_published=True)
    response = client.get(PUBLIC)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="public-committed">{format_rupiah(59 * M)}<' in html
    assert f'id="public-paid">{format_rupiah(42 * M)}<' in html
    assert "UD Telur Makmur" in html and "PT Borneo Pangan" in html
    for secret in ("Budi Santoso", "Siti Rahmah", "0812", "5000 4321"):
        assert secret not in html
    # A mission no longer public loses its page.
    _make_public(world.mission, False)
    assert client.get(PUBLIC).status_code == 404
    assert client.get("/transparansi/kalsel-sulsel/").status_code == 404


def test_the_toggle_on_the_report_page(client, world, jatim_admin, jatim_desk):
    _make_public(world.mission)
    url = "/province/jatim/realization/missions/uji-misi/transparency/"
    client.force_login(jatim_desk)
    assert client.post(url, {"is_published": "1"}).status_code == 404
    assert not queries.is_published(world.mission)
    client.force_login(jatim_admin)
    response = client.post(url, {"is_published": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/province/jatim/realization/missions/uji-misi/report/"
    assert queries.is_published(world.mission)
    page = client.get(response["Location"]).content.decode()
    assert 'id="public-page-link">/transparansi/uji-misi/<' in page
    client.post(url, {"is_published": "0"})
    assert not queries.is_published(world.mission)


# --- API ------------------------------------------------------------------------------


def test_realization_answers_exactly_the_documented_shape(client, world, jatim_desk):
    response = client.get(f"{API}/realization", headers=bearer(jatim_desk))
    assert response.status_code == 200
    assert response.json() == {
        "committed_idr": 59 * M,
        "delivered_idr": 43 * M,
        "paid_idr": 42 * M,
        "count_by_stage": {
            "potensi": 0,
            "komitmen": 1,
            "kontrak": 2,
            "terkirim": 0,
            "dibayar": 1,
            "batal": 1,
        },
    }


def test_realization_without_a_token_only_when_published(client, world, jatim_admin):
    response = client.get(f"{API}/realization")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    _make_public(world.mission)
    assert client.get(f"{API}/realization").status_code == 404
    domain.transparency_set(actor=jatim_admin, mission=world.mission, is_published=True)
    response = client.get(f"{API}/realization")
    assert response.status_code == 200
    assert response.json()["paid_idr"] == 42 * M
    assert (
        client.get(f"{API}/realization", headers={"Authorization": "Bearer nope"}).status_code
        == 401
    )


def test_another_province_gets_404_problems(client, world, sulsel_admin, jatim_desk):
    headers = bearer(sulsel_admin)
    for tail in ("realization", "report.pdf", "report.xlsx"):
        response = client.get(f"{API}/{tail}", headers=headers)
        assert response.status_code == 404
        assert response.json()["type"] == "/api/v1/docs#problem-not-found"
    # Jatim's token does not reach Kalsel's mission either.
    for tail in ("realization", "report.pdf", "report.xlsx"):
        assert (
            client.get(
                f"/api/v1/missions/kalsel-sulsel/{tail}", headers=bearer(jatim_desk, "x")
            ).status_code
            == 404
        )
    assert client.get("/api/v1/missions/no-such/realization", headers=headers).status_code == 404


def test_report_of_a_private_mission_needs_a_token(client, world, jatim_desk):
    from pypdf import PdfReader

    assert client.get(f"{API}/report.pdf").status_code == 404
    response = client.get(f"{API}/report.pdf?lang=en", headers=bearer(jatim_desk))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "IDR 59,000,000,000" in text
    assert "0812*****890" in text  # the team's copy, phone masked


def test_report_of_a_public_mission_needs_no_token_and_has_no_contacts(client, world):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    _make_public(world.mission)
    response = client.get(f"{API}/report.pdf")
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert format_rupiah(59 * M, language="id") in text
    for secret in ("Budi Santoso", "0812", "Siti Rahmah"):
        assert secret not in text
    response = client.get(f"{API}/report.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    cells = " ".join(
        str(v)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
        if v is not None
    )
    assert str(59 * M) in cells
    for secret in ("Budi Santoso", "0812", "Siti Rahmah"):
        assert secret not in cells
