"""Forms of the follow-up pages. They read input; `realization.domain` checks the rules."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from niaga.core.money_fields import RupiahFormField
from niaga.programs import evidence
from niaga.realization.domain import MAX_STALE_DAYS, MIN_STALE_DAYS
from niaga.realization.models import (
    ContactChannel,
    ContactParty,
    LifecycleStage,
    VerificationStatus,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALL = pgettext_lazy("filter", "All")
UNASSIGNED = "none"


def new_key() -> str:
    return uuid.uuid4().hex


class KeyedForm(forms.Form):
    """A form that creates a row: a hidden idempotency key, made once per form shown,
    so a double click or a resent form records nothing twice."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", new_key())
        super().__init__(*args, **kwargs)


class MoveForm(KeyedForm):
    to_stage = forms.ChoiceField(label=_("New stage"), choices=LifecycleStage.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Needed to cancel a deal (batal) and for a correction."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_correction = forms.BooleanField(
        label=_("This is a correction (a stage was recorded wrongly)"), required=False
    )

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [
            (value, label) for value, label in LifecycleStage.choices if value != current
        ]


class EntryForm(KeyedForm):
    """A delivery or a payment (the page shows one of each)."""

    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    value_idr = RupiahFormField(
        label=_("Value (Rp)"),
        min_value=1,
        help_text=_("In rupiah, e.g. Rp 25.000.000 or 25 juta."),
    )
    volume = forms.DecimalField(
        label=_("Volume"), required=False, max_digits=18, decimal_places=3, min_value=0
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the total would exceed the committed value."),
    )
    evidence = forms.FileField(
        label=_("Evidence (PDF, JPEG or PNG)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": evidence.ACCEPT_ATTRIBUTE}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _("At most %(limit)s MB; optional.") % {
            "limit": evidence.max_bytes() // (1024 * 1024)
        }


class ReverseForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for reversal"), max_length=300)


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    party = forms.ChoiceField(label=_("Contacted"), choices=ContactParty.choices)
    contacted_on = forms.DateField(label=_("Date"), widget=DATE)
    outcome = forms.CharField(label=_("Outcome"), max_length=300)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Responsible officer"), queryset=None)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class VerifyForm(forms.Form):
    target = forms.ChoiceField(label=_("What you checked"))
    status = forms.ChoiceField(label=_("Finding"), choices=VerificationStatus.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed for a dispute: what is wrong and what is needed."),
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("deal", _("The deal as a whole"))] + [
            (str(entry.pk), entry.choice_label) for entry in entries
        ]


class FilterForm(forms.Form):
    mission = forms.ChoiceField(label=_("Mission"), required=False)
    officer = forms.ChoiceField(label=_("Responsible officer"), required=False)
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("stale", _("Only deals without progress")),
            ("all", _("All deals")),
        ],
    )
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", ALL), *LifecycleStage.choices]
    )

    def __init__(self, *args, missions, officers, with_mission: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].choices = [("", ALL)] + [(m.slug, m.name) for m in missions]
        self.fields["officer"].choices = [
            ("", ALL),
            (UNASSIGNED, _("Nobody assigned")),
        ] + [(str(u.pk), u.display_name) for u in officers]
        if not with_mission:
            del self.fields["mission"]

    def values(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "mission": data.get("mission") or "",
            "officer": data.get("officer") or "",
            "only_stale": (data.get("show") or "stale") == "stale",
            "stage": data.get("stage") or "",
        }


class SettingsForm(forms.Form):
    stale_after_days = forms.IntegerField(
        label=_("Days without progress"),
        min_value=MIN_STALE_DAYS,
        max_value=MAX_STALE_DAYS,
        help_text=_("A deal with no stage move or entry for this many days needs follow-up."),
    )
    send_email_reminders = forms.BooleanField(label=_("Send reminders by e-mail"), required=False)
