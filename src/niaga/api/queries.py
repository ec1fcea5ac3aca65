"""Reads of API tokens."""

from __future__ import annotations

import hmac

from django.db.models import F, QuerySet

from niaga.api.domain import token_hash
from niaga.api.models import ApiToken


def active_token(raw: str) -> ApiToken | None:
    """The live token row for a presented token, or None (unknown, revoked, inactive user).

    The row is found by its public prefix and the hashes compared in constant time.
    """
    parts = (raw or "").split("_", 2)
    if len(parts) != 3 or parts[0] != "niaga" or not parts[1] or not parts[2]:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if row is None or not hmac.compare_digest(row.secret_hash, token_hash(raw)):
        return None
    if not row.user.is_active:
        return None
    return row


def tokens_of(user) -> QuerySet[ApiToken]:
    """Live tokens first, newest first."""
    return ApiToken.objects.filter(user=user).order_by(
        F("revoked_at").asc(nulls_first=True), "-created_at", "-id"
    )
