"""Home, About, health check, request log and security headers."""

import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_explains_niaga(client):
    page = client.get("/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "One Pesantren One Product" in text
    assert "Misi Dagang" in text
    assert 'href="/accounts/login/"' in text


def test_about_shows_version_licences_and_region_attribution(client):
    import niaga

    text = client.get("/about/").content.decode()
    assert niaga.__version__ in text
    assert "idn-area-data" in text
    assert "Open Database License (ODbL)" in text
    for component in ("django", "django-scopes", "babel", "gunicorn", "psycopg-binary"):
        assert f">{component}<" in text.lower(), component
    assert "BSD-3-Clause" in text  # Django's licence, read from its metadata


def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["cache"] == "ok"


def test_healthz_fails_when_the_cache_is_unreachable(client, monkeypatch):
    from niaga.core import views

    def unreachable(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(views.cache, "set", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() | {"version": ""} == {
        "status": "error",
        "database": "ok",
        "cache": "error",
        "version": "",
    }


def test_one_log_line_per_request_with_timing(client, caplog, jatim_desk):
    client.force_login(jatim_desk)
    with caplog.at_level(logging.INFO, logger="niaga.request"):
        client.get("/about/?nik=3578014107900001")
    [line] = [r.getMessage() for r in caplog.records if r.name == "niaga.request"]
    method, path, status, duration, user, _address = line.split(" ")
    assert (method, path, status, user) == ("GET", "/about/", "200", "user=jatim-desk")
    assert duration.endswith("ms") and float(duration[:-2]) >= 0
    assert "3578014107900001" not in line  # query strings can carry personal data


def test_a_path_cannot_forge_a_log_line(client, caplog):
    with caplog.at_level(logging.INFO, logger="niaga.request"):
        client.get("/about/%0A2026-11-28 INFO niaga.request POST /province/jatim/team/ 200")
    [record] = [r for r in caplog.records if r.name == "niaga.request"]
    line = record.getMessage()
    assert "\n" not in line
    assert "/about/\\n2026-11-28" in line


def test_content_security_policy_is_strict(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_have_no_inline_scripts_or_styles(client, jatim_admin):
    client.force_login(jatim_admin)
    for url in (
        "/",
        "/about/",
        "/province/jatim/",
        "/province/jatim/team/",
        "/province/jatim/audit/",
        reverse("accounts:password_change"),
    ):
        text = client.get(url).content.decode()
        assert "style=" not in text, url
        assert "<style" not in text, url
        for chunk in text.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), url


def test_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'href="/"' in response.content.decode()


def test_favicon_points_at_the_logo(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("niaga/img/logo.svg")
