"""Every change to users and province teams. Views and commands call only these.

Each function validates, writes inside one transaction, and records an audit
event. Errors are `ValidationError`s keyed by the form field they concern, in
the user's language, and change nothing.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from niaga.accounts.models import Membership, Role, User
from niaga.accounts.queries import forget_roles
from niaga.audit.domain import record, snapshot
from niaga.core.scoping import within_province
from niaga.regions.models import Province

# No 0/O, 1/l/I: a temporary password is read aloud or copied off a screen.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - an alphabet
USER_FIELDS = ["username", "full_name", "email", "is_active", "is_national_viewer"]


def generate_temporary_password() -> str:
    """Like 'k7qm-x3vd-p9ts': 60 bits, easy to read out, passes the validators."""
    groups = ["".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)


def _lock_team(province: Province) -> None:
    """Serialise changes to a province's team inside the current transaction.

    "Keep one active admin" is a check on other rows: without the lock, two admins
    revoking themselves at once on PostgreSQL would both see the other and leave
    none. (SQLite's BEGIN IMMEDIATE already serialises every write transaction.)
    """
    Province.objects.select_for_update().filter(pk=province.pk).first()


def _provinces_of(user: User) -> set[str]:
    with scopes_disabled():
        return set(Membership.objects.filter(user=user).values_list("province_id", flat=True))


def _check_only_here(user: User, province: Province, actor: User, field: str) -> None:
    """A province admin may act on an account only if it belongs to their province alone
    and holds no national rights.

    Otherwise an admin of one province could take over another province's officer,
    a national viewer (who sees every province) or a national administrator.
    """
    if actor.is_superuser:
        return
    if user.is_superuser or user.is_staff or user.is_national_viewer:
        raise ValidationError(
            {
                field: _(
                    "%(user)s has national rights; only a national administrator can "
                    "change this account."
                )
                % {"user": user.username}
            }
        )
    elsewhere = _provinces_of(user) - {province.code}
    if elsewhere:
        raise ValidationError(
            {
                field: _(
                    "%(user)s also works in another province; only a national "
                    "administrator can change this account."
                )
                % {"user": user.username}
            }
        )


@within_province
@transaction.atomic
def user_create(
    *,
    actor: User,
    province: Province,
    username: str,
    full_name: str,
    email: str = "",
    roles: list[str],
) -> tuple[User, str]:
    """Create an account in `province`'s team with the given roles.

    Returns the user and a temporary password, shown once to the admin; the
    user must change it at first login. Errors: username taken, no role.
    """
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The username “%s” is already taken.") % username})
    if not roles:
        raise ValidationError({"roles": _("Choose at least one role.")})
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %s.") % ", ".join(sorted(unknown))})
    password = generate_temporary_password()
    user = User(
        username=username,
        full_name=full_name.strip(),
        email=email.strip(),
        must_change_password=True,
    )
    user.set_password(password)
    try:
        # A savepoint, so that a lost race leaves the outer transaction usable.
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # another admin created the same name meanwhile
        raise ValidationError(
            {"username": _("The username “%s” is already taken.") % username}
        ) from error
    for role in sorted(set(roles)):
        Membership.objects.create(user=user, province=province, role=role, granted_by=actor)
    record(
        actor=actor,
        action="accounts.user.created",
        province=province,
        obj=user,
        after={**snapshot(user, USER_FIELDS), "roles": sorted(set(roles))},
    )
    return user, password


@within_province
@transaction.atomic
def role_grant(*, actor: User, province: Province, user: User, role: str) -> Membership:
    """Give `user` a role in `province`. Granting a role the user has is refused."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role: %s.") % role})
    if Membership.objects.filter(user=user, province=province, role=role).exists():
        raise ValidationError(
            {"role": _("%(user)s already has this role.") % {"user": user.username}}
        )
    membership = Membership.objects.create(
        user=user, province=province, role=role, granted_by=actor
    )
    forget_roles(user)
    record(
        actor=actor,
        action="accounts.role.granted",
        province=province,
        obj=user,
        after={"role": role},
    )
    return membership


