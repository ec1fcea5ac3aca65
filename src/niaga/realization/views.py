"""Follow-up pages of a province space: the follow-up lists (province-wide and per
mission), a deal's realization page with its forms, the evidence download and
the follow-up settings.

Every view runs inside the province's scope (`core.scoping.province_patterns`):
a deal or mission the province neither organises nor hosts is not found
(404), as is a page the user has no right to. Writes go through
`niaga.realization.domain`; a refused form changes nothing and comes back
with each error on its field.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from niaga.accounts.models import Membership, User
from niaga.audit.domain import record
from niaga.audit.masking import mask_phone
from niaga.core.form_errors import add_errors
from niaga.core.money import format_rupiah
from niaga.core.scoping import require_province_perm
from niaga.missions.models import Deal, EntryKind, Mission
from niaga.realization import domain, followup
from niaga.realization.forms import (
    UNASSIGNED,
    AssignForm,
    ContactForm,
    EntryForm,
    FilterForm,
    MoveForm,
    ReverseForm,
    SettingsForm,
    VerifyForm,
)
from niaga.realization.models import (
    STAGE_ORDER,
    ContactLog,
    DealAssignment,
    DealEvent,
    LifecycleStage,
    RealizationEntry,
    RealizationEntryKind,
    RealizationKind,
    Verification,
    VerificationStatus,
)
from niaga.realization.rules import FOLLOW_UP_ROLES

PER_PAGE = 50
VIEW = "realization.view_realization"
RECORD = "realization.record_progress"
MANAGE = "realization.manage_follow_up"
VERIFY = "realization.verify"


def _mission_or_404(request, slug: str) -> Mission:
    mission = (
        Mission.objects.select_related("organiser", "host", "host_regency")
        .filter(slug=slug)
        .first()
    )
    if mission is None or not request.user.has_perm(VIEW, mission):
        raise Http404("no such mission in this province space")
    return mission


def follow_up_officers(province):
    """People who may be responsible for the province's deals, by name. One query."""
    ids = (
        Membership.objects.filter(province=province, role__in=FOLLOW_UP_ROLES)
        .values("user_id")
        .distinct()
    )
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "username")


# --- The follow-up lists -----------------------------------------------------------------


def _followup_page(request, *, missions: list[Mission], mission: Mission | None):
    province = request.province
    organiser = mission.organiser if mission else province
    officers = list(follow_up_officers(organiser))
    filters = FilterForm(
        request.GET or None, missions=missions, officers=officers, with_mission=mission is None
    )
    wanted = filters.values()
    chosen = missions
    if mission is None and wanted["mission"]:
        chosen = [m for m in missions if m.slug == wanted["mission"]]
    officer, unassigned = None, False
    if wanted["officer"] == UNASSIGNED:
        unassigned = True
    elif wanted["officer"]:
        officer = next((u for u in officers if str(u.pk) == wanted["officer"]), None)
    rows = followup.rows(
        chosen,
        only_stale=wanted["only_stale"],
        stage=wanted["stage"] or None,
        officer=officer,
        unassigned=unassigned,
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "realization/followup.html",
        {
            "mission": mission,
            "filters": filters,
            "page": page,
            "count": len(rows),
            "query": query.urlencode(),
            "only_stale": wanted["only_stale"],
            "stale_after_days": followup.stale_after_days(organiser),
            "can_configure": request.user.has_perm("realization.configure", province),
        },
    )


@require_GET
@require_province_perm("realization.view_followup")
def followup_list(request):
    return _followup_page(
        request, missions=followup.province_missions(request.province), mission=None
    )


@require_GET
@require_province_perm("realization.view_followup")
def mission_followup(request, slug: str):
    mission = _mission_or_404(request, slug)
    return _followup_page(request, missions=[mission], mission=mission)


# --- A deal's page ------------------------------------------------------------------------


