"""Action items and their dated progress notes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from niaga.agreements.domain.common import (
    ITEM_FIELDS,
    Errors,
    check_length,
    clean_text,
    conflict_error,
    local_today,
)
from niaga.agreements.models import (
    ActionItem,
    ActionItemNote,
    ActionItemStatus,
    Agreement,
    AgreementParty,
    AgreementStatus,
)
from niaga.audit.domain import record, snapshot
from niaga.regions.models import Province

# --- Action items ------------------------------------------------------------------------


def _check_item(errors: Errors, data: dict, *, agreement: Agreement) -> dict:
    clean = {}
    title = clean_text(data.get("title"))
    if not title:
        errors.add("title", _("Action: say what is to be done."), "required")
    check_length(errors, "title", title, _("Action"))
    clean["title"] = title
    owner_party = data.get("owner_party")
    if owner_party is not None:
        party_id = getattr(owner_party, "pk", owner_party)
        owner_party = AgreementParty.all_objects.filter(pk=party_id, agreement=agreement).first()
        if owner_party is None:
            errors.add(
                "owner_party",
                _("Party responsible: choose one of this agreement's parties."),
                "owner_party",
            )
    clean["owner_party"] = owner_party
    owner_name = clean_text(data.get("owner_name")) or (owner_party.name if owner_party else "")
    if not owner_name:
        errors.add(
            "owner_name",
            _("Owner: name the office or person who does it."),
            "required",
        )
    check_length(errors, "owner_name", owner_name, _("Owner"))
    clean["owner_name"] = owner_name
    due_on = data.get("due_on") or None
    if due_on is not None and not isinstance(due_on, dt.date):
        errors.add("due_on", _("Due date: enter a date."), "invalid")
    clean["due_on"] = due_on
    status = clean_text(data.get("status")) or ActionItemStatus.OPEN
    if status not in ActionItemStatus.values:
        errors.add(
            "status",
            _("Status: choose one of: %(choices)s.")
            % {"choices": ", ".join(ActionItemStatus.values)},
            "choice",
        )
    clean["status"] = status
    return clean


def _refuse_terminated(agreement: Agreement) -> None:
    if agreement.status == AgreementStatus.TERMINATED:
        raise ValidationError(
            _("This agreement was terminated: its action items can no longer be changed."),
            code="terminated",
        )


def _set_done_on(item: ActionItem, status: str, day: dt.date) -> None:
    if status == ActionItemStatus.DONE:
        if item.status != ActionItemStatus.DONE or item.done_on is None:
            item.done_on = day
    else:
        item.done_on = None
    item.status = status


def action_item_create(
    *,
    actor,
    agreement: Agreement,
    title: str,
    owner_name: str = "",
    owner_party: AgreementParty | None = None,
    due_on: dt.date | None = None,
    status: str = ActionItemStatus.OPEN,
    now: dt.datetime | None = None,
) -> ActionItem:
    """Add what a party promised to do. `owner_name` defaults to the responsible
    party's name. Refused on a terminated agreement. Errors: ValidationError per
    field. Side effect: audit event `agreements.action_item.created`."""
    now = now or timezone.now()
    owner = Province.objects.get(pk=agreement.owner_id)
    _refuse_terminated(agreement)
    errors = Errors()
    clean = _check_item(
        errors,
        {
            "title": title,
            "owner_name": owner_name,
            "owner_party": owner_party,
            "due_on": due_on,
            "status": status,
        },
        agreement=agreement,
    )
    errors.raise_any()
    with transaction.atomic():
        item = ActionItem(agreement=agreement, **{k: v for k, v in clean.items() if k != "status"})
        _set_done_on(item, clean["status"], local_today(owner, now))
        item.save()
        record(
            actor=actor,
            action="agreements.action_item.created",
            province=owner,
            obj=item,
            after={"agreement": agreement.pk, **snapshot(item, ITEM_FIELDS)},
        )
    return item


def action_item_update(
    *,
    actor,
    item: ActionItem,
    version: int,
    now: dt.datetime | None = None,
    **changes,
) -> ActionItem:
    """Change an action item's title, owner (name or party), due date or status.

    `done` sets `done_on` to today (kept if already done); any other status
    clears it. `version` as read by the editor: a stale one is a conflict.
    Side effects: version + 1, audit event `agreements.action_item.changed`.
    """
    unknown = set(changes) - {"title", "owner_name", "owner_party", "due_on", "status"}
    if unknown:
        raise ValueError(f"not action item fields: {', '.join(sorted(unknown))}")
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked_item(item, version)
        agreement = Agreement.all_objects.select_related("owner").get(pk=current.agreement_id)
        _refuse_terminated(agreement)
        before = snapshot(current, ITEM_FIELDS)
        data = {
            name: getattr(current, name) for name in ("title", "owner_name", "due_on", "status")
        }
        data["owner_party"] = current.owner_party_id
        if changes.get("owner_party") is not None and "owner_name" not in changes:
            data["owner_name"] = ""  # follows the newly responsible party
        data.update(changes)
        errors = Errors()
        clean = _check_item(errors, data, agreement=agreement)
        errors.raise_any()
        for name in ("title", "owner_name", "owner_party", "due_on"):
            setattr(current, name, clean[name])
        _set_done_on(current, clean["status"], local_today(agreement.owner, now))
        after = snapshot(current, ITEM_FIELDS)
        if after == before:
            return current
        current.version += 1
        current.save()
        changed = [k for k in after if before[k] != after[k]]
        record(
            actor=actor,
            action="agreements.action_item.changed",
            province=agreement.owner,
            obj=current,
            before={**{k: before[k] for k in changed}, "version": current.version - 1},
            after={**{k: after[k] for k in changed}, "version": current.version},
        )
    return current


def _locked_item(item: ActionItem, version) -> ActionItem:
    current = ActionItem.all_objects.select_for_update().get(pk=item.pk)
    if version is not None:
        try:
            read = int(version)
        except (TypeError, ValueError):
            read = None
        if read != current.version:
            raise conflict_error()
    return current


def action_item_note_add(
    *,
    actor,
    item: ActionItem,
    text: str,
    written_on: dt.date | None = None,
    status: str = "",
    now: dt.datetime | None = None,
) -> ActionItemNote:
    """Add a dated progress note; optionally move the item to `status` with it.

    `written_on` defaults to today and may not be in the future. A note is
    never edited. With `done`, the item's `done_on` becomes the note's date.
    Notes are added without a version check (they never overwrite anything);
    the status change is applied to the item as it is now. Errors:
    ValidationError per field; refused on a terminated agreement. Side
    effects: audit events `agreements.action_item_note.added` (and the
    item's version + 1 when its status changes).
    """
    now = now or timezone.now()
    text = clean_text(text)
    status = clean_text(status)
    with transaction.atomic():
        current = _locked_item(item, None)
        agreement = Agreement.all_objects.select_related("owner").get(pk=current.agreement_id)
        _refuse_terminated(agreement)
        today = local_today(agreement.owner, now)
        written_on = written_on or today
        errors = Errors()
        if not text:
            errors.add("text", _("Progress: write what happened."), "required")
        if not isinstance(written_on, dt.date):
            errors.add("written_on", _("Date: enter a date."), "invalid")
        elif written_on > today:
            errors.add("written_on", _("Date: the date may not be in the future."), "future")
        if status and status not in ActionItemStatus.values:
            errors.add(
                "status",
                _("Status: choose one of: %(choices)s.")
                % {"choices": ", ".join(ActionItemStatus.values)},
                "choice",
            )
        errors.raise_any()
        note = ActionItemNote.all_objects.create(
            item=current,
            written_on=written_on,
            text=text,
            status_after=status if status and status != current.status else "",
            written_by=actor,
            written_at=now,
        )
        if note.status_after:
            before = {"status": current.status, "done_on": current.done_on}
            _set_done_on(current, status, written_on)
            current.version += 1
            current.save(update_fields=["status", "done_on", "version"])
            after = {"status": current.status, "done_on": current.done_on}
        else:
            before = after = None
        record(
            actor=actor,
            action="agreements.action_item_note.added",
            province=agreement.owner,
            obj=current,
            before=before,
            after={"note": note.pk, "written_on": written_on, "text": text, **(after or {})},
        )
    return note
