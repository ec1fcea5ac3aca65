"""Every write about people: registration, NIK, consents, and a person's UU PDP rights.

A NIK is personal data (UU PDP, Law 27/2022). These functions are the only
place where a clear NIK passes: it is validated, checked against the birth
date and gender, and stored as three columns — `nik_encrypted` (a Fernet
token, `niaga.core.personal_data`), `nik_hash` (keyed hash, for uniqueness in
the province and for look-ups) and `nik_masked` (`3578********0001`). It is
never put into an audit entry, an error message or a log line: the audit
snapshots below hold `nik_masked` only, and the errors say which rule failed,
never the value. The clear NIK comes back out only through
`person_reveal_nik` (an officer, audited with a reason) and `person_export`
(the person's own data package, audited).

Functions that touch one person open that person's province scope
themselves, so commands, imports and tests cannot forget it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from niaga.audit.domain import record, snapshot
from niaga.audit.models import AuditEvent
from niaga.core import personal_data
from niaga.core.scoping import within_province
from niaga.regions.models import Province
from niaga.registry import validators
from niaga.registry.models import (
    Consent,
    ConsentGiver,
    ConsentPurpose,
    Enterprise,
    Gender,
    Person,
    Pesantren,
    Product,
)

# What the audit log keeps of a person: never nik_encrypted or nik_hash. The
# audit masking hides phone, e-mail and birth date by their names.
PERSON_AUDIT_FIELDS = [
    "full_name",
    "pesantren",
    "role",
    "pillar",
    "gender",
    "birth_date",
    "nik_masked",
    "phone",
    "email",
    "regency",
    "address",
]
# What person_update may change (plus `nik`, which replaces the NIK).
EDITABLE_FIELDS = [
    "full_name",
    "pesantren",
    "role",
    "pillar",
    "gender",
    "birth_date",
    "phone",
    "email",
    "regency",
    "address",
]
CONSENT_AUDIT_FIELDS = [
    "person",
    "purpose",
    "given_on",
    "given_by",
    "guardian_name",
    "guardian_relation",
    "withdrawn_on",
]
# The shortest reason accepted for revealing a NIK: "cek" says nothing.
REVEAL_REASON_MIN_LENGTH = 10
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
# What an erased person's name becomes, and what erased text in the audit log becomes.
ERASED_NAME = "Dihapus #{id}"
ERASED_VALUE = "[dihapus]"
# Fields of audit snapshots that hold a person's (or guardian's) identifying values.
_ERASED_AUDIT_KEYS = frozenset(
    {
        "full_name",
        "phone",
        "email",
        "address",
        "birth_date",
        "nik_masked",
        "guardian_name",
        "reason",
    }
)
_SPACES = re.compile(r"\s+")
_NOT_CLEANED = (
    "province",
    "pesantren",
    "regency",
    "phone",
    "birth_date",
    "nik_encrypted",
    "nik_hash",
    "nik_masked",
    "erased_at",
)


# --- Helpers ------------------------------------------------------------------


def _person_scope(person: Person):
    return scope(province=Province.objects.get(pk=person.province_id))


def _raise_if_erased(person: Person) -> None:
    if person.erased_at is not None:
        raise ValidationError(
            _("This person's personal data has been erased; the record can no longer be changed."),
            code="erased",
        )


def nik_columns(nik: str) -> dict[str, Any]:
    """The stored columns of a validated, normalised NIK (16 digits).

    For imports that write people in bulk: the same three values
    `person_create` stores. The caller has run `validators.validate_nik`.
    """
    return {
        "nik_encrypted": personal_data.encrypt(nik),
        "nik_hash": personal_data.lookup_hash("nik", nik),
        "nik_masked": validators.mask_nik(nik),
    }


def _nik_taken(province: Province, nik: str, *, exclude_pk: int | None = None) -> bool:
    rows = Person.objects.filter(
        province=province, nik_hash__in=personal_data.lookup_hashes("nik", nik)
    )
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.exists()


def _duplicate_nik_error() -> ValidationError:
    # Says that the NIK is taken, never by whom: the form's user may not be
    # allowed to know who else is registered with it.
    return ValidationError(
        {"nik": _("A person with this NIK is already registered in this province.")},
        code="nik_duplicate",
    )


def _add(errors: dict[str, list], field: str, error: ValidationError) -> None:
    errors.setdefault(field, []).extend(error.messages)


def _normalise(person: Person, nik: str | None, errors: dict[str, list]) -> str | None:
    """Clean the person's fields in place and check every rule; errors collect by field.

    Returns the normalised NIK when one was given (None otherwise).
    """
    person.full_name = _SPACES.sub(" ", (person.full_name or "").strip())
    person.address = (person.address or "").strip()
    person.email = (person.email or "").strip()
    person.pillar = person.pillar or ""
    if not person.full_name:
        errors.setdefault("full_name", []).append(_("Give the person's full name."))
    if person.phone:
        try:
            person.phone = validators.validate_phone(person.phone)
        except ValidationError as error:
            _add(errors, "phone", error)
    today = timezone.localdate()
    if person.birth_date is not None:
        if person.birth_date > today:
            errors.setdefault("birth_date", []).append(_("The birth date cannot be in the future."))
        elif person.birth_date < EARLIEST_BIRTH_DATE:
            errors.setdefault("birth_date", []).append(
                _("The birth date must be in 1900 or later.")
            )
    if person.pesantren_id is not None:
        pesantren_province = (
            Pesantren.objects.filter(pk=person.pesantren_id)
            .values_list("province_id", flat=True)
            .first()
        )
        if pesantren_province != person.province_id:
            errors.setdefault("pesantren", []).append(
                _("Choose a pesantren registered in this province.")
            )
    try:
        # The NIK columns are written below from the validated NIK; pesantren and
        # phone were checked above; the rest (choices, lengths, e-mail) here.
        person.full_clean(exclude=[*_NOT_CLEANED, *errors], validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)

    clean_nik = None
    if nik is not None and str(nik).strip():
        try:
            clean_nik = validators.validate_nik(nik)
            validators.check_nik_matches(
                clean_nik,
                birth_date=person.birth_date if "birth_date" not in errors else None,
                is_female=(
                    person.gender == Gender.FEMALE if person.gender in Gender.values else None
                ),
            )
        except ValidationError as error:
            _add(errors, "nik", error)
            clean_nik = None
    elif person.nik_encrypted and not errors.keys() & {"birth_date", "gender"}:
        # The NIK already held must still agree after a change of birth date or gender.
        held = personal_data.decrypt(person.nik_encrypted)
        for field, kwargs in (
            ("gender", {"is_female": person.gender == Gender.FEMALE}),
            ("birth_date", {"birth_date": person.birth_date}),
        ):
            try:
                validators.check_nik_matches(held, **kwargs)
            except ValidationError as error:
                _add(errors, field, error)
    return clean_nik


def _save_checked(person: Person, **save_kwargs) -> None:
    """Save; a concurrent registration of the same NIK becomes the duplicate error."""
    try:
        with transaction.atomic():
            person.save(**save_kwargs)
    except IntegrityError as error:
        if "nik" in str(error).lower():
            raise _duplicate_nik_error() from None
        raise


# --- People -------------------------------------------------------------------


@within_province
def person_create(
    *,
    actor,
    province: Province,
    full_name: str,
    role: str,
    gender: str,
    pillar: str = "",
    birth_date: dt.date | None = None,
    nik: str | None = None,
    phone: str = "",
    email: str = "",
    pesantren: Pesantren | None = None,
    regency=None,
    address: str = "",
) -> Person:
    """Register a person in `province`.

    `nik` is optional; when given it must be a valid NIK (`validate_nik`) that
    agrees with `birth_date` and `gender` (`check_nik_matches`) and is not yet
    registered in the province; it is stored encrypted, hashed and masked only.
    `phone` is stored in E.164 form (`validate_phone`); `pesantren` must be of
    this province. Side effects: the person row and an audit entry
    "registry.person.create" (NIK masked). Errors: ValidationError with a
    message per field (e.g. {"nik": [...]}); nothing is written then.
    """
    person = Person(
        province=province,
        full_name=full_name or "",
        role=role or "",
        gender=gender or "",
        pillar=pillar or "",
        birth_date=birth_date,
        phone=(phone or "").strip(),
        email=email or "",
        pesantren=pesantren,
        regency=regency,
        address=address or "",
    )
    errors: dict[str, list] = {}
    clean_nik = _normalise(person, nik, errors)
    if clean_nik and "nik" not in errors and _nik_taken(province, clean_nik):
        raise _duplicate_nik_error()
    if errors:
        raise ValidationError(errors)
    if clean_nik:
        for name, value in nik_columns(clean_nik).items():
            setattr(person, name, value)
    with transaction.atomic():
        _save_checked(person)
        record(
            actor=actor,
            action="registry.person.create",
            province=province,
            obj=person,
            after=snapshot(person, PERSON_AUDIT_FIELDS),
        )
    return person


def person_update(*, actor, person: Person, version: int, nik: str | None = None, **changes):
    """Change a person's fields; with `nik`, replace the NIK held.

    `version` is the version the editor read; when the person changed since,
    nothing is written and ValidationError(code="conflict") says so. `changes`
    are fields of EDITABLE_FIELDS; the same rules as `person_create` apply,
    and a NIK already held must still agree with a changed birth date or
    gender. An empty or None `nik` keeps the NIK held. Side effects: the row
    (version + 1) and an audit entry "registry.person.update" with the changed
    fields before and after (NIK masked). Errors: ValidationError per field;
    "erased" for a person whose data was erased; ValueError for a field that
    is not editable.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    with _person_scope(person), transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        _raise_if_erased(current)
        if current.version != version:
            raise ValidationError(
                _(
                    "Someone else changed this record while you were editing it. Nothing "
                    "was saved; the form now shows their version."
                ),
                code="conflict",
            )
        before = snapshot(current, PERSON_AUDIT_FIELDS)
        for name, value in changes.items():
            setattr(current, name, value)
        errors: dict[str, list] = {}
        clean_nik = _normalise(current, nik, errors)
        if clean_nik and current.nik_hash in personal_data.lookup_hashes("nik", clean_nik):
            clean_nik = None  # the NIK held, typed again: nothing to replace
        if (
            clean_nik
            and "nik" not in errors
            and _nik_taken(current.province, clean_nik, exclude_pk=current.pk)
        ):
            raise _duplicate_nik_error()
        if errors:
            raise ValidationError(errors)
        if clean_nik:
            for name, value in nik_columns(clean_nik).items():
                setattr(current, name, value)
        after = snapshot(current, PERSON_AUDIT_FIELDS)
        changed = [name for name in PERSON_AUDIT_FIELDS if before[name] != after[name]]
        if clean_nik and "nik_masked" not in changed:
            # Another NIK with the same mask: the audit still shows that it changed.
            changed.append("nik_masked")
        if not changed:
            return current
        current.version += 1
        _save_checked(current)
        record(
            actor=actor,
            action="registry.person.update",
            province=current.province,
            obj=current,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return current


@within_province
def person_find_by_nik(*, province: Province, nik: str) -> Person | None:
    """The person of `province` registered with this NIK, or None.

    Looked up through the keyed hash (current and, during a key rotation,
    previous look-up key): no NIK is decrypted. Only an exact, valid NIK
    finds anyone. Errors: ValidationError {"nik": …} for a NIK that is not
    valid (the message never repeats it).
    """
    try:
        clean = validators.validate_nik(nik)
    except ValidationError as error:
        raise ValidationError({"nik": error.messages}) from None
    return (
        Person.objects.filter(
            province=province, nik_hash__in=personal_data.lookup_hashes("nik", clean)
        )
        .select_related("pesantren")
        .first()
    )


def person_reveal_nik(*, actor, person: Person, reason: str) -> str:
    """The person's clear NIK, for an officer who holds registry.reveal_nik.

    `reason` (at least REVEAL_REASON_MIN_LENGTH characters) says why it is
    needed. Side effects: an audit entry "registry.person.reveal_nik" with
    the reason and the masked NIK, never the NIK itself. Errors:
    PermissionDenied without the permission; ValidationError {"reason": …}
    for a missing or too short reason; ValidationError (code "no_nik") when
    the person has no NIK.
    """
    province = Province.objects.get(pk=person.province_id)
    if not actor.has_perm("registry.reveal_nik", province):
        raise PermissionDenied("registry.reveal_nik")
    reason = _SPACES.sub(" ", (reason or "").strip())
    if len(reason) < REVEAL_REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": _("Say why you need to see the NIK, in at least %(count)s characters.")
                % {"count": REVEAL_REASON_MIN_LENGTH}
            }
        )
    with scope(province=province), transaction.atomic():
        current = Person.objects.get(pk=person.pk)
        if not current.nik_encrypted:
            raise ValidationError(_("No NIK is registered for this person."), code="no_nik")
        nik = personal_data.decrypt(current.nik_encrypted)
        record(
            actor=actor,
            action="registry.person.reveal_nik",
            province=province,
            obj=current,
            after={"reason": reason, "nik_masked": current.nik_masked},
        )
    return nik


