"""Province admins manage their own province's people; every change is audited."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from niaga.accounts import domain
from niaga.accounts.models import Membership, Role, User
from niaga.audit.models import AuditEvent
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def events(province, action):
    with scope(province=province):
        return list(AuditEvent.objects.filter(action=action))


def test_create_user_with_roles_and_a_temporary_password(jatim, jatim_admin):
    user, password = domain.user_create(
        actor=jatim_admin,
        province=jatim,
        username="jatim-desk2",
        full_name="Rina Wulandari",
        email="rina@jatimprov.go.id",
        roles=[Role.DESK_OFFICER, Role.VIEWER],
    )
    assert user.check_password(password)
    assert user.must_change_password
    with scopes_disabled():
        roles = set(Membership.objects.filter(user=user).values_list("province_id", "role"))
    assert roles == {("35", "desk_officer"), ("35", "viewer")}
    [event] = events(jatim, "accounts.user.created")
    assert event.actor == jatim_admin
    assert event.after["username"] == "jatim-desk2"
    assert event.after["roles"] == ["desk_officer", "viewer"]
    assert event.after["email"] == "r***@jatimprov.go.id"  # masked
    assert password not in str(event.after)


def test_duplicate_username_is_refused_and_nothing_changes(jatim, jatim_admin, kalsel_admin):
    with pytest.raises(ValidationError) as raised:
        domain.user_create(
            actor=jatim_admin,
            province=jatim,
            username="KALSEL-ADMIN",
            full_name="X",
            roles=[Role.VIEWER],
        )
    assert "username" in raised.value.message_dict
    assert User.objects.filter(username__iexact="kalsel-admin").count() == 1
    assert events(jatim, "accounts.user.created") == []


def test_a_role_is_needed(jatim, jatim_admin):
    with pytest.raises(ValidationError) as raised:
        domain.user_create(actor=jatim_admin, province=jatim, username="x", full_name="X", roles=[])
    assert "roles" in raised.value.message_dict
    assert not User.objects.filter(username="x").exists()


def test_grant_and_revoke(jatim, jatim_admin, jatim_desk):
    domain.role_grant(actor=jatim_admin, province=jatim, user=jatim_desk, role=Role.VIEWER)
    assert jatim_desk.has_perm("regions.view_province", jatim)
    with pytest.raises(ValidationError):
        domain.role_grant(actor=jatim_admin, province=jatim, user=jatim_desk, role=Role.VIEWER)
    domain.role_revoke(actor=jatim_admin, province=jatim, user=jatim_desk, role=Role.VIEWER)
    assert [e.before for e in events(jatim, "accounts.role.revoked")] == [{"role": "viewer"}]
    assert [e.after for e in events(jatim, "accounts.role.granted")] == [{"role": "viewer"}]


def test_the_last_province_admin_keeps_the_role(jatim, jatim_admin):
    with pytest.raises(ValidationError, match="sekurang-kurangnya satu admin provinsi yang aktif"):
        domain.role_revoke(
            actor=jatim_admin, province=jatim, user=jatim_admin, role=Role.PROVINCE_ADMIN
        )
    with scope(province=jatim):
        assert Membership.objects.filter(user=jatim_admin, role=Role.PROVINCE_ADMIN).exists()


def test_deactivate_and_reactivate(jatim, jatim_admin, jatim_desk):
    domain.user_deactivate(actor=jatim_admin, province=jatim, user=jatim_desk)
    jatim_desk.refresh_from_db()
    assert not jatim_desk.is_active
    assert not jatim_desk.has_perm("regions.view_province", jatim)
    domain.user_activate(actor=jatim_admin, province=jatim, user=jatim_desk)
    jatim_desk.refresh_from_db()
    assert jatim_desk.is_active
    assert len(events(jatim, "accounts.user.deactivated")) == 1
    assert len(events(jatim, "accounts.user.activated")) == 1


def test_no_one_deactivates_themselves(jatim, jatim_admin):
    with pytest.raises(ValidationError, match="akun Anda sendiri"):
        domain.user_deactivate(actor=jatim_admin, province=jatim, user=jatim_admin)


def test_accounts_shared_with_another_province_are_for_national_admins(jatim, kalsel, jatim_admin):
    shared = make_user("dua-provinsi", province=jatim, roles=[Role.VIEWER])
    with scopes_disabled():
        Membership.objects.create(user=shared, province=kalsel, role=Role.VIEWER)
    for action in (domain.user_deactivate, domain.user_password_reset):
        with pytest.raises(ValidationError, match="provinsi lain"):
            action(actor=jatim_admin, province=jatim, user=shared)
    shared.refresh_from_db()
    assert shared.is_active and not shared.must_change_password


def test_password_reset_forces_a_change(client, jatim, jatim_admin, jatim_desk):
    password = domain.user_password_reset(actor=jatim_admin, province=jatim, user=jatim_desk)
    jatim_desk.refresh_from_db()
    assert jatim_desk.check_password(password) and jatim_desk.must_change_password
    [event] = events(jatim, "accounts.user.password_reset")
    assert event.before is None and event.after is None

    client.force_login(jatim_desk)
    response = client.get(reverse("province:home", kwargs={"province": "jatim"}))
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:password_change"
    )
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "jatim-desk",
            "new_password2": "jatim-desk",
        },
    )
    assert response.status_code == 200  # too similar / too short: refused
    jatim_desk.refresh_from_db()
    assert jatim_desk.must_change_password
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": "Banjarmasin#13April",
            "new_password2": "Banjarmasin#13April",
        },
    )
    assert response.status_code == 302
    jatim_desk.refresh_from_db()
    assert not jatim_desk.must_change_password
    assert jatim_desk.check_password("Banjarmasin#13April")
    assert client.get(reverse("province:home", kwargs={"province": "jatim"})).status_code == 200


def test_team_pages_through_the_browser_client(client, jatim, jatim_admin):
    client.force_login(jatim_admin)
    team_url = reverse("province:team", kwargs={"province": "jatim"})
    create = client.post(
        reverse("province:team_create", kwargs={"province": "jatim"}),
        {
            "username": "jatim-kurator",
            "full_name": "Hasan Basri",
            "email": "",
            "roles": ["registry_officer"],
        },
    )
    assert create.status_code == 200
    assert "jatim-kurator" in create.content.decode()
    created = User.objects.get(username="jatim-kurator")
    password = create.context["password"]
    assert created.check_password(password)
    assert create["Cache-Control"] == "no-store"
    assert "jatim-kurator" in client.get(team_url).content.decode()

    member_kwargs = {"province": "jatim", "user_id": created.pk}
    client.post(reverse("province:team_role_grant", kwargs=member_kwargs), {"role": "viewer"})
    with scope(province=jatim):
        assert set(Membership.objects.filter(user=created).values_list("role", flat=True)) == {
            "registry_officer",
            "viewer",
        }
        assert [e.after for e in AuditEvent.objects.filter(action="accounts.role.granted")] == [
            {"role": "viewer"}
        ]
    page = client.get(reverse("province:team_member", kwargs=member_kwargs)).content.decode()
    roles_list = page.split('id="roles"', 1)[1].split("</ul>", 1)[0]
    assert "Pemantau" in roles_list and "Petugas registrasi" in roles_list
    client.post(reverse("province:team_deactivate", kwargs=member_kwargs))
    created.refresh_from_db()
    assert not created.is_active


def test_bad_team_form_changes_nothing(client, jatim, jatim_admin):
    client.force_login(jatim_admin)
    before = User.objects.count()
    response = client.post(
        reverse("province:team_create", kwargs={"province": "jatim"}),
        {
            "username": "bad name with spaces",
            "full_name": "",
            "roles": [],
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"username", "full_name", "roles"}
    assert User.objects.count() == before


def test_a_deactivated_officer_is_logged_out_at_once(client, jatim, jatim_admin, jatim_desk):
    client.post("/accounts/login/", {"username": "jatim-desk", "password": "uji-kata-sandi-2026"})
    assert client.get("/province/jatim/").status_code == 200
    domain.user_deactivate(actor=jatim_admin, province=jatim, user=jatim_desk)
    response = client.get("/province/jatim/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_team_page_query_count_does_not_grow(client, jatim, jatim_admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(jatim_admin)
    url = reverse("province:team", kwargs={"province": "jatim"})

    def queries() -> int:
        cache.clear()  # the same cache state for both counts (sessions live there too)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    make_user("jatim-1", province=jatim, roles=[Role.VIEWER])
    few = queries()
    for n in range(2, 30):
        make_user(f"jatim-{n}", province=jatim, roles=[Role.VIEWER, Role.DESK_OFFICER])
    assert queries() == few


def test_national_admin_site_works_across_provinces(client, jatim, kalsel, jatim_admin):
    superuser = User.objects.create_superuser("nasional-admin", password="x" * 12)
    domain.user_create(
        actor=jatim_admin, province=jatim, username="x1", full_name="X", roles=[Role.VIEWER]
    )
    client.force_login(superuser)
    for url in (
        "/admin/",
        "/admin/accounts/membership/",
        "/admin/audit/auditevent/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{jatim_admin.pk}/change/",
        "/admin/regions/regency/?province__code__exact=63",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    memberships = client.get("/admin/accounts/membership/")
    assert memberships.context["cl"].result_count == 2  # rows of any province, no scope error
    assert "jatim-admin" in memberships.content.decode()
    # Province officers, even admins, are not let in.
    client.force_login(jatim_admin)
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("kind", ["superuser", "staff", "national_viewer"])
def test_accounts_with_national_rights_are_for_national_admins(jatim, jatim_admin, kalsel, kind):
    flags = {
        "superuser": {"is_superuser": True, "is_staff": True},
        "staff": {"is_staff": True},
        "national_viewer": {"is_national_viewer": True},
    }[kind]
    target = make_user("pusat", province=jatim, roles=[Role.VIEWER], **flags)
    for action in (domain.user_password_reset, domain.user_deactivate):
        with pytest.raises(ValidationError, match="hak nasional"):
            action(actor=jatim_admin, province=jatim, user=target)
    User.objects.filter(pk=target.pk).update(is_active=False)
    target.refresh_from_db()
    with pytest.raises(ValidationError, match="hak nasional"):
        domain.user_activate(actor=jatim_admin, province=jatim, user=target)
    target.refresh_from_db()
    assert target.check_password(PASSWORD) and not target.is_active
    assert events(jatim, "accounts.user.password_reset") == []


def test_the_last_role_goes_only_with_the_account(jatim, jatim_admin, jatim_desk):
    with pytest.raises(ValidationError, match="peran terakhir"):
        domain.role_revoke(
            actor=jatim_admin, province=jatim, user=jatim_desk, role=Role.DESK_OFFICER
        )
    domain.user_deactivate(actor=jatim_admin, province=jatim, user=jatim_desk)
    domain.role_revoke(actor=jatim_admin, province=jatim, user=jatim_desk, role=Role.DESK_OFFICER)
    with scopes_disabled():
        assert not Membership.objects.filter(user=jatim_desk).exists()


def test_usernames_are_unique_ignoring_case(db):
    from django.db import IntegrityError, transaction

    User.objects.create(username="Budi")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="budi")


def test_team_page_shows_last_login_in_the_provinces_zone(client, jatim, jatim_admin):
    import datetime as dt

    client.force_login(jatim_admin)  # sets last_login to now: put the known time back
    User.objects.filter(pk=jatim_admin.pk).update(
        last_login=dt.datetime(2026, 11, 2, 1, 5, tzinfo=dt.UTC)
    )
    page = client.get(reverse("province:team", kwargs={"province": "jatim"})).content.decode()
    assert "2 November 2026, 08.05 WIB" in page


TEAM_ACTIONS = [
    ("team_role_grant", {"role": "viewer"}),
    ("team_role_revoke", None),
    ("team_deactivate", None),
    ("team_activate", None),
    ("team_password_reset", None),
]


@pytest.mark.parametrize("who", ["jatim-desk", "jatim-viewer", "nasional"])
@pytest.mark.parametrize(("action", "data"), TEAM_ACTIONS)
def test_only_province_admins_may_change_the_team(client, jatim, jatim_desk, who, action, data):
    actors = {
        "jatim-desk": jatim_desk,
        "jatim-viewer": make_user("jatim-viewer", province=jatim, roles=[Role.VIEWER]),
        "nasional": make_user("nasional", is_national_viewer=True),
    }
    target = make_user("sasaran", province=jatim, roles=[Role.DESK_OFFICER, Role.VIEWER])
    client.force_login(actors[who])
    kwargs = {"province": "jatim", "user_id": target.pk}
    if action == "team_role_revoke":
        kwargs["role"] = "viewer"
    response = client.post(reverse(f"province:{action}", kwargs=kwargs), data or {})
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.check_password(PASSWORD) and target.is_active
    with scopes_disabled():
        assert set(Membership.objects.filter(user=target).values_list("role", flat=True)) == {
            "desk_officer",
            "viewer",
        }
    with scope(province=jatim):
        assert not AuditEvent.objects.exists()


def test_admin_site_changes_are_audited(client, jatim, jatim_admin, jatim_desk):
    superuser = User.objects.create_superuser("nasional-admin", password="x" * 12)
    client.force_login(superuser)
    response = client.post(
        "/admin/accounts/membership/add/",
        {"user": jatim_desk.pk, "province": "35", "role": "viewer"},
    )
    assert response.status_code == 302
    [event] = events(jatim, "accounts.membership.created_in_admin")
    assert event.actor == superuser
    with scopes_disabled():
        membership = Membership.objects.get(user=jatim_desk, role="viewer")
    client.post(f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"})
    assert len(events(jatim, "accounts.membership.deleted_in_admin")) == 1
    with scopes_disabled():
        national = AuditEvent.objects.filter(province=None)
        client.post(
            f"/admin/accounts/user/{jatim_desk.pk}/password/",
            {"password1": "Banjarmasin#2026x", "password2": "Banjarmasin#2026x"},
        )
        [change] = national.filter(action="accounts.user.changed_in_admin")
    assert change.object_id == str(jatim_desk.pk)
    assert "Banjarmasin" not in str(change.after)
