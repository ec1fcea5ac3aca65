"""Masking of personal data before it is written to the audit log or a log line.

UU PDP (Law 27/2022): identifying data is never written in clear outside its
own encrypted column. A field is recognised by its name, exactly or as a
suffix (`guardian_nik`, `contact_phone`), anywhere in nested data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HIDDEN = "[hidden]"


def _digits(value: Any) -> str:
    return "".join(ch for ch in str(value) if ch.isdigit())


def mask_nik(value: Any) -> str:
    """'3578014107900001' → '3578********0001': region kept, birth date and serial hidden."""
    digits = _digits(value)
    if len(digits) <= 8:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def mask_phone(value: Any) -> str:
    """'081234567890' → '0812*****890'."""
    text = str(value).strip()
    digits = _digits(text)
    if len(digits) <= 7:
        return "*" * len(digits)
    prefix = "+" if text.startswith("+") else ""
    return prefix + digits[:4] + "*" * (len(digits) - 7) + digits[-3:]


def mask_email(value: Any) -> str:
    """'budi.santoso@example.com' → 'b***@example.com'."""
    local, at, domain = str(value).partition("@")
    if not at:
        return HIDDEN
    return f"{local[:1]}***@{domain}"


def mask_date(value: Any) -> str:
    return "****-**-**"


def hide(value: Any) -> str:
    return HIDDEN


# Field name → how its value is masked. Later apps add their personal fields
# here rather than masking on their own, so every log uses the same rules.
PERSONAL_FIELDS: dict[str, Callable[[Any], Any]] = {
    "nik": mask_nik,
    "phone": mask_phone,
    "phone_number": mask_phone,
    "whatsapp": mask_phone,
    "email": mask_email,
    "birth_date": mask_date,
    "date_of_birth": mask_date,
    "password": hide,
    "token": hide,
    "secret": hide,
    "temporary_password": hide,
}


def _masker_for(key: str) -> Callable[[Any], Any] | None:
    key = key.lower()
    if key in PERSONAL_FIELDS:
        return PERSONAL_FIELDS[key]
    for name, masker in PERSONAL_FIELDS.items():
        if key.endswith("_" + name):
            return masker
    return None


def mask(data: Any) -> Any:
    """A copy of `data` with every personal field's value masked (None stays None)."""
    if isinstance(data, dict):
        masked = {}
        for key, value in data.items():
            masker = _masker_for(str(key))
            if masker is not None and value not in (None, ""):
                masked[key] = masker(value)
            else:
                masked[key] = mask(value)
        return masked
    if isinstance(data, list | tuple):
        return [mask(item) for item in data]
    return data
