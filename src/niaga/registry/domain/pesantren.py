"""Every write to pesantren, their cooperatives, santri/alumni businesses and pesantren accounts.

Each function validates all of its input first, then writes inside one
transaction and records an audit event (`registry.<entity>.<verb>`) in the
same transaction. Bad input raises `ValidationError` keyed by field (the
names of the model fields, which the forms share), each error with a code
callers may branch on, and changes nothing.

Updates take the `version` the editor read. If the row has moved on since,
`ValidationError(code="conflict")` is raised and nothing is written; every
successful update increments the version, so two officers editing one record
see a conflict instead of a silent overwrite.

Values may come as the forms give them or as imports and the API do: region
fields accept the model or its Kemendagri code, years an int or 4 digits,
counts an int or digits. What is stored is normalised (NSPP and NIB digits
only, phones in E.164, text stripped).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from niaga.accounts import domain as accounts_domain
from niaga.accounts.models import Role, User
from niaga.audit.domain import record, snapshot
from niaga.core.scoping import within_province
from niaga.regions.models import District, Province, Regency
from niaga.registry import validators
from niaga.registry.models import (
    Cooperative,
    Enterprise,
    LegalForm,
    Person,
    Pesantren,
    PesantrenAccess,
    PesantrenStatus,
    Pillar,
    Typology,
)

PESANTREN_FIELDS = [
    "name",
    "nspp",
    "address",
    "regency",
    "district",
    "leader_name",
    "santri_male",
    "santri_female",
    "typology",
    "founded_year",
    "phone",
    "email",
    "website",
    "takes_santripreneur",
    "takes_pesantrenpreneur",
    "takes_sosiopreneur",
    "opop_joined_year",
    "status",
]
COOPERATIVE_FIELDS = [
    "name",
    "legal_form",
    "deed_number",
    "deed_date",
    "nib",
    "kbli_code",
    "kbli_version",
    "members_count",
    "business_lines",
]
ENTERPRISE_FIELDS = [
    "owner",
    "pesantren",
    "name",
    "pillar",
    "business_line",
    "nib",
    "kbli_code",
    "kbli_version",
    "started_year",
]

# OPOP began in 2019 (East Java, 7 August; West Java the same year): no
# pesantren joined it earlier.
OPOP_FIRST_YEAR = 2019
MAX_SANTRI = 200_000
MAX_MEMBERS = 1_000_000
ENTERPRISE_PILLARS = (Pillar.SANTRIPRENEUR.value, Pillar.SOSIOPRENEUR.value)


def conflict_error() -> ValidationError:
    return ValidationError(
        _(
            "Someone else changed this record while you were editing it. Nothing was "
            "saved; the form now shows their version."
        ),
        code="conflict",
    )


# --- Checking input ------------------------------------------------------------


class _Errors:
    """Errors per field, collected so that one answer names every bad field."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message, code: str, params: dict | None = None) -> None:
        self.by_field.setdefault(field, []).append(
            ValidationError(message, code=code, params=params)
        )

    def run(self, field: str, check: Callable[..., Any], *args, **kwargs) -> Any:
        """`check(*args, **kwargs)`, or None with its ValidationError kept for `field`."""
        try:
            return check(*args, **kwargs)
        except ValidationError as error:
            self.by_field.setdefault(field, []).extend(error.error_list)
            return None

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _max_length(model: type[models.Model], field: str) -> int:
    return model._meta.get_field(field).max_length


def _text(errors: _Errors, model, field: str, value: Any, *, required: bool = False) -> str:
    text = "" if value is None else " ".join(str(value).split())
    if required and not text:
        errors.add(field, _("This field is required."), "required")
    limit = _max_length(model, field)
    if len(text) > limit:
        errors.add(
            field,
            _("At most %(limit)s characters; this has %(count)s."),
            "max_length",
            {"limit": limit, "count": len(text)},
        )
    return text


