"""Every write about support records: grants (money), assistance by aspect, evidence files.

Each function checks the actor's permission (`programs.record_support` in the
program's province; an actor of None is the system itself: demo loading and
commands; anyone else without it gets PermissionDenied), validates all of its
input first (evidence files included), then writes inside one transaction and
records an audit event `programs.<entity>.<verb>` in it. Bad input raises
`ValidationError` keyed by the model field name (`evidence_files` for uploads),
each error with a code, and changes nothing. Every function opens the
province scope of the program it is given.

Grants are money, so they are append-only (architecture rule 4): a wrong
grant is never edited or deleted; `grant_reverse` records a new entry with
the negative amount, the same recipient and the same date, linked to the
original (`reverses`) with the reason. Totals are then plain sums, exact per
pesantren, regency and year, and both entries stay on record. A grant is
reversed at most once (`reverses` is one-to-one, and the original is locked
before the check), and a reversal is never reversed: the wrong grant is
recorded again instead.

Assistance is not money: it may be corrected (`assistance_update`, with a
fingerprint of what the editor read, so two officers editing at once see a
conflict) or deleted with a reason (`assistance_delete`); both are audited
with the values before and after.

Evidence files are checked (`niaga.programs.evidence`) before anything is
written, then saved to private storage inside the transaction. If the write
fails, the files saved so far are deleted before the error goes up, so a
failed write leaves no file behind. Files of a deleted assistance are deleted
only once the deletion is committed (`transaction.on_commit`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from niaga.audit import domain as audit
from niaga.audit.domain import snapshot
from niaga.core.money import MoneyError, format_rupiah, parse_rupiah
from niaga.programs import evidence as evidence_files_module
from niaga.programs.domain.checks import (
    Errors,
    apply_changes,
    clean_choice,
    clean_past_date,
    clean_text,
    conflict_error,
    locked,
    province_of,
    reject_unknown,
    require,
)
from niaga.programs.models import (
    Assistance,
    FundSource,
    Grant,
    Program,
    SupportAspect,
    SupportEvidence,
)
from niaga.regions.models import Province
from niaga.registry.models import Cooperative, Pesantren

RECORD_SUPPORT = "programs.record_support"
GRANT_FIELDS = [
    "program",
    "pesantren",
    "cooperative",
    "amount_idr",
    "granted_on",
    "purpose",
    "source",
    "source_detail",
]
ASSISTANCE_FIELDS = ["pesantren", "cooperative", "aspect", "given_on", "description"]
# Support is recorded from this date on: earlier dates are typing mistakes
# (OPOP itself began in 2019; older history is kept as dated indicator figures).
EARLIEST_DATE = dt.date(2000, 1, 1)
# One grant to one pesantren above Rp 1 triliun is a typing mistake (a
# province's whole budget is a few tens of triliun); the cap also keeps any
# sum of grants far inside a BigIntegerField.
MAX_GRANT_IDR = 10**12


# --- Checking input ------------------------------------------------------------


def _date(errors: Errors, field: str, value: Any, province: Province) -> dt.date | None:
    """A date from 2000-01-01 to today where the province is (WIT is ahead of WIB)."""
    return clean_past_date(errors, field, value, province, earliest=EARLIEST_DATE)


def _amount(errors: Errors, value: Any) -> int | None:
    """A positive whole number of rupiah; text is read as people type it ("Rp 25.000.000")."""
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.add("amount_idr", _("Give the amount in rupiah."), "required")
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        errors.add("amount_idr", _("Give the amount in whole rupiah."), "invalid")
        return None
    if isinstance(value, str):
        try:
            value = parse_rupiah(value)
        except MoneyError as error:
            errors.add("amount_idr", error.message, error.code, error.params)
            return None
    if value <= 0:
        errors.add(
            "amount_idr",
            _("A grant is a positive amount; a mistake is corrected by reversing the grant."),
            "min_value",
        )
    elif value > MAX_GRANT_IDR:
        errors.add(
            "amount_idr",
            _("A grant can be at most %(limit)s; check the number of zeros."),
            "max_value",
            {"limit": format_rupiah(MAX_GRANT_IDR)},
        )
    return value


def _pesantren(errors: Errors, value: Any, province: Province) -> Pesantren | None:
    """A pesantren of the program's province (by instance or id)."""
    if value in (None, ""):
        errors.add("pesantren", _("Choose the pesantren."), "required")
        return None
    with scopes_disabled():
        if isinstance(value, Pesantren):
            found = value
        else:
            try:
                found = Pesantren.objects.filter(pk=int(value)).first()
            except (TypeError, ValueError):
                found = None
    if found is None or found.province_id != province.pk:
        # Another province's pesantren is not named: its space is not ours to read.
        errors.add(
            "pesantren",
            _("Choose a pesantren of %(province)s.") % {"province": province.name},
            "pesantren_province",
        )
        return None
    return found


