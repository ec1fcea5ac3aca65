"""Forms of the desk page. They read what a tablet sends; the ledger's rules between
fields (sides, limits, a closed mission) are the domain's, whose errors are keyed
by the same names as these fields (`DealInput`'s), so both land on the same input.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from niaga.core.money_fields import RupiahFormField
from niaga.missions.domain import DealInput
from niaga.missions.models import Deal, Direction, Stage


def _key_field() -> forms.CharField:
    return forms.CharField(
        min_length=8,
        max_length=76,  # what deal_record and deal_correct accept
        widget=forms.HiddenInput,
        error_messages={"required": _("This form has no key; reload the page.")},
    )


class DeskDealForm(forms.Form):
    """One deal as the desk sends it, with its idempotency key and the typed value."""

    key = _key_field()
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=Direction.choices,
        error_messages={
            "required": _("Choose sell, buy or investment."),
            "invalid_choice": _("Choose sell, buy or investment."),
        },
    )
    seller_id = forms.IntegerField(
        label=_("Seller"),
        min_value=1,
        error_messages={
            "required": _("Choose the seller from the suggestions: type part of the name."),
            "invalid": _("Choose the seller from the suggestions: type part of the name."),
        },
    )
    buyer_id = forms.IntegerField(
        label=_("Buyer"),
        min_value=1,
        error_messages={
            "required": _("Choose the buyer from the suggestions: type part of the name."),
            "invalid": _("Choose the buyer from the suggestions: type part of the name."),
        },
    )
    commodity = forms.CharField(
        label=_("Commodity"),
        max_length=120,
        error_messages={"required": _("Name the commodity, e.g. telur ayam ras.")},
    )
    hs_code = forms.CharField(label=_("HS code"), max_length=20, required=False)
    volume = forms.DecimalField(
        label=_("Volume"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=3,
        localize=True,
        error_messages={"invalid": _("The volume is a number, e.g. 12.5.")},
    )
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    value_idr = RupiahFormField(
        label=_("Value (Rp)"),
        error_messages={"required": _("Enter an amount in rupiah, e.g. 147.321.766.000.")},
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=Stage.choices,
        error_messages={
            "required": _("Choose potensi, komitmen or kontrak."),
            "invalid_choice": _("Choose potensi, komitmen or kontrak."),
        },
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)
    confirm_large = forms.BooleanField(required=False)

    def deal_input(self) -> DealInput:
        data = self.cleaned_data
        return DealInput(
            direction=data["direction"],
            seller_id=data["seller_id"],
            buyer_id=data["buyer_id"],
            commodity=data["commodity"],
            value_idr=data["value_idr"],
            stage=data["stage"],
            hs_code=data["hs_code"].strip(),
            volume=data["volume"],
            unit=data["unit"],
            note=data["note"],
        )


class DeskCorrectionForm(forms.Form):
    """A correction of one deal: a reason and, optionally, what changes.

    With no change the deal is reversed (it did not happen); with a change the
    reversal is followed by the corrected deal, equal to the original but for
    the fields given.
    """

    key = _key_field()
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        error_messages={"required": _("Say why the deal is corrected.")},
    )
    value_idr = RupiahFormField(
        label=_("New value (Rp)"), required=False, min_value=1, widget=forms.TextInput
    )
    commodity = forms.CharField(label=_("New commodity"), max_length=120, required=False)
    stage = forms.ChoiceField(
        label=_("New stage"),
        choices=[("", _("Unchanged")), *Stage.choices],
        required=False,
    )
    confirm_large = forms.BooleanField(label=_("The value is right"), required=False)

    def __init__(self, *args, deal: Deal, **kwargs):
        super().__init__(*args, **kwargs)
        self.deal = deal

    def clean(self):
        cleaned = super().clean()
        given = [
            name
            for name in ("value_idr", "commodity", "stage")
            if cleaned.get(name) not in (None, "")
        ]
        if given and not self.errors and self.corrected() is None:
            raise forms.ValidationError(
                _(
                    "The corrected deal would equal the original. Change a field, or leave "
                    "them all empty to cancel the deal."
                ),
                code="unchanged",
            )
        return cleaned

    def corrected(self) -> DealInput | None:
        """The corrected deal, or None when only a reversal is asked for."""
        deal, data = self.deal, self.cleaned_data
        changes = {}
        if data.get("value_idr") is not None and data["value_idr"] != deal.value_idr:
            changes["value_idr"] = data["value_idr"]
        commodity = (data.get("commodity") or "").strip()
        if commodity and commodity != deal.commodity:
            changes["commodity"] = commodity
        if data.get("stage") and data["stage"] != deal.stage:
            changes["stage"] = data["stage"]
        if not changes:
            return None
        original = DealInput(
            direction=deal.direction,
            seller_id=deal.seller_id,
            buyer_id=deal.buyer_id,
            commodity=deal.commodity,
            value_idr=deal.value_idr,
            stage=deal.stage,
            hs_code=deal.hs_code,
            volume=None if deal.volume is None else Decimal(deal.volume),
            unit=deal.unit,
            note=deal.note,
        )
        return dataclasses.replace(original, **changes)
