"""Pages that belong to no single domain: home, About, health, the province home."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

import niaga
from niaga.accounts.models import Role
from niaga.accounts.queries import provinces_visible_to, roles_by_province, team_members
from niaga.audit.models import AuditEvent
from niaga.core.licences import installed_components
from niaga.regions.models import Province, RegencyKind

logger = logging.getLogger(__name__)


def home(request):
    """The public front page; a logged-in officer with one province goes straight there."""
    provinces = list(provinces_visible_to(request.user))
    if request.user.is_authenticated and len(provinces) == 1 and "stay" not in request.GET:
        return redirect("province:home", province=provinces[0].slug)
    return TemplateResponse(request, "core/home.html", {"provinces": provinces})


def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links (the admin links none).

    The static URL is looked up per request: it is hashed after collectstatic.
    """
    return redirect(static("niaga/img/logo.svg"), permanent=True)


def about(request):
    return TemplateResponse(
        request,
        "core/about.html",
        {"version": niaga.__version__, "components": installed_components()},
    )


@login_required
def national(request):
    """Every province at a glance, for national viewers and superusers (read-only)."""
    user = request.user
    if not (user.is_superuser or user.is_national_viewer):
        raise Http404("national view")
    provinces = Province.objects.annotate(
        regency_count=Count("regencies", distinct=True),
    ).order_by("code")
    return TemplateResponse(request, "core/national.html", {"provinces": provinces})


@never_cache
@require_GET
def healthz(request):
    """For load balancers: 200 when the database and the cache answer, 503 otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:  # any failure at all means "not healthy"
        logger.warning("healthz: database unreachable: %s", error)
        checks["database"] = "error"
    try:
        probe = f"healthz:{timezone.now().timestamp()}"
        cache.set(probe, "1", 10)
        checks["cache"] = "ok" if cache.get(probe) == "1" else "error"
        cache.delete(probe)
    except Exception as error:  # a refused connection, a timeout, a bad reply
        logger.warning("healthz: cache unreachable: %s", error)
        checks["cache"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks, "version": niaga.__version__},
        status=200 if healthy else 503,
    )


def province_home(request):
    """The landing page of a province space: who is on the team, the regions, recent work."""
    province = request.province
    roles = roles_by_province(request.user).get(province.code, frozenset())
    if roles == {Role.PESANTREN} and not request.user.is_national_viewer:
        # A pesantren's own login has its own home: its products and inquiries.
        return redirect("province:registry_my", province=province.slug)
    regencies = province.regencies.order_by("code")
    counts = regencies.aggregate(
        kabupaten=Count("code", filter=Q(kind=RegencyKind.KABUPATEN)),
        kota=Count("code", filter=Q(kind=RegencyKind.KOTA)),
    )
    team = team_members(province)
    recent = None
    if request.user.has_perm("audit.view_log", province):
        recent = list(AuditEvent.objects.select_related("actor")[:5])
    return TemplateResponse(
        request,
        "core/province_home.html",
        {
            "province": province,
            "my_roles": [Role(role).label for role in sorted(roles)],
            "regencies": regencies,
            "regency_counts": counts,
            "team_size": len(team),
            "now": timezone.now(),
            "recent_events": recent,
        },
    )
