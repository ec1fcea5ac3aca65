"""A form field for amounts of rupiah, typed the way people write them."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from niaga.core.money import MoneyError, format_rupiah, format_rupiah_digits, parse_rupiah

# Limits are formatted when the error is shown, in the language then active.
_format_rupiah_lazy = lazy(format_rupiah, str)


def _check_limit(name: str, limit) -> None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
        raise TypeError(f"{name} is an int of rupiah or None, not {type(limit).__name__}.")


class RupiahFormField(forms.CharField):
    """Whole rupiah as an int, read with parse_rupiah; None when left empty.

    ``min_value`` / ``max_value`` (ints, inclusive) bound the amount; their
    messages name the limit in full form (``Rp 1.000``). Read errors carry the
    MoneyError's message and code. The text's length is not bounded
    (``max_length`` and ``min_length`` are refused): parse_rupiah is linear
    and refuses any amount above MAX_AMOUNT.
    """

    default_error_messages = {
        "min_value": _("The amount must be at least %(limit)s."),
        "max_value": _("The amount must be at most %(limit)s."),
    }

    def __init__(self, *, min_value: int | None = None, max_value: int | None = None, **kwargs):
        for name in ("max_length", "min_length"):
            # CharField would run a length validator on the parsed int and fail.
            if name in kwargs:
                raise TypeError(
                    f"RupiahFormField bounds the amount (min_value, max_value), not {name}."
                )
        _check_limit("min_value", min_value)
        _check_limit("max_value", max_value)
        if min_value is not None and max_value is not None and min_value > max_value:
            raise ValueError("min_value is greater than max_value.")
        self.min_value = min_value
        self.max_value = max_value
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.TextInput):
            # A number pad on phones and tablets; no browser suggestions of
            # earlier amounts, which are easy to submit by mistake.
            for name, value in (("inputmode", "numeric"), ("autocomplete", "off")):
                if name not in widget.attrs:
                    attrs[name] = value
        return attrs

    def to_python(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if value in self.empty_values or not str(value).strip():
            return None
        try:
            return parse_rupiah(str(value))
        except MoneyError as error:
            raise ValidationError(error.message, code=error.code, params=error.params) from error

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(
                self.error_messages["min_value"],
                code="min_value",
                params={"limit": _format_rupiah_lazy(self.min_value)},
            )
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"limit": _format_rupiah_lazy(self.max_value)},
            )

    def prepare_value(self, value):
        # Indonesian grouping in every language: it is what parse_rupiah reads
        # back, so a redisplayed form submits the same amount.
        if isinstance(value, int) and not isinstance(value, bool):
            return format_rupiah_digits(value)
        return value
