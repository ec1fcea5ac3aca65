"""API tokens: the command, the page, hashing, revocation and the audit trail."""

import hashlib
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_scopes import scopes_disabled

from niaga.api.models import ApiToken
from niaga.audit.models import AuditEvent
from tests.api.conftest import bearer
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

TOKEN_PATTERN = re.compile(r"^niaga_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$")


def token_command(*args) -> list[str]:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue().splitlines()


def totals(client, token: str, slug: str = "misi-jatim"):
    return client.get(
        f"/api/v1/missions/{slug}/totals", headers={"Authorization": f"Bearer {token}"}
    )


def table_text() -> str:
    """Every value of every stored token row, as text."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken")
        return repr(cursor.fetchall())


def events(action: str) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_the_command_prints_a_working_token_alone_on_the_last_line(client, jatim_world, jatim_desk):
    lines = token_command("create", "--user", "jatim-desk", "--name", "dasbor")
    token = lines[-1]
    assert TOKEN_PATTERN.match(token)
    assert all(token not in line for line in lines[:-1])
    row = ApiToken.objects.get()
    assert (row.user, row.name, row.prefix) == (jatim_desk, "dasbor", token.split("_")[1])
    # Only the hash is kept: neither the token nor its secret part is in the table.
    assert row.secret_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = table_text()
    assert token not in stored and token.split("_", 2)[2] not in stored
    assert row.last_used_at is None

    response = totals(client, token)
    assert response.status_code == 200 and response.json()["mission"] == "misi-jatim"
    row.refresh_from_db()
    assert row.last_used_at is not None

    [created] = events("api.token.created")
    assert (created.actor, created.actor_label, created.province) == (None, "system", None)
    assert created.after == {
        "user": jatim_desk.pk,
        "username": "jatim-desk",
        "name": "dasbor",
        "prefix": row.prefix,
    }


def test_the_command_lists_and_revokes(client, jatim_world, jatim_desk, jatim_admin):
    desk_token = token_command("create", "--user", "jatim-desk")[-1]
    admin_token = token_command("create", "--user", "JATIM-ADMIN", "--name", "laporan")[-1]
    desk_prefix, admin_prefix = desk_token.split("_")[1], admin_token.split("_")[1]

    listing = token_command("list")
    assert listing[0].split() == [
        "PREFIX",
        "USER",
        "STATUS",
        "CREATED",
        "(UTC)",
        "LAST",
        "USED",
        "(UTC)",
        "LABEL",
    ]
    assert [line.split()[:3] for line in listing[1:]] == [
        [admin_prefix, "jatim-admin", "active"],
        [desk_prefix, "jatim-desk", "active"],
    ]
    assert listing[1].endswith("laporan")
    assert desk_token not in "\n".join(listing) and admin_token not in "\n".join(listing)
    assert [line.split()[0] for line in token_command("list", "--user", "jatim-desk")[1:]] == [
        desk_prefix
    ]

    assert token_command("revoke", desk_prefix) == [f"Revoked niaga_{desk_prefix}_… of jatim-desk."]
    assert totals(client, desk_token).status_code == 401
    assert totals(client, admin_token).status_code == 200
    assert [line.split()[2] for line in token_command("list", "--user", "jatim-desk")[1:]] == [
        "revoked"
    ]
    with pytest.raises(CommandError, match="sudah dicabut"):
        token_command("revoke", f"niaga_{desk_prefix}")
    with pytest.raises(CommandError, match="No token with the prefix"):
        token_command("revoke", "00000000")
    [revoked] = events("api.token.revoked")
    assert revoked.object_id == str(ApiToken.objects.get(prefix=desk_prefix).pk)


def test_the_command_refuses_unknown_and_inactive_users(jatim):
    with pytest.raises(CommandError, match="No user named 'siapa'"):
        token_command("create", "--user", "siapa")
    make_user("pensiun", province=jatim, roles=["viewer"], is_active=False)
    with pytest.raises(CommandError):
        token_command("create", "--user", "pensiun")
    assert token_command("list") == ["No tokens."]
    assert not ApiToken.objects.exists()


def test_a_deactivated_users_token_stops_working(client, jatim_world, jatim_desk):
    headers = bearer(jatim_desk)
    url = "/api/v1/missions/misi-jatim/totals"
    assert client.get(url, headers=headers).status_code == 200
    jatim_desk.is_active = False
    jatim_desk.save()
    assert client.get(url, headers=headers).status_code == 401


def test_a_tampered_token_is_refused(client, jatim_world, jatim_desk):
    token = token_command("create", "--user", "jatim-desk")[-1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert totals(client, tampered).status_code == 401
    assert totals(client, token).status_code == 200


# --- The page -------------------------------------------------------------------------


def login(client, user):
    client.force_login(user)


def test_the_page_needs_a_login(client):
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_makes_a_token_shown_once_and_revokes_it(
    client, jatim_world, jatim_desk, jatim_admin
):
    other_token = bearer(jatim_admin, name="milik admin")
    login(client, jatim_desk)
    empty = client.get("/accounts/tokens/")
    assert empty.status_code == 200
    assert "milik admin" not in empty.content.decode()

    made = client.post("/accounts/tokens/", {"name": "tablet meja 3"})
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    html = made.content.decode()
    token = re.search(r'id="new-token">([^<]+)<', html).group(1)
    assert TOKEN_PATTERN.match(token)
    assert totals(client, token).status_code == 200
    row = ApiToken.objects.get(user=jatim_desk)
    assert row.name == "tablet meja 3"

    listing = client.get("/accounts/tokens/").content.decode()
    assert token not in listing  # shown once only
    assert f"niaga_{row.prefix}_…" in listing and "tablet meja 3" in listing
    assert "milik admin" not in listing

    revoked = client.post(f"/accounts/tokens/{row.prefix}/revoke/", follow=True)
    assert revoked.status_code == 200
    assert f"niaga_{row.prefix}_…" in revoked.content.decode()
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert totals(client, token).status_code == 401
    [event] = events("api.token.revoked")
    assert (event.actor, event.province) == (jatim_desk, None)
    assert [e.actor for e in events("api.token.created")] == [jatim_admin, jatim_desk]
    # Someone else's token cannot be revoked from here.
    admin_row = ApiToken.objects.get(user=jatim_admin)
    assert client.post(f"/accounts/tokens/{admin_row.prefix}/revoke/").status_code == 404
    admin_row.refresh_from_db()
    assert admin_row.revoked_at is None
    assert client.get("/api/v1/missions/misi-jatim/totals", headers=other_token).status_code == 200
    assert client.get(f"/accounts/tokens/{row.prefix}/revoke/").status_code == 405


def test_the_page_needs_a_label(client, jatim_desk):
    login(client, jatim_desk)
    response = client.post("/accounts/tokens/", {"name": "  "})
    assert response.status_code == 200
    assert 'id="new-token"' not in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_page_has_no_inline_script_or_style(client, jatim_desk):
    login(client, jatim_desk)
    client.post("/accounts/tokens/", {"name": "satu"})
    for address in ("/accounts/tokens/", "/api/v1/docs"):
        html = client.get(address).content.decode()
        assert " style=" not in html and "<style" not in html
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
        assert "http://" not in html and "https://" not in html
