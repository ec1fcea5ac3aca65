"""Forms of the agreement pages. They read input; `agreements.domain` checks the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from niaga.agreements import queries
from niaga.agreements.domain import document_max_bytes
from niaga.agreements.models import ActionItemStatus, AgreementKind, PartyKind
from niaga.regions.models import Province

ALL = pgettext_lazy("filter", "All")
DATE = {"type": "date"}
# Rows offered for parties beyond those already given: most agreements have two.
BLANK_PARTY_ROWS = 2
MIN_PARTY_ROWS = 4


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    signed_on = forms.DateField(label=_("Date signed"), widget=forms.DateInput(attrs=DATE))
    place = forms.CharField(label=_("Place signed"), max_length=150, required=False)
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("Empty: from the date signed."),
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("Empty: no end date."),
    )
    scope = forms.CharField(
        label=_("Scope"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the parties agree to cooperate on."),
    )
    mission = forms.ModelChoiceField(
        label=_("Signed at mission"), required=False, queryset=None, empty_label="—"
    )
    document = forms.FileField(
        label=_("Signed document (PDF)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args, missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions
        self.fields["document"].help_text = _("A PDF of at most %(limit)s MB.") % {
            "limit": document_max_bytes() // (1024 * 1024)
        }


class PartyForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind of party"), choices=PartyKind.choices, initial=PartyKind.OFFICE
    )
    name = forms.CharField(label=_("Party"), max_length=200)
    province = forms.ModelChoiceField(
        label=_("Province"),
        required=False,
        queryset=Province.objects.order_by("code"),
        empty_label="—",
    )
    number = forms.CharField(
        label=_("Official number"),
        max_length=100,
        required=False,
    )
    signatory = forms.CharField(label=_("Signed by"), max_length=150, required=False)
    signatory_title = forms.CharField(label=_("Position"), max_length=150, required=False)

    def row(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("DELETE", None)
        return data


def party_formset(data=None, *, initial: list[dict] | None = None):
    """The parties' rows: the given ones plus blank rows to add more (no script needed)."""
    initial = initial or []
    extra = max(BLANK_PARTY_ROWS, MIN_PARTY_ROWS - len(initial))
    formset_class = forms.formset_factory(
        PartyForm, extra=extra, can_delete=bool(initial), max_num=20
    )
    return formset_class(data, initial=initial, prefix="parties")


def party_rows(formset) -> tuple[list[dict], list]:
    """(rows for the domain, the form of each row): deleted and blank rows left out."""
    rows, used = [], []
    for form in formset.forms:
        if not form.has_changed() and not form.initial:
            continue
        if formset.can_delete and form.cleaned_data.get("DELETE"):
            continue
        rows.append(form.row())
        used.append(form)
    return rows, used


class TerminateForm(forms.Form):
    terminated_on = forms.DateField(
        label=_("Terminated on"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("Empty: today."),
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner_party = forms.ModelChoiceField(
        label=_("Party responsible"), required=False, queryset=None, empty_label="—"
    )
    owner_name = forms.CharField(
        label=_("Owner"),
        max_length=200,
        required=False,
        help_text=_("The office or person who does it; empty: the party responsible."),
    )
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ActionItemStatus.choices, initial=ActionItemStatus.OPEN
    )

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_party"].queryset = parties


class NoteForm(forms.Form):
    written_on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("Empty: today."),
    )
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 2}))
    status = forms.ChoiceField(
        label=_("Status afterwards"),
        required=False,
        choices=[("", _("unchanged")), *ActionItemStatus.choices],
    )


class FilterForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Province party"),
        required=False,
        queryset=Province.objects.order_by("code"),
        empty_label=ALL,
    )
    party = forms.CharField(label=_("Party or number"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", ALL), *queries.VALIDITY_LABELS.items()],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", ALL), *AgreementKind.choices]
    )
    year = forms.TypedChoiceField(
        label=_("Year signed"), required=False, coerce=int, empty_value=None
    )
    mission = forms.ChoiceField(label=_("Mission"), required=False)

    def __init__(self, *args, years: list[int], missions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", ALL), *((y, y) for y in years)]
        self.fields["mission"].choices = [("", ALL), *((m.slug, m.name) for m in missions)]

    def filters(self) -> queries.Filters:
        if not self.is_valid():
            return queries.Filters()
        data = self.cleaned_data
        return queries.Filters(
            province=data["province"],
            party=data["party"].strip(),
            status=data["status"],
            year=data["year"],
            mission=data["mission"],
            kind=data["kind"],
        )
