"""A data protection officer reveals a NIK with a reason; the audit log shows it, not the NIK."""

import datetime as dt
import re

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from niaga.audit.models import AuditEvent
from niaga.registry.domain import people as domain
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD
from tests.registry.factories import default_regency, make_nik

pytestmark = pytest.mark.django_db(transaction=True)

BIRTH = dt.date(1998, 2, 14)


def test_a_privacy_officer_reveals_a_nik_and_the_audit_log_shows_it(
    new_page, jatim, jatim_registry, jatim_privacy, jatim_admin
):
    nik = make_nik(default_regency(jatim), BIRTH, female=True, serial=21)
    person = domain.person_create(
        actor=jatim_registry,
        province=jatim,
        full_name="Khadijah Nur Azizah",
        role="alumnus",
        pillar="sosiopreneur",
        gender="female",
        birth_date=BIRTH,
        nik=nik,
    )
    masked = nik[:4] + "********" + nik[-4:]

    officer = new_page()
    log_in(officer, "jatim-dpo", PASSWORD)
    expect(officer).to_have_url(re.compile(r"/province/jatim/$"))
    # These pages' Indonesian texts come with the catalogue; the journey reads English.
    officer.get_by_role("button", name="EN").click()
    officer.goto("/province/jatim/registry/people/")
    expect(officer.locator("#people-table")).to_contain_text(masked)
    officer.get_by_role("link", name="Khadijah Nur Azizah").click()
    expect(officer.locator("#nik-masked")).to_have_text(masked)
    officer.get_by_role("link", name="Show NIK").click()

    reason = officer.get_by_label("Why do you need to see the NIK?")
    reason.fill("cek")
    officer.get_by_role("button", name="Show NIK").click()
    expect(officer.locator("#id_reason_errors")).to_have_text(
        "Say why you need to see the NIK, in at least 10 characters."
    )
    officer.get_by_label("Why do you need to see the NIK?").fill(
        "Verification of a grant application at her request"
    )
    officer.get_by_role("button", name="Show NIK").click()
    expect(officer.locator("#revealed-nik")).to_have_text(nik)
    screenshot(officer, "registry-person-nik-shown")
    assert officer.console_errors == []

    admin = new_page()
    log_in(admin, "jatim-admin", PASSWORD)
    admin.get_by_role("button", name="EN").click()
    admin.goto("/province/jatim/audit/?action=registry.person.reveal_nik")
    row = admin.locator("#audit-table tbody tr").first
    expect(row).to_contain_text("jatim-dpo")
    expect(row).to_contain_text("registry.person.reveal_nik")
    expect(row).to_contain_text("Khadijah Nur Azizah")
    expect(row).to_contain_text("Verification of a grant application at her request")
    expect(row).to_contain_text(masked)
    assert nik not in admin.content()
    with scope(province=jatim):
        assert (
            AuditEvent.objects.filter(
                action="registry.person.reveal_nik", object_id=str(person.pk)
            ).count()
            == 1
        )
