"""Province isolation: another province's space and objects answer 404, and never leak."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scopes_disabled

from niaga.audit.domain import record
from niaga.audit.models import AuditEvent
from tests.conftest import PASSWORD, make_user


def _province_patterns():
    """Every URL pattern under province/<slug>/, with the kwargs it needs."""
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                found.append((prefix + str(entry.pattern), entry))

    walk(get_resolver().url_patterns, "")
    return [(route, entry) for route, entry in found if route.startswith("province/")]


def _url(route: str, slug: str, user_id: int) -> str:
    """A concrete address for a route: every converter filled with a plausible value."""
    route = (
        route.replace("<slug:province>", slug)
        .replace("<int:user_id>", str(user_id))
        .replace("<str:role>", "viewer")
        .replace("<slug:slug>", "uji-misi")
    )
    return "/" + re.sub(r"<(?:int|str|slug|uuid|path):\w+>", "1", route)


def test_every_province_page_is_guarded():
    routes = _province_patterns()
    assert len(routes) >= 10
    for route, entry in routes:
        assert getattr(entry.callback, "niaga_province_scoped", False), route


@pytest.fixture
def world(jatim, kalsel, jatim_admin, kalsel_admin, kalsel_viewer, mission):
    secret_member = make_user("kalsel-rahasia", province=kalsel, roles=["viewer"])
    with scopes_disabled():
        record(
            actor=kalsel_admin,
            action="accounts.user.created",
            province=kalsel,
            obj=secret_member,
            after={"username": "kalsel-rahasia"},
        )
        record(
            actor=jatim_admin,
            action="accounts.user.created",
            province=jatim,
            obj=jatim_admin,
            after={"username": "jatim-admin"},
        )
    return secret_member


@pytest.mark.django_db
def test_another_provinces_pages_answer_404(
    client, world, kalsel_viewer, kalsel_admin, jatim_admin
):
    client.force_login(kalsel_admin)
    for route, _entry in _province_patterns():
        url = _url(route, "jatim", jatim_admin.pk)
        response = client.post(url) if "grant" in route or "revoke" in route else client.get(url)
        assert response.status_code == 404, url


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client, world, jatim_admin):
    for route, _entry in _province_patterns():
        response = client.get(_url(route, "jatim", jatim_admin.pk))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_a_team_member_of_another_province_is_404_inside_ones_own(client, world, jatim_admin):
    client.force_login(jatim_admin)
    url = reverse("province:team_member", kwargs={"province": "jatim", "user_id": world.pk})
    assert client.get(url).status_code == 404
    reset = reverse(
        "province:team_password_reset", kwargs={"province": "jatim", "user_id": world.pk}
    )
    assert client.post(reset).status_code == 404
    world.refresh_from_db()
    assert world.check_password(PASSWORD)  # nothing changed


@pytest.mark.django_db
def test_rows_of_the_second_province_never_appear(client, world, jatim_admin):
    client.force_login(jatim_admin)
    for name in ("home", "team", "audit_log"):
        page = client.get(reverse(f"province:{name}", kwargs={"province": "jatim"}))
        assert page.status_code == 200
        text = page.content.decode()
        assert "kalsel-rahasia" not in text
        assert "kalsel-admin" not in text
    team = client.get(reverse("province:team", kwargs={"province": "jatim"})).content.decode()
    assert "jatim-admin" in team


@pytest.mark.django_db
def test_roles_decide_within_a_province(client, world, jatim, jatim_desk):
    client.force_login(jatim_desk)
    assert client.get(reverse("province:home", kwargs={"province": "jatim"})).status_code == 200
    assert client.get(reverse("province:team", kwargs={"province": "jatim"})).status_code == 404
    assert (
        client.get(reverse("province:audit_log", kwargs={"province": "jatim"})).status_code == 404
    )


@pytest.mark.django_db
def test_national_viewer_sees_every_province_read_only(client, world, national_viewer):
    client.force_login(national_viewer)
    for slug in ("jatim", "kalsel", "papua"):
        assert client.get(reverse("province:home", kwargs={"province": slug})).status_code == 200
    assert client.get(reverse("province:team", kwargs={"province": "kalsel"})).status_code == 404
    national = client.get(reverse("core:national"))
    assert national.status_code == 200
    assert "Kalimantan Selatan" in national.content.decode()


@pytest.mark.django_db
def test_national_page_is_not_for_province_officers(client, world, kalsel_viewer):
    client.force_login(kalsel_viewer)
    assert client.get(reverse("core:national")).status_code == 404


@pytest.mark.django_db
def test_scoped_models_refuse_queries_without_a_scope(world):
    from django_scopes.exceptions import ScopeError

    with pytest.raises(ScopeError):
        list(AuditEvent.objects.all())


@pytest.mark.django_db
def test_unknown_province_is_404(client, jatim_admin):
    client.force_login(jatim_admin)
    assert client.get("/province/atlantis/").status_code == 404
