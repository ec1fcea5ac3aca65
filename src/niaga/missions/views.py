"""The mission pages of a province space: list, create, detail, status, announcements."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from niaga.core.money import format_rupiah
from niaga.core.scoping import require_province_perm
from niaga.missions import domain, queries
from niaga.missions.forms import DealFilterForm, MissionEditForm, MissionForm
from niaga.missions.models import Deal, Mission, MissionStatus, Snapshot, Stage

DEALS_PER_PAGE = 50


def mission_or_404(request, slug: str, permission: str = "missions.view_mission") -> Mission:
    """A mission of this province space (as organiser or host) the user may see."""
    mission = (
        Mission.objects.select_related("organiser", "host", "host_regency")
        .filter(slug=slug)
        .first()
    )
    if mission is None or not request.user.has_perm(permission, mission):
        raise Http404("no such mission in this province space")
    return mission


@require_province_perm("missions.list_missions")
def mission_list(request):
    province = request.province
    missions = list(
        Mission.objects.select_related("organiser", "host", "host_regency", "ledger").order_by(
            "-opens_at"
        )
    )
    return TemplateResponse(
        request,
        "missions/list.html",
        {
            "missions": missions,
            "can_create": request.user.has_perm("missions.create_mission", province),
        },
    )


@require_province_perm("missions.create_mission")
def mission_create(request):
    form = MissionForm(request.POST or None, organiser=request.province)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mission = domain.mission_create(
                actor=request.user,
                organiser=request.province,
                slug=data["slug"],
                name=data["name"],
                host=data["host"],
                host_regency=data["host_regency"],
                venue=data["venue"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                is_public=data["is_public"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The mission has been created."))
            return redirect("province:mission", province=request.province.slug, slug=mission.slug)
    return TemplateResponse(request, "missions/create.html", {"form": form})


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def mission_detail(request, slug: str):
    mission = mission_or_404(request, slug)
    totals = queries.totals(mission)
    filters = DealFilterForm(request.GET or None)
    deals = (
        Deal.objects.filter(mission=mission)
        .select_related("seller__business", "buyer__business", "recorded_by")
        .order_by("-recorded_at", "-id")
    )
    if filters.is_valid():
        data = filters.cleaned_data
        if data["direction"]:
            deals = deals.filter(direction=data["direction"])
        if data["stage"]:
            deals = deals.filter(stage=data["stage"])
        if data["q"]:
            deals = deals.filter(
                Q(commodity__icontains=data["q"])
                | Q(seller__business__name__icontains=data["q"])
                | Q(buyer__business__name__icontains=data["q"])
            )
    page = Paginator(deals, DEALS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "missions/detail.html",
        {
            "mission": mission,
            "totals": totals,
            "by_stage": [
                (Stage(code).label, total)
                for code, total in sorted(queries.by_stage(mission, totals.version).items())
            ],
            "by_commodity": queries.by_commodity(mission, totals.version, limit=10),
            "by_regency": queries.by_regency(mission, totals.version)[:10],
            "by_hour": queries.by_hour(mission, totals.version),
            "snapshots": list(Snapshot.objects.filter(mission=mission).order_by("announced_at")),
            "participant_count": mission.participants.count(),
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "can_manage": request.user.has_perm("missions.manage_mission", mission),
            "can_record": request.user.has_perm("missions.record_deal", mission),
            "is_organiser": mission.organiser_id == request.province.pk,
        },
    )


@require_POST
def mission_status(request, slug: str):
    mission = mission_or_404(request, slug, "missions.manage_mission")
    try:
        domain.mission_set_status(
            actor=request.user, mission=mission, status=request.POST.get("status", "")
        )
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request, _("The mission is now: %(status)s.") % {"status": mission.get_status_display()}
        )
    return redirect("province:mission", province=request.province.slug, slug=mission.slug)


@require_POST
def mission_announce(request, slug: str):
    mission = mission_or_404(request, slug, "missions.manage_mission")
    if mission.status == MissionStatus.PLANNED:
        messages.error(request, _("Open the mission before announcing a total."))
    else:
        snapshot = domain.snapshot_announce(actor=request.user, mission=mission)
        messages.success(
            request,
            _("Announced: %(total)s in %(count)s transactions.")
            % {"total": format_rupiah(snapshot.total_idr), "count": snapshot.count},
        )
    return redirect("province:mission", province=request.province.slug, slug=mission.slug)


def mission_edit(request, slug: str):
    mission = mission_or_404(request, slug, "missions.manage_mission")
    zone = mission.host.zone
    initial = {
        "name": mission.name,
        "host_regency": mission.host_regency,
        "venue": mission.venue,
        "date": mission.opens_at.astimezone(zone).date(),
        "opens": mission.opens_at.astimezone(zone).time(),
        "closes": mission.closes_at.astimezone(zone).time(),
        "is_public": mission.is_public,
    }
    form = MissionEditForm(request.POST or None, initial=initial, mission=mission)
    expected = request.POST.get("expected") or domain.mission_fingerprint(mission)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            domain.mission_update(
                actor=request.user,
                mission=mission,
                expected=expected,
                name=data["name"],
                host_regency=data["host_regency"],
                venue=data["venue"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                is_public=data["is_public"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "conflict":
                messages.error(request, error.messages[0])
                return redirect("province:mission_edit", province=request.province.slug, slug=slug)
            _add_errors(form, error)
        else:
            messages.success(request, _("The mission has been saved."))
            return redirect("province:mission", province=request.province.slug, slug=slug)
    return TemplateResponse(
        request, "missions/edit.html", {"mission": mission, "form": form, "expected": expected}
    )
