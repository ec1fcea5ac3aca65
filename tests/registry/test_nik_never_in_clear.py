"""A clear NIK is never stored, listed, exported, logged or written to the audit log.

People are registered with known NIKs through the domain and through the
pages; then every place a NIK could leak is searched for those digits: the
database (the SQLite file itself, or every row of every table on
PostgreSQL), the list, profile and edit pages, the list exports, the audit
log page and rows, and the log lines and SQL of the requests that carried a
NIK. Each search is checked against a value that must be found (the name),
so a search that cannot find anything does not pass silently.
"""

import datetime as dt
import io
import logging
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from niaga.audit.models import AuditEvent
from niaga.registry.domain import people as domain
from niaga.registry.models import Person
from tests.registry.factories import default_regency, make_nik, make_pesantren

BIRTH = dt.date(1995, 8, 17)


def rows_containing(text: str) -> dict[str, int]:
    """{table: number of rows} of every table with a row whose text holds `text`."""
    found = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if connection.vendor == "postgresql":
                # A whole row cast to text: every column, JSON included.
                cursor.execute(
                    f"SELECT count(*) FROM {quote(table)} AS r WHERE r::text LIKE %s",
                    [f"%{text}%"],
                )
            else:
                columns = [
                    c.name for c in connection.introspection.get_table_description(cursor, table)
                ]
                where = " OR ".join(f"CAST({quote(c)} AS TEXT) LIKE %s" for c in columns)
                cursor.execute(
                    f"SELECT count(*) FROM {quote(table)} WHERE {where}",
                    [f"%{text}%"] * len(columns),
                )
            count = cursor.fetchone()[0]
            if count:
                found[table] = count
    return found


