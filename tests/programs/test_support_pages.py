"""The support pages: the list and its filters, totals, recording grants and
assistance (with evidence), a record's page with reversal, correction and
deletion of assistance, a pesantren's support page, the profile section; who
may see and do what; query counts.

Pages are read in English (the language cookie) where their words are checked;
money is checked in Indonesian too (`Rp 25.000.000`), the site's default.
"""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from niaga.accounts.models import Role
from niaga.audit.models import AuditEvent
from niaga.programs.models import Assistance, Grant, SupportEvidence
from niaga.regions.models import Regency
from tests.conftest import make_user
from tests.programs import support_world
from tests.programs.support_world import (
    JOMBANG,
    SURABAYA,
    make_assistance,
    make_evidence,
    make_grant,
    make_reversal,
    pdf_bytes,
    stored_files,
)
from tests.registry.factories import make_pesantren

# Fixtures of the shared support world.
world = support_world.world
media = support_world.media

pytestmark = pytest.mark.django_db

D = datetime.date


def url(name, *, province="jatim", program="opop-jatim", **kwargs):
    return reverse(f"province:{name}", kwargs={"province": province, "program": program, **kwargs})


def text(response) -> str:
    """The page's text with tags dropped and spaces collapsed, for phrase assertions."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def english(client, user):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def flashes(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def officer(client, jatim_program_officer):
    return english(client, jatim_program_officer)


@pytest.fixture
def jatim_viewer(jatim):
    return make_user("jatim-viewer", province=jatim, roles=[Role.VIEWER])


@pytest.fixture
def records(world):
    """Two grants (one reversed) and an assistance in Jatim's program."""
    with scopes_disabled():
        grant = make_grant(
            world.program, world.tebuireng, 25_000_000, D(2024, 3, 4), purpose="Modal kopontren"
        )
        wrong = make_grant(world.program, world.ampel, 90_000_000, D(2023, 7, 1))
        reversal = make_reversal(wrong, reason="Nominal salah")
        assistance = make_assistance(
            world.program, world.ampel, "marketing", D(2024, 5, 5), description="OPOP Expo 2024"
        )
        make_evidence(grant)
    return grant, wrong, reversal, assistance


# --- The list, its filters and its export ---------------------------------------------------


def test_the_list_shows_every_record_with_money_in_rupiah(client, world, records, jatim_viewer):
    client.force_login(jatim_viewer)  # Indonesian, the default
    response = client.get(url("support_list"))
    assert response.status_code == 200
    rows = [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(
            r"<tr>\s*<td class=\"text-nowrap\">.*?</tr>", response.content.decode(), re.S
        )
    ]
    assert len(rows) == 4
    assert "Rp 25.000.000" in rows[1] and "PP Tebuireng" in rows[1]
    assert "-Rp 90.000.000" in rows[2] and "Nominal salah" in rows[2]
    assert "Rp 90.000.000" in rows[3]
    assert "OPOP Expo 2024" in rows[0]
    assert "Darussalam" not in response.content.decode()  # Kalsel's grant
    assert 'id="support-count"' in response.content.decode()


def test_the_list_filters(officer, world, records):
    grant, wrong, reversal, assistance = records

    def shown(**query):
        response = officer.get(url("support_list"), query)
        return sorted(re.findall(r"(Grant|Reversal|Assistance) #(\d+)", text(response)))

    assert shown(year="2023") == sorted([("Grant", str(wrong.pk)), ("Reversal", str(reversal.pk))])
    assert shown(regency=JOMBANG) == [("Grant", str(grant.pk))]
    assert shown(aspect="marketing") == [("Assistance", str(assistance.pk))]
    assert shown(kind="assistance", year="2023") == []
    assert shown(pesantren=str(world.ampel.pk), kind="grant") == sorted(
        [("Grant", str(wrong.pk)), ("Reversal", str(reversal.pk))]
    )
    assert "4 records" in text(officer.get(url("support_list")))


