"""Exports of registry lists: template columns, CSV (comma, semicolon) and XLSX,
formulas neutralised, NIK masked, constant query count."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_scopes import scope
from openpyxl import load_workbook

from niaga.regions.models import District, Regency
from niaga.registry.exporting import export_response
from niaga.registry.models import Cooperative, Person, Pesantren, Product
from niaga.registry.resources import RESOURCES
from tests.registry.factories import (
    make_cooperative,
    make_legal_document,
    make_nik,
    make_person,
    make_pesantren,
    make_product,
)

pytestmark = pytest.mark.django_db

SURABAYA = "35.78"


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def read_csv(response, delimiter=",", raw=None):
    raw = body(response) if raw is None else raw
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark for Excel"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


def read_xlsx(response, raw=None):
    raw = body(response) if raw is None else raw
    book = load_workbook(io.BytesIO(raw), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return [["" if c is None else c for c in row] for row in rows]


@pytest.fixture
def world(jatim, kalsel):
    regency = Regency.objects.get(code=SURABAYA)
    district = District.objects.filter(regency=regency).order_by("code").first()
    with scope(province=jatim):
        pesantren = make_pesantren(
            jatim,
            name='=HYPERLINK("http://jahat.example","klik")',
            nspp="510035780001",
            regency=regency,
            district=district,
            leader_name="@SUM(A1)",
            santri_male=320,
            santri_female=280,
            typology="khalafiyah",
            founded_year=1985,
            phone="+62315678901",
            takes_santripreneur=True,
            takes_sosiopreneur=True,
            opop_joined_year=2020,
        )
        cooperative = make_cooperative(
            pesantren,
            name="Kopontren Al-Hikmah",
            nib="9120001234567",
            kbli_code="01111",
            deed_date=datetime.date(2019, 8, 17),
            members_count=120,
        )
        nik = make_nik(regency, datetime.date(2005, 7, 1), female=True, serial=17)
        person = make_person(
            jatim,
            nik=nik,
            full_name="Siti Aminah",
            gender="female",
            birth_date=datetime.date(2005, 7, 1),
            phone="+6281234567890",
            email="siti@contoh.id",
            regency=regency,
            pesantren=pesantren,
        )
        product = make_product(
            cooperative, name="Keripik Tempe", description="-renyah", price_min=15000
        )
        make_legal_document(product, "halal", "ID35110000123450921")
        person_product = make_product(person, name="Jilbab Bordir", category="fashion")
    with scope(province=kalsel):
        make_pesantren(kalsel, name="Pesantren Kalsel")
    return {
        "pesantren": pesantren,
        "cooperative": cooperative,
        "person": person,
        "nik": nik,
        "product": product,
        "person_product": person_product,
    }


def test_pesantren_csv_in_template_columns_with_formulas_neutralised(world, jatim):
    with scope(province=jatim):
        response = export_response(
            resource="pesantren", queryset=Pesantren.objects.all(), fmt="csv", filename="pes"
        )
    assert response["Content-Disposition"] == 'attachment; filename="pes.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert rows[0] == [c.header for c in RESOURCES["pesantren"].columns]
    assert len(rows) == 2  # the Kalsel pesantren is not in Jatim's queryset
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Nama Pesantren"] == '\'=HYPERLINK("http://jahat.example","klik")'
    assert row["Pengasuh"] == "'@SUM(A1)"
    assert row["NSPP"] == "510035780001"
    assert row["Kode Kabupaten/Kota"] == "35.78"
    assert row["Kode Kecamatan"] == world["pesantren"].district_id
    assert row["Jumlah Santri Putra"] == "320"
    assert row["Tipologi"] == "khalafiyah"
    assert row["Telepon"] == "(031) 5678901"
    assert row["Pilar OPOP"] == "santripreneur, sosiopreneur"
    assert row["Status"] == "aktif"
    assert row["Nama Kabupaten/Kota"] == "Kota Surabaya"


def test_semicolon_csv(world, jatim):
    with scope(province=jatim):
        response = export_response(
            resource="cooperatives",
            queryset=Cooperative.objects.all(),
            fmt="csv-semicolon",
            filename="kop",
        )
    raw = body(response).decode("utf-8-sig")
    assert raw.splitlines()[0].split(";")[:3] == [
        "Nama Koperasi",
        "NSPP Pesantren",
        "Nama Pesantren",
    ]
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["NIB"] == "9120001234567"
    assert row["Kode KBLI"] == "01111"
    assert row["Tanggal Akta"] == "2019-08-17"
    assert row["Bentuk Hukum"] == "koperasi primer"
    assert row["NSPP Pesantren"] == "510035780001"


@pytest.mark.parametrize("fmt", ["csv", "csv-semicolon", "xlsx"])
def test_people_export_masks_nik_and_personal_fields(world, jatim, fmt):
    with scope(province=jatim):
        response = export_response(
            resource="people", queryset=Person.objects.all(), fmt=fmt, filename="orang"
        )
    raw = body(response)
    if fmt == "xlsx":
        rows = read_xlsx(response, raw)
    else:
        rows = read_csv(response, ";" if fmt == "csv-semicolon" else ",", raw)
    row = dict(zip(rows[0], rows[1], strict=True))
    nik = world["nik"]
    assert row["NIK"] == nik[:4] + "********" + nik[-4:]
    assert row["Telepon"] == "0812-****-7890"
    assert row["Email"] == "s***@contoh.id"
    assert row["Tanggal Lahir"] == "****-**-**"
    assert row["Jenis Kelamin"] == "P"
    assert row["NSPP Pesantren"] == "510035780001"
    if fmt != "xlsx":  # an XLSX is compressed: the cells above are the check
        assert nik.encode() not in raw
        assert b"81234567890" not in raw


def test_products_xlsx_with_legal_documents_and_owner_references(world, jatim):
    with scope(province=jatim), translation.override("en"):
        response = export_response(
            resource="products", queryset=Product.objects.order_by("name"), fmt="xlsx", filename="p"
        )
    assert response["Content-Disposition"] == 'attachment; filename="p.xlsx"'
    rows = read_xlsx(response)
    assert rows[0] == [c.header for c in RESOURCES["products"].columns]
    jilbab, keripik = (dict(zip(rows[0], r, strict=True)) for r in rows[1:])
    assert keripik["Nama Produk"] == "Keripik Tempe"
    assert keripik["Deskripsi"] == "'-renyah"
    assert keripik["NIB Koperasi Pemilik"] == "9120001234567"
    assert keripik["NSPP Pesantren Pemilik"] == "510035780001"
    assert keripik["NIK Pemilik"] == ""
    assert keripik["Nomor Sertifikat Halal"] == "ID35110000123450921"
    assert keripik["Skema Halal"] == "reguler"
    assert keripik["Harga Terendah (Rp)"] == 15000
    assert keripik["Kategori"] == "makanan dan minuman"
    assert keripik["Status Kurasi"] == "Draft"
    nik = world["nik"]
    assert jilbab["NIK Pemilik"] == nik[:4] + "********" + nik[-4:]
    assert jilbab["NIB Koperasi Pemilik"] == ""
    assert jilbab["Kategori"] == "fesyen dan tekstil"
    assert jilbab["Nama Pemilik"] == "Siti Aminah"


def test_unknown_format_is_404(world, jatim):
    with scope(province=jatim), pytest.raises(Http404):
        export_response(
            resource="pesantren", queryset=Pesantren.objects.all(), fmt="pdf", filename="x"
        )


def test_filename_is_made_safe(world, jatim):
    with scope(province=jatim):
        response = export_response(
            resource="pesantren",
            queryset=Pesantren.objects.all(),
            fmt="csv",
            filename='a"b/../c d',
        )
    assert response["Content-Disposition"] == 'attachment; filename="a-b-..-c-d.csv"'


def _queries_for_export(resource, queryset_factory, fmt):
    with CaptureQueriesContext(connection) as queries:
        response = export_response(
            resource=resource, queryset=queryset_factory(), fmt=fmt, filename="x"
        )
        body(response)
    return len(queries)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("resource", ["pesantren", "cooperatives", "people", "products"])
def test_query_count_does_not_grow_with_rows(world, jatim, resource, fmt):
    models = {
        "pesantren": Pesantren,
        "cooperatives": Cooperative,
        "people": Person,
        "products": Product,
    }
    regency = Regency.objects.get(code=SURABAYA)

    def add(n):
        for i in range(n):
            pesantren = make_pesantren(jatim, nspp=None)
            cooperative = make_cooperative(pesantren, nib=None)
            person = make_person(
                jatim,
                nik=make_nik(regency, datetime.date(1990, 1, 2), serial=1000 + add.serial),
                pesantren=pesantren,
            )
            add.serial += 1
            product = make_product(cooperative)
            make_legal_document(product, "pirt", f"2063578010123{i % 10}{i % 10}")
            make_product(person)

    add.serial = 0
    with scope(province=jatim):
        add(3)
        small = _queries_for_export(resource, models[resource].objects.all, fmt)
        add(6)
        large = _queries_for_export(resource, models[resource].objects.all, fmt)
    assert small == large
    assert small <= 2
