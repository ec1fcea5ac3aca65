"""Every change to missions, their businesses and participants. Views, imports and
commands call only these. The ledger's own changes live in `ledger` and are
re-exported here, so `domain.deal_record` is the one name callers use.
"""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from niaga.audit.domain import record, snapshot
from niaga.missions.ledger import (  # noqa: F401 - the ledger's changes, under one roof
    CONFIRM_ABOVE_IDR,
    CORRECTION_KEY_SUFFIX,
    MAX_VALUE_IDR,
    DealInput,
    IdempotencyConflict,
    LedgerBusy,
    _scoped,
    deal_correct,
    deal_record,
    snapshot_announce,
)
from niaga.missions.models import LedgerState, Mission, MissionStatus, Participant, Side

# --- Missions, businesses and participants ---------------------------------------

MISSION_FIELDS = [
    "slug",
    "name",
    "organiser",
    "host",
    "host_regency",
    "venue",
    "opens_at",
    "closes_at",
    "status",
    "is_public",
]
BUSINESS_FIELDS = [
    "name",
    "province",
    "regency",
    "address",
    "sector",
    "commodities",
    "contact_name",
    "contact_phone",
    "nib",
]


def mission_create(*, actor, organiser, **fields) -> Mission:
    """Create a planned mission of `organiser` with its (empty) ledger.

    `fields` are Mission fields (slug, name, host, host_regency, venue, opens_at,
    closes_at, is_public). Errors: ValidationError naming the field.
    """
    mission = Mission(organiser=organiser, status=MissionStatus.PLANNED, **fields)
    with scopes_disabled():  # slugs are unique across all provinces: they name API URLs
        mission.full_clean()
    if mission.host_regency.province_id != mission.host_id:
        raise ValidationError({"host_regency": _("The regency is not in the host province.")})
    with scope(province=organiser), transaction.atomic():
        mission.save()
        LedgerState.objects.create(mission=mission)
        record(
            actor=actor,
            action="missions.mission.created",
            province=organiser,
            obj=mission,
            after=snapshot(mission, MISSION_FIELDS),
        )
    return mission


EDITABLE_MISSION_FIELDS = ["name", "host_regency", "venue", "opens_at", "closes_at", "is_public"]


