"""The pages of a province's OPOP programs, under /province/<slug>/programs/:
the list, a program's page, the program form, its team, its curriculum, and
replicating another province's program.

Every page runs in the province scope (`province_patterns`): a program or
module of another province is not found (404). Reading needs
`programs.view_program` (the province team and national viewers); changing a
program, its team or its curriculum `programs.manage_program`, replicating
`programs.replicate_program` (the province admin). A page for changes
answers 404 to those without the permission, as the registry's pages do.
Writes go through `niaga.programs.domain.programs`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from niaga.core.form_errors import add_errors, is_conflict
from niaga.core.scoping import require_province_perm
from niaga.programs import queries
from niaga.programs.domain import programs as domain
from niaga.programs.domain.program_checks import slug_taken
from niaga.programs.forms_programs import (
    ModuleForm,
    ProgramForm,
    ReplicateForm,
    TeamMemberForm,
)
from niaga.programs.models import (
    CurriculumModule,
    DeliveryMode,
    Program,
    SupportAspect,
    TeamMember,
)
from niaga.registry.models import Pillar

VIEW = "programs.view_program"
MANAGE = "programs.manage_program"
REPLICATE = "programs.replicate_program"


def _can(request, permission: str) -> bool:
    return request.user.has_perm(permission, request.province)


def _program_or_404(slug: str) -> Program:
    program = queries.program_by_slug(slug)
    if program is None:
        raise Http404("no such program in this province space")
    return program


def _module_or_404(program: Program, module_id: int) -> CurriculumModule:
    module = CurriculumModule.objects.filter(program=program, pk=module_id).first()
    if module is None:
        raise Http404("no such module in this program")
    return module


def _to_program(request, program: Program, anchor: str = ""):
    response = redirect(
        "province:program_detail", province=request.province.slug, program=program.slug
    )
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def origin_line(program: Program) -> str:
    """'Direplikasi dari OPOP Jawa Timur, Agustus 2022', or '' for an original program."""
    if not program.replicated_from_label:
        return ""
    origin = queries.origin_name(program)
    if program.replicated_on is None:
        return _("Replicated from %(origin)s") % {"origin": origin}
    return _("Replicated from %(origin)s, %(month)s") % {
        "origin": origin,
        "month": queries.month_year(program.replicated_on),
    }


def _labels(values, choices) -> list[str]:
    return [str(choices(value).label) for value in values if value in choices.values]


# --- The list and a program's page -------------------------------------------------


@require_province_perm(VIEW)
def program_list(request):
    programs = list(queries.programs_of_province().select_related("replicated_from"))
    for program in programs:
        program.origin = origin_line(program)
    return TemplateResponse(
        request,
        "programs/program/list.html",
        {
            "programs": programs,
            "can_manage": _can(request, MANAGE),
            "can_replicate": _can(request, REPLICATE),
        },
    )


@require_province_perm(VIEW)
def program_detail(request, program: str):
    found = _program_or_404(program)
    page = queries.program_page(found)
    return TemplateResponse(
        request,
        "programs/program/detail.html",
        {
            "program": found,
            "origin": origin_line(found),
            "pillars": _labels(found.pillars, Pillar),
            "aspects": _labels(found.aspects, SupportAspect),
            "delivery_modes": _labels(found.delivery_modes, DeliveryMode),
            "team": page.team,
            "modules": page.modules,
            "total_hours": page.total_hours,
            "can_manage": _can(request, MANAGE),
        },
    )


# --- The program form ---------------------------------------------------------------


@require_province_perm(MANAGE)
def program_create(request):
    form = ProgramForm(request.POST or None, initial={"status": "active"})
    if request.method == "POST" and form.is_valid():
        try:
            created = domain.program_create(
                actor=request.user, province=request.province, **form.domain_fields()
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The program has been created."))
            return _to_program(request, created)
    return TemplateResponse(request, "programs/program/form.html", {"form": form, "program": None})


@require_province_perm(MANAGE)
def program_edit(request, program: str):
    found = _program_or_404(program)
    form = ProgramForm(request.POST or None, initial=ProgramForm.initial_for(found), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            domain.program_update(
                actor=request.user,
                program=found,
                version=form.cleaned_data["version"],
                **form.domain_fields(),
            )
        except ValidationError as error:
            if is_conflict(error):
                messages.error(request, error.messages[0])
                return redirect(
                    "province:program_edit", province=request.province.slug, program=found.slug
                )
            add_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return _to_program(request, found)
    return TemplateResponse(request, "programs/program/form.html", {"form": form, "program": found})


# --- The team -------------------------------------------------------------------------


@require_province_perm(MANAGE)
def program_team(request, program: str):
    """The team with a remove button each, and the form to add an officer (POST)."""
    found = _program_or_404(program)
    form = TeamMemberForm(request.POST or None, candidates=queries.team_candidates(found))
    if request.method == "POST" and form.is_valid():
        try:
            member = domain.team_member_add(actor=request.user, program=found, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has joined the team as %(duty)s.")
                % {"name": member.user.display_name, "duty": member.get_duty_display().lower()},
            )
            return redirect(
                "province:program_team", province=request.province.slug, program=found.slug
            )
    return TemplateResponse(
        request,
        "programs/program/team.html",
        {"program": found, "team": queries.program_page(found).team, "form": form},
    )


@require_POST
@require_province_perm(MANAGE)
def program_team_remove(request, program: str, member_id: int):
    found = _program_or_404(program)
    member = TeamMember.objects.select_related("user").filter(program=found, pk=member_id).first()
    if member is None:
        raise Http404("no such team member")
    domain.team_member_remove(actor=request.user, member=member)
    messages.success(request, _("%(name)s has left the team.") % {"name": member.user.display_name})
    return redirect("province:program_team", province=request.province.slug, program=found.slug)


# --- The curriculum -------------------------------------------------------------------


@require_province_perm(MANAGE)
def module_create(request, program: str):
    found = _program_or_404(program)
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.module_create(actor=request.user, program=found, **form.domain_fields())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The module has been added to the curriculum."))
            return _to_program(request, found, "curriculum")
    return TemplateResponse(
        request, "programs/program/module_form.html", {"form": form, "program": found}
    )


@require_province_perm(MANAGE)
def module_edit(request, program: str, module_id: int):
    found = _program_or_404(program)
    module = _module_or_404(found, module_id)
    form = ModuleForm(request.POST or None, initial=ModuleForm.initial_for(module))
    if request.method == "POST" and form.is_valid():
        try:
            domain.module_update(
                actor=request.user,
                module=module,
                version=form.cleaned_data["version"],
                **form.domain_fields(),
            )
        except ValidationError as error:
            if is_conflict(error):
                messages.error(request, error.messages[0])
                return redirect(
                    "province:program_module_edit",
                    province=request.province.slug,
                    program=found.slug,
                    module_id=module.pk,
                )
            add_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return _to_program(request, found, "curriculum")
    return TemplateResponse(
        request,
        "programs/program/module_form.html",
        {"form": form, "program": found, "module": module},
    )


@require_province_perm(MANAGE)
def module_delete(request, program: str, module_id: int):
    """GET asks to confirm; POST removes the module."""
    found = _program_or_404(program)
    module = _module_or_404(found, module_id)
    if request.method == "POST":
        try:
            domain.module_delete(actor=request.user, module=module)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The module “%(title)s” has been removed from the curriculum.")
                % {"title": module.title},
            )
        return _to_program(request, found, "curriculum")
    return TemplateResponse(
        request, "programs/program/module_delete.html", {"program": found, "module": module}
    )


@require_POST
@require_province_perm(MANAGE)
def module_move(request, program: str, module_id: int):
    """Move a module one place up or down (`direction`)."""
    found = _program_or_404(program)
    module = _module_or_404(found, module_id)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if step is None:
        messages.error(request, _("Choose to move the module up or down."))
        return _to_program(request, found, "curriculum")
    try:
        domain.module_move(actor=request.user, module=module, position=module.order + step)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return _to_program(request, found, f"module-{module.pk}")


# --- Replication ----------------------------------------------------------------------


@require_province_perm(REPLICATE)
def replicate_sources(request):
    """Other provinces' programs, read-only facts, each with a link to replicate it."""
    return TemplateResponse(
        request,
        "programs/program/replicate_sources.html",
        {"sources": queries.replication_sources(request.province)},
    )


