from django import forms
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.TypedChoiceField(label=_("User"), required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, actions: list[str], actors: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        prefixes = sorted(
            {a.split(".")[0] for a in actions} | {a.rsplit(".", 1)[0] for a in actions}
        )
        self.fields["action"].choices = [("", _("All actions"))] + [
            (name, name) for name in sorted(set(prefixes) | set(actions))
        ]
        self.fields["actor"].choices = [("", _("All users")), *actors]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("“Until” must not be before “From”."))
        return cleaned
