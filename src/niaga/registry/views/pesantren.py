"""Pages of pesantren, their cooperatives, santri/alumni businesses and pesantren accounts.

All run inside the province's scope (`core.scoping.province_patterns`): a row
of another province is simply not found and answers 404. Reading needs
`registry.view_registry`, changing `registry.manage_registry`, and creating a
pesantren's login `accounts.manage_team` (the province admin). Writes go
through `niaga.registry.domain.pesantren`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from niaga.core.form_errors import add_errors as _add_errors
from niaga.core.form_errors import is_conflict as _is_conflict
from niaga.core.scoping import require_province_perm
from niaga.registry import queries
from niaga.registry.domain import pesantren as domain
from niaga.registry.exporting import maybe_export
from niaga.registry.forms_pesantren import (
    CooperativeFilterForm,
    CooperativeForm,
    EnterpriseFilterForm,
    EnterpriseForm,
    PesantrenAccountForm,
    PesantrenFilterForm,
    PesantrenForm,
    StatusForm,
)
from niaga.registry.models import Cooperative, Enterprise, Pesantren, PesantrenStatus
from niaga.registry.validators import format_phone_display

PER_PAGE = 50
VIEW = "registry.view_registry"
MANAGE = "registry.manage_registry"
MANAGE_ACCOUNTS = "accounts.manage_team"


def _pesantren_or_404(request, pesantren_id: int) -> Pesantren:
    """A pesantren of this province space (the scope hides every other)."""
    found = Pesantren.objects.select_related("regency", "district").filter(pk=pesantren_id).first()
    if found is None:
        raise Http404("no such pesantren in this province space")
    return found


def _page(request, rows):
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return page, query.urlencode()


def _profile_url(request, pesantren_id: int) -> str:
    return reverse(
        "province:pesantren",
        kwargs={"province": request.province.slug, "pesantren_id": pesantren_id},
    )


# --- Pesantren --------------------------------------------------------------------------


@require_province_perm(VIEW)
def pesantren_list(request):
    filters = PesantrenFilterForm(request.GET or None, province=request.province)
    rows = queries.pesantren_search(**filters.filters())
    if (download := maybe_export(request, resource="pesantren", queryset=rows)) is not None:
        return download
    page, query = _page(request, rows)
    return TemplateResponse(
        request,
        "registry/pesantren/list.html",
        {
            "filters": filters,
            "page": page,
            "query": query,
            "can_manage": request.user.has_perm(MANAGE, request.province),
        },
    )


def _district_options_url(request) -> str:
    return reverse("province:district_options", kwargs={"province": request.province.slug})


@require_province_perm(MANAGE)
def pesantren_create(request):
    form = PesantrenForm(
        request.POST or None,
        province=request.province,
        options_url=_district_options_url(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            pesantren = domain.pesantren_create(
                actor=request.user, province=request.province, **form.domain_fields()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The pesantren has been registered."))
            return redirect(_profile_url(request, pesantren.pk))
    return TemplateResponse(
        request, "registry/pesantren/form.html", {"form": form, "pesantren": None}
    )


@require_province_perm(MANAGE)
def pesantren_edit(request, pesantren_id: int):
    pesantren = _pesantren_or_404(request, pesantren_id)
    form = PesantrenForm(
        request.POST or None,
        initial=PesantrenForm.initial_for(pesantren),
        province=request.province,
        options_url=_district_options_url(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            domain.pesantren_update(
                actor=request.user,
                pesantren=pesantren,
                version=form.cleaned_data["version"],
                **form.domain_fields(),
            )
        except ValidationError as error:
            if _is_conflict(error):
                messages.error(request, error.messages[0])
                return redirect(
                    "province:pesantren_edit",
                    province=request.province.slug,
                    pesantren_id=pesantren.pk,
                )
            _add_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(_profile_url(request, pesantren.pk))
    return TemplateResponse(
        request, "registry/pesantren/form.html", {"form": form, "pesantren": pesantren}
    )


def _action_labels() -> dict[str, str]:
    return {
        "registry.pesantren.create": _("Pesantren registered"),
        "registry.pesantren.update": _("Pesantren changed"),
        "registry.pesantren.status": _("Status changed"),
        "registry.pesantren.account_create": _("Login created"),
        "registry.cooperative.create": _("Cooperative registered"),
        "registry.cooperative.update": _("Cooperative changed"),
    }


def _shown(model, field: str, value) -> str:
    """An audited value as a person reads it: choices by their label, yes/no, codes as stored."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    try:
        model_field = model._meta.get_field(field)
    except FieldDoesNotExist:
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _label(model, field: str) -> str:
    try:
        return capfirst(model._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field


def _history(events) -> list[dict]:
    """The audit events as rows of the profile's history: who, when, what, which values."""
    labels = _action_labels()
    rows = []
    for event in events:
        model = Cooperative if event.object_type == Cooperative._meta.label_lower else Pesantren
        before, after = event.before or {}, event.after or {}
        changes = []
        if event.action.endswith((".update", ".status")):
            for field in after:
                if field != "version":
                    changes.append(
                        (
                            _label(model, field),
                            _shown(model, field, before.get(field)),
                            _shown(model, field, after[field]),
                        )
                    )
        elif event.action == "registry.pesantren.account_create":
            changes.append((_("Username"), "", after.get("username", "")))
        rows.append(
            {
                "at": event.at,
                "actor": event.actor_label,
                "what": labels.get(event.action, event.action),
                "changes": changes,
                "is_change": not event.action.endswith("account_create"),
            }
        )
    return rows


@require_province_perm(VIEW)
def pesantren_detail(request, pesantren_id: int):
    pesantren = _pesantren_or_404(request, pesantren_id)
    profile = queries.pesantren_profile(pesantren)
    province = request.province
    return TemplateResponse(
        request,
        "registry/pesantren/detail.html",
        {
            "pesantren": pesantren,
            "profile": profile,
            "history": _history(profile.history),
            "phone": format_phone_display(pesantren.phone),
            "can_manage": request.user.has_perm(MANAGE, province),
            "can_manage_accounts": request.user.has_perm(MANAGE_ACCOUNTS, province),
            "other_status": (
                PesantrenStatus.INACTIVE
                if pesantren.status == PesantrenStatus.ACTIVE
                else PesantrenStatus.ACTIVE
            ),
        },
    )


@require_POST
@require_province_perm(MANAGE)
def pesantren_status(request, pesantren_id: int):
    pesantren = _pesantren_or_404(request, pesantren_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose active or inactive."))
        return redirect(_profile_url(request, pesantren.pk))
    try:
        changed = domain.pesantren_set_status(
            actor=request.user, pesantren=pesantren, **form.cleaned_data
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The pesantren is now %(status)s.")
            % {"status": changed.get_status_display().lower()},
        )
    return redirect(_profile_url(request, pesantren.pk))


@require_GET
@require_province_perm(VIEW)
def district_options(request):
    """The <option>s of the districts of one regency/city of this province (for htmx)."""
    code = request.GET.get("regency", "")
    regency = queries.regencies_of(request.province).filter(code=code).first()
    districts = list(queries.districts_of(regency.code)) if regency else []
    return TemplateResponse(
        request,
        "registry/pesantren/_district_options.html",
        {"districts": districts, "regency": regency},
    )


# --- Cooperatives -------------------------------------------------------------------------


@require_province_perm(VIEW)
def cooperative_list(request):
    filters = CooperativeFilterForm(request.GET or None, province=request.province)
    rows = queries.cooperative_search(**filters.filters())
    if (download := maybe_export(request, resource="cooperatives", queryset=rows)) is not None:
        return download
    page, query = _page(request, rows)
    return TemplateResponse(
        request,
        "registry/pesantren/cooperative_list.html",
        {"filters": filters, "page": page, "query": query},
    )


@require_province_perm(MANAGE)
def cooperative_create(request, pesantren_id: int):
    pesantren = _pesantren_or_404(request, pesantren_id)
    if Cooperative.objects.filter(pesantren=pesantren).exists():
        return redirect(
            "province:cooperative_edit", province=request.province.slug, pesantren_id=pesantren.pk
        )
    form = CooperativeForm(
        request.POST or None, initial={"name": f"Kopontren {pesantren.name}"[:200]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            domain.cooperative_create(
                actor=request.user, pesantren=pesantren, **form.domain_fields()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The cooperative has been registered."))
            return redirect(_profile_url(request, pesantren.pk))
    return TemplateResponse(
        request,
        "registry/pesantren/cooperative_form.html",
        {"form": form, "pesantren": pesantren, "cooperative": None},
    )


@require_province_perm(MANAGE)
def cooperative_edit(request, pesantren_id: int):
    pesantren = _pesantren_or_404(request, pesantren_id)
    cooperative = Cooperative.objects.filter(pesantren=pesantren).first()
    if cooperative is None:
        raise Http404("this pesantren has no cooperative")
    form = CooperativeForm(request.POST or None, initial=CooperativeForm.initial_for(cooperative))
    if request.method == "POST" and form.is_valid():
        try:
            domain.cooperative_update(
                actor=request.user,
                cooperative=cooperative,
                version=form.cleaned_data["version"],
                **form.domain_fields(),
            )
        except ValidationError as error:
            if _is_conflict(error):
                messages.error(request, error.messages[0])
                return redirect(
                    "province:cooperative_edit",
                    province=request.province.slug,
                    pesantren_id=pesantren.pk,
                )
            _add_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(_profile_url(request, pesantren.pk))
    return TemplateResponse(
        request,
        "registry/pesantren/cooperative_form.html",
        {"form": form, "pesantren": pesantren, "cooperative": cooperative},
    )


# --- Santri and alumni businesses -----------------------------------------------------------


@require_province_perm(VIEW)
def enterprise_list(request):
    filters = EnterpriseFilterForm(request.GET or None)
    rows = queries.enterprise_search(**filters.filters())
    page, query = _page(request, rows)
    return TemplateResponse(
        request,
        "registry/pesantren/enterprise_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query,
            "can_manage": request.user.has_perm(MANAGE, request.province),
        },
    )


def _return_to(request, enterprise_pesantren) -> str:
    if enterprise_pesantren is not None:
        return _profile_url(request, enterprise_pesantren.pk)
    return reverse("province:enterprise_list", kwargs={"province": request.province.slug})


@require_province_perm(MANAGE)
def enterprise_create(request):
    """A new business; `?pesantren=<id>` (from a profile) offers that pesantren's people."""
    pesantren = None
    if request.GET.get("pesantren", "").isdigit():
        pesantren = _pesantren_or_404(request, int(request.GET["pesantren"]))
    form = EnterpriseForm(
        request.POST or None,
        initial={"pesantren": pesantren},
        owners=queries.owner_choices(pesantren),
    )
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = domain.enterprise_create(
                actor=request.user, province=request.province, **form.domain_fields()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The business has been registered."))
            return redirect(_return_to(request, enterprise.pesantren))
    return TemplateResponse(
        request,
        "registry/pesantren/enterprise_form.html",
        {"form": form, "enterprise": None, "pesantren": pesantren},
    )


@require_province_perm(MANAGE)
def enterprise_edit(request, enterprise_id: int):
    enterprise = (
        Enterprise.objects.select_related("owner", "pesantren").filter(pk=enterprise_id).first()
    )
    if enterprise is None:
        raise Http404("no such business in this province space")
    form = EnterpriseForm(
        request.POST or None,
        initial=EnterpriseForm.initial_for(enterprise),
        owners=queries.owner_choices(enterprise.pesantren, including=enterprise.owner),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = domain.enterprise_update(
                actor=request.user,
                enterprise=enterprise,
                version=form.cleaned_data["version"],
                **form.domain_fields(),
            )
        except ValidationError as error:
            if _is_conflict(error):
                messages.error(request, error.messages[0])
                return redirect(
                    "province:enterprise_edit",
                    province=request.province.slug,
                    enterprise_id=enterprise.pk,
                )
            _add_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(_return_to(request, changed.pesantren))
    return TemplateResponse(
        request,
        "registry/pesantren/enterprise_form.html",
        {"form": form, "enterprise": enterprise, "pesantren": enterprise.pesantren},
    )


# --- Pesantren accounts --------------------------------------------------------------------


@require_province_perm(MANAGE_ACCOUNTS)
def pesantren_account_create(request, pesantren_id: int):
    pesantren = _pesantren_or_404(request, pesantren_id)
    form = PesantrenAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = domain.pesantren_account_create(
                actor=request.user, pesantren=pesantren, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            # The temporary password, shown once, never stored in clear or sent by mail.
            response = TemplateResponse(
                request,
                "registry/pesantren/account_password.html",
                {"pesantren": pesantren, "member": user, "password": password},
            )
            response["Cache-Control"] = "no-store"
            return response
    return TemplateResponse(
        request, "registry/pesantren/account_form.html", {"form": form, "pesantren": pesantren}
    )
