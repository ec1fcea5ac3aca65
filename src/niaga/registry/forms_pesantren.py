"""Forms of the pesantren, cooperative and business pages.

They only turn what was typed into Python values; the domain functions
(`niaga.registry.domain.pesantren`) check the rules and name the bad fields,
so a page, an import and the API refuse the same input with the same message.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from niaga.regions.models import District, Province, Regency
from niaga.registry import queries
from niaga.registry.models import (
    Cooperative,
    Enterprise,
    LegalForm,
    Pesantren,
    PesantrenStatus,
    Pillar,
    Typology,
)
from niaga.registry.validators import KBLI_VERSION_CHOICES, format_phone_display

ALL = pgettext_lazy("filter", "All")


def _label(model, field: str):
    return capfirst(model._meta.get_field(field).verbose_name)


def _year_field(label, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=4,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def _count_field(label):
    return forms.IntegerField(
        label=label, required=False, widget=forms.NumberInput(attrs={"min": "0"})
    )


class PesantrenForm(forms.Form):
    name = forms.CharField(label=_label(Pesantren, "name"), max_length=200)
    nspp = forms.CharField(
        label=_label(Pesantren, "nspp"),
        required=False,
        max_length=30,
        help_text=_("12 digits, from the Ministry of Religious Affairs; leave empty if unknown."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    leader_name = forms.CharField(
        label=_label(Pesantren, "leader_name"), required=False, max_length=150
    )
    typology = forms.ChoiceField(
        label=_label(Pesantren, "typology"), choices=[("", "—"), *Typology.choices]
    )
    regency = forms.ModelChoiceField(
        label=_label(Pesantren, "regency"), queryset=Regency.objects.none(), to_field_name="code"
    )
    district = forms.ModelChoiceField(
        label=_label(Pesantren, "district"),
        queryset=District.objects.none(),
        to_field_name="code",
        required=False,
    )
    address = forms.CharField(label=_label(Pesantren, "address"), required=False, max_length=300)
    santri_male = _count_field(_label(Pesantren, "santri_male"))
    santri_female = _count_field(_label(Pesantren, "santri_female"))
    founded_year = _year_field(_label(Pesantren, "founded_year"))
    opop_joined_year = _year_field(
        _label(Pesantren, "opop_joined_year"), _("From 2019, when OPOP began.")
    )
    pillars = forms.MultipleChoiceField(
        label=_("OPOP pillars it takes part in"),
        choices=Pillar.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(
        label=_label(Pesantren, "phone"),
        required=False,
        max_length=30,
        help_text=_("Like 0812-3456-7890 or (031) 5678901."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.CharField(label=_label(Pesantren, "email"), required=False, max_length=254)
    website = forms.CharField(label=_label(Pesantren, "website"), required=False, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, province: Province, options_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = queries.regencies_of(province)
        self.fields["regency"].widget.attrs.update(
            {
                # The district select is refilled from the server for the new regency.
                "hx-get": options_url,
                "hx-target": "#id_district",
                "hx-swap": "innerHTML",
                "hx-trigger": "change",
            }
        )
        # The district field accepts every district of the province (the domain then
        # checks it lies in the chosen regency) but offers only the chosen regency's;
        # the page refills the options when the regency changes.
        district = self.fields["district"]
        district.queryset = District.objects.filter(regency__province=province)
        regency_code = self._regency_code()
        offered = list(queries.districts_of(regency_code)) if regency_code else []
        empty = _("— choose —") if regency_code else _("Choose the regency/city first")
        district.widget.choices = [("", empty), *((d.code, d.name) for d in offered)]

    def _regency_code(self) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix("regency"), "")
        value = self.initial.get("regency")
        return value.code if isinstance(value, Regency) else (value or "")

    @staticmethod
    def initial_for(pesantren: Pesantren) -> dict:
        return {
            "name": pesantren.name,
            "nspp": pesantren.nspp or "",
            "leader_name": pesantren.leader_name,
            "typology": pesantren.typology,
            "regency": pesantren.regency_id,
            "district": pesantren.district_id,
            "address": pesantren.address,
            "santri_male": pesantren.santri_male,
            "santri_female": pesantren.santri_female,
            "founded_year": pesantren.founded_year or "",
            "opop_joined_year": pesantren.opop_joined_year or "",
            "pillars": [str(p) for p in pesantren.pillars],
            "phone": format_phone_display(pesantren.phone),
            "email": pesantren.email,
            "website": pesantren.website,
            "version": pesantren.version,
        }

    def domain_fields(self) -> dict:
        """The cleaned data as `pesantren_create`/`pesantren_update` take it."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        pillars = set(data.pop("pillars", []))
        data["takes_santripreneur"] = Pillar.SANTRIPRENEUR in pillars
        data["takes_pesantrenpreneur"] = Pillar.PESANTRENPRENEUR in pillars
        data["takes_sosiopreneur"] = Pillar.SOSIOPRENEUR in pillars
        return data


class PesantrenFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name, NSPP or leader"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    regency = forms.ChoiceField(label=_label(Pesantren, "regency"), required=False)
    typology = forms.ChoiceField(
        label=_label(Pesantren, "typology"), required=False, choices=[("", ALL), *Typology.choices]
    )
    pillar = forms.ChoiceField(
        label=_("Pillar"), required=False, choices=[("", ALL), *Pillar.choices]
    )
    status = forms.ChoiceField(
        label=_label(Pesantren, "status"),
        required=False,
        choices=[("", ALL), *PesantrenStatus.choices],
    )
    joined = forms.TypedChoiceField(
        label=_label(Pesantren, "opop_joined_year"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, province: Province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].choices = [
            ("", ALL),
            *((r.code, r.name) for r in queries.regencies_of(province)),
        ]
        self.fields["joined"].choices = [
            ("", ALL),
            *((str(y), str(y)) for y in queries.joined_years()),
        ]

    def filters(self) -> dict:
        """Keyword arguments for `queries.pesantren_search` (no filter when invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data["q"],
            "regency": data["regency"],
            "typology": data["typology"],
            "pillar": data["pillar"],
            "status": data["status"],
            "joined_year": data["joined"],
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=PesantrenStatus.choices)
    version = forms.IntegerField()


class CooperativeForm(forms.Form):
    name = forms.CharField(label=_label(Cooperative, "name"), max_length=200)
    legal_form = forms.ChoiceField(
        label=_label(Cooperative, "legal_form"), choices=[("", "—"), *LegalForm.choices]
    )
    deed_number = forms.CharField(
        label=_label(Cooperative, "deed_number"), required=False, max_length=100
    )
    deed_date = forms.DateField(
        label=_label(Cooperative, "deed_date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    nib = forms.CharField(
        label=_label(Cooperative, "nib"),
        required=False,
        max_length=30,
        help_text=_("13 digits, from OSS."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kbli_code = forms.CharField(
        label=_label(Cooperative, "kbli_code"),
        required=False,
        max_length=10,
        help_text=_("5 digits, like 10792."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kbli_version = forms.ChoiceField(
        label=_label(Cooperative, "kbli_version"), choices=KBLI_VERSION_CHOICES
    )
    members_count = _count_field(_label(Cooperative, "members_count"))
    business_lines = forms.CharField(
        label=_label(Cooperative, "business_lines"),
        required=False,
        max_length=300,
        help_text=_("e.g. minimarket, bottled water, savings and loans."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def initial_for(cooperative: Cooperative) -> dict:
        initial = {f: getattr(cooperative, f) for f in CooperativeForm.base_fields}
        initial["nib"] = cooperative.nib or ""
        return initial

    def domain_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class EnterpriseForm(forms.Form):
    name = forms.CharField(label=_label(Enterprise, "name"), max_length=200)
    owner = forms.ModelChoiceField(label=_label(Enterprise, "owner"), queryset=None)
    pillar = forms.ChoiceField(
        label=_label(Enterprise, "pillar"),
        choices=[
            ("", "—"),
            (Pillar.SANTRIPRENEUR.value, Pillar.SANTRIPRENEUR.label),
            (Pillar.SOSIOPRENEUR.value, Pillar.SOSIOPRENEUR.label),
        ],
    )
    pesantren = forms.ModelChoiceField(
        label=_label(Enterprise, "pesantren"),
        queryset=None,
        required=False,
        empty_label=_("— none —"),
    )
    business_line = forms.CharField(
        label=_label(Enterprise, "business_line"), required=False, max_length=200
    )
    nib = forms.CharField(
        label=_label(Enterprise, "nib"),
        required=False,
        max_length=30,
        help_text=_("13 digits, from OSS."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kbli_code = forms.CharField(
        label=_label(Enterprise, "kbli_code"),
        required=False,
        max_length=10,
        help_text=_("5 digits, like 10792."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kbli_version = forms.ChoiceField(
        label=_label(Enterprise, "kbli_version"), choices=KBLI_VERSION_CHOICES
    )
    started_year = _year_field(_label(Enterprise, "started_year"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["pesantren"].queryset = Pesantren.objects.order_by("name", "id")

    @staticmethod
    def initial_for(enterprise: Enterprise) -> dict:
        initial = {f: getattr(enterprise, f) for f in EnterpriseForm.base_fields}
        initial["nib"] = enterprise.nib or ""
        initial["started_year"] = enterprise.started_year or ""
        return initial

    def domain_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class CooperativeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or NIB"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    regency = forms.ChoiceField(label=_label(Pesantren, "regency"), required=False)
    legal_form = forms.ChoiceField(
        label=_label(Cooperative, "legal_form"),
        required=False,
        choices=[("", ALL), *LegalForm.choices],
    )

    def __init__(self, *args, province: Province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].choices = [
            ("", ALL),
            *((r.code, r.name) for r in queries.regencies_of(province)),
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return dict(self.cleaned_data)


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name, owner or NIB"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    pillar = forms.ChoiceField(
        label=_label(Enterprise, "pillar"),
        required=False,
        choices=[
            ("", ALL),
            (Pillar.SANTRIPRENEUR.value, Pillar.SANTRIPRENEUR.label),
            (Pillar.SOSIOPRENEUR.value, Pillar.SOSIOPRENEUR.label),
        ],
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return dict(self.cleaned_data)


class PesantrenAccountForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only, e.g. ppalhikmah-admin."),
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=_("The person at the pesantren who will use this login."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
