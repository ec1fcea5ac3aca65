"""Importing people: NIK checked, encrypted, hashed and masked; consent rules; chunked checks."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.utils import translation
from django_scopes import scope, scopes_disabled

from niaga.core import personal_data
from niaga.regions.models import Regency
from niaga.registry.domain import imports as domain
from niaga.registry.models import Consent, ImportJob, Person
from niaga.registry.models.imports import ImportStatus
from tests.registry.factories import make_nik, make_person, make_pesantren
from tests.registry.import_helpers import (
    PEOPLE_HEADER,
    audit_actions,
    csv_bytes,
    issues_of,
    person_row,
    registry_counts,
    run_import,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploads of the test go to a temporary folder, not the data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def surabaya(db):
    return Regency.objects.get(code="35.78")


@pytest.fixture
def pesantren(jatim, surabaya):
    with scope(province=jatim):
        return make_pesantren(jatim, nspp="510035780001", regency=surabaya)


def test_people_land_with_nik_encrypted_hashed_and_masked(
    jatim, jatim_registry, surabaya, pesantren, django_capture_on_commit_callbacks
):
    siti = make_nik(surabaya, datetime.date(2005, 7, 1), female=True, serial=17)
    budi = make_nik(surabaya, datetime.date(1990, 3, 4), serial=2)
    content = csv_bytes(
        [
            PEOPLE_HEADER,
            person_row(
                "Siti  Aminah",
                siti,
                gender="P",
                birth="2005-07-01",
                phone="0812-3456-7890",
                email="siti@contoh.id",
                regency="35.78",
                nspp="510035780001",
                consent_on="2024-07-01",
                consent_by="wali",
                guardian="Abdul Karim",
                relation="ayah",
                pillar="santripreneur",
            ),
            person_row("Budi Santoso", budi, role="alumni", birth="04/03/1990", regency="3578"),
            person_row("Tanpa NIK", "", role="masyarakat", gender="perempuan"),
        ]
    )
    job = run_import(jatim_registry, jatim, "people", content, "orang.csv")
    assert job.status == ImportStatus.READY, issues_of(job)
    assert (job.total_rows, job.valid_rows, job.invalid_rows) == (3, 3, 0)
    stored = job.stored_name
    assert stored.startswith("private/imports/35/")
    assert default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        job = domain.import_job_commit(actor=jatim_registry, job=job)
    assert job.status == ImportStatus.COMMITTED
    assert job.created_rows == 3
    assert not default_storage.exists(stored)
    with scope(province=jatim):
        people = {p.full_name: p for p in Person.objects.all()}
        assert set(people) == {"Siti Aminah", "Budi Santoso", "Tanpa NIK"}
        person = people["Siti Aminah"]
        assert person.nik_masked == siti[:4] + "********" + siti[-4:]
        assert personal_data.decrypt(person.nik_encrypted) == siti
        assert person.nik_hash == personal_data.lookup_hash("nik", siti)
        assert siti not in person.nik_encrypted
        assert (person.gender, person.role, person.pillar) == ("female", "santri", "santripreneur")
        assert person.birth_date == datetime.date(2005, 7, 1)
        assert person.phone == "+6281234567890"
        assert person.pesantren_id == pesantren.pk
        assert person.regency_id == "35.78"
        consent = Consent.objects.get(person=person)
        assert (consent.purpose, consent.given_by, consent.guardian_name) == (
            "registry",
            "guardian",
            "Abdul Karim",
        )
        assert consent.given_on == datetime.date(2024, 7, 1)
        assert consent.recorded_by == jatim_registry
        assert people["Budi Santoso"].birth_date == datetime.date(1990, 3, 4)
        assert people["Budi Santoso"].role == "alumnus"
        assert people["Tanpa NIK"].nik_hash is None
        assert people["Tanpa NIK"].nik_masked == ""
    assert audit_actions(jatim)[-1] == "registry.import.commit"
    # A second commit (a double click) changes nothing.
    again = domain.import_job_commit(actor=jatim_registry, job=job)
    assert again.status == ImportStatus.COMMITTED
    with scope(province=jatim):
        assert Person.objects.count() == 3
    assert audit_actions(jatim).count("registry.import.commit") == 1


def test_bad_people_rows_are_listed_and_nothing_is_saved(
    jatim, jatim_registry, surabaya, pesantren
):
    taken = make_nik(surabaya, datetime.date(1980, 1, 1), serial=9)
    with scope(province=jatim):
        make_person(jatim, nik=taken, birth_date=datetime.date(1980, 1, 1))
    good = make_nik(surabaya, datetime.date(1991, 5, 6), serial=3)
    child = make_nik(surabaya, datetime.date(2012, 5, 6), serial=4)
    before = registry_counts()
    content = csv_bytes(
        [
            PEOPLE_HEADER,
            person_row("Satu", good, birth="1991-05-06"),  # 2
            person_row("Dua", good, birth="1991-05-06"),  # 3: same NIK as line 2
            person_row("Tiga", taken),  # 4: NIK already registered
            person_row("Empat", "1234"),  # 5: too short
            person_row("Lima", "9999014107900001"),  # 6: no regency 99.99
            person_row("Enam", good[:6] + "320290" + "0001"),  # 7: 32 February
            person_row(
                "Tujuh",
                child,
                birth="2012-05-06",
                consent_on="2024-01-01",
                consent_by="diri sendiri",
            ),  # 8
            person_row("Delapan", "", role="raja"),  # 9: unknown role
            person_row("Sembilan", "", nspp="510035789999"),  # 10: unknown pesantren
            person_row("Sepuluh", good[:12] + "0007", gender="P", birth="1991-05-06"),  # 11: gender
            person_row("", ""),  # 12: name missing
        ]
    )
    with translation.override("en"):
        job = run_import(jatim_registry, jatim, "people", content, "orang.csv")
    assert job.status == ImportStatus.INVALID
    assert issues_of(job) == [
        (3, "NIK", "duplicate_in_file"),
        (4, "NIK", "nik_duplicate"),
        (5, "NIK", "nik_format"),
        (6, "NIK", "nik_region"),
        (7, "NIK", "nik_birth_date"),
        (8, "Persetujuan Oleh", "consent_minor"),
        (9, "Peran", "choice"),
        (10, "NSPP Pesantren", "pesantren_unknown"),
        (11, "NIK", "nik_mismatch"),
        (12, "Nama Lengkap", "required"),
    ]
    assert (job.valid_rows, job.invalid_rows) == (1, 10)
    with scopes_disabled():
        duplicate = job.issues.get(line=3)
        assert duplicate.message == "The same NIK is on line 2 of the file."
        # The NIK in a problem is masked, never in clear.
        assert duplicate.value == good[:4] + "********" + good[-4:]
        for issue in job.issues.all():
            for nik in (good, taken, child):
                assert nik not in issue.value and nik not in issue.message
    # Committing an invalid job does nothing.
    assert domain.import_job_commit(actor=jatim_registry, job=job).status == ImportStatus.INVALID
    assert registry_counts() == before


def test_duplicate_found_across_chunks(jatim, jatim_registry, surabaya):
    niks = [make_nik(surabaya, datetime.date(1990, 1, 1), serial=n) for n in range(1, 8)]
    rows = [PEOPLE_HEADER] + [person_row(f"Orang {i}", nik) for i, nik in enumerate(niks)]
    rows.append(person_row("Kembar", niks[0]))  # line 9, same as line 2, three chunks later
    with translation.override("en"):
        job = run_import(jatim_registry, jatim, "people", csv_bytes(rows), "o.csv", rows=3)
    assert job.status == ImportStatus.INVALID
    assert issues_of(job) == [(9, "NIK", "duplicate_in_file")]
    with scopes_disabled():
        assert job.issues.get().message == "The same NIK is on line 2 of the file."


def test_overlapping_polls_check_a_chunk_once(jatim, jatim_registry, surabaya):
    rows = [PEOPLE_HEADER] + [
        person_row(f"Orang {i}", make_nik(surabaya, datetime.date(1990, 1, 1), serial=i + 1))
        for i in range(5)
    ]
    job = domain.import_job_create(
        actor=jatim_registry, province=jatim, resource="people", upload=upload(csv_bytes(rows))
    )
    job = domain.import_job_map(actor=jatim_registry, job=job, mapping=job.mapping)
    stale = ImportJob.objects.with_scopes_disabled().get(pk=job.pk)
    first = domain.import_job_check_step(job=job, rows=2)
    assert first.checked_rows == 2
    second = domain.import_job_check_step(job=stale, rows=2)
    assert second.checked_rows == 4
    done = domain.import_job_check_all(job=second, rows=2)
    assert (done.status, done.checked_rows, done.valid_rows) == (ImportStatus.READY, 5, 5)


def test_twenty_thousand_people_through_the_chunked_pipeline(jatim, jatim_registry, surabaya):
    start = datetime.date(1970, 1, 1)
    rows = [PEOPLE_HEADER]
    for i in range(20_000):
        birth = start + datetime.timedelta(days=i % 12_000)
        nik = make_nik(surabaya, birth, female=i % 2 == 1, serial=i // 12_000 + 1)
        rows.append(
            person_row(f"Santri {i}", nik, gender="P" if i % 2 else "L", birth=birth.isoformat())
        )
    job = domain.import_job_create(
        actor=jatim_registry,
        province=jatim,
        resource="people",
        upload=upload(csv_bytes(rows), "besar.csv"),
    )
    assert job.total_rows == 20_000
    job = domain.import_job_map(actor=jatim_registry, job=job, mapping=job.mapping)
    progress = []
    while job.status == ImportStatus.VALIDATING:
        job = domain.import_job_check_step(job=job)
        progress.append(job.progress_percent)
    assert progress == [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert job.status == ImportStatus.READY
    job = domain.import_job_commit(actor=jatim_registry, job=job)
    assert job.created_rows == 20_000
    with scope(province=jatim):
        assert Person.objects.count() == 20_000
        assert Person.objects.filter(nik_hash__isnull=True).count() == 0


def test_commit_checks_again_and_saves_nothing_when_the_registry_changed(
    jatim, jatim_registry, surabaya
):
    niks = [make_nik(surabaya, datetime.date(1990, 1, 1), serial=n) for n in (1, 2, 3)]
    rows = [PEOPLE_HEADER] + [person_row(f"Orang {n}", nik) for n, nik in enumerate(niks)]
    with translation.override("en"):
        job = run_import(jatim_registry, jatim, "people", csv_bytes(rows), "o.csv")
    assert job.status == ImportStatus.READY
    # Someone registers the third person by hand between the check and the commit.
    with scope(province=jatim):
        make_person(jatim, nik=niks[2], birth_date=datetime.date(1990, 1, 1))
    before = registry_counts()
    with translation.override("en"):
        job = domain.import_job_commit(actor=jatim_registry, job=job)
    assert (job.status, job.created_rows, job.invalid_rows, job.valid_rows) == (
        ImportStatus.INVALID,
        0,
        1,
        2,
    )
    assert issues_of(job) == [(4, "NIK", "nik_duplicate")]
    assert registry_counts() == before
    assert "registry.import.commit" not in audit_actions(jatim)
