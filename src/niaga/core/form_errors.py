"""Domain errors onto forms: the one way every page shows what a domain function refused.

Domain functions raise `ValidationError` keyed by model field names, which the
forms share; a page puts each message on its field, or above the form when
the form has no such field.
"""

from django import forms
from django.core.exceptions import ValidationError


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a domain error on the form: by field where the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def is_conflict(error: ValidationError) -> bool:
    """Whether the domain refused an update because the record moved on (code "conflict")."""
    return not hasattr(error, "error_dict") and any(e.code == "conflict" for e in error.error_list)
