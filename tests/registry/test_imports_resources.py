"""Importing pesantren, cooperatives and products; templates and exports that import again."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from niaga.regions.models import District, Regency
from niaga.registry.domain import imports as domain
from niaga.registry.exporting import export_response
from niaga.registry.models import (
    Cooperative,
    LegalDocument,
    Person,
    Pesantren,
    Product,
)
from niaga.registry.models.imports import ImportStatus
from niaga.registry.resources import RESOURCES
from tests.registry.factories import (
    make_cooperative,
    make_legal_document,
    make_nik,
    make_person,
    make_pesantren,
    make_product,
)
from tests.registry.import_helpers import (
    csv_bytes,
    issues_of,
    registry_counts,
    run_import,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploads of the test go to a temporary folder, not the data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def header(resource):
    return [c.header for c in RESOURCES[resource].import_columns]


def row(resource, **cells):
    """A row in template order from {header: value}; unknown headers are an error."""
    names = header(resource)
    assert set(cells) <= set(names), set(cells) - set(names)
    return [cells.get(name, "") for name in names]


def test_pesantren_rows_land_with_the_right_values(jatim, jatim_registry):
    district = District.objects.filter(regency_id="35.78").order_by("code").first()
    content = xlsx_bytes(
        [
            header("pesantren"),
            row(
                "pesantren",
                **{
                    "Nama Pesantren": "Pondok Pesantren Al-Hikmah",
                    "NSPP": "5100.3578.0001",
                    "Alamat": "Jl. Kyai Haji Mas Mansyur 12",
                    "Kode Kabupaten/Kota": "35.78",
                    "Kode Kecamatan": district.code,
                    "Pengasuh": "KH. Ahmad Fauzi",
                    "Jumlah Santri Putra": 320,
                    "Jumlah Santri Putri": "1.200",
                    "Tipologi": "Modern",
                    "Tahun Berdiri": 1985,
                    "Telepon": "(031) 5678901",
                    "Email": "info@alhikmah.sch.id",
                    "Situs Web": "alhikmah.sch.id",
                    "Pilar OPOP": "Santripreneur; sosiopreneur",
                    "Tahun Bergabung OPOP": 2020,
                    "Status": "",
                },
            ),
            row(
                "pesantren",
                **{
                    "Nama Pesantren": "Pesantren Nurul Huda",
                    "Kode Kabupaten/Kota": "3507",
                    "Tipologi": "salafiyah",
                    "Status": "nonaktif",
                },
            ),
        ]
    )
    job = run_import(jatim_registry, jatim, "pesantren", content, "pesantren.xlsx")
    assert job.status == ImportStatus.READY, issues_of(job)
    assert job.source_format == "xlsx"
    job = domain.import_job_commit(actor=jatim_registry, job=job)
    assert job.created_rows == 2
    with scope(province=jatim):
        hikmah = Pesantren.objects.get(nspp="510035780001")
        huda = Pesantren.objects.get(name="Pesantren Nurul Huda")
    assert hikmah.name == "Pondok Pesantren Al-Hikmah"
    assert (hikmah.regency_id, hikmah.district_id) == ("35.78", district.code)
    assert (hikmah.santri_male, hikmah.santri_female) == (320, 1200)
    assert (hikmah.typology, hikmah.founded_year, hikmah.opop_joined_year) == (
        "khalafiyah",
        1985,
        2020,
    )
    assert hikmah.phone == "+62315678901"
    assert hikmah.website == "https://alhikmah.sch.id"
    assert (
        hikmah.takes_santripreneur,
        hikmah.takes_pesantrenpreneur,
        hikmah.takes_sosiopreneur,
    ) == (True, False, True)
    assert hikmah.status == "active"
    assert (huda.regency_id, huda.typology, huda.status, huda.nspp) == (
        "35.07",
        "salafiyah",
        "inactive",
        None,
    )


def test_pesantren_rules_of_the_domain(jatim, kalsel, jatim_registry):
    with scope(province=kalsel):
        make_pesantren(kalsel, nspp="510063710001")
    with scope(province=jatim):
        make_pesantren(jatim, name="Pesantren Lama", regency=Regency.objects.get(code="35.78"))
    kota_malang_district = District.objects.filter(regency_id="35.73").first()
    content = csv_bytes(
        [
            header("pesantren"),
            row(
                "pesantren",
                **{
                    "Nama Pesantren": "A",
                    "NSPP": "510063710001",
                    "Kode Kabupaten/Kota": "35.78",
                    "Tipologi": "salafiyah",
                },
            ),
            row(
                "pesantren",
                **{
                    "Nama Pesantren": "B",
                    "Kode Kabupaten/Kota": "35.78",
                    "Kode Kecamatan": kota_malang_district.code,
                    "Tipologi": "salafiyah",
                    "Tahun Berdiri": "2021",
                    "Tahun Bergabung OPOP": "2020",
                },
            ),
            row(
                "pesantren",
                **{
                    "Nama Pesantren": "PESANTREN LAMA",
                    "Kode Kabupaten/Kota": "35.78",
                    "Tipologi": "pondok",
                    "Tahun Bergabung OPOP": "2015",
                },
            ),
        ]
    )
    before = registry_counts()
    with translation.override("en"):
        job = run_import(jatim_registry, jatim, "pesantren", content, "p.csv")
    assert issues_of(job) == [
        (2, "NSPP", "nspp_taken"),
        (3, "Kode Kecamatan", "district_regency"),
        (3, "Tahun Bergabung OPOP", "joined_before_founded"),
        (4, "Tipologi", "choice"),
        (4, "Tahun Bergabung OPOP", "year_range"),
        (4, "Nama Pesantren", "pesantren_exists"),
    ]
    with scopes_disabled():
        messages = dict(((i.line, i.code), i.message) for i in job.issues.all())
    assert messages[(2, "nspp_taken")] == (
        "This NSPP is already registered, to a pesantren in another province."
    )
    assert messages[(4, "choice")] == (
        "“pondok” is not one of the allowed values: salafiyah, khalafiyah, kombinasi."
    )
    assert registry_counts() == before


def test_cooperatives_reference_their_pesantren_by_nspp_or_name(jatim, jatim_registry):
    surabaya = Regency.objects.get(code="35.78")
    with scope(province=jatim):
        by_nspp = make_pesantren(jatim, nspp="510035780001", regency=surabaya)
        by_name = make_pesantren(jatim, name="Pesantren Darul Ulum", regency=surabaya)
        taken = make_pesantren(jatim, name="Sudah Punya", regency=surabaya)
        make_cooperative(taken, nib="9120000000001")
    content = csv_bytes(
        [
            header("cooperatives"),
            row(
                "cooperatives",
                **{
                    "Nama Koperasi": "Kopontren Al-Hikmah",
                    "NSPP Pesantren": "510035780001",
                    "Bentuk Hukum": "Koperasi Primer",
                    "Nomor Akta": "188.4/12/BH/XVI.9/2019",
                    "Tanggal Akta": "17/08/2019",
                    "NIB": "9120001234567",
                    "Kode KBLI": "1111",
                    "Jumlah Anggota": "120",
                    "Bidang Usaha": "Toko santri",
                },
            ),
            row(
                "cooperatives",
                **{
                    "Nama Koperasi": "Kopontren Darul Ulum",
                    "Nama Pesantren": "pesantren darul  ulum",
                    "Kode Kabupaten/Kota Pesantren": "35.78",
                    "Bentuk Hukum": "belum berbadan hukum",
                    "Versi KBLI": "2025",
                    "Kode KBLI": "47111",
                },
            ),
        ]
    )
    job = run_import(jatim_registry, jatim, "cooperatives", content, "kop.csv")
    assert job.status == ImportStatus.READY, issues_of(job)
    domain.import_job_commit(actor=jatim_registry, job=job)
    with scope(province=jatim):
        first = Cooperative.objects.get(pesantren=by_nspp)
        second = Cooperative.objects.get(pesantren=by_name)
    assert (first.name, first.legal_form, first.nib) == (
        "Kopontren Al-Hikmah",
        "koperasi_primer",
        "9120001234567",
    )
    assert first.deed_date == datetime.date(2019, 8, 17)
    assert (first.kbli_code, first.kbli_version, first.members_count) == ("01111", "2020", 120)
    assert (second.legal_form, second.kbli_code, second.kbli_version, second.nib) == (
        "belum_berbadan_hukum",
        "47111",
        "2025",
        None,
    )


def test_cooperative_rules(jatim, kalsel, jatim_registry):
    surabaya = Regency.objects.get(code="35.78")
    with scope(province=kalsel):
        make_pesantren(kalsel, nspp="510063710001")
    with scope(province=jatim):
        taken = make_pesantren(jatim, nspp="510035780009", regency=surabaya)
        make_cooperative(taken, nib="9120000000001")
        make_pesantren(jatim, nspp="510035780002", regency=surabaya)
        make_pesantren(jatim, name="Kembar", regency=surabaya)
        make_pesantren(jatim, name="Kembar", regency=surabaya)
    base = {"Bentuk Hukum": "koperasi primer"}
    content = csv_bytes(
        [
            header("cooperatives"),
            row("cooperatives", **base, **{"Nama Koperasi": "A", "NSPP Pesantren": "510035780009"}),
            row("cooperatives", **base, **{"Nama Koperasi": "B", "NSPP Pesantren": "510063710001"}),
            row(
                "cooperatives",
                **base,
                **{"Nama Koperasi": "C", "NSPP Pesantren": "510035780002", "NIB": "9120000000001"},
            ),
            row(
                "cooperatives",
                **base,
                **{
                    "Nama Koperasi": "D",
                    "Nama Pesantren": "Kembar",
                    "Kode Kabupaten/Kota Pesantren": "35.78",
                },
            ),
            row("cooperatives", **base, **{"Nama Koperasi": "E"}),
            row(
                "cooperatives",
                **base,
                **{
                    "Nama Koperasi": "F",
                    "NSPP Pesantren": "510035780002",
                    "Tanggal Akta": "2099-01-01",
                },
            ),
        ]
    )
    with translation.override("en"):
        job = run_import(jatim_registry, jatim, "cooperatives", content, "kop.csv")
    assert issues_of(job) == [
        (2, "Nama Koperasi", "cooperative_exists"),
        (3, "NSPP Pesantren", "pesantren_province"),
        (4, "NIB", "nib_taken"),
        (5, "Nama Pesantren", "pesantren_ambiguous"),
        (6, "NSPP Pesantren", "pesantren_missing"),
        (7, "Tanggal Akta", "deed_date_future"),
        (7, "Nama Koperasi", "duplicate_in_file"),
    ]


def test_products_with_owners_and_legal_documents(
    jatim, jatim_registry, django_capture_on_commit_callbacks
):
    surabaya = Regency.objects.get(code="35.78")
    nik = make_nik(surabaya, datetime.date(1995, 2, 3), serial=5)
    with scope(province=jatim):
        pesantren = make_pesantren(jatim, nspp="510035780001", regency=surabaya)
        cooperative = make_cooperative(pesantren, nib="9120001234567")
        person = make_person(jatim, nik=nik, regency=surabaya, birth_date=datetime.date(1995, 2, 3))
    content = csv_bytes(
        [
            header("products"),
            row(
                "products",
                **{
                    "Nama Produk": "Keripik Tempe Santri",
                    "Deskripsi": "Renyah",
                    "Kategori": "Makanan dan Minuman",
                    "NIB Koperasi Pemilik": "9120001234567",
                    "Harga Terendah (Rp)": "Rp 15.000",
                    "Harga Tertinggi (Rp)": "25000",
                    "Satuan": "bungkus",
                    "Kapasitas per Bulan": "2.000",
                    "Kode HS": "2008.99.90",
                    "Nomor Sertifikat Halal": "ID35110000123450921",
                    "Skema Halal": "self declare",
                    "Tanggal Terbit Halal": "2023-03-01",
                    "Tanggal Berakhir Halal": "2027-03-01",
                    "Nomor P-IRT": "P-IRT No. 2063578010123-26",
                },
            ),
            row(
                "products",
                **{
                    "Nama Produk": "Jilbab Bordir",
                    "Kategori": "fesyen",
                    "NSPP Pesantren Pemilik": "",
                    "NIK Pemilik": nik,
                    "Satuan": "helai",
                    "Nomor Merek": "IDM000123456",
                },
            ),
            row(
                "products",
                **{
                    "Nama Produk": "Sabun Herbal",
                    "Kategori": "kosmetik",
                    "NSPP Pesantren Pemilik": "510035780001",
                    "Satuan": "batang",
                },
            ),
        ]
    )
    job = run_import(jatim_registry, jatim, "products", content, "produk.csv")
    assert job.status == ImportStatus.READY, issues_of(job)
    domain.import_job_commit(actor=jatim_registry, job=job)
    with scope(province=jatim):
        products = {p.name: p for p in Product.objects.all()}
        keripik = products["Keripik Tempe Santri"]
        documents = {d.kind: d for d in LegalDocument.objects.filter(product=keripik)}
    assert set(products) == {"Keripik Tempe Santri", "Jilbab Bordir", "Sabun Herbal"}
    assert {p.status for p in products.values()} == {"draft"}
    assert {p.level for p in products.values()} == {""}
    assert (keripik.owner_cooperative_id, keripik.pesantren_id, keripik.regency_id) == (
        cooperative.pk,
        pesantren.pk,
        "35.78",
    )
    assert (keripik.price_min, keripik.price_max, keripik.monthly_capacity, keripik.hs_code) == (
        15000,
        25000,
        2000,
        "20089990",
    )
    assert keripik.category == "food"
    assert set(documents) == {"halal", "pirt"}
    assert (documents["halal"].number, documents["halal"].halal_scheme) == (
        "ID35110000123450921",
        "self_declare",
    )
    assert documents["halal"].expires_on == datetime.date(2027, 3, 1)
    assert documents["pirt"].number == "206357801012326"
    jilbab = products["Jilbab Bordir"]
    assert (jilbab.owner_person_id, jilbab.owner_cooperative_id, jilbab.regency_id) == (
        person.pk,
        None,
        "35.78",
    )
    assert products["Sabun Herbal"].owner_cooperative_id == cooperative.pk


def test_product_rules(jatim, jatim_registry):
    surabaya = Regency.objects.get(code="35.78")
    nik = make_nik(surabaya, datetime.date(1995, 2, 3), serial=5)
    with scope(province=jatim):
        pesantren = make_pesantren(jatim, nspp="510035780001", regency=surabaya)
        cooperative = make_cooperative(pesantren, nib="9120001234567")
        make_pesantren(jatim, nspp="510035780002", regency=surabaya)
        make_product(cooperative, name="Kopi Lama")
    base = {"Kategori": "kerajinan", "Satuan": "buah"}
    masked = nik[:4] + "********" + nik[-4:]
    content = csv_bytes(
        [
            header("products"),
            row("products", **base, **{"Nama Produk": "A"}),
            row(
                "products", **base, **{"Nama Produk": "B", "NIB Koperasi Pemilik": "9120009999999"}
            ),
            row(
                "products", **base, **{"Nama Produk": "C", "NSPP Pesantren Pemilik": "510035780002"}
            ),
            row("products", **base, **{"Nama Produk": "D", "NIK Pemilik": masked}),
            row(
                "products",
                **base,
                **{"Nama Produk": "E", "NIB Koperasi Pemilik": "9120001234567", "NIK Pemilik": nik},
            ),
            row(
                "products",
                **base,
                **{
                    "Nama Produk": "F",
                    "NIB Koperasi Pemilik": "9120001234567",
                    "Harga Terendah (Rp)": "5000",
                    "Harga Tertinggi (Rp)": "4000",
                    "Nomor Sertifikat Halal": "ID35110000123450921",
                },
            ),
            row(
                "products",
                **base,
                **{"Nama Produk": "kopi lama", "NIB Koperasi Pemilik": "9120001234567"},
            ),
            row(
                "products",
                **base,
                **{
                    "Nama Produk": "G",
                    "NIB Koperasi Pemilik": "9120001234567",
                    "Tanggal Berakhir BPOM": "2030-01-01",
                },
            ),
        ]
    )
    with translation.override("en"):
        job = run_import(jatim_registry, jatim, "products", content, "produk.csv")
    assert issues_of(job) == [
        (2, "NIB Koperasi Pemilik", "owner_missing"),
        (3, "NIB Koperasi Pemilik", "cooperative_unknown"),
        (4, "NSPP Pesantren Pemilik", "cooperative_missing"),
        (5, "NIK Pemilik", "nik_masked"),
        (6, "NIK Pemilik", "owner_ambiguous"),
        (7, "Harga Tertinggi (Rp)", "price_range"),
        (7, "Skema Halal", "halal_halal_scheme"),
        (7, "Tanggal Terbit Halal", "halal_issued_on"),
        (8, "Nama Produk", "product_exists"),
        (9, "Tanggal Berakhir BPOM", "document_number_missing"),
    ]


def fill(content: bytes, fmt: str, changes: dict) -> bytes:
    """The template with cells of its example row (line 2) changed, saved as the user would."""
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(content))
        sheet = book.worksheets[0]
        names = [c.value for c in sheet[1]]
        for name, value in changes.items():
            sheet.cell(row=2, column=names.index(name) + 1, value=value)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    delimiter = ";" if fmt == "csv-semicolon" else ","
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))
    for name, value in changes.items():
        rows[1][rows[0].index(name)] = value
    return csv_bytes(rows, delimiter=delimiter)


def _download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "csv-semicolon"])
def test_template_download_fill_and_import(client, jatim, jatim_registry, fmt):
    """The template's example rows import as they are, once the pesantren they name exist."""
    surabaya = Regency.objects.get(code="35.78")
    client.force_login(jatim_registry)
    with scope(province=jatim):
        pesantren = make_pesantren(jatim, nspp="510035780001", regency=surabaya)
    for resource in ("pesantren", "cooperatives", "people", "products"):
        url = reverse(
            "province:import_template",
            kwargs={"province": "jatim", "resource": resource, "fmt": fmt},
        )
        content = _download(client, url)
        if fmt == "xlsx":
            book = load_workbook(io.BytesIO(content))
            assert book.sheetnames == [RESOURCES[resource].sheet_title, "Petunjuk"]
            sheet = book.worksheets[0]
            assert [c.value for c in sheet[1]] == header(resource)
            # Identifier columns are text, so Excel keeps leading zeros and all 16 NIK digits.
            for index, column in enumerate(RESOURCES[resource].import_columns, start=1):
                expected = "@" if column.text_format else "General"
                assert sheet.cell(row=2, column=index).number_format == expected, column.header
            notes = [r[0].value for r in book["Petunjuk"].iter_rows(min_row=2, max_row=3)]
            assert notes == header(resource)[:2]
        else:
            text = content.decode("utf-8-sig")
            delimiter = ";" if fmt == "csv-semicolon" else ","
            assert next(csv.reader(io.StringIO(text), delimiter=delimiter)) == header(resource)
        name = f"{resource}.{'xlsx' if fmt == 'xlsx' else 'csv'}"
        # Fill the template: the example row gets a name of our own (and the
        # example pesantren another NSPP than the one registered above).
        changes = {header(resource)[0]: f"Diisi {resource}"}
        if resource == "pesantren":
            changes["NSPP"] = "510035780077"
        content = fill(content, fmt, changes)
        job = run_import(jatim_registry, jatim, resource, content, name)
        assert job.status == ImportStatus.READY, (resource, issues_of(job))
        job = domain.import_job_commit(actor=jatim_registry, job=job)
        assert job.created_rows == 1
    with scope(province=jatim):
        assert Pesantren.objects.get(nspp="510035780077").name == "Diisi pesantren"
        assert Cooperative.objects.get().pesantren_id == pesantren.pk
        assert Cooperative.objects.get().name == "Diisi cooperatives"
        person = Person.objects.get()
        assert (person.full_name, person.nik_masked) == ("Diisi people", "3578********0001")
        product = Product.objects.get()
        assert (product.name, product.owner_cooperative.nib) == ("Diisi products", "9120001234567")


