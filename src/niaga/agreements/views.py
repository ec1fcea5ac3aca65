"""Agreement pages of a province space: the list, recording and editing an
agreement with its parties, its page (parties, validity, document, action
items and their notes), termination and the document download.

Every view runs inside the province's scope (`core.scoping.province_patterns`):
the scoped manager shows only agreements this province recorded or is party
to, so anything else answers 404, as does a page the user has no right to.
Writes go through `niaga.agreements.domain`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from niaga.agreements import domain, queries
from niaga.agreements.forms import (
    ActionItemForm,
    AgreementForm,
    FilterForm,
    NoteForm,
    TerminateForm,
    party_formset,
    party_rows,
)
from niaga.agreements.models import ActionItem, Agreement, AgreementParty, AgreementStatus
from niaga.core.form_errors import add_errors, is_conflict
from niaga.core.scoping import require_province_perm
from niaga.missions.models import Mission

PER_PAGE = 50
VIEW = "agreements.view_agreement"
CHANGE = "agreements.change_agreement"
UPDATE_ITEMS = "agreements.update_action_item"


def _today(request):
    return domain.local_today(request.province)


def _agreement_or_404(request, pk: int, permission: str = VIEW) -> Agreement:
    found = queries.agreement_with_items(pk)
    if found is None or not request.user.has_perm(permission, found):
        raise Http404("no such agreement in this province space")
    return found


def _item_or_404(agreement: Agreement, item_id: int) -> ActionItem:
    for item in agreement.action_items.all():
        if item.pk == item_id:
            return item
    raise Http404("no such action item in this agreement")


def _missions():
    return Mission.objects.select_related("host", "organiser").order_by("-opens_at")


def _redirect(request, agreement: Agreement, anchor: str = ""):
    response = redirect("province:agreement", province=request.province.slug, pk=agreement.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


# --- The list ------------------------------------------------------------------------------


@require_GET
@require_province_perm("agreements.list_agreements")
def agreement_list(request):
    today = _today(request)
    missions = list(_missions())
    filters = FilterForm(request.GET or None, years=queries.years_signed(), missions=missions)
    rows = queries.agreement_list(today=today, filters=filters.filters())
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "agreements/list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "today": today,
            "expiring_days": queries.EXPIRING_DAYS,
            "labels": queries.VALIDITY_LABELS,
            "can_create": request.user.has_perm("agreements.create_agreement", request.province),
        },
    )


# --- Recording and editing -----------------------------------------------------------------


def _put_party_errors(error: ValidationError, party_forms: list) -> list[str]:
    """Domain errors about parties: a taken number onto its row's field, the rest
    returned to be shown above the rows."""
    shown: list[str] = []
    if not hasattr(error, "error_dict"):
        return shown
    for field in ("number", "parties"):
        for single in error.error_dict.get(field, []):
            index = (single.params or {}).get("index")
            message = " ".join(single.messages)
            if field == "number" and index and index <= len(party_forms):
                party_forms[index - 1].add_error("number", message)
            else:
                shown.append(message)
    return shown


def _save_form(request, *, agreement: Agreement | None):
    """The create and edit pages: one form for the agreement, rows for its parties."""
    initial, parties_initial = None, None
    if agreement is not None:
        initial = {
            "kind": agreement.kind,
            "title": agreement.title,
            "signed_on": agreement.signed_on,
            "place": agreement.place,
            "valid_from": agreement.valid_from,
            "valid_until": agreement.valid_until,
            "scope": agreement.scope,
            "mission": agreement.mission_id,
        }
        parties_initial = [
            {
                "id": p.pk,
                "kind": p.kind,
                "name": p.name,
                "province": p.province_id,
                "number": p.number,
                "signatory": p.signatory,
                "signatory_title": p.signatory_title,
            }
            for p in agreement.parties.all()
        ]
    posted = request.method == "POST"
    form = AgreementForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=initial,
        missions=_missions(),
    )
    formset = party_formset(request.POST if posted else None, initial=parties_initial)
    version = request.POST.get("version") if posted else (agreement.version if agreement else None)
    party_errors: list[str] = []
    if posted and form.is_valid() and formset.is_valid():
        rows, used = party_rows(formset)
        data = dict(form.cleaned_data)
        document = data.pop("document")
        try:
            if agreement is None:
                saved = domain.agreement_create(
                    actor=request.user,
                    owner=request.province,
                    parties=rows,
                    document=document,
                    **data,
                )
                messages.success(request, _("The agreement has been recorded."))
            else:
                saved = domain.agreement_update(
                    actor=request.user,
                    agreement=agreement,
                    version=version,
                    parties=rows,
                    document=document,
                    **data,
                )
                messages.success(request, _("The agreement has been saved."))
        except ValidationError as error:
            if is_conflict(error):
                messages.error(request, error.messages[0])
                return redirect(
                    "province:agreement_edit", province=request.province.slug, pk=agreement.pk
                )
            party_errors = _put_party_errors(error, used)
            if hasattr(error, "error_dict"):
                rest = {k: v for k, v in error.error_dict.items() if k not in ("number", "parties")}
                if rest:
                    add_errors(form, ValidationError(rest))
            else:
                add_errors(form, error)
        else:
            return _redirect(request, saved)
    return TemplateResponse(
        request,
        "agreements/form.html",
        {
            "form": form,
            "formset": formset,
            "party_errors": party_errors,
            "agreement": agreement,
            "version": version,
        },
    )


@require_province_perm("agreements.create_agreement")
def agreement_create(request):
    return _save_form(request, agreement=None)


def agreement_edit(request, pk: int):
    agreement = _agreement_or_404(request, pk, CHANGE)
    if agreement.status == AgreementStatus.TERMINATED:
        messages.error(request, _("This agreement was terminated and can no longer be changed."))
        return _redirect(request, agreement)
    return _save_form(request, agreement=agreement)


def agreement_terminate(request, pk: int):
    agreement = _agreement_or_404(request, pk, CHANGE)
    if agreement.status == AgreementStatus.TERMINATED:
        messages.error(request, _("This agreement was already terminated."))
        return _redirect(request, agreement)
    form = TerminateForm(request.POST or None)
    version = request.POST.get("version", agreement.version)
    if request.method == "POST" and form.is_valid():
        try:
            domain.agreement_terminate(
                actor=request.user,
                agreement=agreement,
                version=version,
                reason=form.cleaned_data["reason"],
                terminated_on=form.cleaned_data["terminated_on"],
            )
        except ValidationError as error:
            if is_conflict(error):
                messages.error(request, error.messages[0])
                return _redirect(request, agreement)
            add_errors(form, error)
        else:
            messages.success(request, _("The agreement has been terminated."))
            return _redirect(request, agreement)
    return TemplateResponse(
        request,
        "agreements/terminate.html",
        {"agreement": agreement, "form": form, "version": version},
    )


# --- The agreement's page ----------------------------------------------------------------


def _detail(request, agreement: Agreement, *, item_form=None, note_forms=None, status=200):
    today = _today(request)
    can_update = request.user.has_perm(UPDATE_ITEMS, agreement)
    items = list(agreement.action_items.all())
    note_forms = note_forms or {}
    parties = AgreementParty.all_objects.filter(agreement=agreement).order_by("position", "id")
    rows = [
        {
            "item": item,
            "overdue": queries.is_overdue(item, today),
            "days_overdue": queries.days_overdue(item, today),
            "note_form": note_forms.get(item.pk) or (NoteForm(prefix=f"note-{item.pk}")),
        }
        for item in items
    ]
    return TemplateResponse(
        request,
        "agreements/detail.html",
        {
            "agreement": agreement,
            "validity": queries.validity(agreement, today),
            "labels": queries.VALIDITY_LABELS,
            "today": today,
            "rows": rows,
            "overdue_count": sum(1 for row in rows if row["overdue"]),
            "can_change": request.user.has_perm(CHANGE, agreement),
            "can_update": can_update and agreement.status == AgreementStatus.ACTIVE,
            "item_form": item_form or ActionItemForm(parties=parties, prefix="item"),
            "mission_visible": agreement.mission_id is not None
            and Mission.objects.filter(pk=agreement.mission_id).exists(),
        },
        status=status,
    )


@require_GET
def agreement_detail(request, pk: int):
    return _detail(request, _agreement_or_404(request, pk))


@require_GET
def agreement_document(request, pk: int):
    """The signed PDF, as an attachment, to whoever may read the agreement."""
    agreement = _agreement_or_404(request, pk)
    if not agreement.document:
        raise Http404("no document")
    try:
        handle = default_storage.open(agreement.document.name, "rb")
    except FileNotFoundError as error:
        raise Http404("document file missing") from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=agreement.document_name or "perjanjian.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def action_item_create(request, pk: int):
    agreement = _agreement_or_404(request, pk, UPDATE_ITEMS)
    parties = AgreementParty.all_objects.filter(agreement=agreement)
    form = ActionItemForm(request.POST, parties=parties, prefix="item")
    if form.is_valid():
        try:
            item = domain.action_item_create(
                actor=request.user, agreement=agreement, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The action item has been added."))
            return _redirect(request, agreement, f"item-{item.pk}")
    return _detail(request, agreement, item_form=form, status=422)


def action_item_edit(request, pk: int, item_id: int):
    agreement = _agreement_or_404(request, pk, UPDATE_ITEMS)
    item = _item_or_404(agreement, item_id)
    parties = AgreementParty.all_objects.filter(agreement=agreement)
    initial = {
        "title": item.title,
        "owner_party": item.owner_party_id,
        "owner_name": item.owner_name,
        "due_on": item.due_on,
        "status": item.status,
    }
    form = ActionItemForm(request.POST or None, initial=initial, parties=parties)
    version = request.POST.get("version", item.version)
    if request.method == "POST" and form.is_valid():
        try:
            domain.action_item_update(
                actor=request.user, item=item, version=version, **form.cleaned_data
            )
        except ValidationError as error:
            if is_conflict(error):
                messages.error(request, error.messages[0])
                return redirect(
                    "province:action_item_edit",
                    province=request.province.slug,
                    pk=agreement.pk,
                    item_id=item.pk,
                )
            add_errors(form, error)
        else:
            messages.success(request, _("The action item has been saved."))
            return _redirect(request, agreement, f"item-{item.pk}")
    return TemplateResponse(
        request,
        "agreements/item_form.html",
        {"agreement": agreement, "item": item, "form": form, "version": version},
    )


@require_POST
def action_item_note(request, pk: int, item_id: int):
    agreement = _agreement_or_404(request, pk, UPDATE_ITEMS)
    item = _item_or_404(agreement, item_id)
    form = NoteForm(request.POST, prefix=f"note-{item.pk}")
    if form.is_valid():
        try:
            domain.action_item_note_add(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The progress note has been added."))
            return _redirect(request, agreement, f"item-{item.pk}")
    return _detail(request, agreement, note_forms={item.pk: form}, status=422)
