"""The training pages of a program, under /province/<slug>/programs/<program>/training/:
courses, cohorts, enrolment from the registry, sessions and the roll call,
scores, and completing a cohort. Certificates: `views.certificates`.

Every page runs in the province scope (`province_patterns`): a program,
course or cohort of another province is not found (404). Reading needs
`programs.view_program`; every change `programs.run_training` (a page for
changes answers 404 to those without it, as the registry's pages do).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from niaga.core.form_errors import add_errors, is_conflict
from niaga.core.scoping import require_province_perm
from niaga.programs import training_queries as queries
from niaga.programs.domain import certificates as completion
from niaga.programs.domain import training as domain
from niaga.programs.domain.training_checks import OPEN_STATUSES, closed_error, percent_text
from niaga.programs.forms_training import (
    CohortEditForm,
    CohortForm,
    CourseEditForm,
    CourseForm,
    PersonSearchForm,
    RollCallForm,
    ScoresForm,
    SessionForm,
)
from niaga.programs.models import (
    Cohort,
    CohortStatus,
    Course,
    Enrolment,
    EnrolmentStatus,
    Program,
    TrainingSession,
)
from niaga.registry.models import Person

VIEW = "programs.view_program"
RUN = "programs.run_training"


# --- Looking rows up inside the province space ------------------------------------


def program_or_404(request, slug: str) -> Program:
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        raise Http404("no such program in this province space")
    return program


def _course_or_404(program: Program, course_id: int) -> Course:
    course = Course.objects.filter(program=program, pk=course_id).first()
    if course is None:
        raise Http404("no such course in this program")
    return course


def _cohort_or_404(program: Program, cohort_id: int) -> Cohort:
    cohort = (
        Cohort.objects.filter(course__program=program, pk=cohort_id)
        .select_related("course__program")
        .first()
    )
    if cohort is None:
        raise Http404("no such cohort in this program")
    return cohort


def _url(request, name: str, program: Program, **kwargs) -> str:
    return reverse(
        f"province:{name}",
        kwargs={"province": request.province.slug, "program": program.slug, **kwargs},
    )


def cohort_url(request, cohort: Cohort) -> str:
    return _url(request, "cohort_detail", cohort.course.program, cohort_id=cohort.pk)


def _can(request, permission: str) -> bool:
    return request.user.has_perm(permission, request.province)


# --- Courses ----------------------------------------------------------------------


@require_province_perm(VIEW)
def course_list(request, program: str):
    found = program_or_404(request, program)
    return TemplateResponse(
        request,
        "programs/training/course_list.html",
        {"program": found, "courses": queries.courses(found), "can_run": _can(request, RUN)},
    )


@require_province_perm(RUN)
def course_create(request, program: str):
    found = program_or_404(request, program)
    form = CourseForm(request.POST or None, program=found)
    if request.method == "POST" and form.is_valid():
        try:
            course = domain.course_create(actor=request.user, program=found, **form.domain_fields())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The course has been created."))
            return redirect(_url(request, "course_detail", found, course_id=course.pk))
    return TemplateResponse(
        request,
        "programs/training/course_form.html",
        {"program": found, "form": form, "course": None},
    )


@require_province_perm(VIEW)
def course_detail(request, program: str, course_id: int):
    found = program_or_404(request, program)
    course = _course_or_404(found, course_id)
    return TemplateResponse(
        request,
        "programs/training/course_detail.html",
        {
            "program": found,
            "course": course,
            "modules": course.modules.order_by("order", "id"),
            "cohorts": queries.cohorts(course),
            "can_run": _can(request, RUN),
        },
    )


@require_province_perm(RUN)
def course_edit(request, program: str, course_id: int):
    found = program_or_404(request, program)
    course = _course_or_404(found, course_id)
    form = CourseEditForm(
        request.POST or None, initial=CourseEditForm.initial_for(course), program=found
    )
    if request.method == "POST" and form.is_valid():
        try:
            domain.course_update(
                actor=request.user,
                course=course,
                version=form.cleaned_data["version"],
                **form.domain_fields(),
            )
        except ValidationError as error:
            if is_conflict(error):
                messages.error(request, error.messages[0])
                return redirect(_url(request, "course_edit", found, course_id=course.pk))
            add_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(_url(request, "course_detail", found, course_id=course.pk))
    return TemplateResponse(
        request,
        "programs/training/course_form.html",
        {"program": found, "form": form, "course": course},
    )


# --- Cohorts ----------------------------------------------------------------------


@require_province_perm(RUN)
def cohort_create(request, program: str, course_id: int):
    found = program_or_404(request, program)
    course = _course_or_404(found, course_id)
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = domain.cohort_create(actor=request.user, course=course, **form.domain_fields())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The cohort has been created."))
            return redirect(_url(request, "cohort_detail", found, cohort_id=cohort.pk))
    return TemplateResponse(
        request,
        "programs/training/cohort_form.html",
        {"program": found, "course": course, "form": form, "cohort": None},
    )


@require_province_perm(RUN)
def cohort_edit(request, program: str, cohort_id: int):
    found = program_or_404(request, program)
    cohort = _cohort_or_404(found, cohort_id)
    if cohort.status not in OPEN_STATUSES:
        messages.error(request, closed_error(cohort).messages[0])
        return redirect(cohort_url(request, cohort))
    form = CohortEditForm(request.POST or None, initial=CohortEditForm.initial_for(cohort))
    if request.method == "POST" and form.is_valid():
        try:
            domain.cohort_update(
                actor=request.user,
                cohort=cohort,
                version=form.cleaned_data["version"],
                **form.domain_fields(),
            )
        except ValidationError as error:
            if is_conflict(error):
                messages.error(request, error.messages[0])
                return redirect(_url(request, "cohort_edit", found, cohort_id=cohort.pk))
            add_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(cohort_url(request, cohort))
    return TemplateResponse(
        request,
        "programs/training/cohort_form.html",
        {"program": found, "course": cohort.course, "form": form, "cohort": cohort},
    )


def _search(request, cohort: Cohort) -> dict:
    form = PersonSearchForm(
        request.GET or None,
        results_url=_url(request, "cohort_people", cohort.course.program, cohort_id=cohort.pk),
    )
    found = []
    if form.is_bound and form.is_valid() and cohort.status in OPEN_STATUSES:
        found = queries.people_to_enrol(cohort, form.cleaned_data["q"])
    return {"search": form, "found": found, "search_limit": queries.SEARCH_LIMIT}


@require_province_perm(VIEW)
def cohort_detail(request, program: str, cohort_id: int):
    found = program_or_404(request, program)
    cohort = _cohort_or_404(found, cohort_id)
    people = queries.participants(cohort)
    can_run = _can(request, RUN)
    return TemplateResponse(
        request,
        "programs/training/cohort_detail.html",
        {
            "program": found,
            "course": cohort.course,
            "cohort": cohort,
            "people": people,
            "enrolled_count": sum(e.status == EnrolmentStatus.ENROLLED for e in people.seated),
            "sessions": queries.sessions(cohort),
            "is_open": cohort.status in OPEN_STATUSES,
            "can_run": can_run,
            "can_revoke": _can(request, "programs.revoke_certificate"),
            **(_search(request, cohort) if can_run else {}),
        },
    )


@require_province_perm(RUN)
def cohort_people(request, program: str, cohort_id: int):
    """The enrol search's results (htmx swaps them in as the officer types)."""
    found = program_or_404(request, program)
    cohort = _cohort_or_404(found, cohort_id)
    return TemplateResponse(
        request,
        "programs/training/cohort_detail.html#enrol-results",
        {"program": found, "cohort": cohort, "is_open": True, **_search(request, cohort)},
    )


