"""Times shown in a province's own zone, labelled WIB, WITA or WIT.

Niaga stores every time in UTC; a mission's times are read in the host
province's zone ("18.30 WITA"), whatever zone the server or reader is in.
"""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date
from django.utils import timezone, translation

from niaga.regions.models import Province


def _local(moment: datetime, province: Province) -> datetime:
    if timezone.is_naive(moment):
        raise ValueError("a naive datetime has no zone to convert from; store times in UTC")
    return moment.astimezone(province.zone)


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "id").split("-")[0]


def format_clock(moment: datetime, province: Province, *, language: str | None = None) -> str:
    """'18.30 WITA' (Indonesian, with a dot) or '18:30 WITA' (English)."""
    local = _local(moment, province)
    separator = ":" if _language(language) == "en" else "."
    return f"{local:%H}{separator}{local:%M} {province.zone_label}"


def format_local_datetime(
    moment: datetime, province: Province, *, language: str | None = None
) -> str:
    """'13 April 2022, 18.30 WITA' in the province's zone and the reader's language."""
    local = _local(moment, province)
    lang = _language(language)
    day = format_date(local.date(), format="long", locale="en" if lang == "en" else "id")
    return f"{day}, {format_clock(moment, province, language=lang)}"