def _suggested(request) -> dict:
    province = request.province
    slug = f"opop-{province.slug}"
    return {"name": f"OPOP {province.name}", "slug": "" if slug_taken(slug, None) else slug}


def _copied_message(program: Program) -> str:
    copied = program.copied
    parts = {
        "modules": ngettext(
            "%(count)s curriculum module", "%(count)s curriculum modules", copied.modules
        )
        % {"count": copied.modules},
        "courses": ngettext("%(count)s course", "%(count)s courses", copied.courses)
        % {"count": copied.courses},
        "indicators": ngettext("%(count)s indicator", "%(count)s indicators", copied.indicators)
        % {"count": copied.indicators},
        "targets": ngettext(
            "%(count)s province target", "%(count)s province targets", copied.targets
        )
        % {"count": copied.targets},
    }
    text = _(
        "%(name)s has been created from %(source)s (%(province)s). Copied: %(modules)s, "
        "%(courses)s, %(indicators)s and %(targets)s; no people, pesantren, cohorts, "
        "support or figures. Review the targets: they are the ones %(source)s set."
    ) % {
        "name": program.name,
        "source": copied.source_name,
        "province": copied.source_province,
        **parts,
    }
    if copied.regency_targets_left:
        text += " " + ngettext(
            "%(count)s regency target was not copied: its regency belongs to %(province)s.",
            "%(count)s regency targets were not copied: their regencies belong to %(province)s.",
            copied.regency_targets_left,
        ) % {"count": copied.regency_targets_left, "province": copied.source_province}
    return text


@require_province_perm(REPLICATE)
def replicate(request, source: str):
    """The source's facts and the new program's name, short name and launch date."""
    found = queries.replication_source(request.province, source)
    if found is None:
        raise Http404("no such program in another province")
    form = ReplicateForm(request.POST or None, initial=_suggested(request))
    if request.method == "POST" and form.is_valid():
        try:
            created = domain.program_replicate(
                actor=request.user, source=found, province=request.province, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _copied_message(created))
            return _to_program(request, created)
    return TemplateResponse(
        request,
        "programs/program/replicate.html",
        {
            "source": found,
            "pillars": _labels(found.pillars, Pillar),
            "aspects": _labels(found.aspects, SupportAspect),
            "delivery_modes": _labels(found.delivery_modes, DeliveryMode),
            "form": form,
        },
    )
