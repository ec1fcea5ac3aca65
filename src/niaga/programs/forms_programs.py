"""Forms of the program pages: the program, its team, its curriculum, replication.

They only turn what was typed into Python values; the domain functions
(`niaga.programs.domain.programs`) check the rules and name the bad fields,
so a page, the demo loader and the API refuse the same input with the same
message.
"""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from niaga.programs.models import (
    CurriculumModule,
    DeliveryMode,
    Program,
    ProgramStatus,
    SupportAspect,
    TeamDuty,
    TeamMember,
)
from niaga.registry.models import Pillar


def _label(model, field: str):
    return capfirst(model._meta.get_field(field).verbose_name)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _checkboxes(model_field: str, choices):
    return forms.MultipleChoiceField(
        label=_label(Program, model_field),
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _slug_field():
    return forms.CharField(
        label=_label(Program, "slug"),
        max_length=50,
        help_text=_(
            "Used in addresses and the API, like opop-kalsel: lowercase letters, digits "
            "and hyphens. It cannot be changed later."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class _LegalBasis(forms.Form):
    name = forms.CharField(label=_label(Program, "name"), max_length=200)
    launch_date = forms.DateField(
        label=_label(Program, "launch_date"), required=False, widget=DateInput
    )
    legal_basis_number = forms.CharField(
        label=_label(Program, "legal_basis_number"),
        required=False,
        max_length=100,
        help_text=_("The regulation that founds the program, like Pergub Jabar 24/2019."),
    )
    legal_basis_title = forms.CharField(
        label=_label(Program, "legal_basis_title"), required=False, max_length=300
    )


class ProgramForm(_LegalBasis):
    """Create (with `slug`) or edit (without: a program's address stays) a program."""

    slug = _slug_field()
    status = forms.ChoiceField(label=_label(Program, "status"), choices=ProgramStatus.choices)
    description = forms.CharField(
        label=_label(Program, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    pillars = _checkboxes("pillars", Pillar.choices)
    aspects = _checkboxes("aspects", SupportAspect.choices)
    delivery_modes = _checkboxes("delivery_modes", DeliveryMode.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = ["name", "slug", "launch_date", "status"]

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["slug"]

    @staticmethod
    def initial_for(program: Program) -> dict:
        return {
            "name": program.name,
            "launch_date": program.launch_date,
            "legal_basis_number": program.legal_basis_number,
            "legal_basis_title": program.legal_basis_title,
            "status": program.status,
            "description": program.description,
            "pillars": list(program.pillars),
            "aspects": list(program.aspects),
            "delivery_modes": list(program.delivery_modes),
            "version": program.version,
        }

    def domain_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ReplicateForm(_LegalBasis):
    """The new program's own facts; everything else comes from the source."""

    slug = _slug_field()
    field_order = ["name", "slug", "launch_date"]


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_label(TeamMember, "user"), queryset=None, empty_label=_("— choose —")
    )
    duty = forms.ChoiceField(
        label=_label(TeamMember, "duty"), choices=[("", _("— choose —")), *TeamDuty.choices]
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.display_name} ({user.username})"
        )


class ModuleForm(forms.Form):
    title = forms.CharField(label=_label(CurriculumModule, "title"), max_length=200)
    hours = forms.CharField(
        label=_label(CurriculumModule, "hours"),
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_label(CurriculumModule, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    learning_outcomes = forms.CharField(
        label=_label(CurriculumModule, "learning_outcomes"),
        required=False,
        help_text=_("One outcome per line."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def initial_for(module: CurriculumModule) -> dict:
        return {
            "title": module.title,
            "hours": module.hours,
            "description": module.description,
            "learning_outcomes": module.learning_outcomes,
            "version": module.version,
        }

    def domain_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data
