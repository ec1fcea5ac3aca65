"""Forms of the public catalogue (search, inquiry) and of the inquiry inbox.

The rules live in `niaga.catalog.search.criteria` and
`niaga.catalog.domain.clean_inquiry`; these forms carry the fields, their
labels and widgets, and put the rules' errors on the right field.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from niaga.catalog import search
from niaga.catalog.domain import MAX_MESSAGE, MAX_NAME, MAX_ORGANISATION, MAX_REPLY
from niaga.catalog.models import InquiryStatus
from niaga.core.form_errors import add_errors
from niaga.regions.models import Province, Regency
from niaga.registry.models import Category, CurationLevel


class SearchForm(forms.Form):
    """The catalogue's search box and filters (GET). Valid data → `criteria()`."""

    q = forms.CharField(
        label=_("Search products"),
        required=False,
        max_length=search.MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. keripik, batik tulis, madu")}
        ),
    )
    province = forms.CharField(label=_("Province"), required=False, widget=forms.Select)
    regency = forms.CharField(label=_("Regency/city"), required=False, widget=forms.Select)
    category = forms.CharField(
        label=_("Category"),
        required=False,
        widget=forms.Select(choices=[("", _("All categories")), *Category.choices]),
    )
    level = forms.CharField(
        label=_("Curation level"),
        required=False,
        widget=forms.Select(choices=[("", _("All levels")), *CurationLevel.choices]),
    )
    halal = forms.BooleanField(label=_("Halal certified only"), required=False)

    def __init__(self, data=None, **kwargs):
        data = data.copy() if data is not None else None
        if data is not None and data.get("regency") and not data.get("province"):
            # A regency alone says its province: "35.78" is in "35".
            data["province"] = data["regency"].split(".")[0]
        super().__init__(data, **kwargs)
        self.fields["province"].widget.choices = [
            ("", _("All provinces")),
            *Province.objects.order_by("name").values_list("code", "name"),
        ]
        chosen = (data or {}).get("province", "")
        regencies = (
            list(
                Regency.objects.filter(province_id=chosen)
                .order_by("name")
                .values_list("code", "name")
            )
            if chosen
            else []
        )
        self.fields["regency"].widget.choices = [
            ("", _("All regencies/cities") if chosen else _("Choose a province first")),
            *regencies,
        ]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.criteria = search.criteria(
                q=data.get("q"),
                province=data.get("province"),
                regency=data.get("regency"),
                category=data.get("category"),
                level=data.get("level"),
                halal=True if data.get("halal") else None,
            )
        except ValidationError as error:
            add_errors(self, error)
        return data

    @property
    def has_filters(self) -> bool:
        return self.is_valid() and not self.criteria.is_empty


class InquiryForm(forms.Form):
    """A buyer's inquiry. `website` is the honeypot: hidden from people by the
    stylesheet and left out of the tab order; a bot that fills it is ignored."""

    name = forms.CharField(label=_("Your name"), max_length=MAX_NAME)
    organisation = forms.CharField(
        label=_("Organisation or shop"), max_length=MAX_ORGANISATION, required=False
    )
    phone = forms.CharField(
        label=_("Phone or WhatsApp"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        help_text=_("A phone number or an e-mail address, at least one, so the seller can answer."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    quantity = forms.CharField(
        label=_("Quantity wanted"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    message = forms.CharField(
        label=_("Message"), max_length=MAX_MESSAGE, widget=forms.Textarea(attrs={"rows": 4})
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website", "").strip())


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", pgettext_lazy("inquiry status", "All")), *InquiryStatus.choices],
    )


class AnswerForm(forms.Form):
    reply_note = forms.CharField(
        label=_("Reply note"),
        max_length=MAX_REPLY,
        required=False,
        help_text=_("What you answered the buyer, and how (phone, e-mail, WhatsApp)."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (InquiryStatus.ANSWERED, InquiryStatus.ANSWERED.label),
            (InquiryStatus.CLOSED, InquiryStatus.CLOSED.label),
        ],
        initial=InquiryStatus.ANSWERED,
        widget=forms.RadioSelect,
    )
