"""Forms of the product pages. They check what was typed; `domain.products` writes.

Field rules that the domain also enforces (identifier formats, date order,
price range) call the same validators, so a form shows the error at the field
and the domain never sees input the form let through with another meaning.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from niaga.core.money_fields import RupiahFormField
from niaga.regions.models import Regency
from niaga.registry import photos
from niaga.registry.domain.products import MAX_DESCRIPTION, clean_legal_document
from niaga.registry.models import (
    Category,
    Cooperative,
    CurationLevel,
    CurationStatus,
    HalalScheme,
    LegalKind,
    Person,
    Pesantren,
)
from niaga.registry.validators import validate_hs_code

COOPERATIVE_PREFIX = "cooperative:"
PERSON_PREFIX = "person:"


def owner_value(owner) -> str:
    """The owner select's value for a Cooperative or a Person."""
    if isinstance(owner, Cooperative):
        return f"{COOPERATIVE_PREFIX}{owner.pk}"
    return f"{PERSON_PREFIX}{owner.pk}"


class ProductForm(forms.Form):
    owner = forms.ChoiceField(
        label=_("Owner"),
        help_text=_("The pesantren's cooperative, or a santri, alumnus or community member."),
        error_messages={"invalid_choice": _("Choose the owner from the list.")},
    )
    name = forms.CharField(label=_("Product name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_DESCRIPTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What it is, what it is made of, how it is packed. Buyers search these words."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Category.choices])
    price_min = RupiahFormField(label=_("Lowest price (Rp)"), required=False, min_value=0)
    price_max = RupiahFormField(label=_("Highest price (Rp)"), required=False, min_value=0)
    unit = forms.CharField(
        label=_("Unit"), max_length=30, help_text=_("e.g. kg, pack, piece, bottle")
    )
    monthly_capacity = forms.IntegerField(
        label=_("Monthly capacity"),
        required=False,
        min_value=0,
        max_value=2_147_483_647,
        help_text=_("Units the owner can make or supply per month."),
    )
    hs_code = forms.CharField(
        label=_("HS code"),
        max_length=20,
        required=False,
        help_text=_("Optional, 8 digits as in BTKI 2022, e.g. 0901.11.10."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, pesantren_ids: frozenset[int] | None = None, **kwargs):
        """`pesantren_ids`: for a pesantren account, the owners offered are those of
        its own pesantren only; None offers every owner in the province."""
        super().__init__(*args, **kwargs)
        cooperatives = Cooperative.objects.select_related("pesantren").order_by("name", "id")
        people = (
            Person.objects.filter(erased_at__isnull=True)
            .select_related("pesantren")
            .order_by("full_name", "id")
        )
        if pesantren_ids is not None:
            cooperatives = cooperatives.filter(pesantren_id__in=pesantren_ids)
            people = people.filter(pesantren_id__in=pesantren_ids)
        self._owners = {}
        cooperative_choices, people_choices = [], []
        for cooperative in cooperatives:
            value = owner_value(cooperative)
            self._owners[value] = cooperative
            cooperative_choices.append((value, f"{cooperative.name} · {cooperative.pesantren}"))
        for person in people:
            value = owner_value(person)
            self._owners[value] = person
            where = person.pesantren.name if person.pesantren else _("no pesantren")
            people_choices.append((value, f"{person.full_name} · {where}"))
        self.fields["owner"].choices = [
            ("", "—"),
            (_("Cooperatives"), cooperative_choices),
            (_("People"), people_choices),
        ]

    def clean_owner(self):
        owner = self._owners.get(self.cleaned_data["owner"])
        if owner is None:
            raise ValidationError(_("Choose the owner from the list."), code="invalid_choice")
        return owner

    def clean_hs_code(self):
        text = self.cleaned_data["hs_code"].strip()
        return validate_hs_code(text) if text else ""

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("price_min"), cleaned.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("The highest price must not be below the lowest price."))
        return cleaned


YES_NO = [("", _("All")), ("yes", _("Yes")), ("no", _("No"))]


class ProductFilterForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *Category.choices]
    )
    status = forms.ChoiceField(
        label=_("Curation status"),
        required=False,
        choices=[("", _("All")), *CurationStatus.choices],
    )
    level = forms.ChoiceField(
        label=_("Curation level"),
        required=False,
        choices=[("", _("All")), *CurationLevel.choices],
    )
    regency = forms.ModelChoiceField(
        label=_("Regency/city"),
        required=False,
        queryset=Regency.objects.none(),
        empty_label=_("All"),
    )
    pesantren = forms.ModelChoiceField(
        label=_("Pesantren"),
        required=False,
        queryset=Pesantren.objects.none(),
        empty_label=_("All"),
    )
    halal = forms.ChoiceField(label=_("Halal certified"), required=False, choices=YES_NO)
    documents = forms.ChoiceField(
        label=_("Legality documents"),
        required=False,
        choices=[
            ("", _("All")),
            ("expiring", _("Expiring within 90 days")),
            ("expired", _("Expired")),
        ],
    )

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency"].queryset = Regency.objects.filter(province=province).order_by("name")
        self.fields["pesantren"].queryset = Pesantren.objects.order_by("name", "id")


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_(
            "JPEG, PNG or WebP, at most 5 MB and 40 megapixels. Location and camera data "
            "are removed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def clean_image(self):
        upload = self.cleaned_data["image"]
        # The domain checks everything again; the size is refused here already so
        # that an over-size file is not decoded at all.
        photos.check_size(upload)
        return upload


class LegalDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=LegalKind.choices)
    number = forms.CharField(label=pgettext_lazy("document", "Number"), max_length=60)
    halal_scheme = forms.ChoiceField(
        label=_("Halal scheme"),
        required=False,
        choices=[("", "—"), *HalalScheme.choices],
        help_text=_("Only for a halal certificate."),
    )
    issued_on = forms.DateField(
        label=_("Issued on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty when the document does not expire."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, kinds=None, **kwargs):
        """`kinds`: the kinds offered (those the product has no document of yet, when adding)."""
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(k, LegalKind(k).label) for k in kinds]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            clean = clean_legal_document(
                cleaned["kind"],
                cleaned["number"],
                cleaned.get("halal_scheme") or "",
                cleaned.get("issued_on"),
                cleaned.get("expires_on"),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            cleaned.update(clean)
        return cleaned


class CurationForm(forms.Form):
    move = forms.CharField(widget=forms.HiddenInput)
    level = forms.ChoiceField(
        label=_("Curation level"), required=False, choices=[("", "—"), *CurationLevel.choices]
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
