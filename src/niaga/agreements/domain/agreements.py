"""Recording, changing and terminating agreements with their parties."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from niaga.agreements.domain.common import (
    AGREEMENT_FIELDS,
    LIMITS,
    MAX_PARTIES,
    MIN_PARTIES,
    PARTY_FIELDS,
    Errors,
    IdempotencyConflict,
    check_length,
    clean_text,
    conflict_error,
    local_today,
)
from niaga.agreements.domain.documents import (
    check_document,
    delete_document,
    saving,
    store_document,
)
from niaga.agreements.models import (
    ActionItem,
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    PartyKind,
)
from niaga.audit.domain import record, snapshot
from niaga.regions.models import Province

# --- Checking an agreement and its parties -------------------------------------------


@dataclass
class _Party:
    index: int
    id: int | None
    kind: str
    name: str
    province: Province | None
    business: Any
    number: str
    signatory: str
    signatory_title: str

    def fields(self) -> dict:
        return {
            "kind": self.kind,
            "name": self.name,
            "province": self.province,
            "business": self.business,
            "number": self.number,
            "signatory": self.signatory,
            "signatory_title": self.signatory_title,
        }


def _check_agreement(errors: Errors, data: dict, *, owner: Province, now: dt.datetime) -> dict:
    clean = {}
    kind = clean_text(data.get("kind"))
    if kind not in AgreementKind.values:
        errors.add("kind", _("Kind: choose MoU or PKS."), "choice")
    clean["kind"] = kind
    title = clean_text(data.get("title"))
    if not title:
        errors.add("title", _("Title: enter the agreement's title."), "required")
    check_length(errors, "title", title, _("Title"))
    clean["title"] = title
    place = clean_text(data.get("place"))
    check_length(errors, "place", place, _("Place signed"))
    clean["place"] = place
    clean["scope"] = clean_text(data.get("scope"))

    today = local_today(owner, now)
    signed_on = data.get("signed_on")
    if not isinstance(signed_on, dt.date):
        errors.add(
            "signed_on", _("Date signed: enter the date the agreement was signed."), "required"
        )
    elif signed_on > today:
        errors.add(
            "signed_on",
            _("Date signed: the date may not be in the future (today is %(today)s).")
            % {"today": today.isoformat()},
            "future",
        )
    clean["signed_on"] = signed_on
    valid_from = data.get("valid_from") or (signed_on if isinstance(signed_on, dt.date) else None)
    if not isinstance(valid_from, dt.date):
        errors.add("valid_from", _("Valid from: enter the first day of validity."), "required")
    clean["valid_from"] = valid_from
    valid_until = data.get("valid_until") or None
    if valid_until is not None and not isinstance(valid_until, dt.date):
        errors.add("valid_until", _("Valid until: enter a date."), "invalid")
    elif valid_until and isinstance(valid_from, dt.date) and valid_until < valid_from:
        errors.add(
            "valid_until",
            _("Valid until: the validity may not end before it begins (%(start)s).")
            % {"start": valid_from.isoformat()},
            "valid_period",
        )
    clean["valid_until"] = valid_until

    mission = data.get("mission")
    if mission is not None:
        from niaga.missions.models import Mission

        with scope(province=owner):
            visible = Mission.objects.filter(pk=getattr(mission, "pk", mission)).first()
        if visible is None:
            errors.add(
                "mission",
                _("Mission: choose a mission that your province organised or hosted."),
                "mission_scope",
            )
        mission = visible
    clean["mission"] = mission
    return clean


def _visible_business(business_id, *, owner: Province, mission):
    """A business of the recording province's space, or one taking part in the
    agreement's mission (registered in the other province's space)."""
    from niaga.missions.models import Business, Participant

    with scope(province=owner):
        found = Business.objects.filter(pk=business_id).first()
        if found is None and mission is not None:
            taking_part = Participant.objects.filter(mission=mission, business_id=business_id)
            if taking_part.exists():
                with scopes_disabled():
                    found = Business.objects.filter(pk=business_id).first()
    return found


def _check_parties(
    errors: Errors, rows: list[dict], *, owner: Province, mission, agreement_pk: int | None
) -> list[_Party]:
    """Each party's fields; then at least two distinct parties, and numbers free."""
    parties: list[_Party] = []
    if not isinstance(rows, list):
        rows = []
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors.add("parties", _("Party %(n)s: not a party.") % {"n": index}, "invalid")
            continue
        kind = clean_text(row.get("kind")) or PartyKind.OFFICE
        if kind not in PartyKind.values:
            errors.add(
                "parties",
                _("Party %(n)s: choose the kind of party.") % {"n": index},
                "choice",
            )
        province = row.get("province")
        if province is not None and not isinstance(province, Province):
            code = clean_text(province)
            province = (
                Province.objects.filter(code=code).first()
                or Province.objects.filter(slug=code).first()
            )
            if province is None:
                errors.add(
                    "parties",
                    _("Party %(n)s: no province %(code)s.") % {"n": index, "code": code},
                    "province",
                )
        business = row.get("business")
        if business is not None:
            found = _visible_business(
                getattr(business, "pk", business), owner=owner, mission=mission
            )
            if found is None:
                errors.add(
                    "parties",
                    _(
                        "Party %(n)s: choose a business registered in your province's space "
                        "or taking part in the mission."
                    )
                    % {"n": index},
                    "business_scope",
                )
            business = found
        name = clean_text(row.get("name")) or (business.name if business is not None else "")
        if not name:
            errors.add(
                "parties",
                _("Party %(n)s: enter the name of the government, office or business.")
                % {"n": index},
                "required",
            )
        party = _Party(
            index=index,
            id=row.get("id") or None,
            kind=kind,
            name=name,
            province=province,
            business=business,
            number=clean_text(row.get("number")),
            signatory=clean_text(row.get("signatory")),
            signatory_title=clean_text(row.get("signatory_title")),
        )
        for field, label in (
            ("name", _("party")),
            ("number", _("official number")),
            ("signatory", _("signed by")),
            ("signatory_title", _("position")),
        ):
            value = getattr(party, field)
            if len(value) > LIMITS[field]:
                errors.add(
                    "parties",
                    _("Party %(n)s, %(label)s: at most %(limit)s characters.")
                    % {"n": index, "label": label, "limit": LIMITS[field]},
                    "max_length",
                )
        parties.append(party)

    if len(parties) < MIN_PARTIES:
        errors.add(
            "parties",
            _("Parties: an agreement has at least two parties; %(count)s given.")
            % {"count": len(parties)},
            "parties_min",
        )
    elif len(parties) > MAX_PARTIES:
        errors.add(
            "parties",
            _("Parties: at most %(limit)s parties.") % {"limit": MAX_PARTIES},
            "parties_max",
        )
    seen: set[str] = set()
    for party in parties:
        key = party.name.lower()
        if key and key in seen:
            errors.add(
                "parties",
                _("Parties: %(name)s is listed twice.") % {"name": party.name},
                "party_duplicate",
            )
        seen.add(key)
    _check_numbers(errors, parties, agreement_pk=agreement_pk)
    return parties


