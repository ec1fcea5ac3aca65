"""The indicator pages of a program, /province/<slug>/programs/<program>/indicators/:
the definitions (and the standard set), each indicator's dated figures with
their source and its targets for the province and per regency/city.

Every page runs in the province scope (`province_patterns`): a program,
indicator, figure or target of another province is not found (404).
Reading needs `programs.view_program`; every change
`programs.manage_indicators` (a change answers 404 to those without it, as
the registry's pages do). Writes go through
`niaga.programs.domain.indicators`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from niaga.core.form_errors import add_errors
from niaga.core.scoping import require_province_perm
from niaga.programs.dashboard import DEFINITIONS, ENTERED_RULE, format_day, format_value
from niaga.programs.domain import indicators as domain
from niaga.programs.forms_indicators import (
    FigureForm,
    IndicatorEditForm,
    IndicatorForm,
    TargetForm,
)
from niaga.programs.models import Indicator, IndicatorFigure, IndicatorSource, Program, Target
from niaga.programs.views.dashboard import program_or_404

VIEW = "programs.view_program"
MANAGE = "programs.manage_indicators"


def _can_manage(request) -> bool:
    return request.user.has_perm(MANAGE, request.province)


def _indicator_or_404(program: Program, indicator_id: int) -> Indicator:
    found = Indicator.objects.filter(program=program, pk=indicator_id).first()
    if found is None:
        raise Http404("no such indicator in this program")
    return found


def _list_url(request, program: Program) -> str:
    return reverse(
        "province:indicator_list",
        kwargs={"province": request.province.slug, "program": program.slug},
    )


def _detail_url(request, indicator: Indicator, anchor: str = "") -> str:
    url = reverse(
        "province:indicator_detail",
        kwargs={
            "province": request.province.slug,
            "program": indicator.program.slug,
            "indicator_id": indicator.pk,
        },
    )
    return f"{url}#{anchor}" if anchor else url


def _definition(indicator: Indicator) -> str:
    if indicator.source == IndicatorSource.COMPUTED:
        return str(DEFINITIONS[indicator.key])
    return str(ENTERED_RULE)


# --- The list of indicators ----------------------------------------------------------------


def _rows(program: Program) -> list[dict]:
    """Each indicator with its latest province figure and its targets, in three queries."""
    indicators = list(Indicator.objects.filter(program=program).order_by("order", "id"))
    figures: dict[int, list[IndicatorFigure]] = {}
    for figure in IndicatorFigure.objects.filter(indicator__program=program).order_by(
        "as_of", "id"
    ):
        figures.setdefault(figure.indicator_id, []).append(figure)
    targets: dict[int, list[Target]] = {}
    for target in Target.objects.filter(indicator__program=program).order_by("year"):
        targets.setdefault(target.indicator_id, []).append(target)
    rows = []
    for indicator in indicators:
        own = figures.get(indicator.pk, [])
        province_figures = [f for f in own if f.regency_id is None]
        latest = province_figures[-1] if province_figures else None
        own_targets = targets.get(indicator.pk, [])
        money = indicator.is_money
        rows.append(
            {
                "indicator": indicator,
                "definition": _definition(indicator),
                "figures": len(own),
                "latest_text": format_value(latest.value, money=money) if latest else "",
                "latest_as_of": format_day(latest.as_of) if latest else "",
                "latest_source": latest.source_note if latest else "",
                "targets": [
                    {"year": t.year, "text": format_value(t.value, money=money)}
                    for t in own_targets
                    if t.regency_id is None
                ],
                "regency_targets": sum(1 for t in own_targets if t.regency_id),
            }
        )
    return rows


@require_province_perm(VIEW)
def indicator_list(request, program: str):
    found = program_or_404(program)
    can_manage = _can_manage(request)
    if request.method == "POST" and not can_manage:
        raise Http404("no such page in this province space")
    form = IndicatorForm(request.POST or None, program=found) if can_manage else None
    if request.method == "POST" and form.is_valid():
        try:
            indicator = domain.indicator_create(
                actor=request.user, program=found, **form.domain_fields()
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("The indicator “%(name)s” has been defined.") % {"name": indicator.name}
            )
            return redirect(_detail_url(request, indicator))
    rows = _rows(found)
    return TemplateResponse(
        request,
        "programs/indicators/list.html",
        {
            "program": found,
            "rows": rows,
            "form": form,
            "can_manage": can_manage,
            "missing_standard": len(domain.STANDARD_KEYS)
            - len({r["indicator"].key for r in rows} & set(domain.STANDARD_KEYS)),
            "indicators_page": True,
        },
    )


@require_POST
@require_province_perm(MANAGE)
def indicators_add_standard(request, program: str):
    found = program_or_404(program)
    created = domain.indicators_add_standard(actor=request.user, program=found)
    if created:
        messages.success(
            request,
            ngettext(
                "%(count)s standard indicator has been added.",
                "%(count)s standard indicators have been added.",
                len(created),
            )
            % {"count": len(created)},
        )
    else:
        messages.info(request, _("Every standard indicator is already defined."))
    return redirect(_list_url(request, found))


# --- One indicator ----------------------------------------------------------------------


def _detail(request, indicator: Indicator, *, edit=None, figure_form=None, target_form=None):
    program = indicator.program
    can_manage = _can_manage(request)
    money = indicator.is_money
    figures = list(
        IndicatorFigure.objects.filter(indicator=indicator)
        .select_related("regency", "recorded_by")
        .order_by("-as_of", "regency__name", "-id")
    )
    targets = list(
        Target.objects.filter(indicator=indicator)
        .select_related("regency")
        .order_by("year", "regency__name", "id")
    )
    if can_manage:
        edit = edit or IndicatorEditForm(initial=IndicatorEditForm.initial_for(indicator))
        figure_form = figure_form or FigureForm(province=request.province, money=money)
        target_form = target_form or TargetForm(province=request.province, money=money)
    return TemplateResponse(
        request,
        "programs/indicators/detail.html",
        {
            "program": program,
            "indicator": indicator,
            "definition": _definition(indicator),
            "figures": [
                {
                    "figure": f,
                    "value_text": format_value(f.value, money=money),
                    "as_of_text": format_day(f.as_of),
                }
                for f in figures
            ],
            "targets": [
                {"target": t, "value_text": format_value(t.value, money=money)} for t in targets
            ],
            "can_manage": can_manage,
            "can_delete": not figures and not targets,
            "edit_form": edit,
            "figure_form": figure_form,
            "target_form": target_form,
            "indicators_page": True,
        },
    )


@require_province_perm(VIEW)
def indicator_detail(request, program: str, indicator_id: int):
    found = program_or_404(program)
    indicator = _indicator_or_404(found, indicator_id)
    if request.method != "POST":
        return _detail(request, indicator)
    if not _can_manage(request):
        raise Http404("no such page in this province space")
    form = IndicatorEditForm(request.POST)
    if form.is_valid():
        try:
            domain.indicator_update(actor=request.user, indicator=indicator, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The indicator has been saved."))
            return redirect(_detail_url(request, indicator))
    return _detail(request, indicator, edit=form)


@require_POST
@require_province_perm(MANAGE)
def indicator_delete(request, program: str, indicator_id: int):
    found = program_or_404(program)
    indicator = _indicator_or_404(found, indicator_id)
    try:
        domain.indicator_delete(actor=request.user, indicator=indicator)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_detail_url(request, indicator))
    messages.success(
        request, _("The indicator “%(name)s” has been deleted.") % {"name": indicator.name}
    )
    return redirect(_list_url(request, found))


@require_POST
@require_province_perm(MANAGE)
def figure_record(request, program: str, indicator_id: int):
    found = program_or_404(program)
    indicator = _indicator_or_404(found, indicator_id)
    form = FigureForm(request.POST, province=request.province, money=indicator.is_money)
    if form.is_valid():
        try:
            domain.figure_record(actor=request.user, indicator=indicator, **form.domain_fields())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The figure has been recorded."))
            return redirect(_detail_url(request, indicator, "figures"))
    return _detail(request, indicator, figure_form=form)


@require_POST
@require_province_perm(MANAGE)
def figure_delete(request, program: str, indicator_id: int, figure_id: int):
    found = program_or_404(program)
    indicator = _indicator_or_404(found, indicator_id)
    figure = IndicatorFigure.objects.filter(indicator=indicator, pk=figure_id).first()
    if figure is None:
        raise Http404("no such figure of this indicator")
    domain.figure_delete(actor=request.user, figure=figure)
    messages.success(request, _("The figure has been deleted."))
    return redirect(_detail_url(request, indicator, "figures"))


@require_POST
@require_province_perm(MANAGE)
def target_set(request, program: str, indicator_id: int):
    found = program_or_404(program)
    indicator = _indicator_or_404(found, indicator_id)
    form = TargetForm(request.POST, province=request.province, money=indicator.is_money)
    if form.is_valid():
        try:
            domain.target_set(actor=request.user, indicator=indicator, **form.domain_fields())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The target has been set."))
            return redirect(_detail_url(request, indicator, "targets"))
    return _detail(request, indicator, target_form=form)


@require_POST
@require_province_perm(MANAGE)
def target_delete(request, program: str, indicator_id: int, target_id: int):
    found = program_or_404(program)
    indicator = _indicator_or_404(found, indicator_id)
    target = Target.objects.filter(indicator=indicator, pk=target_id).first()
    if target is None:
        raise Http404("no such target of this indicator")
    domain.target_delete(actor=request.user, target=target)
    messages.success(request, _("The target has been deleted."))
    return redirect(_detail_url(request, indicator, "targets"))