@require_province_perm(RUN)
def cohort_enrol(request, program: str, cohort_id: int):
    found = program_or_404(request, program)
    cohort = _cohort_or_404(found, cohort_id)
    if request.method != "POST":  # after the look-ups: another province's cohort is a 404
        return HttpResponseNotAllowed(["POST"])
    try:
        person = Person.objects.filter(pk=int(request.POST.get("person", ""))).first()
    except ValueError:
        person = None
    if person is None:
        messages.error(request, _("Choose a person registered in this province."))
        return redirect(cohort_url(request, cohort))
    try:
        enrolment = domain.enrol(actor=request.user, cohort=cohort, person=person)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if enrolment.status == EnrolmentStatus.ENROLLED:
            messages.success(request, _("%(name)s is enrolled.") % {"name": person.full_name})
        else:
            messages.warning(
                request,
                _("The cohort is full: %(name)s is number %(position)s on the waiting list.")
                % {"name": person.full_name, "position": domain.waiting_position(enrolment)},
            )
    # Back to the search the officer came from, to enrol the next person.
    target = cohort_url(request, cohort)
    query = request.POST.get("q", "").strip()
    if query:
        target += "?" + urlencode({"q": query[:100]})
    return redirect(f"{target}#enrol")


@require_province_perm(RUN)
def enrolment_withdraw(request, program: str, cohort_id: int, enrolment_id: int):
    """GET: what withdrawing will do (who takes the seat); POST: withdraw."""
    found = program_or_404(request, program)
    cohort = _cohort_or_404(found, cohort_id)
    enrolment = (
        Enrolment.objects.filter(cohort=cohort, pk=enrolment_id).select_related("person").first()
    )
    if enrolment is None:
        raise Http404("no such enrolment in this cohort")
    if request.method == "POST":
        try:
            _withdrawn, promoted = domain.withdraw(actor=request.user, enrolment=enrolment)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            text = _("%(name)s has been withdrawn.") % {"name": enrolment.person.full_name}
            if promoted is not None:
                promoted_name = Person.objects.get(pk=promoted.person_id).full_name
                text += " " + _("%(name)s moves up from the waiting list and takes the seat.") % {
                    "name": promoted_name
                }
            messages.success(request, text)
        return redirect(cohort_url(request, cohort))
    next_waiting = None
    if enrolment.status == EnrolmentStatus.ENROLLED:
        next_waiting = (
            Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.WAITING)
            .select_related("person")
            .order_by("waiting_since", "id")
            .first()
        )
    return TemplateResponse(
        request,
        "programs/training/withdraw.html",
        {
            "program": found,
            "cohort": cohort,
            "enrolment": enrolment,
            "next_waiting": next_waiting,
            "position": domain.waiting_position(enrolment),
        },
    )