@dataclass
class DealPage:
    """What the deal page shows, read in a fixed number of queries."""

    deal: Deal
    mission: Mission
    is_live: bool
    correction: Deal | None
    stage: str
    events: list[DealEvent]
    entries: list[RealizationEntry]
    findings: list[Verification]
    contacts: list[ContactLog]
    officer: User | None
    delivered_idr: int
    paid_idr: int

    @property
    def committed_idr(self) -> int:
        return self.deal.value_idr

    def _percent(self, value: int) -> int:
        if self.committed_idr <= 0:
            return 0
        return max(0, min(100, round(value * 100 / self.committed_idr)))

    @property
    def paid_percent(self) -> int:
        return self._percent(self.paid_idr)

    @property
    def delivered_percent(self) -> int:
        return self._percent(self.delivered_idr)

    @property
    def stage_label(self) -> str:
        return LifecycleStage(self.stage).label

    @property
    def verification(self) -> Verification | None:
        deal_level = [f for f in self.findings if f.entry_id is None]
        return deal_level[-1] if deal_level else None

    @property
    def stages(self) -> list[dict]:
        """The forward stages for the progress steps, with done/current flags."""
        current = STAGE_ORDER.get(self.stage, -1)
        return [
            {
                "value": value,
                "label": label,
                "done": STAGE_ORDER[value] < current,
                "current": value == self.stage,
            }
            for value, label in LifecycleStage.choices
            if value in STAGE_ORDER
        ]


def _deal_or_404(request, deal_id: int) -> Deal:
    deal = (
        Deal.objects.select_related(
            "mission__organiser",
            "mission__host",
            "seller__business__regency",
            "buyer__business__regency",
            "recorded_by",
        )
        .filter(pk=deal_id)
        .first()
    )
    if deal is None or not request.user.has_perm(VIEW, deal.mission):
        raise Http404("no such deal in this province space")
    return deal


def _read_page(deal: Deal) -> DealPage:
    later = list(
        Deal.objects.filter(corrects=deal).values_list("kind", "pk").order_by("recorded_at")
    )
    reversed_ = any(kind == EntryKind.REVERSAL for kind, _pk in later)
    correction_id = next((pk for kind, pk in later if kind == EntryKind.CORRECTION), None)
    is_live = deal.kind != EntryKind.REVERSAL and not reversed_
    events = list(DealEvent.objects.filter(deal=deal).select_related("recorded_by"))
    events.sort(key=lambda e: (e.recorded_at, e.pk))
    entries = list(
        RealizationEntry.objects.filter(deal=deal)
        .select_related("recorded_by")
        .order_by("occurred_on", "recorded_at", "id")
    )
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    for entry in entries:
        entry.is_reversed = entry.pk in reversed_ids
        entry.choice_label = " · ".join(
            [
                entry.get_kind_display(),
                entry.occurred_on.isoformat(),
                format_rupiah(entry.value_idr),
            ]
        )
    findings = list(
        Verification.objects.filter(deal=deal)
        .select_related("verified_by")
        .order_by("verified_at", "id")
    )
    by_entry: dict[int, Verification] = {}
    for finding in findings:
        if finding.entry_id:
            by_entry[finding.entry_id] = finding
    for entry in entries:
        entry.finding = by_entry.get(entry.pk)
    contacts = list(
        ContactLog.objects.filter(deal=deal)
        .select_related("recorded_by")
        .order_by("-contacted_on", "-recorded_at", "-id")
    )
    assignment = DealAssignment.objects.filter(deal=deal).select_related("officer").first()
    return DealPage(
        deal=deal,
        mission=deal.mission,
        is_live=is_live,
        correction=Deal.objects.filter(pk=correction_id).first() if correction_id else None,
        stage=events[-1].to_stage if events else deal.stage,
        events=events,
        entries=entries,
        findings=findings,
        contacts=contacts,
        officer=assignment.officer if assignment else None,
        delivered_idr=sum(e.value_idr for e in entries if e.kind == RealizationKind.DELIVERY),
        paid_idr=sum(e.value_idr for e in entries if e.kind == RealizationKind.PAYMENT),
    )


FORMS = ("move", "delivery", "payment", "reverse", "contact", "assign", "verify")


