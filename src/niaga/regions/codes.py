"""Kemendagri region codes: structure checks and look-ups.

Codes are `PP` (province), `PP.KK` (regency/city: kabupaten 01–69, kota 71–99),
`PP.KK.CC` (district) and `PP.KK.CC.DDDD` (village). Structure is checked
without the database; `validate_region_code` also checks that the province or
regency named exists.
"""

from __future__ import annotations

import re
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from niaga.regions.models import Province, Regency


class Level(StrEnum):
    PROVINCE = "province"
    REGENCY = "regency"
    DISTRICT = "district"
    VILLAGE = "village"


_PATTERNS = {
    Level.PROVINCE: re.compile(r"\d{2}"),
    Level.REGENCY: re.compile(r"\d{2}\.\d{2}"),
    Level.DISTRICT: re.compile(r"\d{2}\.\d{2}\.\d{2}"),
    Level.VILLAGE: re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}"),
}
_EXAMPLES = {
    Level.PROVINCE: "35",
    Level.REGENCY: "35.78",
    Level.DISTRICT: "35.78.01",
    Level.VILLAGE: "35.78.01.1001",
}


def code_level(code: str) -> Level | None:
    """The level a code has by its shape, or None when it has none of the shapes."""
    for level, pattern in _PATTERNS.items():
        if pattern.fullmatch(code):
            return level
    return None


def check_structure(code: str, level: Level | None = None) -> Level:
    """Check the shape of a code and the kabupaten/kota number range.

    Returns the code's level. Raises ValidationError (code "region_format")
    with a message that shows the expected form.
    """
    found = code_level(code)
    if found is None or (level is not None and found != level):
        expected = level or Level.REGENCY
        raise ValidationError(
            _("“%(code)s” is not a Kemendagri region code; expected a form like %(example)s."),
            code="region_format",
            params={"code": code, "example": _EXAMPLES[expected]},
        )
    parts = code.split(".")
    if parts[0] == "00":
        raise ValidationError(
            _("“%(code)s”: the province number cannot be 00."),
            code="region_format",
            params={"code": code},
        )
    if len(parts) >= 2:
        regency_number = int(parts[1])
        if not (1 <= regency_number <= 69 or 71 <= regency_number <= 99):
            raise ValidationError(
                _(
                    "“%(code)s”: a regency number is 01–69 (kabupaten) or 71–99 (kota), "
                    "not %(number)s."
                ),
                code="region_format",
                params={"code": code, "number": parts[1]},
            )
    return found


def lookup_region(code: str) -> Province | Regency | None:
    """The province or regency/city with this code, or None when there is none."""
    level = code_level(code)
    if level == Level.PROVINCE:
        return Province.objects.filter(code=code).first()
    if level == Level.REGENCY:
        return Regency.objects.select_related("province").filter(code=code).first()
    return None


def validate_region_code(code: str, level: Level | None = None) -> Level:
    """Check a code's structure and that its province and regency exist.

    District and village codes are checked up to their regency: Niaga does not
    hold every village. Raises ValidationError with code "region_format" or
    "region_unknown".
    """
    found = check_structure(code, level)
    province_code = code[:2]
    if not Province.objects.filter(code=province_code).exists():
        raise ValidationError(
            _("“%(code)s”: there is no province with code %(province)s."),
            code="region_unknown",
            params={"code": code, "province": province_code},
        )
    if found != Level.PROVINCE and not Regency.objects.filter(code=code[:5]).exists():
        raise ValidationError(
            _("“%(code)s”: there is no regency or city with code %(regency)s."),
            code="region_unknown",
            params={"code": code, "regency": code[:5]},
        )
    return found
