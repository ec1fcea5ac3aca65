"""What the agreement writes share: limits, the error collector, today's date, conflicts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from niaga.agreements.models import (
    Agreement,
)
from niaga.regions.models import Province

DEFAULT_DOCUMENT_MAX_BYTES = 20 * 2**20
MIN_PARTIES = 2
MAX_PARTIES = 20
DOCUMENT_FOLDER = "private/agreements"

AGREEMENT_FIELDS = [
    "kind",
    "title",
    "signed_on",
    "place",
    "valid_from",
    "valid_until",
    "scope",
    "mission",
]
PARTY_FIELDS = ["kind", "name", "province", "business", "number", "signatory", "signatory_title"]
ITEM_FIELDS = ["title", "owner_name", "owner_party", "due_on", "status", "done_on"]
LIMITS = {
    "title": 300,
    "place": 150,
    "name": 200,
    "number": 100,
    "signatory": 150,
    "signatory_title": 150,
    "owner_name": 200,
}


class IdempotencyConflict(Exception):
    """The key was used before, by this province, for a different agreement."""

    def __init__(self, existing: Agreement):
        super().__init__("idempotency key reused with a different payload")
        self.existing = existing


def document_max_bytes() -> int:
    return int(getattr(settings, "NIAGA_AGREEMENT_DOCUMENT_MAX_BYTES", DEFAULT_DOCUMENT_MAX_BYTES))


def conflict_error() -> ValidationError:
    return ValidationError(
        _(
            "Someone else changed this record while you were editing it. Nothing was "
            "saved; the page now shows their version."
        ),
        code="conflict",
    )


def local_today(province: Province, now: dt.datetime | None = None) -> dt.date:
    """Today's date in the province's own zone."""
    return (now or timezone.now()).astimezone(province.zone).date()


class Errors:
    """Errors per field, collected so that one answer names every bad field."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: str, params: dict | None = None) -> None:
        self.by_field.setdefault(field, []).append(
            ValidationError(message, code=code, params=params)
        )

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def clean_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def check_length(errors: Errors, field: str, value: str, label: str) -> None:
    limit = LIMITS[field]
    if len(value) > limit:
        errors.add(
            field,
            _("%(label)s: at most %(limit)s characters.") % {"label": label, "limit": limit},
            "max_length",
        )