def test_the_export_is_the_filtered_list_with_formulas_neutralised(officer, world):
    with scopes_disabled():
        make_grant(world.program, world.tebuireng, 25_000_000, D(2024, 3, 4), purpose="=1+2")
        make_grant(world.program, world.ampel, 5_000_000, D(2023, 3, 4), purpose="Modal")
    response = officer.get(url("support_list"), {"year": "2024", "export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="dukungan-opop-jatim-')
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:4] == ["Date", "Kind", "Record no.", "Pesantren"]
    assert len(lines) == 2
    cells = lines[1].split(",")
    assert cells[0] == "2024-03-04" and cells[1] == "Grant" and cells[3] == "PP Tebuireng"
    assert cells[8] == "25000000" and cells[9] == "'=1+2"

    response = officer.get(url("support_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][8] == "Amount (Rp)"
    assert [(row[0], row[3], row[8], row[9]) for row in values[1:]] == [
        ("2024-03-04", "PP Tebuireng", 25_000_000, "'=1+2"),
        ("2023-03-04", "PP Sunan Ampel", 5_000_000, "Modal"),
    ]


# --- Totals ---------------------------------------------------------------------------------


def test_the_totals_page_per_regency_and_year(client, world, records, jatim_viewer):
    with scopes_disabled():
        make_grant(world.program, world.ampel, 10_000_000, D(2024, 9, 9))
    client.force_login(jatim_viewer)
    response = client.get(url("support_totals"))
    html = response.content.decode()
    by_regency = html[html.index('id="totals-by-regency"') : html.index('id="totals-by-year"')]
    rows = [
        " ".join(re.sub(r"<[^>]+>", " ", r).split())
        for r in re.findall(r"<tr.*?</tr>", by_regency, re.S)
    ]
    assert rows[1:3] == [
        "Kabupaten Jombang Rp 25.000.000 1 0 1",
        "Kota Surabaya Rp 10.000.000 1 1 1",
    ]
    assert len(rows) == 4 and rows[3].endswith(" Rp 35.000.000 2 1 2")
    by_year = html[html.index('id="totals-by-year"') :]
    rows = [
        " ".join(re.sub(r"<[^>]+>", " ", r).split())
        for r in re.findall(r"<tr.*?</tr>", by_year, re.S)
    ]
    assert rows[1:3] == ["2023 Rp 0 0 0 0", "2024 Rp 35.000.000 2 1 2"]
    assert rows[3].endswith("Rp 35.000.000 2 1 2")
    only_2024 = client.get(url("support_totals"), {"year": "2024", "regency": SURABAYA})
    page = text(only_2024)
    assert "Kota Surabaya Rp 10.000.000 1 1 1" in page
    assert "2024 Rp 10.000.000 1 1 1" in page


# --- Recording ------------------------------------------------------------------------------


def test_an_officer_records_a_grant_with_evidence(officer, world, media, jatim_program_officer):
    response = officer.get(url("support_grant_create"), {"pesantren": world.tebuireng.pk})
    assert response.status_code == 200
    assert re.search(
        rf'<option value="{world.tebuireng.pk}" selected>PP Tebuireng', response.content.decode()
    )
    upload = support_world.pdf_upload("SK Hibah 2024.pdf")
    response = officer.post(
        url("support_grant_create"),
        {
            "pesantren": world.tebuireng.pk,
            "to_cooperative": "on",
            "amount_idr": "Rp 25.000.000",
            "granted_on": "2024-03-04",
            "purpose": "Modal usaha kopontren",
            "source": "apbd",
            "source_detail": "",
            "evidence_files": [upload],
        },
    )
    with scopes_disabled():
        grant = Grant.objects.get(program=world.program)
        evidence = SupportEvidence.objects.get(grant=grant)
    assert response.status_code == 302
    assert response["Location"] == url("support_grant", grant_id=grant.pk)
    assert (grant.amount_idr, grant.cooperative_id, grant.recorded_by_id) == (
        25_000_000,
        world.cooperative.pk,
        jatim_program_officer.pk,
    )
    assert evidence.original_name == "SK Hibah 2024.pdf"
    page = officer.get(response["Location"])
    assert flashes(page) == ["The grant has been recorded."]
    body = text(page)
    assert "IDR 25,000,000" in body and "Kopontren Tebuireng" in body
    assert "SK Hibah 2024.pdf" in body
    assert url("support_evidence", evidence_id=evidence.pk) in page.content.decode()


def test_bad_grant_input_is_named_and_nothing_is_saved(officer, world, media):
    response = officer.post(
        url("support_grant_create"),
        {
            "pesantren": world.ampel.pk,
            "to_cooperative": "on",
            "amount_idr": "25 jt",
            "granted_on": "2099-01-01",
            "purpose": "",
            "source": "other",
            "evidence_files": [support_world.executable_upload("kwitansi.pdf")],
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["to_cooperative"] == ["PP Sunan Ampel has no registered cooperative."]
    assert form.errors["purpose"] == ["This field is required."]
    assert "jt" in form.errors["amount_idr"][0]
    with scopes_disabled():
        assert Grant.objects.filter(program=world.program).count() == 0
    # The domain's rules come back on their fields too once the form's own checks pass.
    response = officer.post(
        url("support_grant_create"),
        {
            "pesantren": world.ampel.pk,
            "amount_idr": "25.000.000",
            "granted_on": "2099-01-01",
            "purpose": "Modal",
            "source": "other",
            "evidence_files": [support_world.executable_upload("kwitansi.pdf")],
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["granted_on"] == ["The date cannot be in the future."]
    assert errors["source_detail"] == ["Say where the money came from."]
    assert errors["evidence_files"][0].startswith(
        "“kwitansi.pdf” is named as a PDF file but is really"
    )
    assert 'id="id_granted_on_errors"' in response.content.decode()
    with scopes_disabled():
        assert (
            Grant.objects.filter(program=world.program).count(),
            SupportEvidence.objects.count(),
        ) == (0, 0)
    assert stored_files(media) == []


def test_a_jatim_form_cannot_reference_a_kalsel_pesantren(officer, world):
    response = officer.post(
        url("support_grant_create"),
        {
            "pesantren": world.kalsel_pesantren.pk,
            "amount_idr": "5.000.000",
            "granted_on": "2024-01-01",
            "purpose": "Modal",
            "source": "apbd",
        },
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["pesantren"]
    assert "Darussalam" not in response.content.decode()
    response = officer.post(
        url("support_assistance_create"),
        {
            "pesantren": world.kalsel_pesantren.pk,
            "aspect": "marketing",
            "given_on": "2024-01-01",
            "description": "Expo",
        },
    )
    assert list(response.context["form"].errors) == ["pesantren"]
    with scopes_disabled():
        assert Grant.objects.filter(province=world.jatim).count() == 0
        assert Assistance.objects.count() == 0


def test_an_officer_records_assistance_in_the_programs_aspects(officer, world, media):
    response = officer.get(url("support_assistance_create"))
    assert [v for v, _l in response.context["form"].fields["aspect"].choices] == [
        "",
        "institution",
        "human_resources",
        "product",
        "financing",
        "marketing",
    ]
    response = officer.post(
        url("support_assistance_create"),
        {
            "pesantren": world.ampel.pk,
            "aspect": "product",
            "given_on": "2024-06-12",
            "description": "Pendampingan sertifikasi halal",
            "evidence_files": [support_world.png_upload(), support_world.jpeg_upload()],
        },
    )
    with scopes_disabled():
        assistance = Assistance.objects.get()
        assert SupportEvidence.objects.filter(assistance=assistance).count() == 2
    assert response["Location"] == url("support_assistance", assistance_id=assistance.pk)
    assert (assistance.aspect, assistance.given_on, assistance.cooperative_id) == (
        "product",
        D(2024, 6, 12),
        None,
    )


def test_the_pesantren_search_offers_the_provinces_pesantren_only(officer, world):
    response = officer.get(url("support_pesantren_options"), {"q": "ebuir"})
    options = re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', response.content.decode())
    assert options == [("", "—"), (str(world.tebuireng.pk), "PP Tebuireng · Kabupaten Jombang")]
    response = officer.get(url("support_pesantren_options"), {"q": "Darussalam"})
    assert "Darussalam" not in response.content.decode()
    assert "No pesantren match." in response.content.decode()
    response = officer.get(url("support_pesantren_options"), {"q": "5100351700"})
    assert str(world.tebuireng.pk) in response.content.decode()
    # Without JavaScript, the search reloads the form with the list narrowed.
    response = officer.get(url("support_grant_create"), {"q": "Ampel"})
    choices = response.context["form"].fields["pesantren"].widget.choices
    assert [label for _v, label in choices] == ["—", "PP Sunan Ampel · Kota Surabaya"]


# --- A grant's page and its reversal ------------------------------------------------------------


def test_an_officer_reverses_a_grant_with_a_reason(officer, world, records):
    grant = records[0]
    page = officer.get(url("support_grant", grant_id=grant.pk))
    assert 'id="reverse-form"' in page.content.decode()
    response = officer.post(url("support_grant_reverse", grant_id=grant.pk), {"reason": " "})
    assert response.status_code == 400
    assert response.context["reverse_form"].errors["reason"] == ["This field is required."]
    response = officer.post(
        url("support_grant_reverse", grant_id=grant.pk), {"reason": "Dicatat dua kali"}
    )
    with scopes_disabled():
        reversal = Grant.objects.get(reverses=grant)
    assert response["Location"] == url("support_grant", grant_id=grant.pk)
    page = officer.get(response["Location"])
    assert flashes(page) == [
        f"The grant has been reversed by entry #{reversal.pk}; its totals are now zero."
    ]
    body = text(page)
    assert f"Reversed by entry #{reversal.pk}" in body and "Dicatat dua kali" in body
    assert 'id="reverse-form"' not in page.content.decode()
    reversal_page = text(officer.get(url("support_grant", grant_id=reversal.pk)))
    assert "-IDR 25,000,000" in reversal_page
    assert "cannot be reversed itself" in reversal_page
    again = officer.post(url("support_grant_reverse", grant_id=grant.pk), {"reason": "Lagi"})
    assert again.status_code == 400
    assert again.context["reverse_form"].non_field_errors() == [
        "This grant has already been reversed; a grant is reversed only once."
    ]
    with scopes_disabled():
        assert Grant.objects.filter(reverses=grant).count() == 1


def test_evidence_is_added_on_the_records_page(officer, world, records, media):
    grant, _wrong, _reversal, assistance = records
    response = officer.post(
        url("support_grant_evidence_add", grant_id=grant.pk),
        {"file": support_world.png_upload("serah-terima.png")},
    )
    assert response.status_code == 302
    bad = officer.post(
        url("support_assistance_evidence_add", assistance_id=assistance.pk),
        {"file": support_world.executable_upload("laporan.pdf")},
    )
    assert bad.status_code == 400
    assert bad.context["evidence_form"].errors["file"][0].startswith("“laporan.pdf” is named")
    with scopes_disabled():
        assert [e.original_name for e in SupportEvidence.objects.filter(grant=grant)] == [
            "bukti.pdf",
            "serah-terima.png",
        ]
        assert SupportEvidence.objects.filter(assistance=assistance).count() == 0


# --- Assistance: correct and delete -------------------------------------------------------------


def test_assistance_is_corrected_and_deleted_by_an_officer(officer, world, records, media):
    assistance = records[3]
    page = officer.get(url("support_assistance_edit", assistance_id=assistance.pk))
    form = page.context["form"]
    fingerprint = form.initial["fingerprint"]
    data = {
        "pesantren": world.tebuireng.pk,
        "to_cooperative": "on",
        "aspect": "marketing",
        "given_on": "2024-05-06",
        "description": "OPOP Expo 2024, Surabaya",
        "fingerprint": fingerprint,
    }
    response = officer.post(url("support_assistance_edit", assistance_id=assistance.pk), data)
    assert response.status_code == 302
    with scopes_disabled():
        assistance.refresh_from_db()
    assert (assistance.pesantren_id, assistance.cooperative_id, assistance.given_on) == (
        world.tebuireng.pk,
        world.cooperative.pk,
        D(2024, 5, 6),
    )
    stale = officer.post(url("support_assistance_edit", assistance_id=assistance.pk), data)
    assert stale.status_code == 302
    assert flashes(officer.get(stale["Location"])) == [
        "The changes have been saved.",
        "Someone else changed this record while you were editing it. Nothing was saved; "
        "the form now shows their version.",
    ]

    response = officer.post(
        url("support_assistance_delete", assistance_id=assistance.pk), {"reason": ""}
    )
    assert response.status_code == 400
    response = officer.post(
        url("support_assistance_delete", assistance_id=assistance.pk), {"reason": "Dobel"}
    )
    assert response["Location"] == url("support_list")
    with scopes_disabled():
        assert not Assistance.objects.filter(pk=assistance.pk).exists()
        assert AuditEvent.objects.filter(action="programs.assistance.delete").count() == 1


# --- Pesantren pages ----------------------------------------------------------------------------


def test_a_pesantrens_support_page(officer, world, records):
    response = officer.get(url("support_pesantren", pesantren_id=world.ampel.pk))
    body = text(response)
    assert "PP Sunan Ampel" in body
    summary = response.content.decode()
    assert re.search(r'id="pesantren-grant-total">IDR 0<', summary)
    assert re.search(r'id="pesantren-assistance-count">1<', summary)
    assert "Marketing: 1" in body
    assert len(re.findall(r"(?:Grant|Reversal|Assistance) #\d+", body)) == 3
    assert "PP Tebuireng" not in body
    assert response.context["summary"].grant.amount_idr == 0


def test_the_profile_shows_support_received_without_more_queries(client, world, jatim_admin):
    english(client, jatim_admin)
    profile = reverse(
        "province:pesantren", kwargs={"province": "jatim", "pesantren_id": world.tebuireng.pk}
    )
    section = reverse(
        "province:support_received",
        kwargs={"province": "jatim", "pesantren_id": world.tebuireng.pk},
    )

    def cost():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(profile)
        assert response.status_code == 200
        return response, len(captured)

    response, few = cost()
    assert f'hx-get="{section}"' in response.content.decode()
    assert "Support received" in text(response)
    with scopes_disabled():
        for month in range(1, 10):
            make_grant(world.program, world.tebuireng, 1_000_000, D(2024, month, 1))
            make_assistance(world.program, world.tebuireng, "product", D(2024, month, 2))
    assert cost()[1] == few

    fragment = client.get(section, headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()
    body = text(fragment)
    assert "OPOP Jawa Timur IDR 9,000,000 9 9" in body
    assert "13 more records" in body
    assert body.count("#") == 5
    full = client.get(section)
    assert "<html" in full.content.decode() and "OPOP Jawa Timur IDR 9,000,000 9 9" in text(full)


# --- Who may see and do what --------------------------------------------------------------------


def test_a_viewer_reads_but_cannot_record(client, world, records, jatim_viewer):
    grant, _wrong, _reversal, assistance = records
    english(client, jatim_viewer)
    page = client.get(url("support_list"))
    assert page.status_code == 200
    assert "Record a grant" not in text(page)
    detail = client.get(url("support_grant", grant_id=grant.pk))
    assert detail.status_code == 200 and 'id="reverse-form"' not in detail.content.decode()
    assert 'id="evidence-form"' not in detail.content.decode()
    for name, kwargs, data in (
        (
            "support_grant_create",
            {},
            {
                "pesantren": world.ampel.pk,
                "amount_idr": "1",
                "granted_on": "2024-01-01",
                "purpose": "x",
                "source": "apbd",
            },
        ),
        ("support_assistance_create", {}, {}),
        ("support_grant_reverse", {"grant_id": grant.pk}, {"reason": "x"}),
        ("support_grant_evidence_add", {"grant_id": grant.pk}, {}),
        ("support_assistance_edit", {"assistance_id": assistance.pk}, {}),
        ("support_assistance_delete", {"assistance_id": assistance.pk}, {"reason": "x"}),
        ("support_assistance_evidence_add", {"assistance_id": assistance.pk}, {}),
    ):
        assert client.post(url(name, **kwargs), data).status_code == 404, name
    with scopes_disabled():
        assert Grant.objects.filter(program=world.program).count() == 3
        assert Assistance.objects.filter(pk=assistance.pk).exists()


@pytest.mark.parametrize("role", [Role.PROGRAM_OFFICER, Role.PROVINCE_ADMIN])
def test_program_officers_and_admins_may_record(client, world, jatim, role):
    user = make_user(f"jatim-{role}", province=jatim, roles=[role])
    english(client, user)
    assert "Record a grant" in text(client.get(url("support_list")))
    assert client.get(url("support_grant_create")).status_code == 200


def test_registry_officers_and_pesantren_accounts_cannot_record(client, world, jatim):
    for role in (Role.REGISTRY_OFFICER, Role.PESANTREN):
        client.force_login(make_user(f"jatim-{role}", province=jatim, roles=[role]))
        assert client.get(url("support_grant_create")).status_code == 404
    # A pesantren account does not read the program's support records either.
    assert client.get(url("support_list")).status_code == 404


@pytest.fixture
def kalsel_urls(world):
    with scopes_disabled():
        grant = world.kalsel_grant
        assistance = make_assistance(
            world.kalsel_program, world.kalsel_pesantren, "marketing", D(2024, 1, 1)
        )
        evidence = make_evidence(grant)
    slug, pesantren = world.kalsel_program.slug, world.kalsel_pesantren.pk
    return (
        [
            ("support_list", {}),
            ("support_totals", {}),
            ("support_grant_create", {}),
            ("support_assistance_create", {}),
            ("support_pesantren_options", {}),
            ("support_grant", {"grant_id": grant.pk}),
            ("support_grant_reverse", {"grant_id": grant.pk}),
            ("support_grant_evidence_add", {"grant_id": grant.pk}),
            ("support_assistance", {"assistance_id": assistance.pk}),
            ("support_assistance_edit", {"assistance_id": assistance.pk}),
            ("support_assistance_delete", {"assistance_id": assistance.pk}),
            ("support_assistance_evidence_add", {"assistance_id": assistance.pk}),
            ("support_evidence", {"evidence_id": evidence.pk}),
            ("support_pesantren", {"pesantren_id": pesantren}),
        ],
        slug,
        pesantren,
    )


POST_ONLY = {
    "support_grant_reverse",
    "support_grant_evidence_add",
    "support_assistance_evidence_add",
}


def test_kalsels_support_answers_404_to_jatim_in_every_way(client, world, kalsel_urls, jatim_admin):
    names, slug, pesantren = kalsel_urls
    client.force_login(jatim_admin)
    for name, kwargs in names:
        send = client.post if name in POST_ONLY else client.get
        # Under Jatim's space with Kalsel's program, under Kalsel's own space, and (for
        # a row) under Jatim's own program: never found.
        addresses = [
            url(name, program=slug, **kwargs),
            url(name, province="kalsel", program=slug, **kwargs),
        ]
        if kwargs:
            addresses.append(url(name, program="opop-jatim", **kwargs))
        for address in addresses:
            assert send(address).status_code == 404, address
    received = reverse(
        "province:support_received", kwargs={"province": "jatim", "pesantren_id": pesantren}
    )
    assert client.get(received).status_code == 404
    with scopes_disabled():
        assert Grant.objects.filter(province=world.kalsel).count() == 1


def test_jatims_support_answers_404_to_kalsel(client, world, records, kalsel_program_officer):
    grant, _wrong, _reversal, assistance = records
    client.force_login(kalsel_program_officer)
    for name, kwargs in (
        ("support_list", {}),
        ("support_totals", {}),
        ("support_grant", {"grant_id": grant.pk}),
        ("support_assistance", {"assistance_id": assistance.pk}),
        ("support_pesantren", {"pesantren_id": world.ampel.pk}),
    ):
        assert client.get(url(name, **kwargs)).status_code == 404, name
        assert client.get(url(name, province="kalsel", **kwargs)).status_code == 404, name
    # Nor can Kalsel's officer record for a Jatim pesantren in Kalsel's program.
    response = client.post(
        url("support_grant_create", province="kalsel", program="opop-kalsel"),
        {
            "pesantren": world.ampel.pk,
            "amount_idr": "1.000",
            "granted_on": "2024-01-01",
            "purpose": "x",
            "source": "apbd",
        },
    )
    assert response.status_code == 400
    with scopes_disabled():
        assert Grant.objects.filter(program=world.kalsel_program).count() == 1


# --- Query counts ------------------------------------------------------------------------------


def grow(world, count: int, offset: int) -> None:
    with scope(province=world.jatim):
        regencies = list(Regency.objects.filter(province=world.jatim).order_by("code")[:6])
        for i in range(count):
            pesantren = make_pesantren(
                world.jatim, regency=regencies[(i + offset) % len(regencies)]
            )
            grant = make_grant(
                world.program, pesantren, 1_000_000 * (i + 1), D(2020 + (i + offset) % 5, 1, 1)
            )
            make_evidence(grant, content=pdf_bytes(str(i)))
            if i % 2:
                make_reversal(grant)
            make_assistance(world.program, pesantren, "product", D(2021 + i % 3, 2, 2))


def cost(client, address, query=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address, query or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("support_list", {}),
        ("support_list", {"year": "2021", "aspect": "product"}),
        ("support_list", {"export": "csv"}),
        ("support_totals", {}),
        ("support_totals", {"year": "2022", "regency": "35.01"}),
    ],
)
def test_query_counts_do_not_grow_with_rows(officer, world, name, query):
    grow(world, 3, 0)
    few = cost(officer, url(name), query)
    grow(world, 12, 3)
    assert cost(officer, url(name), query) == few


def test_the_pesantren_page_costs_the_same_with_more_records(officer, world):
    def add(n):
        with scopes_disabled():
            for i in range(n):
                make_grant(world.program, world.ampel, 1_000 + i, D(2022, 1, 1))
                make_assistance(world.program, world.ampel, "marketing", D(2022, 2, 1))

    add(2)
    few = cost(officer, url("support_pesantren", pesantren_id=world.ampel.pk))
    add(10)
    assert cost(officer, url("support_pesantren", pesantren_id=world.ampel.pk)) == few
