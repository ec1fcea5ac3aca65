"""The audit log page of a province space."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from niaga.audit import queries
from niaga.audit.forms import AuditFilterForm
from niaga.core.scoping import require_province_perm

PAGE_SIZE = 50


@require_province_perm("audit.view_log")
def audit_log(request):
    province = request.province
    form = AuditFilterForm(
        request.GET or None,
        actions=queries.action_names(province),
        actors=queries.actors(province),
    )
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {
            "action": form.cleaned_data["action"],
            "actor_id": form.cleaned_data["actor"],
            "date_from": form.cleaned_data["date_from"],
            "date_to": form.cleaned_data["date_to"],
        }
    page = Paginator(queries.events(province=province, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "audit/log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