def test_export_then_import_into_another_province_round_trip(
    jatim, kalsel, jatim_admin, kalsel_admin
):
    """What Jatim exports, Kalsel's officer can import: values survive (personal ones masked
    stay out), formula-looking text included."""
    banjarmasin = Regency.objects.get(code="63.71")
    with scope(province=kalsel):
        kalsel_pesantren = make_pesantren(
            kalsel,
            name="=Pesantren Kalsel",
            regency=banjarmasin,
            nspp="510063710001",
            leader_name="-",
            santri_male=12,
            founded_year=1990,
            takes_santripreneur=True,
            phone="+625113365000",
        )
        cooperative = make_cooperative(kalsel_pesantren, nib="9120007654321", kbli_code="01111")
        nik = make_nik(banjarmasin, datetime.date(1990, 5, 6), serial=8)
        make_person(
            kalsel,
            nik=nik,
            full_name="Ahmad",
            regency=banjarmasin,
            pesantren=kalsel_pesantren,
            birth_date=datetime.date(1990, 5, 6),
        )
        product = make_product(cooperative, name="Sasirangan", category="fashion", price_min=100000)
        make_legal_document(product, "trademark", "IDM000123456")
        exported = {}
        for resource, model in (
            ("pesantren", Pesantren),
            ("cooperatives", Cooperative),
            ("people", Person),
            ("products", Product),
        ):
            response = export_response(
                resource=resource,
                queryset=model.objects.all(),
                fmt="csv-semicolon",
                filename=resource,
            )
            exported[resource] = b"".join(response.streaming_content)
    # Move the data: delete from Kalsel, import the export files again.
    with scope(province=kalsel):
        LegalDocument.objects.all().delete()
        Product.objects.all().delete()
        Person.objects.all().delete()
        Cooperative.objects.all().delete()
        Pesantren.objects.all().delete()
    for resource in ("pesantren", "cooperatives", "people", "products"):
        job = run_import(kalsel_admin, kalsel, resource, exported[resource], f"{resource}.csv")
        assert job.status == ImportStatus.READY, (resource, issues_of(job))
        assert job.delimiter == ";"
        domain.import_job_commit(actor=kalsel_admin, job=job)
    with scope(province=kalsel):
        pesantren = Pesantren.objects.get()
        assert (pesantren.name, pesantren.leader_name, pesantren.nspp, pesantren.santri_male) == (
            "=Pesantren Kalsel",
            "-",
            "510063710001",
            12,
        )
        assert (pesantren.founded_year, pesantren.takes_santripreneur, pesantren.phone) == (
            1990,
            True,
            "+625113365000",
        )
        again = Cooperative.objects.get()
        assert (again.pesantren_id, again.nib, again.kbli_code) == (
            pesantren.pk,
            "9120007654321",
            "01111",
        )
        person = Person.objects.get()
        # The export masks the NIK, the phone and the birth date: they come back empty.
        assert (person.full_name, person.nik_hash, person.birth_date, person.pesantren_id) == (
            "Ahmad",
            None,
            None,
            pesantren.pk,
        )
        sasirangan = Product.objects.get()
        assert (
            sasirangan.name,
            sasirangan.category,
            sasirangan.price_min,
            sasirangan.owner_cooperative_id,
        ) == ("Sasirangan", "fashion", 100000, again.pk)
        assert LegalDocument.objects.get().number == "IDM000123456"