# --- Consents -----------------------------------------------------------------


def consent_record(
    *,
    actor,
    person: Person,
    purpose: str,
    given_on: dt.date,
    given_by: str,
    guardian_name: str = "",
    guardian_relation: str = "",
) -> Consent:
    """Record a consent of (or for) `person` for one purpose.

    Rules: the purpose is one of ConsentPurpose; `given_on` is not in the
    future nor before the birth date; a person who is a minor on `given_on`
    (under 18, or without a birth date: `Person.is_minor`) needs the consent
    of a parent or guardian (`given_by="guardian"`) with the guardian's name;
    a guardian's consent always names the guardian; one active consent per
    purpose (withdraw the old one to record a new one). Side effects: the
    consent row and an audit entry "registry.consent.record". Errors:
    ValidationError per field, "erased" for an erased person.
    """
    with _person_scope(person), transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        _raise_if_erased(current)
        guardian_name = _SPACES.sub(" ", (guardian_name or "").strip())
        guardian_relation = (guardian_relation or "").strip()
        errors: dict[str, list] = {}
        if purpose not in ConsentPurpose.values:
            errors["purpose"] = [_("Choose the purpose the consent is given for.")]
        if given_by not in ConsentGiver.values:
            errors["given_by"] = [_("Say who gave the consent: the person or a guardian.")]
        if given_on is None:
            errors["given_on"] = [_("Give the date the consent was given.")]
        elif given_on > timezone.localdate():
            errors["given_on"] = [_("The consent date cannot be in the future.")]
        elif current.birth_date and given_on < current.birth_date:
            errors["given_on"] = [_("The consent date cannot be before the person's birth.")]
        if given_on is not None and "given_by" not in errors:
            if given_by == ConsentGiver.SELF and current.is_minor(given_on):
                if current.birth_date is None:
                    message = _(
                        "No birth date is recorded, so this person is treated as a minor: a "
                        "parent or guardian must give the consent. Record the birth date if "
                        "the person is 18 or older."
                    )
                else:
                    message = _(
                        "This person was under 18 on %(date)s: a parent or guardian must give "
                        "the consent."
                    ) % {"date": given_on.strftime("%d-%m-%Y")}
                errors["given_by"] = [message]
            if given_by == ConsentGiver.GUARDIAN and not guardian_name:
                errors["guardian_name"] = [_("Give the name of the parent or guardian.")]
        if "purpose" not in errors:
            active = Consent.objects.filter(
                person=current, purpose=purpose, withdrawn_on__isnull=True
            ).first()
            if active is not None:
                errors["purpose"] = [
                    _(
                        "There is already an active consent for this purpose, given on "
                        "%(date)s. Withdraw it first to record a new one."
                    )
                    % {"date": active.given_on.strftime("%d-%m-%Y")}
                ]
        if errors:
            raise ValidationError(errors)
        if given_by == ConsentGiver.SELF:
            guardian_name = guardian_relation = ""
        consent = Consent.objects.create(
            province_id=current.province_id,
            person=current,
            purpose=purpose,
            given_on=given_on,
            given_by=given_by,
            guardian_name=guardian_name,
            guardian_relation=guardian_relation,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record(
            actor=actor,
            action="registry.consent.record",
            province=current.province,
            obj=current,
            after={"consent": consent.pk, **snapshot(consent, CONSENT_AUDIT_FIELDS)},
        )
    return consent


def consent_withdraw(*, actor, consent: Consent, withdrawn_on: dt.date | None = None) -> Consent:
    """Withdraw a consent from `withdrawn_on` (default today); the row is kept.

    Errors: ValidationError when it is already withdrawn, or the date is in
    the future or before the consent was given. Side effects: the row and an
    audit entry "registry.consent.withdraw".
    """
    today = timezone.localdate()
    withdrawn_on = withdrawn_on or today
    with scope(province=Province.objects.get(pk=consent.province_id)), transaction.atomic():
        current = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
        if current.withdrawn_on is not None:
            raise ValidationError(
                _("This consent was already withdrawn on %(date)s.")
                % {"date": current.withdrawn_on.strftime("%d-%m-%Y")},
                code="withdrawn",
            )
        if withdrawn_on > today:
            raise ValidationError(
                {"withdrawn_on": _("The withdrawal date cannot be in the future.")}
            )
        if withdrawn_on < current.given_on:
            raise ValidationError(
                {"withdrawn_on": _("The withdrawal date cannot be before the consent was given.")}
            )
        current.withdrawn_on = withdrawn_on
        current.save(update_fields=["withdrawn_on"])
        record(
            actor=actor,
            action="registry.consent.withdraw",
            province=current.province,
            obj=current.person,
            before={"consent": current.pk, "withdrawn_on": None},
            after={"consent": current.pk, "withdrawn_on": withdrawn_on},
        )
    return current


# --- A person's rights under UU PDP: their data, and its erasure ----------------


def _require_personal_data_perm(actor, province: Province) -> None:
    if not actor.has_perm("registry.manage_personal_data", province):
        raise PermissionDenied("registry.manage_personal_data")


def _iso(value):
    return value.isoformat() if value is not None else None


def _history(person: Person, consent_ids: list[int], enterprise_ids: list[int]):
    """Audit events about the person, their consents and their businesses, oldest first."""
    from django.db.models import Q

    about = Q(object_type="registry.person", object_id=str(person.pk))
    if consent_ids:
        about |= Q(object_type="registry.consent", object_id__in=[str(i) for i in consent_ids])
    if enterprise_ids:
        about |= Q(
            object_type="registry.enterprise", object_id__in=[str(i) for i in enterprise_ids]
        )
    return AuditEvent.objects.filter(about, province_id=person.province_id).order_by("at", "id")


def person_export(*, actor, person: Person, fmt: str = "json") -> dict:
    """Everything held about the person, for the person (UU PDP right of access).

    Returns a JSON-ready dict: "person" (every field, with the clear NIK:
    this is their own data), "consents", "enterprises", "products",
    "pesantren" and "audit_history" (events about them, as the audit log
    keeps them, masked). `fmt` ("json" or "pdf") is only recorded. Side
    effects: an audit entry "registry.person.export" (without the NIK).
    Errors: PermissionDenied without registry.manage_personal_data.
    """
    province = Province.objects.get(pk=person.province_id)
    _require_personal_data_perm(actor, province)
    with scope(province=province), transaction.atomic():
        current = Person.objects.select_related("pesantren__regency", "regency").get(pk=person.pk)
        consents = list(
            Consent.objects.filter(person=current)
            .select_related("recorded_by")
            .order_by("given_on", "id")
        )
        enterprises = list(
            Enterprise.objects.filter(owner=current)
            .select_related("pesantren")
            .order_by("name", "id")
        )
        products = list(Product.objects.filter(owner_person=current).order_by("name", "id"))
        history = list(_history(current, [c.pk for c in consents], [e.pk for e in enterprises]))
        record(
            actor=actor,
            action="registry.person.export",
            province=province,
            obj=current,
            after={"format": fmt},
        )
    pesantren = current.pesantren
    return {
        "generated_at": timezone.now().isoformat(),
        "generated_by": actor.get_username(),
        "province": {"code": province.code, "name": province.name},
        "person": {
            "id": current.pk,
            "full_name": current.full_name,
            "nik": personal_data.decrypt(current.nik_encrypted) if current.nik_encrypted else "",
            "role": current.role,
            "role_label": str(current.get_role_display()),
            "pillar": current.pillar,
            "pillar_label": str(current.get_pillar_display()) if current.pillar else "",
            "gender": current.gender,
            "gender_label": str(current.get_gender_display()),
            "birth_date": _iso(current.birth_date),
            "phone": current.phone,
            "email": current.email,
            "address": current.address,
            "regency": (
                {"code": current.regency.code, "name": current.regency.name}
                if current.regency
                else None
            ),
            "pesantren_id": current.pesantren_id,
            "created_at": _iso(current.created_at),
            "updated_at": _iso(current.updated_at),
            "erased_at": _iso(current.erased_at),
        },
        "pesantren": (
            {
                "id": pesantren.pk,
                "name": pesantren.name,
                "nspp": pesantren.nspp or "",
                "regency": pesantren.regency.name,
            }
            if pesantren
            else None
        ),
        "consents": [
            {
                "id": c.pk,
                "purpose": c.purpose,
                "purpose_label": str(c.get_purpose_display()),
                "given_on": _iso(c.given_on),
                "given_by": c.given_by,
                "given_by_label": str(c.get_given_by_display()),
                "guardian_name": c.guardian_name,
                "guardian_relation": c.guardian_relation,
                "withdrawn_on": _iso(c.withdrawn_on),
                "recorded_at": _iso(c.recorded_at),
            }
            for c in consents
        ],
        "enterprises": [
            {
                "id": e.pk,
                "name": e.name,
                "pillar": e.pillar,
                "business_line": e.business_line,
                "nib": e.nib or "",
                "kbli_code": e.kbli_code,
                "kbli_version": e.kbli_version,
                "started_year": e.started_year,
                "pesantren": e.pesantren.name if e.pesantren else "",
            }
            for e in enterprises
        ],
        "products": [
            {
                "id": p.pk,
                "name": p.name,
                "category": p.category,
                "category_label": str(p.get_category_display()),
                "description": p.description,
                "unit": p.unit,
                "price_min": p.price_min,
                "price_max": p.price_max,
                "status": p.status,
                "level": p.level,
            }
            for p in products
        ],
        "audit_history": [
            {
                "at": _iso(event.at),
                "action": event.action,
                "by": event.actor_label,
                "before": event.before,
                "after": event.after,
            }
            for event in history
        ],
    }


def _redact(value: Any, old_name: str) -> Any:
    """A copy of audit data with the erased person's identifying values replaced."""
    if isinstance(value, dict):
        return {
            key: (
                ERASED_VALUE
                if key in _ERASED_AUDIT_KEYS and item not in (None, "")
                else _redact(item, old_name)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_redact(item, old_name) for item in value]
    if isinstance(value, str) and old_name and old_name.lower() in value.lower():
        return re.sub(re.escape(old_name), ERASED_VALUE, value, flags=re.IGNORECASE)
    return value


def person_erase(*, actor, person: Person) -> Person:
    """Erase a person's personal data (UU PDP right to erasure). Irreversible.

    The name becomes "Dihapus #<id>"; NIK (all three columns), phone, e-mail
    and address are emptied; the birth date keeps only its year (1 July of
    it), so age statistics stay about right. Role, pillar, gender, pesantren
    and regency stay, so every count stays the same. Every active consent is
    withdrawn today and guardians' names are erased. The audit log keeps who
    did what and when about this person, but the identifying values in its
    earlier entries (name, contact, the reasons given) are replaced with
    "[dihapus]": the log must not keep what the person had erased. Side
    effects: the rows above and an audit entry "registry.person.erase".
    Errors: PermissionDenied without registry.manage_personal_data;
    ValidationError (code "erased") when the person was already erased.
    """
    province = Province.objects.get(pk=person.province_id)
    _require_personal_data_perm(actor, province)
    today = timezone.localdate()
    with scope(province=province), transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        if current.erased_at is not None:
            raise ValidationError(
                _("This person's personal data was already erased on %(date)s.")
                % {"date": timezone.localtime(current.erased_at).strftime("%d-%m-%Y")},
                code="erased",
            )
        old_name = current.full_name
        current.full_name = ERASED_NAME.format(id=current.pk)
        current.nik_encrypted = ""
        current.nik_hash = None
        current.nik_masked = ""
        current.phone = ""
        current.email = ""
        current.address = ""
        if current.birth_date is not None:
            current.birth_date = dt.date(current.birth_date.year, 7, 1)
        current.erased_at = timezone.now()
        current.version += 1
        current.save()
        consents = Consent.objects.filter(person=current)
        consent_ids = list(consents.values_list("pk", flat=True))
        withdrawn = consents.filter(withdrawn_on__isnull=True).update(withdrawn_on=today)
        # The check constraint wants a guardian's consent to name someone.
        consents.filter(given_by=ConsentGiver.GUARDIAN).update(guardian_name=ERASED_VALUE)
        enterprise_ids = list(Enterprise.objects.filter(owner=current).values_list("pk", flat=True))
        for event in _history(current, consent_ids, enterprise_ids).select_for_update():
            event.before = _redact(event.before, old_name)
            event.after = _redact(event.after, old_name)
            if event.object_type == "registry.person":
                event.object_repr = current.full_name
            else:
                event.object_repr = _redact(event.object_repr, old_name)
            event.save(update_fields=["before", "after", "object_repr"])
        record(
            actor=actor,
            action="registry.person.erase",
            province=province,
            obj=current,
            before={"erased_at": None},
            after={"erased_at": current.erased_at, "consents_withdrawn": withdrawn},
        )
    return current
