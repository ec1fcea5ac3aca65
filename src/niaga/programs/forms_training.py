"""Forms of the training pages. They parse input; `niaga.programs.domain.training`
and `.certificates` check the rules and name the field that breaks one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from niaga.programs.models import (
    Cohort,
    Course,
    CurriculumModule,
    DeliveryMode,
    Enrolment,
    Program,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ModuleChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.order}. {obj.title} ({obj.hours} j)" if obj.hours else str(obj)


def _module_queryset(program: Program):
    return CurriculumModule.objects.filter(program=program).order_by("order", "id")


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    delivery_mode = forms.ChoiceField(label=_("Delivery mode"), choices=DeliveryMode.choices)
    modules = ModuleChoices(
        label=_("Curriculum modules taught"),
        required=False,
        queryset=CurriculumModule.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    min_attendance_percent = forms.IntegerField(
        label=_("Minimum attendance (%)"),
        initial=80,
        help_text=_("A participant completes when present at least at this share of sessions."),
    )
    passing_score = forms.IntegerField(
        label=_("Passing score"), initial=70, help_text=_("From 0 to 100.")
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].queryset = _module_queryset(program)
        modes = [m for m in program.delivery_modes if m in DeliveryMode.values]
        if modes:
            self.fields["delivery_mode"].choices = [
                (m, DeliveryMode(m).label) for m in DeliveryMode.values if m in modes
            ]

    def domain_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "delivery_mode": data["delivery_mode"],
            "modules": list(data["modules"]),
            "min_attendance_percent": data["min_attendance_percent"],
            "passing_score": data["passing_score"],
        }


class CourseEditForm(CourseForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    @staticmethod
    def initial_for(course: Course) -> dict:
        return {
            "title": course.title,
            "description": course.description,
            "delivery_mode": course.delivery_mode,
            "modules": list(course.modules.values_list("pk", flat=True)),
            "min_attendance_percent": course.min_attendance_percent,
            "passing_score": course.passing_score,
            "version": course.version,
        }


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    venue = forms.CharField(label=_("Place"), required=False, max_length=200)
    online = forms.BooleanField(label=_("Online"), required=False)
    online_link = forms.CharField(
        label=_("Online link"),
        required=False,
        max_length=200,
        widget=forms.URLInput,
        help_text=_("For online cohorts: the link participants use to join."),
    )
    trainers = forms.CharField(
        label=_("Trainers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name per line."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        help_text=_("Seats. Beyond them people join the waiting list."),
    )

    def domain_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class CohortEditForm(CohortForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    @staticmethod
    def initial_for(cohort: Cohort) -> dict:
        fields = [name for name in CohortForm.base_fields]
        return {**{name: getattr(cohort, name) for name in fields}, "version": cohort.version}


class SessionForm(forms.Form):
    number = forms.IntegerField(
        label=_("Number"), required=False, help_text=_("Empty: the next number.")
    )
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=200)
    module = forms.ModelChoiceField(
        label=_("Curriculum module"),
        required=False,
        queryset=CurriculumModule.objects.none(),
        empty_label=_("None"),
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = _module_queryset(program)


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a person in the registry"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Type part of the name."),
    )

    def __init__(self, *args, results_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if results_url:
            # htmx fetches the results as the officer types; without it the
            # form's own submit shows them.
            self.fields["q"].widget.attrs.update(
                {
                    "hx-get": results_url,
                    "hx-trigger": "input changed delay:300ms, search",
                    "hx-target": "#enrol-results",
                    "hx-swap": "outerHTML",
                }
            )


class RollCallForm(forms.Form):
    """One checkbox per enrolled participant; checked = present."""

    present = forms.TypedMultipleChoiceField(
        label=_("Present"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, participants: list[Enrolment], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(e.pk, e.person.full_name) for e in participants]


class ScoresForm(forms.Form):
    """One score box per enrolled participant, named score-<enrolment id>."""

    def __init__(self, *args, participants: list[Enrolment], **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = participants
        for enrolment in participants:
            self.fields[f"score-{enrolment.pk}"] = forms.IntegerField(
                label=enrolment.person.full_name,
                required=False,
                initial=enrolment.score,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100}),
            )

    def rows(self):
        return [(e, self[f"score-{e.pk}"]) for e in self.participants]

    def scores(self) -> dict[int, int | None]:
        return {e.pk: self.cleaned_data[f"score-{e.pk}"] for e in self.participants}


class RevokeForm(forms.Form):
    revoked_reason = forms.CharField(
        label=_("Why is the certificate revoked?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept for the province team and the audit log; not shown publicly."),
    )