def _forms(request, data: DealPage, *, bound: dict | None = None) -> dict:
    bound = bound or {}
    today = domain.local_today(data.mission)
    verifiable = [e for e in data.entries if e.entry_kind == RealizationEntryKind.ORIGINAL]
    officers = follow_up_officers(data.mission.organiser)
    targets = domain.allowed_targets(data.stage)
    return {
        "move": bound.get("move")
        or MoveForm(
            prefix="move",
            current=data.stage,
            initial={"occurred_on": today, "to_stage": next(iter(targets), None)},
        ),
        "delivery": bound.get("delivery")
        or EntryForm(prefix="delivery", initial={"occurred_on": today}),
        "payment": bound.get("payment")
        or EntryForm(prefix="payment", initial={"occurred_on": today}),
        "reverse": bound.get("reverse") or ReverseForm(prefix="reverse"),
        "contact": bound.get("contact")
        or ContactForm(prefix="contact", initial={"contacted_on": today}),
        "assign": bound.get("assign")
        or AssignForm(
            prefix="assign",
            officers=officers,
            initial={"officer": data.officer.pk if data.officer else None},
        ),
        "verify": bound.get("verify") or VerifyForm(prefix="verify", entries=verifiable),
    }


def _render(request, data: DealPage, *, bound=None, reveal: bool = False, status: int = 200):
    user, mission = request.user, data.mission
    can_record = data.is_live and user.has_perm(RECORD, mission)
    seller, buyer = data.deal.seller.business, data.deal.buyer.business

    def phone(business):
        if not business.contact_phone:
            return ""
        return business.contact_phone if reveal else mask_phone(business.contact_phone)

    forms = _forms(request, data, bound=bound)
    can_reveal = user.has_perm(RECORD, mission) or user.has_perm(VERIFY, mission)
    return TemplateResponse(
        request,
        "realization/deal.html",
        {
            "page": data,
            "deal": data.deal,
            "mission": mission,
            "forms": forms,
            "entry_forms": [("delivery", forms["delivery"]), ("payment", forms["payment"])],
            "open_form": next(iter(bound)) if bound else "",
            "can_record": can_record,
            "show_reveal": can_reveal
            and not reveal
            and bool(seller.contact_phone or buyer.contact_phone),
            "can_assign": data.is_live and user.has_perm(MANAGE, mission),
            "can_verify": data.is_live and user.has_perm(VERIFY, mission),
            "can_move": can_record,
            "can_enter": can_record and data.stage != LifecycleStage.BATAL,
            "revealed": reveal,
            "seller_phone": phone(seller),
            "buyer_phone": phone(buyer),
            "stale_after_days": followup.stale_after_days(mission.organiser),
        },
        status=status,
    )


def _refused(request, data: DealPage, name: str, form) -> TemplateResponse:
    return _render(request, data, bound={name: form}, status=422)


def _done(request, deal: Deal, message: str, anchor: str = ""):
    messages.success(request, message)
    response = redirect(
        "province:deal_realization", province=request.province.slug, deal_id=deal.pk
    )
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _need(request, permission: str, mission: Mission, *, data: DealPage) -> None:
    if not request.user.has_perm(permission, mission) or not data.is_live:
        raise PermissionDenied(_("You cannot make this change on this deal."))


