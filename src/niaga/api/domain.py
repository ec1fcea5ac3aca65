"""Every change to API tokens. The token page and `niaga token` call only these."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from niaga.api.models import ApiToken
from niaga.audit.domain import record

TOKEN_FIELDS = ["user", "name", "prefix", "created_at", "revoked_at"]
# Seconds between two writes of `last_used_at`: a busy client must not turn
# every read into a write.
LAST_USED_RESOLUTION = 60


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_secret() -> tuple[str, str]:
    """(prefix, whole token). 4 random bytes name the row; 32 more are the secret."""
    prefix = secrets.token_hex(4)
    return prefix, f"niaga_{prefix}_{secrets.token_urlsafe(32)}"


def token_create(*, actor, user, name: str = "") -> tuple[ApiToken, str]:
    """Make a new API token for `user`; returns (token row, the token itself).

    The token is returned once and never stored: only its SHA-256 is kept.
    Preconditions: the caller checked that `actor` may act for `user` (the
    page lets people make tokens only for themselves; the command is for
    operators). Errors: ValidationError for an inactive user or a long label.
    Writes the row and an `api.token.created` audit event.
    """
    name = (name or "").strip()
    if len(name) > 100:
        raise ValidationError({"name": _("A label has at most 100 characters.")})
    if not user.is_active:
        raise ValidationError({"user": _("This account is inactive and cannot have API tokens.")})
    for _attempt in range(5):
        prefix, token = _new_secret()
        try:
            with transaction.atomic():
                row = ApiToken.objects.create(
                    user=user,
                    name=name,
                    prefix=prefix,
                    secret_hash=token_hash(token),
                    created_at=timezone.now(),
                )
                record(
                    actor=actor,
                    action="api.token.created",
                    province=None,
                    obj=row,
                    after={
                        "user": user.pk,
                        "username": user.username,
                        "name": name,
                        "prefix": prefix,
                    },
                )
        except IntegrityError:
            continue  # two tokens drew the same 32-bit prefix; draw again
        return row, token
    raise RuntimeError("could not find a free token prefix")


def token_revoke(*, actor, token: ApiToken) -> None:
    """Revoke a token: from now on it answers 401. Revoking is final.

    Errors: ValidationError if it is already revoked. Writes `revoked_at` and
    an `api.token.revoked` audit event.
    """
    now = timezone.now()
    with transaction.atomic():
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        if not changed:
            raise ValidationError({"token": _("This token was already revoked.")})
        token.revoked_at = now
        record(
            actor=actor,
            action="api.token.revoked",
            province=None,
            obj=token,
            before={"revoked_at": None},
            after={"user": token.user_id, "prefix": token.prefix, "revoked_at": now},
        )


def token_mark_used(*, token: ApiToken) -> None:
    """Note when a token was last used, at most once a minute.

    Bookkeeping, not a change anyone decided, so it writes no audit event.
    """
    now = timezone.now()
    last = token.last_used_at
    if last is not None and (now - last).total_seconds() < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