# --- Sessions, roll call, scores ----------------------------------------------------


@require_province_perm(RUN)
def session_create(request, program: str, cohort_id: int):
    found = program_or_404(request, program)
    cohort = _cohort_or_404(found, cohort_id)
    form = SessionForm(request.POST or None, program=found)
    if request.method == "POST" and form.is_valid():
        try:
            session = domain.session_create(actor=request.user, cohort=cohort, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Session %(number)s has been added.") % {"number": session.number}
            )
            return redirect(f"{cohort_url(request, cohort)}#sessions")
    return TemplateResponse(
        request,
        "programs/training/session_form.html",
        {"program": found, "cohort": cohort, "form": form},
    )


@require_province_perm(RUN)
def roll_call(request, program: str, cohort_id: int, session_id: int):
    """The roll call of one session: a big button per participant, one save."""
    found = program_or_404(request, program)
    cohort = _cohort_or_404(found, cohort_id)
    session = (
        TrainingSession.objects.filter(cohort=cohort, pk=session_id)
        .select_related("module")
        .first()
    )
    if session is None:
        raise Http404("no such session in this cohort")
    participants = queries.roll_call(session)
    form = RollCallForm(
        request.POST or None,
        participants=participants,
        initial={"present": [e.pk for e in participants if e.present]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = domain.attendance_record(
                actor=request.user, session=session, present_ids=form.cleaned_data["present"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Roll call of session %(number)s saved: %(present)s present, %(absent)s absent.")
                % {"number": session.number, "present": result.present, "absent": result.absent},
            )
            return redirect(f"{cohort_url(request, cohort)}#sessions")
    return TemplateResponse(
        request,
        "programs/training/roll_call.html",
        {
            "program": found,
            "cohort": cohort,
            "session": session,
            "participants": participants,
            "form": form,
            "checked": {str(v) for v in (form["present"].value() or [])},
            "taken": any(e.present is not None for e in participants),
            "is_open": cohort.status in OPEN_STATUSES,
        },
    )


@require_province_perm(RUN)
def cohort_scores(request, program: str, cohort_id: int):
    found = program_or_404(request, program)
    cohort = _cohort_or_404(found, cohort_id)
    participants = list(
        Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED)
        .select_related("person")
        .order_by("person__full_name", "id")
    )
    form = ScoresForm(request.POST or None, participants=participants)
    if request.method == "POST" and form.is_valid():
        try:
            changed = domain.scores_record(actor=request.user, cohort=cohort, scores=form.scores())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Scores saved (%(count)s changed).") % {"count": changed})
            return redirect(f"{cohort_url(request, cohort)}#participants")
    return TemplateResponse(
        request,
        "programs/training/scores.html",
        {
            "program": found,
            "cohort": cohort,
            "form": form,
            "passing_score": cohort.course.passing_score,
            "is_open": cohort.status in OPEN_STATUSES,
        },
    )


@require_province_perm(RUN)
def cohort_complete(request, program: str, cohort_id: int):
    """GET: who will complete and who will not, and why; POST: complete the cohort."""
    found = program_or_404(request, program)
    cohort = _cohort_or_404(found, cohort_id)
    if cohort.status == CohortStatus.COMPLETED:
        messages.info(request, _("This cohort was already completed."))
        return redirect(cohort_url(request, cohort))
    error_text = None
    if request.method == "POST":
        expected = {}
        for key, value in request.POST.items():
            if key.startswith("outcome-") and key[8:].isdigit():
                expected[int(key[8:])] = value == "pass"
        try:
            result = completion.cohort_complete(
                actor=request.user, cohort=cohort, expected=expected
            )
        except ValidationError as error:
            error_text = error.messages[0]
        else:
            messages.success(
                request,
                _(
                    "The cohort is completed: %(completed)s completed and received a "
                    "certificate, %(not_completed)s did not complete."
                )
                % {
                    "completed": len(result.completed),
                    "not_completed": len(result.not_completed),
                },
            )
            return redirect(f"{cohort_url(request, cohort)}#participants")
    outcomes = completion.completion_outcomes(cohort)
    for outcome in outcomes:
        outcome.enrolment.percent = percent_text(outcome.attendance_percent)
    sessions = queries.sessions(cohort)
    response = TemplateResponse(
        request,
        "programs/training/complete.html",
        {
            "program": found,
            "cohort": cohort,
            "course": cohort.course,
            "outcomes": outcomes,
            "passing": [o for o in outcomes if o.passes],
            "failing": [o for o in outcomes if not o.passes],
            "sessions": sessions,
            "untaken": [s for s in sessions if not s.recorded_count],
            "waiting_count": Enrolment.objects.filter(
                cohort=cohort, status=EnrolmentStatus.WAITING
            ).count(),
            "error_text": error_text,
        },
    )
    if error_text:
        response.status_code = 400
    return response