def _count(errors: _Errors, field: str, value: Any, *, maximum: int) -> int:
    """A whole number from 0 to `maximum`; empty is 0."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        number = int(text) if text.lstrip("-").isdigit() else None
    if number is None:
        errors.add(field, _("Give a whole number, like 120."), "invalid")
        return 0
    if number < 0:
        errors.add(field, _("The number cannot be negative."), "min_value")
    elif number > maximum:
        errors.add(
            field,
            _("The number cannot be more than %(maximum)s."),
            "max_value",
            {"maximum": maximum},
        )
    return number


def _year(errors: _Errors, field: str, value: Any, *, minimum: int) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return errors.run(field, validators.validate_year, value, minimum=minimum)


def _choice(errors: _Errors, field: str, value: Any, allowed) -> str:
    text = "" if value is None else str(value).strip()
    if text not in allowed:
        errors.add(
            field,
            _("Choose one of the offered values; “%(value)s” is not one."),
            "invalid_choice",
            {"value": text[:40]},
        )
    return text


def _phone(errors: _Errors, value: Any) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    return errors.run("phone", validators.validate_phone, text) or ""


def _email(errors: _Errors, value: Any) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        errors.add("email", _("Give an e-mail address like pondok@example.id."), "invalid")
    return text


def _website(errors: _Errors, value: Any) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        errors.add("website", _("Give a web address like https://pesantren.example.id."), "invalid")
    if len(text) > _max_length(Pesantren, "website"):
        errors.add("website", _("This web address is too long."), "max_length")
    return text


def _boolean(value: Any) -> bool:
    return bool(value) and value not in ("0", "false", "False")


def _regency(errors: _Errors, value: Any, province: Province) -> Regency | None:
    if value in (None, ""):
        errors.add("regency", _("Choose the regency/city."), "required")
        return None
    regency = value if isinstance(value, Regency) else Regency.objects.filter(code=value).first()
    if regency is None:
        errors.add(
            "regency",
            _("“%(code)s” is not a regency/city code; they look like 35.78."),
            "invalid",
            {"code": str(value)[:40]},
        )
        return None
    if regency.province_id != province.pk:
        errors.add(
            "regency",
            _("%(regency)s is not in %(province)s."),
            "regency_province",
            {"regency": regency.name, "province": province.name},
        )
        return None
    return regency


def _district(errors: _Errors, value: Any, regency: Regency | None) -> District | None:
    if value in (None, ""):
        return None
    district = value if isinstance(value, District) else District.objects.filter(code=value).first()
    if district is None:
        errors.add(
            "district",
            _("“%(code)s” is not a district code; they look like 35.78.01."),
            "invalid",
            {"code": str(value)[:40]},
        )
        return None
    if regency is not None and district.regency_id != regency.pk:
        errors.add(
            "district",
            _("The district %(district)s is not in %(regency)s."),
            "district_regency",
            {"district": district.name, "regency": regency.name},
        )
        return None
    return district


def _nspp(errors: _Errors, value: Any, *, province: Province, current_pk: int | None) -> str | None:
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    nspp = errors.run("nspp", validators.validate_nspp, text)
    if nspp is None:
        return None
    _nspp_check(errors, nspp, province=province, current_pk=current_pk)
    return nspp


def _nspp_check(errors: _Errors, nspp: str, *, province: Province, current_pk: int | None) -> None:
    """NSPP is national: one number, one pesantren, whichever province keeps it."""
    with scopes_disabled():
        holder = Pesantren.objects.filter(nspp=nspp).exclude(pk=current_pk).first()
    if holder is None:
        return
    if holder.province_id == province.pk:
        message = _("This NSPP is already registered, to %(name)s.") % {"name": holder.name}
    else:
        # Another province's pesantren is not named: its space is not ours to read.
        message = _("This NSPP is already registered, to a pesantren in another province.")
    errors.add("nspp", message, "nspp_taken")


def _nib(errors: _Errors, value: Any, *, exclude: models.Model | None) -> str | None:
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    nib = errors.run("nib", validators.validate_nib, text)
    if nib is None:
        return None
    if _nib_holder(nib, exclude=exclude):
        errors.add("nib", _("This NIB is already registered to another business."), "nib_taken")
    return nib


def _nib_holder(nib: str, *, exclude: models.Model | None) -> bool:
    """Whether a cooperative or an enterprise other than `exclude` holds this NIB.

    One NIB names one business actor in OSS, whichever province registered
    it: a cooperative and a santri's business cannot share one.
    """
    with scopes_disabled():
        cooperatives = Cooperative.objects.filter(nib=nib)
        enterprises = Enterprise.objects.filter(nib=nib)
        if isinstance(exclude, Cooperative):
            cooperatives = cooperatives.exclude(pk=exclude.pk)
        if isinstance(exclude, Enterprise):
            enterprises = enterprises.exclude(pk=exclude.pk)
        return cooperatives.exists() or enterprises.exists()


def _kbli(errors: _Errors, code: Any, version: Any) -> tuple[str, str]:
    version_text = "" if version in (None, "") else str(version).strip()
    version_text = version_text or validators.DEFAULT_KBLI_VERSION
    if version_text not in validators.KBLI_VERSIONS:
        errors.run("kbli_version", validators.validate_kbli, "00000", version_text)
        return "", version_text
    code_text = "" if code is None else str(code).strip()
    if not code_text:
        return "", version_text
    return errors.run("kbli_code", validators.validate_kbli, code_text, version_text) or "", (
        version_text
    )


def _deed_date(errors: _Errors, value: Any, province: Province) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            errors.add("deed_date", _("Give a date like 2021-03-17."), "invalid")
            return None
    # "Today" where the cooperative is: WIT is two hours ahead of the server's WIB.
    if value > timezone.localdate(timezone=province.zone):
        errors.add("deed_date", _("The deed date cannot be in the future."), "deed_date_future")
    return value


def _unknown(given, allowed) -> None:
    unknown = set(given) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")


# --- Pesantren -----------------------------------------------------------------


def _clean_pesantren(data: dict, *, province: Province, current_pk: int | None) -> dict:
    """The stored form of every pesantren field, or ValidationError naming each bad field."""
    errors = _Errors()
    clean: dict[str, Any] = {}
    clean["name"] = _text(errors, Pesantren, "name", data.get("name"), required=True)
    clean["nspp"] = _nspp(errors, data.get("nspp"), province=province, current_pk=current_pk)
    clean["address"] = _text(errors, Pesantren, "address", data.get("address"))
    clean["regency"] = _regency(errors, data.get("regency"), province)
    clean["district"] = _district(errors, data.get("district"), clean["regency"])
    clean["leader_name"] = _text(errors, Pesantren, "leader_name", data.get("leader_name"))
    clean["santri_male"] = _count(
        errors, "santri_male", data.get("santri_male"), maximum=MAX_SANTRI
    )
    clean["santri_female"] = _count(
        errors, "santri_female", data.get("santri_female"), maximum=MAX_SANTRI
    )
    clean["typology"] = _choice(errors, "typology", data.get("typology"), Typology.values)
    clean["founded_year"] = _year(errors, "founded_year", data.get("founded_year"), minimum=1700)
    clean["opop_joined_year"] = _year(
        errors, "opop_joined_year", data.get("opop_joined_year"), minimum=OPOP_FIRST_YEAR
    )
    founded, joined = clean["founded_year"], clean["opop_joined_year"]
    if founded is not None and joined is not None and joined < founded:
        errors.add(
            "opop_joined_year",
            _("A pesantren cannot join OPOP (%(joined)s) before it was founded (%(founded)s)."),
            "joined_before_founded",
            {"joined": joined, "founded": founded},
        )
    clean["phone"] = _phone(errors, data.get("phone"))
    clean["email"] = _email(errors, data.get("email"))
    clean["website"] = _website(errors, data.get("website"))
    for flag in ("takes_santripreneur", "takes_pesantrenpreneur", "takes_sosiopreneur"):
        clean[flag] = _boolean(data.get(flag))
    clean["status"] = _choice(
        errors, "status", data.get("status") or PesantrenStatus.ACTIVE, PesantrenStatus.values
    )
    errors.raise_any()
    return clean


def _save_unique(instance: models.Model, on_conflict: Callable[[], None], **save_kwargs) -> None:
    """Save in a savepoint; a unique constraint lost to a concurrent writer calls
    `on_conflict` (which raises the field's error) instead of a database error."""
    try:
        with transaction.atomic():
            instance.save(**save_kwargs)
    except IntegrityError:
        on_conflict()
        raise


def _nspp_race(nspp: str | None, *, province: Province, current_pk: int | None):
    def check() -> None:
        if nspp is not None:
            errors = _Errors()
            _nspp_check(errors, nspp, province=province, current_pk=current_pk)
            errors.raise_any()

    return check


@within_province
@transaction.atomic
def pesantren_create(*, actor, province: Province, **fields) -> Pesantren:
    """Register a pesantren in `province`.

    `fields` are the model's fields (see PESANTREN_FIELDS); `name`, `regency`
    and `typology` are required. Checks: NSPP 12 digits and not registered
    anywhere (code "nspp_taken"), regency in the province ("regency_province"),
    district in the regency ("district_regency"), founding year and OPOP year
    (from 2019) real years, joined not before founded ("joined_before_founded"),
    santri counts ≥ 0, phone Indonesian (stored E.164). Side effect: audit
    event `registry.pesantren.create`. Errors: ValidationError per field.
    """
    _unknown(fields, PESANTREN_FIELDS)
    clean = _clean_pesantren(fields, province=province, current_pk=None)
    pesantren = Pesantren(province=province, **clean)
    _save_unique(pesantren, _nspp_race(clean["nspp"], province=province, current_pk=None))
    record(
        actor=actor,
        action="registry.pesantren.create",
        province=province,
        obj=pesantren,
        after=snapshot(pesantren, PESANTREN_FIELDS),
    )
    return pesantren


def _locked(model: type[models.Model], row: models.Model, version: int | None):
    """The row re-read under a write lock, or a conflict if its version moved on."""
    current = model.objects.select_for_update().get(pk=row.pk)
    try:
        read = int(version)
    except (TypeError, ValueError):
        read = None
    if read != current.version:
        raise conflict_error()
    return current


def _apply(current: models.Model, clean: dict, fields: list[str]) -> tuple[dict, dict]:
    """Set the cleaned values; (before, after) of the fields that changed."""
    before = snapshot(current, fields)
    for name, value in clean.items():
        setattr(current, name, value)
    after = snapshot(current, fields)
    changed = [name for name in fields if before[name] != after[name]]
    return {n: before[n] for n in changed}, {n: after[n] for n in changed}


def pesantren_update(*, actor, pesantren: Pesantren, version: int, **changes) -> Pesantren:
    """Change a pesantren's fields (any of PESANTREN_FIELDS but `status`).

    `version` is the one the editor read: if the pesantren changed since,
    ValidationError(code="conflict") and nothing is written. The whole record
    is checked as in `pesantren_create`. When something changed, the version
    goes up by one and `registry.pesantren.update` records the changed fields
    before and after. Returns the pesantren as stored.
    """
    _unknown(changes, [f for f in PESANTREN_FIELDS if f != "status"])
    province = Province.objects.get(pk=pesantren.province_id)
    with scope(province=province), transaction.atomic():
        current = _locked(Pesantren, pesantren, version)
        data = {**{f: getattr(current, f) for f in PESANTREN_FIELDS}, **changes}
        clean = _clean_pesantren(data, province=province, current_pk=current.pk)
        before, after = _apply(current, clean, PESANTREN_FIELDS)
        if not after:
            return current
        current.version += 1
        _save_unique(current, _nspp_race(clean["nspp"], province=province, current_pk=current.pk))
        record(
            actor=actor,
            action="registry.pesantren.update",
            province=province,
            obj=current,
            before={**before, "version": version},
            after={**after, "version": current.version},
        )
    return current


def pesantren_set_status(*, actor, pesantren: Pesantren, version: int, status: str) -> Pesantren:
    """Mark a pesantren active or inactive (it stays in the registry either way).

    Errors: "conflict" as in `pesantren_update`; `status` not a PesantrenStatus
    ("invalid_choice") or the status it already has ("unchanged"). Side effect:
    version + 1 and audit event `registry.pesantren.status`.
    """
    province = Province.objects.get(pk=pesantren.province_id)
    with scope(province=province), transaction.atomic():
        current = _locked(Pesantren, pesantren, version)
        errors = _Errors()
        status = _choice(errors, "status", status, PesantrenStatus.values)
        errors.raise_any()
        if status == current.status:
            raise ValidationError(
                {
                    "status": ValidationError(
                        _("The pesantren is already %(status)s.")
                        % {"status": PesantrenStatus(status).label.lower()},
                        code="unchanged",
                    )
                }
            )
        before = {"status": current.status, "version": current.version}
        current.status = status
        current.version += 1
        current.save(update_fields=["status", "version", "updated_at"])
        record(
            actor=actor,
            action="registry.pesantren.status",
            province=province,
            obj=current,
            before=before,
            after={"status": current.status, "version": current.version},
        )
    return current


# --- Cooperatives ----------------------------------------------------------------


def _clean_cooperative(data: dict, *, province: Province, current: Cooperative | None) -> dict:
    errors = _Errors()
    clean: dict[str, Any] = {}
    clean["name"] = _text(errors, Cooperative, "name", data.get("name"), required=True)
    clean["legal_form"] = _choice(errors, "legal_form", data.get("legal_form"), LegalForm.values)
    clean["deed_number"] = _text(errors, Cooperative, "deed_number", data.get("deed_number"))
    clean["deed_date"] = _deed_date(errors, data.get("deed_date"), province)
    clean["nib"] = _nib(errors, data.get("nib"), exclude=current)
    clean["kbli_code"], clean["kbli_version"] = _kbli(
        errors, data.get("kbli_code"), data.get("kbli_version")
    )
    clean["members_count"] = _count(
        errors, "members_count", data.get("members_count"), maximum=MAX_MEMBERS
    )
    clean["business_lines"] = _text(
        errors, Cooperative, "business_lines", data.get("business_lines")
    )
    errors.raise_any()
    return clean


def _nib_race(nib: str | None, exclude) -> Callable[[], None]:
    def check() -> None:
        if nib is not None and _nib_holder(nib, exclude=exclude):
            raise ValidationError(
                {
                    "nib": ValidationError(
                        _("This NIB is already registered to another business."),
                        code="nib_taken",
                    )
                }
            )

    return check


def _cooperative_exists_error() -> ValidationError:
    return ValidationError(
        {
            "pesantren": ValidationError(
                _("This pesantren already has a cooperative; edit that one."),
                code="cooperative_exists",
            )
        }
    )


def cooperative_create(*, actor, pesantren: Pesantren, **fields) -> Cooperative:
    """Register the cooperative (kopontren) of a pesantren; a pesantren has at most one.

    `fields`: COOPERATIVE_FIELDS; `name` and `legal_form` are required.
    Checks: no cooperative yet ("cooperative_exists" on `pesantren`), NIB 13
    digits and held by no other cooperative or business ("nib_taken"), KBLI
    code of 5 digits in a known KBLI version, deed date not in the future
    ("deed_date_future"), members ≥ 0. Side effect: audit event
    `registry.cooperative.create`.
    """
    _unknown(fields, COOPERATIVE_FIELDS)
    province = Province.objects.get(pk=pesantren.province_id)
    with scope(province=province), transaction.atomic():
        # Locking the pesantren serialises two officers adding its cooperative at once.
        owner = Pesantren.objects.select_for_update().get(pk=pesantren.pk)
        if Cooperative.objects.filter(pesantren=owner).exists():
            raise _cooperative_exists_error()
        clean = _clean_cooperative(fields, province=province, current=None)
        cooperative = Cooperative(province=province, pesantren=owner, **clean)

        def lost_race() -> None:
            if Cooperative.objects.filter(pesantren=owner).exists():
                raise _cooperative_exists_error()
            _nib_race(clean["nib"], None)()

        _save_unique(cooperative, lost_race)
        record(
            actor=actor,
            action="registry.cooperative.create",
            province=province,
            obj=cooperative,
            after={"pesantren": owner.pk, **snapshot(cooperative, COOPERATIVE_FIELDS)},
        )
    return cooperative


def cooperative_update(*, actor, cooperative: Cooperative, version: int, **changes) -> Cooperative:
    """Change a cooperative's fields (COOPERATIVE_FIELDS); its pesantren stays.

    Checks as in `cooperative_create`; "conflict" as in `pesantren_update`.
    Side effect: version + 1 and audit event `registry.cooperative.update`
    with the changed fields, when something changed.
    """
    _unknown(changes, COOPERATIVE_FIELDS)
    province = Province.objects.get(pk=cooperative.province_id)
    with scope(province=province), transaction.atomic():
        current = _locked(Cooperative, cooperative, version)
        data = {**{f: getattr(current, f) for f in COOPERATIVE_FIELDS}, **changes}
        clean = _clean_cooperative(data, province=province, current=current)
        before, after = _apply(current, clean, COOPERATIVE_FIELDS)
        if not after:
            return current
        current.version += 1
        _save_unique(current, _nib_race(clean["nib"], current))
        record(
            actor=actor,
            action="registry.cooperative.update",
            province=province,
            obj=current,
            before={**before, "version": version},
            after={**after, "version": current.version},
        )
    return current


# --- Santri and alumni businesses -----------------------------------------------------


def _clean_enterprise(data: dict, *, province: Province, current: Enterprise | None) -> dict:
    errors = _Errors()
    clean: dict[str, Any] = {}
    given = data.get("owner")
    owner = None
    if given in (None, ""):
        errors.add("owner", _("Choose the person who owns the business."), "required")
    else:
        # Scoped: a person of another province is not found, as if unknown.
        owner = Person.objects.filter(pk=given.pk if isinstance(given, Person) else given).first()
        if owner is None:
            errors.add("owner", _("Choose a person registered in this province."), "invalid")
    if owner is not None and owner.is_erased:
        errors.add(
            "owner",
            _("This person's data was erased; they cannot own a new business."),
            "owner_erased",
        )
    clean["owner"] = owner
    pesantren = data.get("pesantren")
    if pesantren not in (None, ""):
        pk = pesantren.pk if isinstance(pesantren, Pesantren) else pesantren
        pesantren = Pesantren.objects.filter(pk=pk).first()
        if pesantren is None:
            errors.add("pesantren", _("Choose a pesantren of this province."), "invalid")
    clean["pesantren"] = pesantren or None
    clean["name"] = _text(errors, Enterprise, "name", data.get("name"), required=True)
    clean["pillar"] = _choice(errors, "pillar", data.get("pillar"), ENTERPRISE_PILLARS)
    clean["business_line"] = _text(errors, Enterprise, "business_line", data.get("business_line"))
    clean["nib"] = _nib(errors, data.get("nib"), exclude=current)
    clean["kbli_code"], clean["kbli_version"] = _kbli(
        errors, data.get("kbli_code"), data.get("kbli_version")
    )
    clean["started_year"] = _year(errors, "started_year", data.get("started_year"), minimum=1900)
    errors.raise_any()
    return clean


def _enterprise_snapshot(enterprise: Enterprise) -> dict:
    return snapshot(enterprise, ENTERPRISE_FIELDS)


@within_province
@transaction.atomic
def enterprise_create(*, actor, province: Province, **fields) -> Enterprise:
    """Register a santripreneur's or sosiopreneur's business.

    `fields`: ENTERPRISE_FIELDS. `owner` is a Person of `province` (or its id),
    not erased; `pesantren` optional, of `province`; `pillar` santripreneur or
    sosiopreneur; `name` required. NIB and KBLI as for cooperatives;
    `started_year` a real year. Side effect: audit event
    `registry.enterprise.create`.
    """
    _unknown(fields, ENTERPRISE_FIELDS)
    clean = _clean_enterprise(fields, province=province, current=None)
    enterprise = Enterprise(province=province, **clean)
    _save_unique(enterprise, _nib_race(clean["nib"], None))
    record(
        actor=actor,
        action="registry.enterprise.create",
        province=province,
        obj=enterprise,
        after=_enterprise_snapshot(enterprise),
    )
    return enterprise


def enterprise_update(*, actor, enterprise: Enterprise, version: int, **changes) -> Enterprise:
    """Change a business's fields (ENTERPRISE_FIELDS), checked as in `enterprise_create`.

    "conflict" as in `pesantren_update`. Side effect: version + 1 and audit
    event `registry.enterprise.update` with the changed fields.
    """
    _unknown(changes, ENTERPRISE_FIELDS)
    province = Province.objects.get(pk=enterprise.province_id)
    with scope(province=province), transaction.atomic():
        current = _locked(Enterprise, enterprise, version)
        data = {**{f: getattr(current, f) for f in ENTERPRISE_FIELDS}, **changes}
        clean = _clean_enterprise(data, province=province, current=current)
        before, after = _apply(current, clean, ENTERPRISE_FIELDS)
        if not after:
            return current
        current.version += 1
        _save_unique(current, _nib_race(clean["nib"], current))
        record(
            actor=actor,
            action="registry.enterprise.update",
            province=province,
            obj=current,
            before={**before, "version": version},
            after={**after, "version": current.version},
        )
    return current


# --- Pesantren accounts ---------------------------------------------------------------


def pesantren_account_create(
    *, actor, pesantren: Pesantren, username: str, full_name: str, email: str = ""
):
    """Create a login that speaks for `pesantren`; returns (user, temporary password).

    The account is made by `niaga.accounts.domain.user_create` with the one role
    `pesantren` in the pesantren's province (so it must change the password at
    first login), and a `PesantrenAccess` ties it to this pesantren. Show the
    password once; it is stored only hashed. Errors: username empty, with
    characters other than letters, digits and @ . + - _, or taken; full name
    empty. Side effects: audit events `accounts.user.created` and
    `registry.pesantren.account_create` (on the pesantren, so its history shows it).
    """
    errors = _Errors()
    username = (username or "").strip()
    if not username:
        errors.add("username", _("This field is required."), "required")
    else:
        errors.run("username", UnicodeUsernameValidator(), username)
    full_name = " ".join((full_name or "").split())
    if not full_name:
        errors.add("full_name", _("This field is required."), "required")
    elif len(full_name) > _max_length(User, "full_name"):
        errors.add(
            "full_name",
            _("At most %(limit)s characters; this has %(count)s."),
            "max_length",
            {"limit": _max_length(User, "full_name"), "count": len(full_name)},
        )
    email = _email(errors, email)
    errors.raise_any()
    province = Province.objects.get(pk=pesantren.province_id)
    with scope(province=province), transaction.atomic():
        owner = Pesantren.objects.get(pk=pesantren.pk)
        user, password = accounts_domain.user_create(
            actor=actor,
            province=province,
            username=username,
            full_name=full_name,
            email=email,
            roles=[Role.PESANTREN],
        )
        PesantrenAccess.objects.create(province=province, user=user, pesantren=owner)
        record(
            actor=actor,
            action="registry.pesantren.account_create",
            province=province,
            obj=owner,
            after={"user": user.pk, "username": user.username},
        )
    return user, password