def deal_realization(request, deal_id: int):
    """GET: the deal's page. POST (`form` = one of FORMS, or `reveal`): one change."""
    deal = _deal_or_404(request, deal_id)
    data = _read_page(deal)
    if request.method != "POST":
        return _render(request, data)
    name = request.POST.get("form", "")
    mission = data.mission
    user = request.user
    if name == "reveal":
        if not (user.has_perm(RECORD, mission) or user.has_perm(VERIFY, mission)):
            raise PermissionDenied
        record(
            actor=user,
            action="realization.contact_phones.revealed",
            province=request.province,
            obj=deal,
            after={"seller": deal.seller.business_id, "buyer": deal.buyer.business_id},
        )
        return _render(request, data, reveal=True)
    if name not in FORMS:
        raise Http404("no such form")
    try:
        if name == "move":
            _need(request, RECORD, mission, data=data)
            form = MoveForm(request.POST, prefix="move", current=data.stage)
            if not form.is_valid():
                return _refused(request, data, name, form)
            domain.deal_move_stage(actor=user, deal=deal, **form.cleaned_data)
            return _done(request, deal, _("The new stage has been recorded."), "timeline")
        if name in ("delivery", "payment"):
            _need(request, RECORD, mission, data=data)
            form = EntryForm(request.POST, request.FILES, prefix=name)
            if not form.is_valid():
                return _refused(request, data, name, form)
            domain.realization_record(
                actor=user,
                deal=deal,
                kind=RealizationKind.DELIVERY if name == "delivery" else RealizationKind.PAYMENT,
                **form.cleaned_data,
            )
            message = (
                _("The delivery has been recorded.")
                if name == "delivery"
                else _("The payment has been recorded.")
            )
            return _done(request, deal, message, "entries")
        if name == "reverse":
            _need(request, RECORD, mission, data=data)
            form = ReverseForm(request.POST, prefix="reverse")
            if not form.is_valid():
                return _refused(request, data, name, form)
            entry = next((e for e in data.entries if e.pk == form.cleaned_data["entry"]), None)
            if entry is None:
                raise Http404("no such entry on this deal")
            domain.realization_reverse(actor=user, entry=entry, reason=form.cleaned_data["reason"])
            return _done(request, deal, _("The entry has been reversed."), "entries")
        if name == "contact":
            _need(request, RECORD, mission, data=data)
            form = ContactForm(request.POST, prefix="contact")
            if not form.is_valid():
                return _refused(request, data, name, form)
            domain.contact_record(actor=user, deal=deal, **form.cleaned_data)
            return _done(request, deal, _("The contact has been logged."), "contacts")
        if name == "assign":
            _need(request, MANAGE, mission, data=data)
            form = AssignForm(
                request.POST, prefix="assign", officers=follow_up_officers(mission.organiser)
            )
            if not form.is_valid():
                return _refused(request, data, name, form)
            domain.deal_assign(actor=user, deal=deal, officer=form.cleaned_data["officer"])
            return _done(request, deal, _("The responsible officer has been saved."))
        # verify
        _need(request, VERIFY, mission, data=data)
        verifiable = [e for e in data.entries if e.entry_kind == RealizationEntryKind.ORIGINAL]
        form = VerifyForm(request.POST, prefix="verify", entries=verifiable)
        if not form.is_valid():
            return _refused(request, data, name, form)
        target = form.cleaned_data["target"]
        entry = None if target == "deal" else next(e for e in verifiable if str(e.pk) == target)
        domain.verification_record(
            actor=user,
            deal=deal,
            entry=entry,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
        message = (
            _("The deal has been marked verified.")
            if form.cleaned_data["status"] == VerificationStatus.VERIFIED
            else _("The dispute has been recorded.")
        )
        return _done(request, deal, message, "findings")
    except ValidationError as error:
        add_errors(form, error)
        return _refused(request, _read_page(deal), name, form)


@require_GET
def realization_evidence(request, entry_id: int):
    """An entry's evidence file, as an attachment, to whoever may read the deal."""
    entry = RealizationEntry.objects.select_related("deal__mission").filter(pk=entry_id).first()
    if entry is None or not request.user.has_perm(VIEW, entry.deal.mission):
        raise Http404("no such entry in this province space")
    if not entry.evidence:
        raise Http404("no evidence file")
    try:
        handle = default_storage.open(entry.evidence.name, "rb")
    except FileNotFoundError as error:
        raise Http404("evidence file missing") from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=entry.evidence_name or "bukti",
        content_type=entry.evidence_content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Settings ---------------------------------------------------------------------------


@require_province_perm("realization.configure")
def followup_settings(request):
    province = request.province
    policy = followup.policy_of(province)
    form = SettingsForm(
        request.POST or None,
        initial={
            "stale_after_days": policy.stale_after_days,
            "send_email_reminders": policy.send_email_reminders,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            domain.followup_policy_set(actor=request.user, province=province, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The follow-up settings have been saved."))
            return redirect("province:followup", province=province.slug)
    return TemplateResponse(
        request,
        "realization/settings.html",
        {"form": form},
        status=422 if form.errors else 200,
    )