def mission_fingerprint(mission: Mission) -> str:
    """What an edit form was opened on; a different value at saving time means that
    someone else changed the mission meanwhile."""
    data = json.dumps(snapshot(mission, EDITABLE_MISSION_FIELDS), sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def mission_update(*, actor, mission: Mission, expected: str, **changes) -> Mission:
    """Change a mission's name, host regency/city, venue, times or public flag.

    The slug (it names the board and API addresses) and the two provinces stay as
    created. `expected` is the `mission_fingerprint` the editor started from; if the
    mission changed since, nothing is written and ValidationError(code="conflict")
    says so. Errors name the field otherwise.
    """
    unknown = set(changes) - set(EDITABLE_MISSION_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    with _scoped(mission), transaction.atomic():
        current = Mission.objects.select_for_update().get(pk=mission.pk)
        if mission_fingerprint(current) != expected:
            raise ValidationError(
                _(
                    "Someone else changed this mission while you were editing it. "
                    "Nothing was saved; the form now shows their version."
                ),
                code="conflict",
            )
        before = snapshot(current, EDITABLE_MISSION_FIELDS)
        for name, value in changes.items():
            setattr(current, name, value)
        with scopes_disabled():
            current.full_clean()
        if current.host_regency.province_id != current.host_id:
            raise ValidationError({"host_regency": _("The regency is not in the host province.")})
        current.save(update_fields=list(changes))
        record(
            actor=actor,
            action="missions.mission.changed",
            province=mission.organiser,
            obj=current,
            before=before,
            after=snapshot(current, EDITABLE_MISSION_FIELDS),
        )
    return current


_TRANSITIONS = {
    (MissionStatus.PLANNED, MissionStatus.OPEN): "missions.mission.opened",
    (MissionStatus.OPEN, MissionStatus.CLOSED): "missions.mission.closed",
    (MissionStatus.CLOSED, MissionStatus.OPEN): "missions.mission.reopened",
}


def mission_set_status(*, actor, mission: Mission, status: str) -> None:
    """Open, close or reopen a mission (planned → open → closed; closed → open)."""
    action = _TRANSITIONS.get((mission.status, status))
    if action is None:
        raise ValidationError(
            {
                "status": _("A mission cannot go from %(old)s to %(new)s.")
                % {"old": mission.get_status_display(), "new": MissionStatus(status).label}
            }
        )
    with _scoped(mission), transaction.atomic():
        before = {"status": mission.status}
        Mission.objects.filter(pk=mission.pk).update(status=status)
        mission.status = status
        record(
            actor=actor,
            action=action,
            province=mission.organiser,
            obj=mission,
            before=before,
            after={"status": status},
        )


def business_create(*, actor, owner, **fields):
    """Register a business in `owner`'s space. Errors: ValidationError naming the field."""
    from niaga.missions.models import Business

    business = Business(owner=owner, **fields)
    with scope(province=owner):
        business.full_clean()
    if business.regency.province_id != business.province_id:
        raise ValidationError({"regency": _("The regency is not in the chosen province.")})
    with scope(province=owner), transaction.atomic():
        business.save()
        record(
            actor=actor,
            action="missions.business.created",
            province=owner,
            obj=business,
            after=snapshot(business, BUSINESS_FIELDS),
        )
    return business


def participant_add(*, actor, mission: Mission, business, side: str) -> Participant:
    """Add a business to a mission on one side. A business takes part once."""
    if side not in Side.values:
        raise ValidationError({"side": _("Choose the organiser's delegation or the host side.")})
    if business.owner_id != mission.organiser_id:
        raise ValidationError({"business": _("The business is not registered in this space.")})
    with _scoped(mission), transaction.atomic():
        if Participant.objects.filter(mission=mission, business=business).exists():
            raise ValidationError(
                {"business": _("%(name)s already takes part.") % {"name": business}}
            )
        participant = Participant.objects.create(mission=mission, business=business, side=side)
        record(
            actor=actor,
            action="missions.participant.added",
            province=mission.organiser,
            obj=participant,
            after={"business": business.pk, "side": side},
        )
    return participant


def participants_import(*, actor, mission: Mission, rows: list[dict]) -> int:
    """Add every row of a checked participant list (see `imports.read_participants`), or none.

    A business already registered in the organiser's space under the same name
    and regency is reused. Errors: ValidationError listing the rows whose
    business already takes part; nothing is saved then.
    """
    from django.db.models.functions import Lower

    from niaga.missions.models import Business

    with _scoped(mission), transaction.atomic():
        names = {(row["name"].lower(), row["regency"].code) for row in rows}
        existing = {
            (b.lower_name, b.regency_id): b
            for b in Business.objects.filter(owner=mission.organiser)
            .annotate(lower_name=Lower("name"))
            .filter(lower_name__in=[n for n, _code in names])
        }
        taken = set(
            Participant.objects.filter(mission=mission).values_list("business_id", flat=True)
        )
        clashes = [
            _("Line %(line)s: %(name)s already takes part.") % row
            for row in rows
            if (b := existing.get((row["name"].lower(), row["regency"].code))) and b.pk in taken
        ]
        if clashes:
            raise ValidationError(clashes)
        for row in rows:
            business = existing.get((row["name"].lower(), row["regency"].code))
            if business is None:
                business = Business(
                    owner=mission.organiser,
                    name=row["name"],
                    province=row["province"],
                    regency=row["regency"],
                    sector=row["sector"],
                    address=row["address"],
                    commodities=row["commodities"],
                    contact_name=row["contact_name"],
                    contact_phone=row["contact_phone"],
                    nib=row["nib"],
                )
                business.full_clean()
                business.save()
            Participant.objects.create(mission=mission, business=business, side=row["side"])
        record(
            actor=actor,
            action="missions.participants.imported",
            province=mission.organiser,
            obj=mission,
            after={"rows": len(rows)},
        )
    return len(rows)
