"""Reads about users and their province roles."""

from __future__ import annotations

from django.db.models import QuerySet
from django_scopes import scopes_disabled

from niaga.accounts.models import Membership, User
from niaga.regions.models import Province

_CACHE_ATTRIBUTE = "_niaga_roles"


def roles_by_province(user) -> dict[str, frozenset[str]]:
    """{province code: roles} for a user, read once per user object.

    Deliberately crosses provinces (the user's own memberships everywhere), so
    it opens the scope itself. Inactive and anonymous users have no roles.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        roles: dict[str, set[str]] = {}
        with scopes_disabled():
            for province_code, role in Membership.objects.filter(user=user).values_list(
                "province_id", "role"
            ):
                roles.setdefault(province_code, set()).add(role)
        cached = {code: frozenset(r) for code, r in roles.items()}
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def forget_roles(user) -> None:
    """Drop the cached roles after they change (tests, the same request)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def provinces_visible_to(user) -> QuerySet[Province]:
    """The provinces whose space the user may open, in code order."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Province.objects.none()
    if user.is_superuser or user.is_national_viewer:
        return Province.objects.all()
    return Province.objects.filter(code__in=roles_by_province(user).keys())


def team_members(province: Province) -> list[tuple[User, list[Membership]]]:
    """The province's team: each user with their memberships here, by username.

    Two queries whatever the team's size. Must run inside the province's scope.
    """
    memberships = list(
        Membership.objects.filter(province=province)
        .select_related("user")
        .order_by("user__username", "role")
    )
    team: dict[int, tuple[User, list[Membership]]] = {}
    for membership in memberships:
        team.setdefault(membership.user_id, (membership.user, []))[1].append(membership)
    return list(team.values())