def _number_taken(party_name: str, number: str, index: int) -> ValidationError:
    # The party's name and the number are parameters, never part of the format
    # string: a name with a "%" in it must not break the message.
    return ValidationError(
        _("%(party)s already has an agreement numbered %(number)s; each party's number is unique."),
        code="number_taken",
        params={"party": party_name, "number": number, "index": index},
    )


def _check_numbers(errors: Errors, parties: list[_Party], *, agreement_pk: int | None) -> None:
    numbered = [p for p in parties if p.number and p.name]
    if not numbered:
        return
    taken = AgreementParty.all_objects.annotate(lower_name=Lower("name")).filter(
        lower_name__in=[p.name.lower() for p in numbered],
        number__in=[p.number for p in numbered],
    )
    if agreement_pk is not None:
        taken = taken.exclude(agreement_id=agreement_pk)
    pairs = set(taken.values_list("lower_name", "number"))
    for party in numbered:
        if (party.name.lower(), party.number) in pairs:
            errors.by_field.setdefault("number", []).append(
                _number_taken(party.name, party.number, party.index)
            )


def _numbers_race(parties: list[_Party], agreement_pk: int | None):
    """After an IntegrityError: the field error the pre-check would have given."""
    errors = Errors()
    _check_numbers(errors, parties, agreement_pk=agreement_pk)
    errors.raise_any()


def _party_snapshot(agreement: Agreement) -> list[dict]:
    return [snapshot(p, PARTY_FIELDS) for p in agreement.parties.all().order_by("position", "id")]


def _agreement_snapshot(agreement: Agreement) -> dict:
    return {
        **snapshot(agreement, AGREEMENT_FIELDS),
        "status": agreement.status,
        "parties": _party_snapshot(agreement),
        "document": agreement.document_name,
    }


# --- Agreements ----------------------------------------------------------------------


def _fingerprint(fields: dict, parties: list[dict]) -> str:
    def plain(value):
        if hasattr(value, "pk"):
            return value.pk
        return value

    data = {
        "fields": {k: plain(v) for k, v in sorted(fields.items())},
        "parties": [{k: plain(v) for k, v in sorted(p.items())} for p in parties],
    }
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(owner: Province, key: str, fingerprint: str) -> Agreement | None:
    existing = Agreement.all_objects.filter(owner=owner, idempotency_key=key).first()
    if existing is not None and existing.request_hash != fingerprint:
        raise IdempotencyConflict(existing)
    return existing


