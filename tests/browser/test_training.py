"""A program officer runs a cohort from start to certificate, and the certificate's
QR link verifies on the public page."""

import os
import re
from pathlib import Path

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from niaga.accounts.models import Role
from niaga.programs.models import Certificate, Enrolment
from tests.browser.conftest import SCREENSHOTS, log_in, screenshot
from tests.conftest import PASSWORD, make_user
from tests.programs import certificate_reading as reading
from tests.programs.factories import make_course, make_module, make_program
from tests.registry.factories import make_person, make_pesantren

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = ["Ahmad Fauzi", "Siti Aminah", "Muhammad Rizki", "Nur Hidayah"]


@pytest.fixture
def officer(jatim):
    return make_user("jatim-program", province=jatim, roles=[Role.PROGRAM_OFFICER])


@pytest.fixture
def course(jatim):
    with scopes_disabled():
        opop_jatim = make_program(jatim, slug="opop-jatim", name="OPOP Jawa Timur")
        module = make_module(opop_jatim, title="Koperasi pesantren")
        course = make_course(
            opop_jatim,
            title="Santripreneur Berbasis Koperasi",
            min_attendance_percent=80,
            passing_score=70,
        )
        course.modules.set([module])
        pesantren = make_pesantren(jatim, name="Pondok Pesantren Sidogiri")
        for name in PEOPLE:
            make_person(jatim, full_name=name, pesantren=pesantren)
    return course


def enrol(page, name):
    search = page.get_by_label("Find a person in the registry")
    search.fill(name.split()[0])
    page.get_by_role("button", name=f"Enrol {name}").click()


