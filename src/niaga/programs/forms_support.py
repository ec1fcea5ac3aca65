"""Forms of the support pages. They turn what was typed into Python values;
`niaga.programs.domain.support` checks the rules and names the bad fields, so
a page and any other caller refuse the same input with the same message.

The pesantren is chosen from a select of the province's pesantren. A province
may hold thousands, so the select lists at most `OPTIONS_LIMIT`
of them (the chosen one always among them) and a search box above it narrows
the list (htmx asks `support_pesantren_options`; without JavaScript the
search reloads the page with `?q=`). Any pesantren of the province is
accepted, listed or not.
"""

from __future__ import annotations

from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from niaga.core.money_fields import RupiahFormField
from niaga.programs import evidence
from niaga.programs import support_queries as queries
from niaga.programs.models import Assistance, FundSource, Grant, Program, SupportAspect
from niaga.regions.models import Province, Regency
from niaga.registry.models import Cooperative, Pesantren

ALL = pgettext_lazy("filter", "All")
OPTIONS_LIMIT = 100  # pesantren offered in a select at once


def pesantren_option_label(pesantren: Pesantren) -> str:
    return f"{pesantren.name} · {pesantren.regency.name}"


def pesantren_options(province, *, search: str = "", selected=None, limit: int = OPTIONS_LIMIT):
    """Up to `limit` pesantren of the province by name, those matching `search`
    (name or NSPP) when given, and the `selected` one (an id) always first.
    Call inside the province scope. One query."""
    rows = Pesantren.objects.filter(province=province).select_related("regency")
    search = " ".join((search or "").split())[:100]
    match = Q()
    if search:
        match = Q(name__icontains=search) | Q(nspp__startswith=search)
    try:
        chosen = int(selected) if selected not in (None, "") else None
    except (TypeError, ValueError):
        chosen = None
    if chosen is not None:
        rows = rows.filter(match | Q(pk=chosen)).annotate(
            first=Case(
                When(pk=chosen, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        return list(rows.order_by("first", "name", "id")[:limit])
    return list(rows.filter(match).order_by("name", "id")[:limit])


def cooperative_of(pesantren: Pesantren) -> Cooperative | None:
    """The pesantren's cooperative, if one is registered. Inside the scope. One query."""
    return Cooperative.objects.filter(pesantren=pesantren).first()


def _label(model, field: str):
    return capfirst(model._meta.get_field(field).verbose_name)


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; an empty list when none was chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": evidence.ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def evidence_help():
    return _("PDF, JPEG or PNG, at most %(limit)s MB each. You can choose several files.") % {
        "limit": evidence.max_bytes() // (1024 * 1024)
    }


class PesantrenChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return pesantren_option_label(obj)


class _RecipientForm(forms.Form):
    """The pesantren, and whether its cooperative was the recipient."""

    pesantren = PesantrenChoiceField(
        label=_("Pesantren"), queryset=Pesantren.objects.none(), empty_label="—"
    )
    to_cooperative = forms.BooleanField(
        label=_("Received by the pesantren's cooperative (kopontren)"), required=False
    )

    def __init__(self, *args, province: Province, search: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["pesantren"]
        field.queryset = Pesantren.objects.filter(province=province)
        selected = self.data.get(self.add_prefix("pesantren")) or self.initial.get("pesantren")
        if isinstance(selected, Pesantren):
            selected = selected.pk
        options = pesantren_options(province, search=search, selected=selected)
        # The widget lists a limited set; the field still accepts any pesantren of the province.
        field.widget.choices = [
            ("", "—"),
            *((p.pk, pesantren_option_label(p)) for p in options),
        ]
        field.help_text = _("Search by name or NSPP above to find a pesantren not in the list.")

    def clean(self):
        data = super().clean()
        pesantren = data.get("pesantren")
        if data.get("to_cooperative") and pesantren is not None:
            cooperative = cooperative_of(pesantren)
            if cooperative is None:
                self.add_error(
                    "to_cooperative",
                    _("%(name)s has no registered cooperative.") % {"name": pesantren.name},
                )
            data["cooperative"] = cooperative
        else:
            data["cooperative"] = None
        return data


class GrantForm(_RecipientForm):
    amount_idr = RupiahFormField(
        label=_("Amount (Rp)"),
        help_text=_("Whole rupiah, e.g. 25.000.000 or 25 juta."),
    )
    granted_on = forms.DateField(label=_("Date of the grant"), widget=_date_widget())
    purpose = forms.CharField(label=_label(Grant, "purpose"), max_length=300)
    source = forms.ChoiceField(
        label=_label(Grant, "source"), choices=[("", "—"), *FundSource.choices]
    )
    source_detail = forms.CharField(
        label=_label(Grant, "source_detail"),
        required=False,
        max_length=200,
        help_text=_("E.g. the budget line or the company; required when the source is “Other”."),
    )
    evidence_files = MultipleFileField(label=_("Evidence files"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_files"].help_text = evidence_help()

    def domain_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "pesantren": data["pesantren"],
            "cooperative": data["cooperative"],
            "amount_idr": data["amount_idr"],
            "granted_on": data["granted_on"],
            "purpose": data["purpose"],
            "source": data["source"],
            "source_detail": data["source_detail"],
            "evidence_files": data["evidence_files"],
        }


def _aspect_choices(program: Program):
    held = set(program.aspects or [])
    return [(value, label) for value, label in SupportAspect.choices if value in held]


class AssistanceForm(_RecipientForm):
    aspect = forms.ChoiceField(label=_label(Assistance, "aspect"))
    given_on = forms.DateField(label=_("Date of the assistance"), widget=_date_widget())
    description = forms.CharField(
        label=_label(Assistance, "description"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was given or done, e.g. “Halal certification workshop, 2 days”."),
    )
    evidence_files = MultipleFileField(label=_("Evidence files"), required=False)

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aspect"].choices = [("", "—"), *_aspect_choices(program)]
        self.fields["evidence_files"].help_text = evidence_help()

    def domain_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "pesantren": data["pesantren"],
            "cooperative": data["cooperative"],
            "aspect": data["aspect"],
            "given_on": data["given_on"],
            "description": data["description"],
            "evidence_files": data.get("evidence_files", []),
        }


class AssistanceEditForm(AssistanceForm):
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, assistance: Assistance | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["evidence_files"]
        if assistance is not None and self.data.get("aspect") is None:
            # An aspect the program dropped later still shows for the record that has it.
            choices = dict(self.fields["aspect"].choices)
            if assistance.aspect not in choices:
                self.fields["aspect"].choices = [
                    *self.fields["aspect"].choices,
                    (assistance.aspect, assistance.get_aspect_display()),
                ]

    @staticmethod
    def initial_for(assistance: Assistance, fingerprint: str) -> dict:
        return {
            "pesantren": assistance.pesantren_id,
            "to_cooperative": assistance.cooperative_id is not None,
            "aspect": assistance.aspect,
            "given_on": assistance.given_on,
            "description": assistance.description,
            "fingerprint": fingerprint,
        }

    def domain_fields(self) -> dict:
        fields = super().domain_fields()
        del fields["evidence_files"]
        return fields


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Add an evidence file"),
        widget=forms.FileInput(attrs={"accept": evidence.ACCEPT_ATTRIBUTE}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, JPEG or PNG, at most %(limit)s MB.") % {
            "limit": evidence.max_bytes() // (1024 * 1024)
        }


class SupportFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    regency = forms.ChoiceField(label=_("Regency/city"), required=False)
    aspect = forms.ChoiceField(
        label=_("Aspect"), required=False, choices=[("", ALL), *SupportAspect.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", ALL),
            (queries.GRANT, _("Grants")),
            (queries.ASSISTANCE, _("Assistance")),
        ],
    )
    pesantren = forms.TypedChoiceField(
        label=_("Pesantren"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, program: Program, province: Province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            ("", ALL),
            *((str(y), str(y)) for y in queries.support_years(program)),
        ]
        self.fields["regency"].choices = [
            ("", ALL),
            *Regency.objects.filter(province=province).order_by("code").values_list("code", "name"),
        ]
        self.fields["pesantren"].choices = [
            ("", ALL),
            *((str(pk), name) for pk, name in queries.supported_pesantren(program)),
        ]

    def filters(self) -> queries.RecordFilters:
        """The chosen filters (none when the form is not valid)."""
        if not self.is_bound or not self.is_valid():
            return queries.RecordFilters()
        data = self.cleaned_data
        return queries.RecordFilters(
            year=data["year"],
            regency=data["regency"] or None,
            aspect=data["aspect"] or None,
            pesantren=data["pesantren"],
            kind=data["kind"] or None,
        )


class TotalsFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Year (regency table)"), required=False, coerce=int, empty_value=None
    )
    regency = forms.ChoiceField(label=_("Regency/city (year table)"), required=False)

    def __init__(self, *args, program: Program, province: Province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            ("", ALL),
            *((str(y), str(y)) for y in queries.support_years(program)),
        ]
        self.fields["regency"].choices = [
            ("", ALL),
            *Regency.objects.filter(province=province).order_by("code").values_list("code", "name"),
        ]

    def chosen(self) -> tuple[int | None, str | None]:
        if not self.is_bound or not self.is_valid():
            return None, None
        return self.cleaned_data["year"], self.cleaned_data["regency"] or None
