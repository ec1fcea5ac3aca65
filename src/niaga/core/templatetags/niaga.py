"""Template helpers: Bootstrap form fields, province-local times, money."""

from __future__ import annotations

import json

from django import forms, template

from niaga.core.money import format_rupiah, format_rupiah_short
from niaga.regions.clock import format_clock, format_local_datetime

register = template.Library()


def _widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.inclusion_tag("core/_field.html")
def field(bound_field, **attrs):
    """A form field with its label, help and errors, marked up for Bootstrap and screen readers."""
    widget = bound_field.field.widget
    describedby = []
    if bound_field.help_text:
        describedby.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        describedby.append(f"{bound_field.auto_id}_errors")
    css = _widget_class(widget) + (" is-invalid" if bound_field.errors else "")
    widget_attrs = {"class": css, **attrs}
    if describedby:
        widget_attrs["aria-describedby"] = " ".join(describedby)
    if bound_field.errors:
        widget_attrs["aria-invalid"] = "true"
    multiple = isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect)
    return {
        "field": bound_field,
        "widget_html": None if multiple else bound_field.as_widget(attrs=widget_attrs),
        "multiple": multiple,
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
    }


@register.filter
def local_clock(moment, province):
    """{{ deal.recorded_at|local_clock:mission.host }} → '18.30 WITA'."""
    if moment is None or province is None:
        return ""
    return format_clock(moment, province)


@register.filter
def local_datetime(moment, province):
    """{{ event.at|local_datetime:province }} → '13 April 2022, 18.30 WITA'."""
    if moment is None or province is None:
        return ""
    return format_local_datetime(moment, province)


@register.filter
def pretty_json(value) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)


@register.filter
def rupiah(amount):
    """{{ 147321766000|rupiah }} → 'Rp 147.321.766.000' ('IDR 147,321,766,000' in English)."""
    if amount in (None, ""):
        return ""
    return format_rupiah(int(amount))


@register.filter
def rupiah_short(amount):
    """{{ 147321766000|rupiah_short }} → 'Rp 147,3 miliar' ('IDR 147.3 billion')."""
    if amount in (None, ""):
        return ""
    return format_rupiah_short(int(amount))
