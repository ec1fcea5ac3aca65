"""The import pages: the whole journey over HTTP, isolation, permissions, query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from niaga.accounts.models import Role
from niaga.regions.models import Regency
from niaga.registry.domain import imports as domain
from niaga.registry.models import ImportJob, Person
from niaga.registry.models.imports import ImportStatus
from tests.conftest import make_user
from tests.registry.factories import make_nik
from tests.registry.import_helpers import (
    PEOPLE_HEADER,
    csv_bytes,
    person_row,
    registry_counts,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploads of the test go to a temporary folder, not the data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages are read in English (the language switch's cookie); Indonesian is the lead's
    catalogue, tested where it is kept."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def url(name, province="jatim", **kwargs):
    return reverse(f"province:{name}", kwargs={"province": province, **kwargs})


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def surabaya(db):
    return Regency.objects.get(code="35.78")


@pytest.fixture
def people_file(surabaya):
    niks = [make_nik(surabaya, datetime.date(1990, 1, n + 1), serial=n + 1) for n in range(3)]
    rows = [PEOPLE_HEADER] + [person_row(f"Santri {n}", nik) for n, nik in enumerate(niks)]
    return csv_bytes(rows), niks


def test_the_whole_journey_over_http(
    client, jatim, jatim_registry, people_file, django_capture_on_commit_callbacks
):
    content, niks = people_file
    client.force_login(jatim_registry)
    with translation.override("en"):
        listing = client.get(url("import_list"))
    assert listing.status_code == 200
    response = client.post(
        url("import_list"), {"resource": "people", "file": upload(content, "santri.csv")}
    )
    with scopes_disabled():
        job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("import_job", job_id=job.pk)
    with translation.override("en"):
        mapping_page = client.get(response["Location"])
    text = page_text(mapping_page)
    assert "This is the official template: every column was recognised." in text
    assert 'name="column-1"' in text
    assert re.search(r'<option value="nik" selected>NIK</option>', text)
    response = client.post(
        url("import_map", job_id=job.pk),
        {f"column-{i}": key for i, key in job.mapping.items()},
    )
    assert response.status_code == 302
    with translation.override("en"):
        progress_page = page_text(client.get(url("import_job", job_id=job.pk)))
    assert 'hx-trigger="load delay:1s"' in progress_page
    assert "0 of 3 rows checked (0%)" in progress_page
    # The htmx poll checks the next chunk; at the end it sends the browser to the job page.
    poll = client.post(url("import_progress", job_id=job.pk), HTTP_HX_REQUEST="true")
    assert poll.status_code == 200
    assert poll["HX-Redirect"] == url("import_job", job_id=job.pk)
    with translation.override("en"):
        preview = page_text(client.get(url("import_job", job_id=job.pk)))
    assert "All 3 rows have no problem and can be saved together." in preview
    for nik in niks:
        assert nik not in preview
        assert f"{nik[:4]}********{nik[-4:]}" in preview
    assert "Santri 0" in preview
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url("import_commit", job_id=job.pk))
    assert done.status_code == 302
    # A double click: the second post changes nothing.
    client.post(url("import_commit", job_id=job.pk))
    with scope(province=jatim):
        assert Person.objects.count() == 3
    with translation.override("en"):
        finished = page_text(client.get(url("import_job", job_id=job.pk)))
    assert "3 rows were saved on" in finished
    assert "The uploaded file has been deleted." in finished


def test_progress_fragment_while_checking(client, jatim, jatim_registry, people_file, monkeypatch):
    content, _ = people_file
    monkeypatch.setattr(domain, "CHUNK_ROWS", 2)
    job = domain.import_job_create(
        actor=jatim_registry, province=jatim, resource="people", upload=upload(content)
    )
    domain.import_job_map(actor=jatim_registry, job=job, mapping=job.mapping)
    client.force_login(jatim_registry)
    with translation.override("en"):
        poll = client.post(url("import_progress", job_id=job.pk), HTTP_HX_REQUEST="true")
    assert poll.status_code == 200
    fragment = page_text(poll)
    assert fragment.startswith('<div id="import-progress"')
    assert "2 of 3 rows checked (66%)" in fragment
    assert '<progress id="import-progress-bar" class="w-100" max="100" value="66">' in fragment
    # Without htmx, the button does the same and comes back to the page.
    response = client.post(url("import_progress", job_id=job.pk))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.checked_rows) == (ImportStatus.READY, 3)


def test_a_broken_upload_shows_its_error_and_keeps_nothing(client, jatim, jatim_registry, settings):
    settings.NIAGA_IMPORT_MAX_BYTES = 2**20
    client.force_login(jatim_registry)
    before = registry_counts()
    with translation.override("en"):
        response = client.post(
            url("import_list"), {"resource": "people", "file": upload(b"x" * (2**20 + 10), "a.csv")}
        )
    assert response.status_code == 400
    assert "The file is 1,0 MB; at most 1,0 MB can be imported. Split it in parts." in page_text(
        response
    )
    with scopes_disabled():
        assert ImportJob.objects.count() == 0
    assert registry_counts() == before


def test_mapping_errors_are_shown(client, jatim, jatim_registry):
    job = domain.import_job_create(
        actor=jatim_registry,
        province=jatim,
        resource="people",
        upload=upload(csv_bytes([["Nama", "Kolom Aneh"], ["Siti", "x"]])),
    )
    client.force_login(jatim_registry)
    with translation.override("en"):
        response = client.post(url("import_map", job_id=job.pk), {"column-0": "full_name"})
    assert response.status_code == 400
    assert (
        "Required columns are missing: Peran, Jenis Kelamin. Map a file column to each, or add "
        "it to the file." in page_text(response)
    )
    job.refresh_from_db()
    assert job.status == ImportStatus.MAPPING
    # Mapping the columns by hand fixes it.
    with translation.override("en"):
        response = client.post(
            url("import_map", job_id=job.pk),
            {"column-0": "full_name", "column-1": "role"},
        )
    assert response.status_code == 400


def test_problems_are_paginated_with_line_column_and_rule(client, jatim, jatim_registry):
    rows = [PEOPLE_HEADER] + [person_row(f"Orang {n}", "123", gender="X") for n in range(30)]
    with translation.override("en"):
        job = domain.import_job_check_all(
            job=domain.import_job_map(
                actor=jatim_registry,
                job=(
                    created := domain.import_job_create(
                        actor=jatim_registry,
                        province=jatim,
                        resource="people",
                        upload=upload(csv_bytes(rows)),
                    )
                ),
                mapping=created.mapping,
            )
        )
    assert (job.status, job.issue_count, job.invalid_rows) == (ImportStatus.INVALID, 60, 30)
    client.force_login(jatim_registry)
    with translation.override("en"):
        first = page_text(client.get(url("import_job", job_id=job.pk)))
        second = page_text(client.get(url("import_job", job_id=job.pk) + "?page=2"))
    assert "60 problems" in first
    assert "30 rows have problems, so nothing can be saved yet." in first
    assert "Page 1 of 2" in first
    assert first.count('<code class="small">nik_format</code>') == 25
    assert second.count('<code class="small">choice</code>') == 5
    # The NIK cell is shown masked, even when it is too short to be a NIK.
    assert (
        '<tr><td class="num">2</td><td>NIK</td><td><code>***</code></td><td>A NIK is 16 digits, '
        "like 3578014107900001; this one has 3 digits.</td>" in first
    )


def test_discard_over_http(
    client, jatim, jatim_registry, people_file, django_capture_on_commit_callbacks
):
    content, _ = people_file
    job = domain.import_job_create(
        actor=jatim_registry, province=jatim, resource="people", upload=upload(content)
    )
    client.force_login(jatim_registry)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("import_discard", job_id=job.pk))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.stored_name) == (ImportStatus.DISCARDED, "")


@pytest.fixture
def both_jobs(jatim, kalsel, jatim_registry, kalsel_registry, people_file):
    content, _ = people_file
    jatim_job = domain.import_job_create(
        actor=jatim_registry, province=jatim, resource="people", upload=upload(content)
    )
    kalsel_rows = [PEOPLE_HEADER, person_row("Kalsel Satu", "", gender="P")]
    kalsel_job = domain.import_job_create(
        actor=kalsel_registry,
        province=kalsel,
        resource="people",
        upload=upload(csv_bytes(kalsel_rows), "kalsel.csv"),
    )
    return jatim_job, kalsel_job


JOB_PAGES = [
    ("get", "import_job"),
    ("post", "import_map"),
    ("post", "import_progress"),
    ("post", "import_commit"),
    ("post", "import_discard"),
]


@pytest.mark.parametrize(("method", "name"), JOB_PAGES)
def test_a_kalsel_officer_cannot_reach_a_jatim_job(
    client, both_jobs, kalsel_registry, method, name
):
    jatim_job, kalsel_job = both_jobs
    client.force_login(kalsel_registry)
    # Through Kalsel's own space: the Jatim job does not exist there.
    response = getattr(client, method)(url(name, "kalsel", job_id=jatim_job.pk))
    assert response.status_code == 404
    # Through Jatim's space: not a member.
    response = getattr(client, method)(url(name, "jatim", job_id=jatim_job.pk))
    assert response.status_code == 404
    jatim_job.refresh_from_db()
    assert jatim_job.status == ImportStatus.MAPPING
    # The officer's own job answers.
    assert client.get(url("import_job", "kalsel", job_id=kalsel_job.pk)).status_code == 200


def test_kalsel_list_shows_only_kalsel_jobs(client, both_jobs, kalsel_registry):
    client.force_login(kalsel_registry)
    text = page_text(client.get(url("import_list", "kalsel")))
    assert "kalsel.csv" in text
    assert "data.csv" not in text


@pytest.mark.parametrize(
    "role",
    [
        Role.VIEWER,
        Role.CURATOR,
        Role.DESK_OFFICER,
        Role.PRIVACY_OFFICER,
        Role.MISSION_MANAGER,
        Role.PESANTREN,
    ],
)
def test_roles_without_manage_registry_are_refused(client, jatim, both_jobs, role):
    jatim_job, _ = both_jobs
    user = make_user(f"jatim-{role}", province=jatim, roles=[role])
    client.force_login(user)
    assert client.get(url("import_list")).status_code == 404
    assert client.post(url("import_list"), {"resource": "people"}).status_code == 404
    for method, name in JOB_PAGES:
        assert getattr(client, method)(url(name, job_id=jatim_job.pk)).status_code == 404
    jatim_job.refresh_from_db()
    assert jatim_job.status == ImportStatus.MAPPING
    template = url("import_template", resource="people", fmt="csv")
    expected = 404 if role == Role.PESANTREN else 200
    assert client.get(template).status_code == expected


def test_national_viewer_may_not_import(client, both_jobs, national_viewer):
    jatim_job, _ = both_jobs
    client.force_login(national_viewer)
    assert client.get(url("import_list")).status_code == 404
    assert client.get(url("import_job", job_id=jatim_job.pk)).status_code == 404


def test_admin_may_import(client, jatim_admin, both_jobs):
    client.force_login(jatim_admin)
    assert client.get(url("import_list")).status_code == 200


def test_unknown_template_is_404(client, jatim_registry):
    client.force_login(jatim_registry)
    assert client.get(url("import_template", resource="people", fmt="pdf")).status_code == 404
    assert client.get(url("import_template", resource="users", fmt="csv")).status_code == 404


def test_list_query_count_does_not_grow_with_jobs(
    client, jatim, kalsel, jatim_registry, kalsel_registry
):
    rows = [PEOPLE_HEADER, person_row("Siti", "", gender="P")]

    def add(n):
        for _ in range(n):
            domain.import_job_create(
                actor=jatim_registry,
                province=jatim,
                resource="people",
                upload=upload(csv_bytes(rows)),
            )
            domain.import_job_create(
                actor=kalsel_registry,
                province=kalsel,
                resource="people",
                upload=upload(csv_bytes(rows)),
            )

    client.force_login(jatim_registry)
    add(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url("import_list")).status_code == 200
    add(4)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url("import_list"))
    assert (
        len(re.findall(r'href="/province/jatim/registry/imports/\d+/"', page_text(response))) == 6
    )
    assert len(small) == len(large)


def test_job_page_query_count_does_not_grow_with_problems(client, jatim, jatim_registry):
    def job_with(n):
        rows = [PEOPLE_HEADER] + [person_row(f"O {i}", "1") for i in range(n)]
        created = domain.import_job_create(
            actor=jatim_registry, province=jatim, resource="people", upload=upload(csv_bytes(rows))
        )
        return domain.import_job_check_all(
            job=domain.import_job_map(actor=jatim_registry, job=created, mapping=created.mapping)
        )

    client.force_login(jatim_registry)
    small_job, large_job = job_with(3), job_with(9)
    with CaptureQueriesContext(connection) as small:
        client.get(url("import_job", job_id=small_job.pk))
    with CaptureQueriesContext(connection) as large:
        client.get(url("import_job", job_id=large_job.pk))
    assert len(small) == len(large)
