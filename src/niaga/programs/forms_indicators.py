"""Forms of the indicator pages and the dashboard's selector. They parse input;
`niaga.programs.domain.indicators` checks the rules and names the field that
breaks one (values are passed on as typed, so "239.993" and "Rp 2,5 miliar"
are read by the domain's own rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from niaga.programs.dashboard import SORTS
from niaga.programs.models import Indicator, IndicatorKey, IndicatorSource, Program
from niaga.regions.models import Province, Regency


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RegencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _regency_field() -> RegencyChoice:
    return RegencyChoice(
        label=_("Regency/city"),
        required=False,
        queryset=Regency.objects.none(),
        to_field_name="code",
        empty_label=_("The whole province"),
        help_text=_("Leave empty for a figure or target of the whole province."),
    )


class IndicatorForm(forms.Form):
    key = forms.ChoiceField(label=_("Indicator"), choices=IndicatorKey.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the indicator's usual name."),
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=IndicatorSource.choices,
        initial=IndicatorSource.COMPUTED,
        help_text=_(
            "Computed: counted live from the registry and the program's records. "
            "Entered: only the dated figures you record."
        ),
    )
    order = forms.IntegerField(label=_("Position"), required=False, min_value=0, max_value=999)

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        present = set(Indicator.objects.filter(program=program).values_list("key", flat=True))
        self.fields["key"].choices = [c for c in IndicatorKey.choices if c[0] not in present]

    def domain_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "key": data["key"],
            "name": data["name"] or None,
            "source": data["source"],
            "order": data["order"],
        }


class IndicatorEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    source = forms.ChoiceField(label=_("Source"), choices=IndicatorSource.choices)
    order = forms.IntegerField(label=_("Position"), min_value=0, max_value=999)

    @staticmethod
    def initial_for(indicator: Indicator) -> dict:
        return {"name": indicator.name, "source": indicator.source, "order": indicator.order}


class FigureForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"),
        widget=DateInput,
        help_text=_("The date the figure describes, e.g. 31 December 2022 for “end of 2022”."),
    )
    value = forms.CharField(
        label=_("Value"), max_length=40, help_text=_("A whole number, e.g. 239.993.")
    )
    source_note = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("Where the figure comes from, e.g. Dinas KUKM Jatim."),
    )
    regency = _regency_field()

    def __init__(self, *args, province: Province, money: bool = False, **kwargs):
        super().__init__(*args, prefix="figure", **kwargs)
        self.fields["regency"].queryset = Regency.objects.filter(province=province).order_by("name")
        if money:
            self.fields["value"].help_text = _("In rupiah, e.g. 2.500.000.000 or 2,5 miliar.")

    def domain_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "as_of": data["as_of"],
            "value": data["value"],
            "source_note": data["source_note"],
            "regency": data["regency"],
        }


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    value = forms.CharField(label=_("Target"), max_length=40)
    regency = _regency_field()

    def __init__(self, *args, province: Province, money: bool = False, **kwargs):
        super().__init__(*args, prefix="target", **kwargs)
        self.fields["regency"].queryset = Regency.objects.filter(province=province).order_by("name")
        self.fields["value"].help_text = (
            _("In rupiah, reached by the end of the year.")
            if money
            else _("A whole number, reached by the end of the year.")
        )

    def domain_fields(self) -> dict:
        data = self.cleaned_data
        return {"year": data["year"], "value": data["value"], "regency": data["regency"]}


class DashboardForm(forms.Form):
    """The dashboard's selector: which indicator and year to drill down into,
    and how to sort the regencies. Bad values fall back to the defaults."""

    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    sort = forms.ChoiceField(
        required=False, choices=[(s, s) for s in SORTS], widget=forms.HiddenInput
    )
    dir = forms.ChoiceField(
        required=False, choices=[("asc", "asc"), ("desc", "desc")], widget=forms.HiddenInput
    )

    def __init__(self, *args, indicators, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(s.key, s.name) for s in indicators]
        self.fields["year"].choices = [(y, str(y)) for y in reversed(years)]
        self._indicators = indicators
        self._years = years

    def choice(self) -> tuple[str | None, int | None, str, bool]:
        """(indicator key, year, sort, descending), defaults for anything missing or bad."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        key = data.get("indicator") or None
        if key is None:
            preferred = [s for s in self._indicators if s.is_computed]
            pool = preferred or self._indicators
            key = pool[0].key if pool else None
        year = data.get("year") or (self._years[-1] if self._years else None)
        sort = data.get("sort") or "value"
        descending = (data.get("dir") or ("asc" if sort == "name" else "desc")) == "desc"
        return key, year, sort, descending
