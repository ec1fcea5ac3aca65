"""Forms of the people pages. They parse input; `niaga.registry.domain.people` checks the rules."""

from __future__ import annotations

import re

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from niaga.regions.models import Province, Regency
from niaga.registry import validators
from niaga.registry.models import (
    ConsentGiver,
    ConsentPurpose,
    Gender,
    Person,
    PersonRole,
    Pesantren,
    Pillar,
)

_SPACES = re.compile(r"\s+")


class NikInput(forms.TextInput):
    """A NIK box that never writes a value back into the page.

    A form shown again after an error would otherwise carry the clear NIK in
    its HTML (and in the browser's cache of it); the officer types it again.
    """

    def __init__(self, attrs=None):
        defaults = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "spellcheck": "false",
            "maxlength": "24",
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        return None


def _regencies(province: Province):
    """Every regency/city, the province's own first (most people live there)."""
    return (
        Regency.objects.select_related("province")
        .annotate(
            own=Case(
                When(province=province, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("own", "code")
    )


class RegencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.province.name})"


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *PersonRole.choices])
    pillar = forms.ChoiceField(
        label=_("Pillar"), required=False, choices=[("", _("None")), *Pillar.choices]
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect)
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Without a birth date the person is treated as a minor."),
    )
    nik = forms.CharField(
        label=_("NIK"),
        required=False,
        max_length=24,
        widget=NikInput,
        help_text=_(
            "16 digits. Optional. Stored encrypted and shown masked; it must agree with "
            "the birth date and gender."
        ),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("An Indonesian number, e.g. 0812-3456-7890."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    pesantren = forms.ModelChoiceField(
        label=_("Pesantren"),
        required=False,
        queryset=Pesantren.objects.none(),
        empty_label=_("None"),
    )
    regency = RegencyChoiceField(
        label=_("Regency/city of residence"),
        required=False,
        queryset=Regency.objects.none(),
        empty_label=_("Not recorded"),
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=300)

    def __init__(self, *args, province: Province, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pesantren"].queryset = Pesantren.objects.filter(province=province).order_by(
            "name", "id"
        )
        self.fields["regency"].queryset = _regencies(province)
        if person is not None and person.nik_masked:
            self.fields["nik"].label = _("Replace the NIK")
            self.fields["nik"].help_text = _(
                "The NIK held is %(masked)s. Leave this empty to keep it; type a new NIK "
                "(16 digits) only to replace it."
            ) % {"masked": person.nik_masked}
        elif person is not None:
            self.fields["nik"].help_text = _(
                "No NIK is held. 16 digits, optional; it must agree with the birth date and gender."
            )

    def domain_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "role": data["role"],
            "pillar": data["pillar"],
            "gender": data["gender"],
            "birth_date": data["birth_date"],
            "phone": data["phone"],
            "email": data["email"],
            "pesantren": data["pesantren"],
            "regency": data["regency"],
            "address": data["address"],
        }


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    @staticmethod
    def initial_for(person: Person) -> dict:
        """The form's starting values: every field but the NIK, which is never pre-filled."""
        return {
            "full_name": person.full_name,
            "role": person.role,
            "pillar": person.pillar,
            "gender": person.gender,
            "birth_date": person.birth_date,
            "phone": validators.format_phone_display(person.phone),
            "email": person.email,
            "pesantren": person.pesantren_id,
            "regency": person.regency_id,
            "address": person.address,
            "version": person.version,
        }


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Words in the name"), required=False, max_length=100)
    pesantren = forms.ModelChoiceField(
        label=_("Pesantren"),
        required=False,
        queryset=Pesantren.objects.none(),
        empty_label=_("All"),
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All")), *PersonRole.choices]
    )
    pillar = forms.ChoiceField(
        label=_("Pillar"), required=False, choices=[("", _("All")), *Pillar.choices]
    )
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", _("All")), *Gender.choices]
    )
    minors = forms.BooleanField(label=_("Minors only (under 18)"), required=False)

    def __init__(self, *args, province: Province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pesantren"].queryset = Pesantren.objects.filter(province=province).order_by(
            "name", "id"
        )

    def words(self) -> list[str]:
        return [w for w in _SPACES.split(self.cleaned_data.get("q") or "") if w][:10]


class NikSearchForm(forms.Form):
    nik = forms.CharField(
        label=_("Find by NIK"),
        max_length=24,
        widget=NikInput(attrs={"placeholder": "3578014107900001"}),
        help_text=_("The exact 16-digit NIK. It is looked up without being stored or logged."),
    )


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see the NIK?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Recorded in the audit log with your name, e.g. 'verification of a grant "
            "application at the person's own request'."
        ),
    )


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    given_on = forms.DateField(
        label=_("Given on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    given_by = forms.ChoiceField(
        label=_("Given by"), choices=ConsentGiver.choices, widget=forms.RadioSelect
    )
    guardian_name = forms.CharField(
        label=_("Guardian's name"),
        required=False,
        max_length=150,
        help_text=_("Required when a parent or guardian gives the consent (always for a minor)."),
    )
    guardian_relation = forms.CharField(
        label=_("Guardian's relation"),
        required=False,
        max_length=60,
        help_text=_("e.g. father, mother, uncle, legal guardian"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"given_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class EraseForm(forms.Form):
    confirm_name = forms.CharField(
        label=_("Type the person's full name to confirm"), max_length=150
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirm_name(self):
        typed = _SPACES.sub(" ", self.cleaned_data["confirm_name"].strip())
        if typed != self.person.full_name:
            raise forms.ValidationError(
                _("The name typed is not the person's full name exactly as registered.")
            )
        return typed