def _cooperative(errors: Errors, value: Any, pesantren: Pesantren | None) -> Cooperative | None:
    """None, or the pesantren's own cooperative (by instance or id)."""
    if value in (None, ""):
        return None
    with scopes_disabled():
        if isinstance(value, Cooperative):
            found = value
        else:
            try:
                found = Cooperative.objects.filter(pk=int(value)).first()
            except (TypeError, ValueError):
                found = None
    if found is None or pesantren is None or found.pesantren_id != pesantren.pk:
        errors.add(
            "cooperative",
            _("The cooperative must be the chosen pesantren's own."),
            "cooperative_not_own",
        )
        return None
    return found


def _aspect(errors: Errors, value: Any, program: Program) -> str:
    aspect = clean_choice(errors, "aspect", value, SupportAspect.values)
    if aspect in SupportAspect.values and aspect not in (program.aspects or []):
        errors.add(
            "aspect",
            _("%(program)s does not give support in the aspect “%(aspect)s”.")
            % {"program": program.name, "aspect": SupportAspect(aspect).label},
            "aspect_not_in_program",
        )
    return aspect


def _evidence(errors: Errors, uploads: Iterable, *, already: int = 0) -> list:
    checked, problems = evidence_files_module.check_uploads(list(uploads or ()), already=already)
    errors.extend("evidence_files", problems)
    return checked


# --- Grants ----------------------------------------------------------------------


def grant_record(
    *,
    actor,
    program: Program,
    pesantren,
    cooperative=None,
    amount_idr,
    granted_on,
    purpose: str,
    source: str,
    source_detail: str = "",
    evidence_files: Iterable = (),
) -> Grant:
    """Record a grant of money from `program` to a pesantren (or its cooperative).

    Rules: the pesantren is one of the program's province (instance or id);
    the cooperative, if given, is that pesantren's own; the amount is a
    positive whole number of rupiah up to MAX_GRANT_IDR (an int, or text as
    people type it: "Rp 25.000.000", "25 juta"); the date is not in the
    future (in the province's zone) nor before 2000; a purpose; the source
    of funds a FundSource, with its detail required when it is "other";
    evidence files PDF, JPEG or PNG (see `niaga.programs.evidence`).
    Side effects: the grant, its evidence rows and files, audit
    `programs.grant.record`. Errors: PermissionDenied without
    programs.record_support; ValidationError per field, nothing saved.
    """
    province = province_of(program)
    require(actor, RECORD_SUPPORT, province)
    with scope(province=province):
        errors = Errors()
        clean = {
            "pesantren": _pesantren(errors, pesantren, province),
            "amount_idr": _amount(errors, amount_idr),
            "granted_on": _date(errors, "granted_on", granted_on, province),
            "purpose": clean_text(errors, Grant, "purpose", purpose, required=True),
            "source": clean_choice(errors, "source", source, FundSource.values),
            "source_detail": clean_text(errors, Grant, "source_detail", source_detail),
        }
        clean["cooperative"] = _cooperative(errors, cooperative, clean["pesantren"])
        if clean["source"] == FundSource.OTHER and not clean["source_detail"]:
            errors.add("source_detail", _("Say where the money came from."), "required")
        checked = _evidence(errors, evidence_files)
        errors.raise_any()
        with evidence_files_module.saving() as saved, transaction.atomic():
            grant = Grant.objects.create(
                province=province,
                program=program,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                **clean,
            )
            files = [
                evidence_files_module.store(saved, actor, province, c, grant=grant) for c in checked
            ]
            audit.record(
                actor=actor,
                action="programs.grant.record",
                province=province,
                obj=grant,
                after={
                    **snapshot(grant, GRANT_FIELDS),
                    "evidence": evidence_files_module.summary(files),
                },
            )
    return grant


