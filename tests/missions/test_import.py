"""Importing a participant list: every bad row is reported; nothing is saved until all is clean."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope

from niaga.missions.imports import read_participants
from niaga.missions.models import Business, Participant

pytestmark = pytest.mark.django_db

GOOD = (
    "nama,provinsi,kabupaten/kota,sektor,pihak,narahubung,telepon,komoditas\n"
    "UD Telur Blitar,35,35.05,Peternakan,penyelenggara,Siti,081234567890,telur\n"
    "PT Borneo Pangan,63,63.71,Perdagangan,tuan rumah,Rahmat,0813 4567 8901,beras\n"
)


def problems(text: str | bytes, name="peserta.csv"):
    content = text.encode() if isinstance(text, str) else text
    return [(p.line, p.column, p.message) for p in read_participants(content, name).problems]


def test_a_clean_csv_is_read(db):
    parsed = read_participants(GOOD.encode(), "peserta.csv")
    assert parsed.ok
    assert [(r["name"], r["regency"].code, r["side"], r["contact_phone"]) for r in parsed.rows] == [
        ("UD Telur Blitar", "35.05", "organiser", "081234567890"),
        ("PT Borneo Pangan", "63.71", "host", "081345678901"),
    ]


def test_semicolons_and_a_byte_order_mark_are_fine(db):
    text = "\ufeff" + GOOD.replace(",", ";")
    assert read_participants(text.encode("utf-8"), "peserta.csv").ok


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", [(0, "", "File kosong.")]),
        ("nama,provinsi\nUD A,35\n", [(1, "regency, sector, side", None)]),
        (GOOD.replace("35.05", "35.70"), [(2, "regency", None)]),
        (GOOD.replace(",63,", ",64,"), [(3, "regency", None)]),
        (GOOD.replace(",35,", ",99,"), [(2, "province", None)]),
        (GOOD + "UD Telur Blitar,35,35.05,Peternakan,penyelenggara,,,\n", [(4, "name", None)]),
        (GOOD.replace("UD Telur Blitar", '=HYPERLINK("http://x")'), [(2, "name", None)]),
        (GOOD.replace("Siti", "@SUM(A1)"), [(2, "contact_name", None)]),
        (GOOD.replace("penyelenggara", "pembeli"), [(2, "side", None)]),
        (GOOD.replace("081234567890", "12345"), [(2, "contact_phone", None)]),
        ("nama,provinsi,kabupaten/kota,sektor,pihak\n", [(0, "", None)]),
    ],
)
def test_every_problem_is_named_with_its_line_and_column(db, content, expected):
    found = problems(content)
    assert [(line, column) for line, column, _m in found] == [
        (row, col) for row, col, _m in expected
    ]
    for (_l, _c, message), (_l2, _c2, wanted) in zip(found, expected, strict=True):
        assert message
        if wanted:
            assert message == wanted


def test_wrong_encoding_and_wrong_files(db):
    [(line, _column, message)] = problems(GOOD.replace("Telur", "Télur").encode("latin-1"))
    assert line == 0 and "UTF-8" in message
    [(_l, _c, message)] = problems(b"not a zip file", "peserta.xlsx")
    assert ".xlsx" in message
    [(_l, _c, message)] = problems(b"x" * (2 * 1024 * 1024 + 1), "peserta.csv")
    assert "2 MB" in message
    [(_l, _c, message)] = problems(b"%PDF-1.7", "peserta.pdf")
    assert ".csv" in message


def test_a_clean_xlsx_is_read(db):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in GOOD.strip().splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = read_participants(buffer.getvalue(), "peserta.xlsx")
    assert parsed.ok and len(parsed.rows) == 2


def upload(client, content: bytes, name="peserta.csv"):
    url = reverse("province:participants_upload", kwargs={"province": "jatim", "slug": "uji-misi"})
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def test_upload_preview_then_commit(client, mission, jatim_admin):
    client.force_login(jatim_admin)
    preview = upload(client, GOOD.encode())
    assert preview.status_code == 200 and 'id="import-ok"' in preview.content.decode()
    with scope(province=mission.organiser):
        assert not Participant.objects.filter(mission=mission).exists()  # not yet
    commit = reverse(
        "province:participants_commit", kwargs={"province": "jatim", "slug": "uji-misi"}
    )
    client.post(commit, {"token": preview.context["token"]})
    with scope(province=mission.organiser):
        sides = dict(
            Participant.objects.filter(mission=mission).values_list("business__name", "side")
        )
    assert sides == {"UD Telur Blitar": "organiser", "PT Borneo Pangan": "host"}
    # The same list again: every business already takes part, and nothing is added.
    again = upload(client, GOOD.encode())
    response = client.post(commit, {"token": again.context["token"]}, follow=True)
    assert "sudah menjadi peserta" in response.content.decode()
    with scope(province=mission.organiser):
        assert Participant.objects.filter(mission=mission).count() == 2
        assert Business.objects.count() == 2


def test_a_file_with_problems_saves_nothing_and_cannot_be_committed(client, mission, jatim_admin):
    client.force_login(jatim_admin)
    preview = upload(client, GOOD.replace("35.05", "35.70").encode())
    page = preview.content.decode()
    assert 'id="import-problems"' in page and "35.70" in page
    assert preview.context["token"] == ""
    with scope(province=mission.organiser):
        assert not Business.objects.exists()


def test_only_managers_import(client, mission, jatim_desk):
    client.force_login(jatim_desk)
    assert upload(client, GOOD.encode()).status_code == 404


def test_one_business_added_by_hand(client, mission, jatim_admin):
    client.force_login(jatim_admin)
    page = reverse("province:participants", kwargs={"province": "jatim", "slug": "uji-misi"})
    response = client.post(
        page,
        {
            "name": "CV Rempah Sumenep",
            "province": "35",
            "regency": "35.29",
            "sector": "Rempah",
            "commodities": "cengkih, jahe",
            "side": "organiser",
            "contact_name": "Fauzi",
            "contact_phone": "081233344455",
            "nib": "1234567890123",
            "address": "Jl. Trunojoyo 5",
        },
    )
    assert response.status_code == 302
    with scope(province=mission.organiser):
        business = Business.objects.get(name="CV Rempah Sumenep")
        assert Participant.objects.get(business=business).side == "organiser"
    assert (business.regency_id, business.address, business.nib) == (
        "35.29",
        "Jl. Trunojoyo 5",
        "1234567890123",
    )
    bad = client.post(
        page,
        {
            "name": "X",
            "province": "35",
            "regency": "63.71",
            "sector": "S",
            "side": "host",
            "nib": "123",
        },
    )
    assert "nib" in bad.context["form"].errors
    with scope(province=mission.organiser):
        assert not Business.objects.filter(name="X").exists()