def _check_key(key: str) -> str:
    key = (key or "").strip()
    if not 8 <= len(key) <= 80 or not key.isprintable():
        raise ValidationError(
            {
                "idempotency_key": ValidationError(
                    _("The idempotency key must be 8 to 80 printable characters."),
                    code="idempotency_key",
                )
            }
        )
    return key


def agreement_create(
    *,
    actor,
    owner: Province,
    parties: list[dict],
    document=None,
    key: str = "",
    now: dt.datetime | None = None,
    **fields,
) -> Agreement:
    """Record an agreement in `owner`'s space with its parties (and signed PDF).

    `fields`: kind, title, signed_on, place, valid_from (default signed_on),
    valid_until, scope, mission. `parties`: dicts of kind, name, province,
    business, number, signatory, signatory_title, in signing order. `document`:
    an upload, checked by `check_document`. `key` (optional) is an API
    client's idempotency key: see `agreement_create_once`.
    Errors: ValidationError per field (every bad field at once); `number`
    (code `number_taken`, naming the party) when a party already used that
    number. Side effects: the file under private/agreements/, audit event
    `agreements.agreement.created`.
    """
    agreement, _created = _create(
        actor=actor, owner=owner, parties=parties, document=document, key=key, now=now, **fields
    )
    return agreement


def agreement_create_once(
    *, actor, owner: Province, key: str, parties: list[dict], now=None, **fields
) -> tuple[Agreement, bool]:
    """`agreement_create` exactly once per (owner, idempotency key).

    Returns (agreement, created). The same key with the same fields and
    parties returns the first agreement and writes nothing; the same key with
    anything else raises IdempotencyConflict.
    """
    key = _check_key(key)
    return _create(actor=actor, owner=owner, parties=parties, key=key, now=now, **fields)


def _create(*, actor, owner, parties, document=None, key="", now=None, **fields):
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValueError(f"not agreement fields: {', '.join(sorted(unknown))}")
    now = now or timezone.now()
    fingerprint = _fingerprint(fields, parties) if key else ""
    if key:
        existing = _replay(owner, key, fingerprint)
        if existing is not None:
            return existing, False
    errors = Errors()
    clean = _check_agreement(errors, fields, owner=owner, now=now)
    checked_parties = _check_parties(
        errors, parties, owner=owner, mission=clean["mission"], agreement_pk=None
    )
    checked = None
    if document:
        try:
            checked = check_document(document)
        except ValidationError as error:
            errors.by_field.setdefault("document", []).extend(error.error_dict["document"])
    errors.raise_any()

    try:
        with saving() as saved, transaction.atomic():
            agreement = Agreement(
                owner=owner,
                created_by=actor,
                idempotency_key=key,
                request_hash=fingerprint,
                **clean,
            )
            if checked is not None:
                store_document(saved, agreement, checked)
            agreement.save()
            for position, party in enumerate(checked_parties):
                AgreementParty.all_objects.create(
                    agreement=agreement, position=position, **party.fields()
                )
            record(
                actor=actor,
                action="agreements.agreement.created",
                province=owner,
                obj=agreement,
                after=_agreement_snapshot(agreement),
            )
    except IntegrityError:
        if key:
            existing = _replay(owner, key, fingerprint)
            if existing is not None:
                return existing, False
        _numbers_race(checked_parties, None)
        raise
    return agreement, True


def _locked(agreement: Agreement, version) -> Agreement:
    current = Agreement.all_objects.select_for_update().get(pk=agreement.pk)
    try:
        read = int(version)
    except (TypeError, ValueError):
        read = None
    if read != current.version:
        raise conflict_error()
    return current