def sqlite_file_bytes() -> bytes:
    """The SQLite database file and its write-ahead log, after a checkpoint."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    name = Path(connection.settings_dict["NAME"])
    wal = name.with_name(name.name + "-wal")
    return name.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def url(name, **kwargs):
    return reverse(f"province:{name}", kwargs={"province": "jatim", **kwargs})


def registration(nik: str, name: str, **extra) -> dict:
    return {
        "full_name": name,
        "role": "alumnus",
        "gender": "male",
        "birth_date": BIRTH.isoformat(),
        "nik": nik,
        "phone": "0812-3456-7890",
        **extra,
    }


@pytest.fixture
def niks(jatim):
    regency = default_regency(jatim)
    return [make_nik(regency, BIRTH, serial=serial) for serial in (101, 102, 103, 104)]


@pytest.mark.django_db(transaction=True)
def test_the_database_never_holds_a_clear_nik(client, jatim, jatim_registry, jatim_privacy, niks):
    by_domain, by_page, replaced, replacement = niks
    with scope(province=jatim):
        pesantren = make_pesantren(jatim, name="Pondok Pesantren Lirboyo")
    person = domain.person_create(
        actor=jatim_registry,
        province=jatim,
        full_name="Zainal Abidin Domain",
        role="alumnus",
        gender="male",
        birth_date=BIRTH,
        nik=by_domain,
        pesantren=pesantren,
    )
    client.force_login(jatim_registry)
    response = client.post(
        url("person_create"), registration(by_page, "Zainal Abidin Halaman", pesantren=pesantren.pk)
    )
    assert response.status_code == 302
    other = domain.person_create(
        actor=jatim_registry,
        province=jatim,
        full_name="Zainal Abidin Ganti",
        role="alumnus",
        gender="male",
        birth_date=BIRTH,
        nik=replaced,
    )
    domain.person_update(actor=jatim_registry, person=other, version=1, nik=replacement)
    domain.person_reveal_nik(actor=jatim_privacy, person=person, reason="Verifikasi hibah santri")
    domain.person_export(actor=jatim_privacy, person=person)
    with scope(province=jatim):
        assert Person.objects.filter(nik_hash__isnull=False).count() == 3

    for nik in niks:
        assert rows_containing(nik) == {}
    assert rows_containing("Zainal Abidin Domain")  # the search does find what is there
    if connection.vendor == "sqlite":
        data = sqlite_file_bytes()
        assert b"Zainal Abidin Halaman" in data
        for nik in niks:
            assert nik.encode() not in data
            assert nik.encode("utf-16-le") not in data


@pytest.mark.django_db
def test_pages_exports_the_audit_log_and_logs_never_show_a_clear_nik(
    client, caplog, jatim, jatim_admin, jatim_registry, niks
):
    by_domain, by_page, *_ = niks
    domain.person_create(
        actor=jatim_registry,
        province=jatim,
        full_name="Fatimah Domain",
        role="santri",
        gender="female",
        birth_date=BIRTH,
        nik=make_nik(default_regency(jatim), BIRTH, female=True, serial=9),
    )
    female_nik = make_nik(default_regency(jatim), BIRTH, female=True, serial=9)
    domain.person_create(
        actor=jatim_registry,
        province=jatim,
        full_name="Hasan Domain",
        role="alumnus",
        gender="male",
        birth_date=BIRTH,
        nik=by_domain,
    )
    client.force_login(jatim_registry)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        # A form that comes back with an error does not write the NIK back into the page.
        refused = client.post(url("person_create"), registration(by_page, "Husein", phone="12"))
        assert refused.status_code == 200
        assert "phone" in refused.context["form"].errors
        assert 'id="nik-retype"' in refused.content.decode()  # asked to type it again
        created = client.post(url("person_create"), registration(by_page, "Husein Halaman"))
        assert created.status_code == 302
        found = client.post(url("person_find_nik"), {"nik": by_page})
        missing = client.post(url("person_find_nik"), {"nik": niks[3]})
    assert found.status_code == 302
    assert missing.status_code == 200
    assert "No person with this NIK is registered in this province." in missing.content.decode()
    logged = caplog.text + "\n".join(str(q) for q in queries.captured_queries)
    assert "POST /province/jatim/registry/people/new/ 302" in caplog.text  # the log was captured
    for nik in (by_page, niks[3]):
        assert nik not in logged
        assert nik not in refused.content.decode() + missing.content.decode()

    with scope(province=jatim):
        husein = Person.objects.get(full_name="Husein Halaman")
        hasan = Person.objects.get(full_name="Hasan Domain")
    pages = {
        "list": client.get(url("people")),
        "list filtered": client.get(url("people"), {"q": "Domain"}),
        "detail": client.get(url("person", person_id=husein.pk)),
        "detail 2": client.get(url("person", person_id=hasan.pk)),
        "edit": client.get(url("person_edit", person_id=husein.pk)),
    }
    exports = {
        fmt: client.get(url("people"), {"export": fmt}) for fmt in ("csv", "csv-semicolon", "xlsx")
    }
    client.force_login(jatim_admin)
    pages["audit log"] = client.get(reverse("province:audit_log", kwargs={"province": "jatim"}))

    texts = {name: response.content.decode() for name, response in pages.items()}
    for name, response in exports.items():
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if name == "xlsx":
            archive = zipfile.ZipFile(io.BytesIO(body))
            body = b"".join(archive.read(member) for member in archive.namelist())
        texts[f"export {name}"] = body.decode("utf-8")
    with scope(province=jatim):
        audit_rows = list(AuditEvent.objects.values_list("before", "after", "object_repr"))
    texts["audit rows"] = repr(audit_rows)

    masked = by_page[:4] + "********" + by_page[-4:]
    for name in ("list", "detail", "edit", "export csv", "export xlsx", "audit rows"):
        assert masked in texts[name], name  # the masked form is there: the page was searched
    assert "Husein Halaman" in texts["audit log"]
    for nik in (by_domain, by_page, female_nik):
        for name, text in texts.items():
            assert nik not in text, f"clear NIK in {name}"