def test_an_officer_runs_a_cohort_to_a_certificate_that_verifies(
    new_page, course, officer, tmp_path
):
    # A tablet in landscape: the roll call is taken on one.
    page = new_page(width=1180, height=820)
    log_in(page, "jatim-program", PASSWORD)
    expect(page).to_have_url(re.compile(r"/province/jatim/$"))
    # The journey reads English: these pages' Indonesian comes with the catalogue.
    page.get_by_role("button", name="EN", exact=True).click()

    page.goto("/province/jatim/programs/opop-jatim/training/")
    page.get_by_role("link", name="Santripreneur Berbasis Koperasi").click()
    page.get_by_role("link", name="New cohort").click()
    page.get_by_label("Name").fill("Angkatan 2024-1")
    page.get_by_label("Starts on").fill("2024-03-04")
    page.get_by_label("Ends on").fill("2024-03-08")
    page.get_by_label("Place").fill("UNUSA, Surabaya")
    page.get_by_label("Trainers").fill("Dr. Hasan Basri\nIbu Laila Rahmawati")
    page.get_by_label("Capacity").fill("3")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_contain_text("Angkatan 2024-1")
    cohort_page = page.url

    # Enrol four people from the registry into three seats: the fourth waits.
    for name in PEOPLE:
        enrol(page, name)
    expect(page.locator("#seats-taken")).to_have_text("3 / 3")
    expect(page.locator("#waiting-table tbody tr")).to_have_count(1)
    expect(page.locator("#waiting-table tbody tr")).to_contain_text("Nur Hidayah")

    for day in ("2024-03-04", "2024-03-05"):
        page.get_by_role("link", name="Add a session").click()
        page.get_by_label("Date").fill(day)
        page.get_by_role("button", name="Save").click()
    expect(page.locator("#session-table tbody tr")).to_have_count(2)

    # Roll call of session 1: one tap each for the three present, one save.
    page.locator("#session-table tbody tr").nth(0).get_by_role("link", name="Roll call").click()
    for name in ("Ahmad Fauzi", "Siti Aminah", "Muhammad Rizki"):
        page.locator(".roll-call-person", has_text=name).click()
    expect(page.locator("#roll-call-count")).to_have_text("present: 3 of 3")
    page.get_by_role("button", name="Save the roll call").click()
    expect(page.locator(".messages")).to_contain_text("3 present, 0 absent")
    # Session 2: Muhammad Rizki is away.
    page.locator("#session-table tbody tr").nth(1).get_by_role("link", name="Roll call").click()
    page.locator(".roll-call-person", has_text="Ahmad Fauzi").click()
    page.locator(".roll-call-person", has_text="Siti Aminah").click()
    expect(page.locator("#roll-call-count")).to_have_text("present: 2 of 3")
    page.get_by_role("button", name="Save the roll call").click()
    expect(page.locator(".messages")).to_contain_text("2 present, 1 absent")
    # The saved roll call, as the guide shows it: in Indonesian, the site's language.
    page.locator("#session-table tbody tr").nth(1).get_by_role("link", name="Roll call").click()
    expect(page.locator(".btn-check:checked")).to_have_count(2)
    page.get_by_role("button", name="ID", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    screenshot(page, "roll-call")
    page.get_by_role("button", name="EN", exact=True).click()
    page.goto(cohort_page)
    row = page.locator("#participant-table tr", has_text="Muhammad Rizki")
    expect(row.locator(".attendance")).to_have_text("1 / 2 (50%)")

    page.get_by_role("link", name="Enter scores").click()
    page.get_by_label("Ahmad Fauzi").fill("85")
    page.get_by_label("Siti Aminah").fill("65")
    page.get_by_label("Muhammad Rizki").fill("90")
    page.get_by_role("button", name="Save the scores").click()
    expect(page.locator(".messages")).to_contain_text("Scores saved (3 changed).")

    page.get_by_role("link", name="Complete the cohort").click()
    expect(page.locator("#passing-list")).to_contain_text("Ahmad Fauzi")
    expect(page.locator("#failing-list")).to_contain_text(
        "Muhammad Rizki: attended 1 of 2 sessions (50%); 80% needed"
    )
    expect(page.locator("#failing-list")).to_contain_text("Siti Aminah: score 65; 70 needed")
    page.get_by_role("button", name="Complete the cohort and issue the certificates").click()
    expect(page.locator("#cohort-status")).to_have_text("Completed")

    # The certificate: its page, then its PDF.
    page.locator("#participant-table tr", has_text="Ahmad Fauzi").get_by_role(
        "link", name="View"
    ).click()
    sheet = page.locator("#certificate-sheet")
    expect(sheet.locator("#certificate-holder")).to_have_text("Ahmad Fauzi")
    with scopes_disabled():
        certificate = Certificate.objects.get()
        code = certificate.code
        assert Enrolment.objects.get(pk=certificate.enrolment_id).person.full_name == "Ahmad Fauzi"
    shown = f"{code[:4]}-{code[4:8]}-{code[8:]}"
    expect(sheet.locator("#certificate-code")).to_have_text(shown)
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        sheet.screenshot(path=os.path.join(SCREENSHOTS, "certificate.png"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    pdf_path = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf_path)
    assert pdf_path.name == f"sertifikat-{shown}.pdf"
    pdf = pdf_path.read_bytes()
    assert "Ahmad Fauzi" in reading.text(pdf)
    assert f"Kode verifikasi {shown}" in reading.text(pdf)

    # The QR code's link, as a phone would read it: the URL in the PDF's link,
    # which the QR image in the PDF encodes module for module.
    (qr_link,) = reading.link_uris(pdf)
    assert qr_link.endswith(f"/sertifikat/{shown}/")
    (qr_image,) = reading.images(pdf)
    assert reading.encodes(qr_image, qr_link)
    assert page.console_errors == []

    # A stranger's phone: no login, the public page says valid.
    phone = new_page(width=390, height=844)
    phone.goto(qr_link)
    expect(phone.locator("#verify-status")).to_have_attribute("data-status", "valid")
    expect(phone.locator("#verify-holder")).to_have_text("Ahmad Fauzi")
    expect(phone.locator("#verify-course")).to_have_text("Santripreneur Berbasis Koperasi")
    screenshot(phone, "certificate-verify")
    assert phone.console_errors == []
