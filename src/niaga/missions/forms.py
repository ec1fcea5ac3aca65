"""Forms of the mission pages. They check input; the domain functions write."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from niaga.missions.models import Direction, Stage
from niaga.regions.models import Province, Regency


class MissionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name for addresses"),
        max_length=60,
        help_text=_("Lower-case letters, digits and hyphens, e.g. jatim-kalsel-2026."),
    )
    host = forms.ModelChoiceField(label=_("Host province"), queryset=Province.objects.all())
    host_regency = forms.ModelChoiceField(
        label=_("Host regency/city"), queryset=Regency.objects.select_related("province")
    )
    venue = forms.CharField(label=_("Venue"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    opens = forms.TimeField(
        label=_("Opens (host's local time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    closes = forms.TimeField(
        label=_("Closes (host's local time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    is_public = forms.BooleanField(label=_("Public big-screen board (no login)"), required=False)

    def __init__(self, *args, organiser: Province, **kwargs):
        super().__init__(*args, **kwargs)
        self.organiser = organiser
        self.fields["host"].queryset = Province.objects.exclude(pk=organiser.pk)

    def clean(self):
        cleaned = super().clean()
        host, regency = cleaned.get("host"), cleaned.get("host_regency")
        if host and regency and regency.province_id != host.pk:
            self.add_error("host_regency", _("This regency/city is not in the host province."))
        date, opens, closes = cleaned.get("date"), cleaned.get("opens"), cleaned.get("closes")
        if host and date and opens and closes:
            if closes <= opens:
                self.add_error("closes", _("The mission must close after it opens."))
            else:
                cleaned["opens_at"] = dt.datetime.combine(date, opens, host.zone)
                cleaned["closes_at"] = dt.datetime.combine(date, closes, host.zone)
        return cleaned


class DealFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"), required=False, choices=[("", _("All")), *Direction.choices]
    )
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All")), *Stage.choices]
    )
    q = forms.CharField(label=_("Commodity or business"), required=False, max_length=100)


class MissionEditForm(MissionForm):
    """The editable part of a mission: not its short name nor its provinces."""

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, organiser=mission.organiser, **kwargs)
        del self.fields["slug"]
        del self.fields["host"]
        self.mission = mission
        self.fields["host_regency"].queryset = Regency.objects.filter(province=mission.host)

    def clean(self):
        self.cleaned_data["host"] = self.mission.host
        return super().clean()