def grant_reverse(*, actor, grant: Grant, reason: str) -> Grant:
    """Reverse a grant: a new entry with the negative amount that cancels it.

    The reversal has the original's program, recipient, date, purpose and
    source, so every total per pesantren, regency and year nets to zero for
    it; `recorded_at` says when the correction was made. Rules: a reason
    (the model's `grant_amount_sign` requires one); the grant is not itself
    a reversal and has not been reversed already (checked under a lock on
    the original). Side effects: the reversal and audit
    `programs.grant.reverse`. Errors: PermissionDenied; ValidationError on
    "reason" (required, max_length) or non-field with code
    "already_reversed" or "reversal_not_reversible"; nothing saved.
    """
    province = province_of(grant)
    require(actor, RECORD_SUPPORT, province)
    errors = Errors()
    text = clean_text(errors, Grant, "reason", reason, required=True)
    errors.raise_any()
    with scope(province=province):
        try:
            with transaction.atomic():
                original = locked(Grant, grant)
                if original.reverses_id is not None:
                    raise ValidationError(
                        _(
                            "This entry is itself a reversal and cannot be reversed; "
                            "record the grant again instead."
                        ),
                        code="reversal_not_reversible",
                    )
                if Grant.objects.filter(reverses=original).exists():
                    raise _already_reversed()
                reversal = Grant.objects.create(
                    province=province,
                    program_id=original.program_id,
                    pesantren_id=original.pesantren_id,
                    cooperative_id=original.cooperative_id,
                    amount_idr=-original.amount_idr,
                    granted_on=original.granted_on,
                    purpose=original.purpose,
                    source=original.source,
                    source_detail=original.source_detail,
                    reverses=original,
                    reason=text,
                    recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
                audit.record(
                    actor=actor,
                    action="programs.grant.reverse",
                    province=province,
                    obj=reversal,
                    before={"grant": original.pk, "amount_idr": original.amount_idr},
                    after={
                        "reverses": original.pk,
                        "amount_idr": reversal.amount_idr,
                        "reason": text,
                    },
                )
        except IntegrityError as error:
            # Two officers reversing at once on a database without row locks:
            # the one-to-one `reverses` lets only the first through.
            raise _already_reversed() from error
    return reversal


def _already_reversed() -> ValidationError:
    return ValidationError(
        _("This grant has already been reversed; a grant is reversed only once."),
        code="already_reversed",
    )


# --- Assistance ------------------------------------------------------------------


def _clean_assistance(data: dict, *, program: Program, province: Province, errors: Errors):
    clean = {
        "pesantren": _pesantren(errors, data.get("pesantren"), province),
        "aspect": _aspect(errors, data.get("aspect"), program),
        "given_on": _date(errors, "given_on", data.get("given_on"), province),
        "description": clean_text(
            errors, Assistance, "description", data.get("description"), required=True
        ),
    }
    clean["cooperative"] = _cooperative(errors, data.get("cooperative"), clean["pesantren"])
    return clean


def assistance_record(
    *,
    actor,
    program: Program,
    pesantren,
    cooperative=None,
    aspect: str,
    given_on,
    description: str,
    evidence_files: Iterable = (),
) -> Assistance:
    """Record assistance given by `program` to a pesantren (or its cooperative).

    Rules: pesantren and cooperative as in `grant_record`; the aspect a
    SupportAspect among the program's own aspects; the date not in the
    future nor before 2000; a description; evidence files as in
    `grant_record`. Side effects: the record, its evidence rows and files,
    audit `programs.assistance.record`. Errors: PermissionDenied;
    ValidationError per field, nothing saved.
    """
    province = province_of(program)
    require(actor, RECORD_SUPPORT, province)
    with scope(province=province):
        errors = Errors()
        clean = _clean_assistance(
            {
                "pesantren": pesantren,
                "cooperative": cooperative,
                "aspect": aspect,
                "given_on": given_on,
                "description": description,
            },
            program=program,
            province=province,
            errors=errors,
        )
        checked = _evidence(errors, evidence_files)
        errors.raise_any()
        with evidence_files_module.saving() as saved, transaction.atomic():
            assistance = Assistance.objects.create(
                province=province,
                program=program,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                **clean,
            )
            files = [
                evidence_files_module.store(saved, actor, province, c, assistance=assistance)
                for c in checked
            ]
            audit.record(
                actor=actor,
                action="programs.assistance.record",
                province=province,
                obj=assistance,
                after={
                    "program": program.pk,
                    **snapshot(assistance, ASSISTANCE_FIELDS),
                    "evidence": evidence_files_module.summary(files),
                },
            )
    return assistance


def assistance_fingerprint(assistance: Assistance) -> str:
    """A short digest of the editable values: what an editor read, to detect a conflict."""
    values = snapshot(assistance, ASSISTANCE_FIELDS)
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(f"{assistance.pk}:{text}".encode()).hexdigest()[:20]


def assistance_update(
    *, actor, assistance: Assistance, fingerprint: str | None = None, **changes
) -> Assistance:
    """Correct an assistance record (any of ASSISTANCE_FIELDS).

    `fingerprint` is `assistance_fingerprint` of the values the editor read:
    if the record changed since, ValidationError(code="conflict") and nothing
    is written (None skips the check: the system). Same rules as
    `assistance_record`. Side effects: audit `programs.assistance.update`
    with the changed fields before and after (nothing when nothing changed).
    Errors: PermissionDenied; ValidationError per field or "conflict".
    """
    reject_unknown(changes, ASSISTANCE_FIELDS)
    province = province_of(assistance)
    require(actor, RECORD_SUPPORT, province)
    with scope(province=province), transaction.atomic():
        current = locked(Assistance, assistance)
        if fingerprint is not None and fingerprint != assistance_fingerprint(current):
            raise conflict_error()
        program = Program.objects.get(pk=current.program_id)
        data = {
            "pesantren": current.pesantren_id,
            "cooperative": current.cooperative_id,
            "aspect": current.aspect,
            "given_on": current.given_on,
            "description": current.description,
            **changes,
        }
        errors = Errors()
        clean = _clean_assistance(data, program=program, province=province, errors=errors)
        if "aspect" not in changes and clean["aspect"] == current.aspect:
            # An aspect the program dropped later does not block other corrections.
            errors.by_field.pop("aspect", None)
        errors.raise_any()
        before, after = apply_changes(current, clean, ASSISTANCE_FIELDS)
        if not after:
            return current
        current.save()
        audit.record(
            actor=actor,
            action="programs.assistance.update",
            province=province,
            obj=current,
            before=before,
            after=after,
        )
    return current


def assistance_delete(*, actor, assistance: Assistance, reason: str) -> None:
    """Delete an assistance record made by mistake, with its evidence.

    Rules: a reason. Side effects: the record and its evidence rows are
    deleted; audit `programs.assistance.delete` keeps every value and the
    reason; the evidence files are deleted once the deletion is committed.
    Errors: PermissionDenied; ValidationError on "reason".
    """
    province = province_of(assistance)
    require(actor, RECORD_SUPPORT, province)
    errors = Errors()
    text = clean_text(errors, Grant, "reason", reason, required=True)
    errors.raise_any()
    with scope(province=province), transaction.atomic():
        current = locked(Assistance, assistance)
        files = list(SupportEvidence.objects.filter(assistance=current))
        names = [f.file.name for f in files]
        audit.record(
            actor=actor,
            action="programs.assistance.delete",
            province=province,
            obj=current,
            before={
                "program": current.program_id,
                **snapshot(current, ASSISTANCE_FIELDS),
                "evidence": evidence_files_module.summary(files),
            },
            after={"reason": text},
        )
        SupportEvidence.objects.filter(assistance=current).delete()
        current.delete()
        transaction.on_commit(lambda: evidence_files_module.delete_files(names))


# --- Evidence --------------------------------------------------------------------


def evidence_add(*, actor, record: Grant | Assistance, file) -> SupportEvidence:
    """Add one evidence file to a grant (a reversal too) or an assistance record.

    Rules: PDF, JPEG or PNG by content, within the size limit, and at most
    MAX_FILES_PER_RECORD files on the record. Side effects: the evidence
    row and its file, audit `programs.evidence.add`. Errors:
    PermissionDenied; ValidationError on "evidence_files"; nothing saved.
    """
    if not isinstance(record, Grant | Assistance):
        raise TypeError(f"evidence belongs to a Grant or an Assistance, not {record!r}")
    province = province_of(record)
    require(actor, RECORD_SUPPORT, province)
    link = {"grant": record} if isinstance(record, Grant) else {"assistance": record}
    with scope(province=province):
        errors = Errors()
        held = SupportEvidence.objects.filter(**link).count()
        checked = _evidence(errors, [file] if file else [], already=held)
        if not file:
            errors.add("evidence_files", _("Choose a file."), "required")
        errors.raise_any()
        with evidence_files_module.saving() as saved, transaction.atomic():
            row = evidence_files_module.store(saved, actor, province, checked[0], **link)
            audit.record(
                actor=actor,
                action="programs.evidence.add",
                province=province,
                obj=row,
                after={
                    "record": f"{record._meta.model_name}#{record.pk}",
                    **evidence_files_module.summary([row])[0],
                },
            )
    return row
