"""Logging in, the lock-out after failed attempts, logging out, and the language choice."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def login(client, username, password, address="10.1.1.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_login_and_logout(client, jatim_desk):
    response = login(client, "jatim-desk", PASSWORD)
    assert response.status_code == 302
    # An officer with one province lands in its space.
    assert client.get("/").headers["Location"] == "/province/jatim/"
    assert client.get("/province/jatim/").status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get("/province/jatim/").status_code == 302


def test_wrong_password_is_explained(client, jatim_desk):
    response = login(client, "jatim-desk", "salah-sandi")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_username_from_that_address(client, jatim_desk):
    for _ in range(4):
        assert login(client, "jatim-desk", "salah-sandi").status_code == 200
    assert login(client, "jatim-desk", "salah-sandi").status_code == 429  # the fifth locks
    locked = login(client, "jatim-desk", PASSWORD)
    assert locked.status_code == 429
    assert 'id="locked-out"' in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The same officer at another address is not locked out by the attacker.
    other = Client()
    assert login(other, "jatim-desk", PASSWORD, address="10.9.9.9").status_code == 302


def test_logout_needs_post(client, jatim_desk):
    client.force_login(jatim_desk)
    assert client.get(reverse("accounts:logout")).status_code == 405


def test_session_expires_after_inactivity(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_indonesian_is_the_default_whatever_the_browser_says(client):
    page = client.get("/about/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "id"
    assert "Tentang Niaga" in page.content.decode()


def test_language_switch_persists_for_the_user(client, jatim_desk):
    login(client, "jatim-desk", PASSWORD)
    response = client.post(reverse("accounts:language"), {"language": "en", "next": "/about/"})
    assert response.status_code == 302 and response["Location"] == "/about/"
    assert "About Niaga" in client.get("/about/").content.decode()
    jatim_desk.refresh_from_db()
    assert jatim_desk.language == "en"
    # Another device, no language cookie: the user's choice follows them after login.
    tablet = Client()
    login(tablet, "jatim-desk", PASSWORD, address="10.2.2.2")
    assert "About Niaga" in tablet.get("/about/").content.decode()
    # Before login the tablet is in Indonesian.
    assert "Tentang Niaga" in Client().get("/about/").content.decode()


def test_language_switch_refuses_unknown_languages_and_foreign_redirects(client):
    assert client.post(reverse("accounts:language"), {"language": "fr"}).status_code == 400
    response = client.post(
        reverse("accounts:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_one_address_spraying_many_usernames_is_stopped(client, jatim_desk):
    # 50 failures from one address, four per username: each pair stays under its
    # own limit of 5, the address as a whole does not.
    for n in range(50):
        assert login(client, f"tebakan-{n // 4}", "salah-sandi").status_code in (200, 429)
    assert login(client, "jatim-desk", PASSWORD).status_code == 429
    # Another address (another desk at another venue) still logs in.
    assert login(Client(), "jatim-desk", PASSWORD, address="10.7.7.7").status_code == 302


def test_one_username_guessed_from_many_addresses_is_stopped(client, jatim_desk):
    for n in range(20):
        login(Client(), "jatim-desk", "salah-sandi", address=f"10.3.0.{n}")
    assert login(client, "jatim-desk", PASSWORD, address="10.4.4.4").status_code == 429


def test_a_few_mistakes_at_a_shared_address_lock_no_one_else(client, jatim_desk, jatim_admin):
    # Twenty desks behind one hotel Wi-Fi address: a few typos each are fine.
    for _ in range(4):
        login(client, "jatim-admin", "salah-sandi", address="10.5.5.5")
    assert login(Client(), "jatim-desk", PASSWORD, address="10.5.5.5").status_code == 302