def agreement_update(
    *,
    actor,
    agreement: Agreement,
    version: int,
    parties: list[dict] | None = None,
    document=None,
    now: dt.datetime | None = None,
    **changes,
) -> Agreement:
    """Change an agreement's fields, parties or signed document.

    `version` is the one the editor read: if the agreement changed since,
    ValidationError(code="conflict") and nothing is written. `parties`, when
    given, is the whole new list: a dict with the `id` of an existing party
    changes it, one without adds a party, an existing party left out is
    removed (refused, code `party_in_use`, while an action item names it).
    A terminated agreement cannot be changed (code `terminated`). The same
    checks as `agreement_create`. Side effects: version + 1, a replaced
    document's old file is deleted after the commit, audit event
    `agreements.agreement.changed` with the fields before and after.
    """
    unknown = set(changes) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValueError(f"not agreement fields: {', '.join(sorted(unknown))}")
    now = now or timezone.now()
    owner = Province.objects.get(pk=agreement.owner_id)
    old_file = ""
    with saving() as saved, transaction.atomic():
        current = _locked(agreement, version)
        if current.status == AgreementStatus.TERMINATED:
            raise ValidationError(
                _("This agreement was terminated and can no longer be changed."),
                code="terminated",
            )
        before = _agreement_snapshot(current)
        data = {name: getattr(current, name) for name in AGREEMENT_FIELDS}
        data.update(changes)
        errors = Errors()
        clean = _check_agreement(errors, data, owner=owner, now=now)
        existing = {p.pk: p for p in current.parties.all()}
        if parties is None:
            parties = [
                {"id": p.pk, **{f: getattr(p, f) for f in PARTY_FIELDS}}
                for p in sorted(existing.values(), key=lambda p: (p.position, p.pk))
            ]
        checked_parties = _check_parties(
            errors, parties, owner=owner, mission=clean["mission"], agreement_pk=current.pk
        )
        kept = {p.id for p in checked_parties if p.id}
        for party in checked_parties:
            if party.id and party.id not in existing:
                errors.add(
                    "parties",
                    _("Party %(n)s: not a party of this agreement.") % {"n": party.index},
                    "invalid",
                )
        removed = [pk for pk in existing if pk not in kept]
        in_use = set(
            ActionItem.all_objects.filter(owner_party_id__in=removed).values_list(
                "owner_party_id", flat=True
            )
        )
        for pk in in_use:
            errors.add(
                "parties",
                _("%(name)s is responsible for an action item and cannot be removed.")
                % {"name": existing[pk].name},
                "party_in_use",
            )
        checked = None
        if document:
            try:
                checked = check_document(document)
            except ValidationError as error:
                errors.by_field.setdefault("document", []).extend(error.error_dict["document"])
        errors.raise_any()

        for name, value in clean.items():
            setattr(current, name, value)
        if checked is not None:
            old_file = current.document.name
            store_document(saved, current, checked)
        current.version += 1
        current.save()
        try:
            with transaction.atomic():
                AgreementParty.all_objects.filter(pk__in=removed).delete()
                for position, party in enumerate(checked_parties):
                    if party.id:
                        AgreementParty.all_objects.filter(pk=party.id).update(
                            position=position, **party.fields()
                        )
                    else:
                        AgreementParty.all_objects.create(
                            agreement=current, position=position, **party.fields()
                        )
        except IntegrityError:
            _numbers_race(checked_parties, current.pk)
            raise
        after = _agreement_snapshot(current)
        changed = [k for k in after if before.get(k) != after[k]]
        record(
            actor=actor,
            action="agreements.agreement.changed",
            province=owner,
            obj=current,
            before={**{k: before[k] for k in changed}, "version": current.version - 1},
            after={**{k: after[k] for k in changed}, "version": current.version},
        )
        if old_file:
            transaction.on_commit(lambda: delete_document(old_file))
    return current


def agreement_terminate(
    *,
    actor,
    agreement: Agreement,
    version: int,
    reason: str,
    terminated_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Agreement:
    """End an agreement in force before (or at) its validity's end.

    `reason` is required; `terminated_on` defaults to today and may not be in
    the future nor before the signing date. Open action items stay as they
    are (their history matters). Errors: conflict on a stale version,
    `terminated` when already terminated, per-field errors. Side effects:
    version + 1, audit event `agreements.agreement.terminated`.
    """
    now = now or timezone.now()
    owner = Province.objects.get(pk=agreement.owner_id)
    today = local_today(owner, now)
    terminated_on = terminated_on or today
    reason = clean_text(reason)
    with transaction.atomic():
        current = _locked(agreement, version)
        if current.status == AgreementStatus.TERMINATED:
            raise ValidationError(_("This agreement was already terminated."), code="terminated")
        errors = Errors()
        if not reason:
            errors.add("reason", _("Reason: say why the agreement ends."), "required")
        if terminated_on > today:
            errors.add(
                "terminated_on",
                _("Terminated on: the date may not be in the future."),
                "future",
            )
        elif terminated_on < current.signed_on:
            errors.add(
                "terminated_on",
                _("Terminated on: the date may not be before the agreement was signed."),
                "before_signing",
            )
        errors.raise_any()
        current.status = AgreementStatus.TERMINATED
        current.terminated_on = terminated_on
        current.termination_reason = reason
        current.version += 1
        current.save(update_fields=["status", "terminated_on", "termination_reason", "version"])
        record(
            actor=actor,
            action="agreements.agreement.terminated",
            province=owner,
            obj=current,
            before={"status": AgreementStatus.ACTIVE, "version": current.version - 1},
            after={
                "status": current.status,
                "terminated_on": terminated_on,
                "reason": reason,
                "version": current.version,
            },
        )
    return current