@within_province
@transaction.atomic
def role_revoke(*, actor: User, province: Province, user: User, role: str) -> None:
    """Take a role away. The province's last active admin keeps theirs, and an account's
    very last role goes only by deactivating the account (else it could still log in
    with no team left to manage it)."""
    _lock_team(province)
    membership = Membership.objects.filter(user=user, province=province, role=role).first()
    if membership is None:
        raise ValidationError({"role": _("%(user)s does not have this role.") % {"user": user}})
    if role == Role.PROVINCE_ADMIN:
        admins = Membership.objects.filter(
            province=province, role=Role.PROVINCE_ADMIN, user__is_active=True
        ).exclude(user=user)
        if not admins.exists():
            raise ValidationError(
                {"role": _("A province must keep at least one active province admin.")}
            )
    with scopes_disabled():
        roles_left = Membership.objects.filter(user=user).exclude(pk=membership.pk).count()
    if roles_left == 0 and user.is_active:
        raise ValidationError(
            {
                "role": _(
                    "This is the last role of %(user)s. Deactivate the account instead, "
                    "so that it cannot log in without a team."
                )
                % {"user": user.username}
            }
        )
    membership.delete()
    forget_roles(user)
    record(
        actor=actor,
        action="accounts.role.revoked",
        province=province,
        obj=user,
        before={"role": role},
    )


@within_province
@transaction.atomic
def user_deactivate(*, actor: User, province: Province, user: User) -> None:
    """Stop an account from logging in; its history stays. Not oneself, not shared accounts."""
    if user.pk == actor.pk:
        raise ValidationError({"user": _("You cannot deactivate your own account.")})
    _check_only_here(user, province, actor, "user")
    _lock_team(province)
    if not user.is_active:
        raise ValidationError({"user": _("This account is already inactive.")})
    is_admin_here = Membership.objects.filter(
        user=user, province=province, role=Role.PROVINCE_ADMIN
    ).exists()
    if (
        is_admin_here
        and not Membership.objects.filter(
            province=province, role=Role.PROVINCE_ADMIN, user__is_active=True
        )
        .exclude(user=user)
        .exists()
    ):
        raise ValidationError(
            {"user": _("A province must keep at least one active province admin.")}
        )
    before = snapshot(user, ["is_active"])
    user.is_active = False
    user.save(update_fields=["is_active"])
    record(
        actor=actor,
        action="accounts.user.deactivated",
        province=province,
        obj=user,
        before=before,
        after=snapshot(user, ["is_active"]),
    )


@within_province
@transaction.atomic
def user_activate(*, actor: User, province: Province, user: User) -> None:
    """Let a deactivated account log in again."""
    _check_only_here(user, province, actor, "user")
    if user.is_active:
        raise ValidationError({"user": _("This account is already active.")})
    user.is_active = True
    user.save(update_fields=["is_active"])
    record(
        actor=actor,
        action="accounts.user.activated",
        province=province,
        obj=user,
        before={"is_active": False},
        after={"is_active": True},
    )


@within_province
@transaction.atomic
def user_password_reset(*, actor: User, province: Province, user: User) -> str:
    """Set a new temporary password (returned, shown once) that must be changed at login."""
    _check_only_here(user, province, actor, "user")
    password = generate_temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record(actor=actor, action="accounts.user.password_reset", province=province, obj=user)
    return password


@transaction.atomic
def user_password_change(*, user: User, new_password: str) -> None:
    """The user sets their own password (validated), which also ends a forced change."""
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record(actor=user, action="accounts.user.password_changed", province=None, obj=user)


@transaction.atomic
def user_language_set(*, user: User, language: str) -> None:
    """Remember the language the user chose; it follows them to every device."""
    if user.language == language:
        return
    before = {"language": user.language}
    user.language = language
    user.save(update_fields=["language"])
    record(
        actor=user,
        action="accounts.user.language_set",
        province=None,
        obj=user,
        before=before,
        after={"language": language},
    )
