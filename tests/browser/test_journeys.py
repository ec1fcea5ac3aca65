"""The foundation's user journeys, as a person would click through them."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_log_in_and_see_the_province_home(page, jatim_admin, kalsel_admin):
    page.goto("/")
    screenshot(page, "home")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Niaga")
    page.get_by_role("link", name="Masuk", exact=True).click()
    log_in(page, "jatim-admin", PASSWORD)
    expect(page).to_have_url(re.compile(r"/province/jatim/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Provinsi Jawa Timur")
    expect(page.locator("#stat-kabupaten")).to_have_text("29")
    expect(page.locator("#stat-kota")).to_have_text("9")
    expect(page.get_by_text("Waktu setempat")).to_contain_text("WIB")
    expect(page.get_by_role("cell", name="Kota Surabaya")).to_be_visible()
    screenshot(page, "province-home")
    # No other province's team leaks into the navigation.
    page.get_by_role("button", name="Jawa Timur").click()
    expect(page.locator(".province-menu")).not_to_contain_text("Kalimantan Selatan")
    assert page.console_errors == []  # no CSP violations or script errors


def test_wrong_password_then_log_out(page, jatim_desk):
    log_in(page, "jatim-desk", "bukan-sandinya")
    expect(page.get_by_role("alert")).to_contain_text("Nama pengguna atau kata sandi salah")
    log_in(page, "jatim-desk", PASSWORD)
    expect(page).to_have_url(re.compile(r"/province/jatim/$"))
    page.get_by_role("button", name="jatim-desk").click()
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("link", name="Masuk", exact=True)).to_be_visible()
    page.goto("/province/jatim/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/province/jatim/"))


def test_switch_language_and_keep_it(new_page, jatim_desk):
    page = new_page()
    log_in(page, "jatim-desk", PASSWORD)
    expect(page.get_by_role("link", name="Ringkasan")).to_be_visible()
    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Province of Jawa Timur")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/about/")
    expect(page.get_by_role("heading", level=1)).to_have_text("About Niaga")
    # A second device: Indonesian before login, English once the user logs in.
    tablet = new_page(width=768, height=1024)
    tablet.goto("/about/")
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Tentang Niaga")
    log_in(tablet, "jatim-desk", PASSWORD)
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Province of Jawa Timur")
    tablet.get_by_role("button", name="ID").click()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Provinsi Jawa Timur")


def test_another_provinces_page_is_not_found(page, jatim_admin, kalsel_viewer):
    log_in(page, "kalsel-viewer", PASSWORD)
    expect(page).to_have_url(re.compile(r"/province/kalsel/$"))
    response = page.goto("/province/jatim/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")
    response = page.goto(f"/province/jatim/team/{jatim_admin.pk}/")
    assert response.status == 404


def test_admin_adds_an_officer_who_sets_a_password(new_page, jatim_admin):
    admin = new_page()
    log_in(admin, "jatim-admin", PASSWORD)
    admin.get_by_role("link", name="Tim").click()
    admin.get_by_role("link", name="Tambah orang").click()
    admin.get_by_label("Nama pengguna").fill("jatim-desk2")
    admin.get_by_label("Nama lengkap").fill("Rina Wulandari")
    admin.get_by_label("Petugas meja transaksi").check()
    admin.get_by_role("button", name="Buat akun").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Akun dibuat")
    temporary = admin.locator("#temporary-password").inner_text().strip()
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", temporary)
    screenshot(admin, "team-temporary-password")

    officer = new_page(width=768, height=1024)
    log_in(officer, "jatim-desk2", temporary)
    expect(officer).to_have_url(re.compile(r"/accounts/password/$"))
    officer.get_by_label("Kata sandi saat ini").fill(temporary)
    officer.get_by_label(re.compile(r"^Kata sandi baru")).fill("Surabaya#Pasar2026")
    officer.get_by_label("Ulangi kata sandi baru").fill("Surabaya#Pasar2026")
    officer.get_by_role("button", name="Simpan kata sandi baru").click()
    expect(officer.get_by_text("Kata sandi Anda telah diganti.")).to_be_visible()
    officer.goto("/province/jatim/")
    expect(officer.get_by_role("heading", level=1)).to_have_text("Provinsi Jawa Timur")

    admin.goto("/province/jatim/audit/")
    expect(admin.locator("#audit-table")).to_contain_text("accounts.user.created")
    expect(admin.locator("#audit-table")).to_contain_text("jatim-desk2")


def test_admin_changes_roles_deactivates_resets_and_filters_the_log(new_page, jatim, jatim_admin):
    make_user("jatim-kurator", province=jatim, roles=["registry_officer"], full_name="Hasan Basri")
    admin = new_page()
    log_in(admin, "jatim-admin", PASSWORD)
    admin.goto("/province/jatim/team/")
    admin.get_by_role("link", name="jatim-kurator").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Hasan Basri")

    admin.get_by_label("Peran").select_option(label="Pemantau")
    admin.get_by_role("button", name="Beri peran").click()
    expect(admin.get_by_role("status")).to_contain_text("jatim-kurator mendapat peran baru.")
    expect(admin.locator("#roles")).to_contain_text("Pemantau")

    admin.get_by_role("button", name="Cabut Pemantau").click()
    expect(admin.locator("#roles")).not_to_contain_text("Pemantau")
    # The last role cannot go while the account is active.
    admin.get_by_role("button", name="Cabut Petugas registrasi").click()
    expect(admin.get_by_role("status")).to_contain_text("Ini peran terakhir jatim-kurator")

    admin.get_by_role("button", name="Nonaktifkan akun").click()
    expect(admin.get_by_role("status")).to_contain_text("jatim-kurator tidak dapat masuk lagi.")
    kurator = new_page()
    log_in(kurator, "jatim-kurator", PASSWORD)
    expect(kurator.get_by_role("alert")).to_contain_text("Nama pengguna atau kata sandi salah")
    admin.get_by_role("button", name="Aktifkan kembali akun").click()

    admin.get_by_role("button", name="Atur ulang kata sandi").click()
    temporary = admin.locator("#temporary-password").inner_text().strip()
    log_in(kurator, "jatim-kurator", temporary)
    expect(kurator).to_have_url(re.compile(r"/accounts/password/$"))

    admin.goto("/province/jatim/audit/")
    admin.get_by_label("Tindakan").select_option("accounts.role")
    admin.get_by_role("button", name="Saring").click()
    rows = admin.locator("#audit-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("accounts.role.revoked")
    expect(rows.nth(1)).to_contain_text("accounts.role.granted")
    admin.get_by_label("Tindakan").select_option("accounts.user")
    admin.get_by_role("button", name="Saring").click()
    expect(admin.locator("#audit-table")).to_contain_text("accounts.user.password_reset")
    expect(admin.locator("#audit-table")).to_contain_text("accounts.user.deactivated")
    expect(admin.locator("#audit-table")).not_to_contain_text("accounts.role.granted")
    screenshot(admin, "audit-log")
