"""Bulk imports of pesantren, cooperatives, people and products: check all, then commit all.

A job goes through these functions, each a state change:

1. `import_job_create`: the upload is checked and stored (`niaga.registry.importing`),
   its columns matched to the template's. A file that cannot be read at all
   raises ValidationError with the file's problem; nothing is kept.
2. `import_job_map`: the user confirms or changes the column mapping; checking starts.
3. `import_job_check_step`: checks the next chunk of rows (CHUNK_ROWS). The
   progress page's polls call it; no background worker is needed. A step
   reads and checks without holding a lock, then, under the job row's lock,
   writes its results only if no other step wrote the same chunk first, so
   two overlapping polls never count a row twice and a poll that dies leaves
   the job resumable from the last written chunk.
4. `import_job_commit`: reads the file again, checks every row again (the
   database may have changed since) and writes every row in one transaction,
   in batches; any problem rolls everything back and lists the problems. A
   second commit of the same job (a double click) changes nothing.
5. `import_job_discard`: drops the job's file and problems.

The rules per row are the domain's rules for one record (see `pesantren.py`,
`people.py`, `products.py`), applied to a chunk at once with one query per
look-up instead of one per row. Duplicates are found within the file (by a
key table while checking in chunks, by an in-memory set of 8-byte digests
when committing: at most about 70 MB for 1,000,000 rows) and against the
database (NSPP and NIB nationally, NIK hash in the province). NIKs are
encrypted, hashed and masked before insert and never stored in clear: not in
rows, problems, keys or the audit log. The uploaded file holds them until the
job is committed or discarded (or abandoned for ABANDONED_AFTER), then it is
deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from niaga.audit.domain import record
from niaga.core import personal_data
from niaga.regions.models import Province
from niaga.registry import importing, validators
from niaga.registry.domain.people import EARLIEST_BIRTH_DATE
from niaga.registry.domain.pesantren import MAX_MEMBERS, MAX_SANTRI, OPOP_FIRST_YEAR
from niaga.registry.domain.products import MAX_CAPACITY, clean_legal_document
from niaga.registry.importing import RowData
from niaga.registry.models import (
    Consent,
    Cooperative,
    CurationStatus,
    Enterprise,
    ImportIssue,
    ImportJob,
    ImportKey,
    LegalDocument,
    Person,
    Pesantren,
    Product,
)
from niaga.registry.models.imports import ImportResource, ImportStatus
from niaga.registry.resources import ImportContext, get_resource

CHUNK_ROWS = 2000  # rows checked per progress poll
COMMIT_BATCH = 1000  # rows written per INSERT when committing
PREVIEW_ROWS = 10
MAX_ISSUES = 100_000  # problems kept per job; more are counted, not listed
STALE_COMMIT = dt.timedelta(minutes=30)
ABANDONED_AFTER = dt.timedelta(days=7)
# Values per IN (...) look-up. Small on purpose: a commit inserts into the very
# tables it looks up, in one transaction, so PostgreSQL has no statistics for
# the new rows (autovacuum cannot analyse them). Without statistics, a list of
# 500 hashes looks unselective and the planner reads every row of the province
# for each look-up (quadratic: a 1,000,000-row import took 3 times as long per
# row as a 200,000-row one); with 100 it keeps using the unique index.
_QUERY_BATCH = 100


def _require_manage(actor, province: Province) -> None:
    if actor is not None and not actor.has_perm("registry.manage_registry", province):
        raise PermissionDenied("may not import into this province's registry")


def _batches(values: list, size: int = _QUERY_BATCH) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def digest(text: str) -> int:
    """A key as a signed 64-bit integer: the first 8 bytes of its SHA-256."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big", signed=True)


def _norm_name(name: str) -> str:
    return " ".join(name.casefold().split())


# --- Duplicates within the file -------------------------------------------------


class _MemoryKeys:
    """Keys seen so far in one pass (the commit): a set of 8-byte digests.

    Bound: about 70 bytes per key in CPython (an int and its set slot), so
    1,000,000 NIKs take about 70 MB. Lines are not kept, so a duplicate found
    here names no line; the chunked check before it already did.
    """

    def __init__(self) -> None:
        self.seen: set[int] = set()

    def claim(self, items: list[tuple[int, int]]) -> dict[int, int | None]:
        earlier: dict[int, int | None] = {}
        seen = self.seen
        for position, (key, _line) in enumerate(items):
            if key in seen:
                earlier[position] = None
            else:
                seen.add(key)
        return earlier


class _StoredKeys:
    """Keys seen by earlier chunks, in ImportKey rows; new ones are written by `save`."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.new: list[tuple[int, int]] = []

    def claim(self, items: list[tuple[int, int]]) -> dict[int, int | None]:
        wanted = list({key for key, _line in items})
        known: dict[int, int] = {}
        for batch in _batches(wanted):
            known.update(
                ImportKey.objects.filter(job=self.job, digest__in=batch).values_list(
                    "digest", "line"
                )
            )
        earlier: dict[int, int | None] = {}
        for position, (key, line) in enumerate(items):
            if key in known:
                earlier[position] = known[key]
            else:
                known[key] = line
                self.new.append((key, line))
        return earlier

    def save(self) -> None:
        _raw_insert(
            ImportKey, [{"job_id": self.job.pk, "digest": k, "line": n} for k, n in self.new]
        )


def _unique_in_file(rows: list[RowData], keys, column: str, keyed: dict[int, str], what) -> None:
    """Flag rows whose key (row index → key text) an earlier row of the file has."""
    items = [(digest(text), rows[index].line) for index, text in keyed.items()]
    indexes = list(keyed)
    for position, line in keys.claim(items).items():
        row = rows[indexes[position]]
        if line is None:
            message = _("The same %(what)s is on an earlier line of the file.") % {"what": what}
        else:
            message = _("The same %(what)s is on line %(line)s of the file.") % {
                "what": what,
                "line": line,
            }
        row.problem(column, "duplicate_in_file", message)


# --- Checks per resource ----------------------------------------------------------


class _Checker:
    """The rules for one resource's rows, and how they are written."""

    def __init__(self, ctx: ImportContext, province: Province, actor=None) -> None:
        self.ctx = ctx
        self.province = province
        self.actor = actor

    def check(self, rows: list[RowData], keys) -> None:
        raise NotImplementedError

    def insert(self, rows: list[RowData]) -> None:
        raise NotImplementedError


def _usable(row: RowData, *keys: str) -> bool:
    """Whether the row's values for `keys` were read (no problem in their cells)."""
    return all(row.values.get(key) is not None for key in keys)


class _PesantrenChecker(_Checker):
    def check(self, rows, keys):
        for row in rows:
            v = row.values
            district, regency = v.get("district"), v.get("regency")
            if district and regency and district.regency_id != regency.code:
                row.problem(
                    "district",
                    "district_regency",
                    _("The district %(district)s is not in %(regency)s.")
                    % {"district": district.name, "regency": regency.name},
                )
            for key in ("santri_male", "santri_female"):
                if v.get(key) is not None and v[key] > MAX_SANTRI:
                    row.problem(
                        key,
                        "max_value",
                        _("The number cannot be more than %(maximum)s.") % {"maximum": MAX_SANTRI},
                    )
            joined, founded = v.get("opop_joined_year"), v.get("founded_year")
            if joined is not None and joined < OPOP_FIRST_YEAR:
                row.problem(
                    "opop_joined_year",
                    "year_range",
                    _("OPOP began in %(year)s; a pesantren cannot have joined before.")
                    % {"year": OPOP_FIRST_YEAR},
                )
            elif joined is not None and founded is not None and joined < founded:
                row.problem(
                    "opop_joined_year",
                    "joined_before_founded",
                    _(
                        "A pesantren cannot join OPOP (%(joined)s) before it was founded "
                        "(%(founded)s)."
                    )
                    % {"joined": joined, "founded": founded},
                )
        with_nspp = {i: f"nspp:{r.values['nspp']}" for i, r in enumerate(rows) if r.values["nspp"]}
        _unique_in_file(rows, keys, "nspp", with_nspp, _("NSPP"))
        named = {
            i: f"name:{r.values['regency'].code}:{_norm_name(r.values['name'])}"
            for i, r in enumerate(rows)
            if _usable(r, "name", "regency") and r.values["name"]
        }
        _unique_in_file(rows, keys, "name", named, _("pesantren name and regency/city"))
        self._check_database(rows)

    def _check_database(self, rows):
        nspps = [r.values["nspp"] for r in rows if r.values["nspp"]]
        holders: dict[str, int] = {}
        with scopes_disabled():
            for batch in _batches(nspps):
                holders.update(
                    Pesantren.objects.filter(nspp__in=batch).values_list("nspp", "province_id")
                )
        regencies = sorted({r.values["regency"].code for r in rows if _usable(r, "regency")})
        existing = set()
        for batch in _batches(regencies):
            existing.update(
                (regency, _norm_name(name))
                for name, regency in Pesantren.objects.filter(
                    province=self.province, regency_id__in=batch
                ).values_list("name", "regency_id")
            )
        for row in rows:
            nspp = row.values["nspp"]
            if nspp and nspp in holders:
                if holders[nspp] == self.province.pk:
                    message = _("This NSPP is already registered in this province.")
                else:
                    message = _(
                        "This NSPP is already registered, to a pesantren in another province."
                    )
                row.problem("nspp", "nspp_taken", message)
            if (
                _usable(row, "name", "regency")
                and (row.values["regency"].code, _norm_name(row.values["name"])) in existing
            ):
                row.problem(
                    "name",
                    "pesantren_exists",
                    _("A pesantren with this name is already registered in %(regency)s.")
                    % {"regency": row.values["regency"].name},
                )

    def insert(self, rows):
        objects = []
        for row in rows:
            v = row.values
            pillars = set(v["pillars"] or ())
            objects.append(
                Pesantren(
                    province=self.province,
                    name=" ".join(v["name"].split()),
                    nspp=v["nspp"] or None,
                    address=v["address"],
                    regency=v["regency"],
                    district=v["district"],
                    leader_name=v["leader_name"],
                    santri_male=v["santri_male"],
                    santri_female=v["santri_female"],
                    typology=v["typology"],
                    founded_year=v["founded_year"],
                    phone=v["phone"],
                    email=v["email"],
                    website=v["website"],
                    takes_santripreneur="santripreneur" in pillars,
                    takes_pesantrenpreneur="pesantrenpreneur" in pillars,
                    takes_sosiopreneur="sosiopreneur" in pillars,
                    opop_joined_year=v["opop_joined_year"],
                    status=v["status"],
                )
            )
        Pesantren.objects.bulk_create(objects, batch_size=COMMIT_BATCH)


def _pesantren_by_nspp(province: Province, nspps: set[str]) -> tuple[dict, dict]:
    """NSPP → pesantren of `province`, and NSPP → province id for the rest of the country."""
    mine, elsewhere = {}, {}
    with scopes_disabled():
        for batch in _batches(sorted(nspps)):
            for pesantren in Pesantren.objects.filter(nspp__in=batch).select_related("regency"):
                if pesantren.province_id == province.pk:
                    mine[pesantren.nspp] = pesantren
                else:
                    elsewhere[pesantren.nspp] = pesantren.province_id
    return mine, elsewhere


def _unknown_nspp(row: RowData, key: str, nspp: str, elsewhere: dict) -> None:
    if nspp in elsewhere:
        row.problem(
            key,
            "pesantren_province",
            _("The pesantren with NSPP %(nspp)s is registered in another province, not here.")
            % {"nspp": nspp},
        )
    else:
        row.problem(
            key,
            "pesantren_unknown",
            _("No pesantren with NSPP %(nspp)s is registered in this province; import it first.")
            % {"nspp": nspp},
        )


def _nib_holders(nibs: list[str]) -> set[str]:
    """NIBs held by a cooperative or a santri/alumni business anywhere in the country."""
    held: set[str] = set()
    with scopes_disabled():
        for batch in _batches(nibs):
            held.update(Cooperative.objects.filter(nib__in=batch).values_list("nib", flat=True))
            held.update(Enterprise.objects.filter(nib__in=batch).values_list("nib", flat=True))
    return held


class _CooperativeChecker(_Checker):
    def check(self, rows, keys):
        nspps = {r.values["pesantren_nspp"] for r in rows if r.values["pesantren_nspp"]}
        by_nspp, elsewhere = _pesantren_by_nspp(self.province, nspps)
        by_name = self._pesantren_by_name(rows)
        for row in rows:
            v = row.values
            v["pesantren"] = self._pesantren_of(row, by_nspp, elsewhere, by_name)
            if v.get("kbli_code") and v.get("kbli_version"):
                try:
                    validators.validate_kbli(v["kbli_code"], v["kbli_version"])
                except ValidationError as error:
                    row.problem("kbli_code", error.code, error.messages[0])
            if v.get("deed_date") and v["deed_date"] > self.ctx.today:
                row.problem(
                    "deed_date", "deed_date_future", _("The deed date cannot be in the future.")
                )
            if v.get("members_count") is not None and v["members_count"] > MAX_MEMBERS:
                row.problem(
                    "members_count",
                    "max_value",
                    _("The number cannot be more than %(maximum)s.") % {"maximum": MAX_MEMBERS},
                )
        owners = {
            i: f"pesantren:{r.values['pesantren'].pk}"
            for i, r in enumerate(rows)
            if r.values.get("pesantren")
        }
        _unique_in_file(rows, keys, "name", owners, _("pesantren (one cooperative each)"))
        with_nib = {i: f"nib:{r.values['nib']}" for i, r in enumerate(rows) if r.values["nib"]}
        _unique_in_file(rows, keys, "nib", with_nib, _("NIB"))
        pesantren_ids = [r.values["pesantren"].pk for r in rows if r.values.get("pesantren")]
        with_cooperative = set()
        for batch in _batches(pesantren_ids):
            with_cooperative.update(
                Cooperative.objects.filter(pesantren_id__in=batch).values_list(
                    "pesantren_id", flat=True
                )
            )
        held = _nib_holders([r.values["nib"] for r in rows if r.values["nib"]])
        for row in rows:
            pesantren = row.values.get("pesantren")
            if pesantren is not None and pesantren.pk in with_cooperative:
                row.problem(
                    "name",
                    "cooperative_exists",
                    _("%(pesantren)s already has a cooperative; a pesantren has one.")
                    % {"pesantren": pesantren.name},
                )
            if row.values["nib"] and row.values["nib"] in held:
                row.problem(
                    "nib", "nib_taken", _("This NIB is already registered to another business.")
                )

    def _pesantren_by_name(self, rows) -> dict[tuple[str, str], list]:
        """(regency code, normalised name) → pesantren, for rows that name theirs by name."""
        regencies = {
            r.values["pesantren_regency"].code
            for r in rows
            if not r.values["pesantren_nspp"]
            and r.values.get("pesantren_name")
            and r.values.get("pesantren_regency") is not None
        }
        found: dict[tuple[str, str], list] = {}
        for batch in _batches(sorted(regencies)):
            for pesantren in Pesantren.objects.filter(
                province=self.province, regency_id__in=batch
            ).select_related("regency"):
                key = (pesantren.regency_id, _norm_name(pesantren.name))
                found.setdefault(key, []).append(pesantren)
        return found

    def _pesantren_of(self, row, by_nspp, elsewhere, by_name):
        v = row.values
        nspp = v["pesantren_nspp"]
        if nspp:
            if nspp in by_nspp:
                return by_nspp[nspp]
            _unknown_nspp(row, "pesantren_nspp", nspp, elsewhere)
            return None
        if row.texts.get("pesantren_nspp") and nspp is None:
            return None  # the NSPP cell itself has a problem
        name, regency = v.get("pesantren_name"), v.get("pesantren_regency")
        if not name or regency is None:
            if row.texts.get("pesantren_regency") and regency is None:
                return None  # the regency cell has a problem
            row.problem(
                "pesantren_nspp",
                "pesantren_missing",
                _("Give the pesantren's NSPP, or its name and regency/city code."),
            )
            return None
        matches = by_name.get((regency.code, _norm_name(name)), [])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            row.problem(
                "pesantren_name",
                "pesantren_unknown",
                _("No pesantren called “%(name)s” is registered in %(regency)s.")
                % {"name": name[:80], "regency": regency.name},
            )
        else:
            row.problem(
                "pesantren_name",
                "pesantren_ambiguous",
                _("%(count)s pesantren are called “%(name)s” in %(regency)s; give the NSPP.")
                % {"count": len(matches), "name": name[:80], "regency": regency.name},
            )
        return None

    def insert(self, rows):
        objects = [
            Cooperative(
                province=self.province,
                pesantren=row.values["pesantren"],
                name=" ".join(row.values["name"].split()),
                legal_form=row.values["legal_form"],
                deed_number=row.values["deed_number"],
                deed_date=row.values["deed_date"],
                nib=row.values["nib"] or None,
                kbli_code=row.values["kbli_code"],
                kbli_version=row.values["kbli_version"],
                members_count=row.values["members_count"],
                business_lines=row.values["business_lines"],
            )
            for row in rows
        ]
        Cooperative.objects.bulk_create(objects, batch_size=COMMIT_BATCH)


def _is_minor(birth_date: dt.date | None, on: dt.date) -> bool:
    if birth_date is None:
        return True
    years = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return years < 18


class _PeopleChecker(_Checker):
    def check(self, rows, keys):
        today = self.ctx.today
        nspps = {r.values["pesantren_nspp"] for r in rows if r.values["pesantren_nspp"]}
        by_nspp, elsewhere = _pesantren_by_nspp(self.province, nspps) if nspps else ({}, {})
        hashed: dict[int, str] = {}
        previous_key = personal_data.has_previous_lookup_key()
        for index, row in enumerate(rows):
            v = row.values
            birth = v.get("birth_date")
            if birth is not None:
                if birth > today:
                    row.problem(
                        "birth_date", "birth_future", _("The birth date cannot be in the future.")
                    )
                    birth = None
                elif birth < EARLIEST_BIRTH_DATE:
                    row.problem(
                        "birth_date",
                        "birth_too_early",
                        _("The birth date must be in 1900 or later."),
                    )
                    birth = None
            nik = v.get("nik")
            if nik:
                try:
                    validators.check_nik_matches(
                        nik,
                        birth_date=birth,
                        is_female=(v["gender"] == "female") if v.get("gender") else None,
                    )
                except ValidationError as error:
                    row.problem("nik", error.code, error.messages[0])
                v["nik_hash"] = personal_data.lookup_hash("nik", nik)
                hashed[index] = v["nik_hash"]
            nspp = v.get("pesantren_nspp")
            v["pesantren"] = None
            if nspp:
                if nspp in by_nspp:
                    v["pesantren"] = by_nspp[nspp]
                else:
                    _unknown_nspp(row, "pesantren_nspp", nspp, elsewhere)
            self._check_consent(row, birth, today)
        _unique_in_file(rows, keys, "nik", {i: f"nik:{h}" for i, h in hashed.items()}, _("NIK"))
        wanted = []
        for text in hashed.values():
            wanted.append(text)
        if previous_key:
            # During a look-up key rotation some rows still carry the old hash.
            for index in hashed:
                wanted.extend(personal_data.lookup_hashes("nik", rows[index].values["nik"])[1:])
        taken: set[str] = set()
        for batch in _batches(wanted):
            taken.update(
                Person.objects.filter(nik_hash__in=batch).values_list("nik_hash", flat=True)
            )
        for index, value in hashed.items():
            row = rows[index]
            hashes = (
                personal_data.lookup_hashes("nik", row.values["nik"]) if previous_key else (value,)
            )
            if any(h in taken for h in hashes):
                row.problem(
                    "nik",
                    "nik_duplicate",
                    _("A person with this NIK is already registered in this province."),
                )

    def _check_consent(self, row: RowData, birth, today) -> None:
        v = row.values
        given_on, given_by = v.get("consent_on"), v.get("consent_by")
        if given_on is None:
            if not row.texts.get("consent_on") and (given_by or v.get("guardian_name")):
                row.problem("consent_on", "consent_date", _("Give the date the consent was given."))
            return
        if given_by is None:
            return  # the cell has its own problem
        if given_by == "":
            row.problem(
                "consent_by",
                "consent_giver",
                _("Say who gave the consent: diri sendiri (the person) or wali (a guardian)."),
            )
            return
        if given_on > today:
            row.problem(
                "consent_on", "consent_future", _("The consent date cannot be in the future.")
            )
        elif birth is not None and given_on < birth:
            row.problem(
                "consent_on",
                "consent_before_birth",
                _("The consent date cannot be before the person's birth."),
            )
        elif given_by == "self" and _is_minor(birth, given_on):
            if birth is None:
                message = _(
                    "No birth date is given, so this person is treated as a minor: a parent or "
                    "guardian (wali) must give the consent."
                )
            else:
                message = _(
                    "This person was under 18 on %(date)s: a parent or guardian (wali) must give "
                    "the consent."
                ) % {"date": given_on.strftime("%d-%m-%Y")}
            row.problem("consent_by", "consent_minor", message)
        if given_by == "guardian" and not v.get("guardian_name"):
            row.problem(
                "guardian_name", "guardian_name", _("Give the name of the parent or guardian.")
            )

    def insert(self, rows):
        province_id = self.province.pk
        now = timezone.now()
        encrypt = personal_data.encrypt
        mask = validators.mask_nik
        plain, consenting = [], []
        for row in rows:
            v = row.values
            nik = v["nik"]
            pesantren = v["pesantren"]
            person = {
                "province_id": province_id,
                "pesantren_id": pesantren.pk if pesantren is not None else None,
                "full_name": " ".join(v["full_name"].split()),
                "role": v["role"],
                "pillar": v["pillar"],
                "gender": v["gender"],
                "birth_date": v["birth_date"],
                "nik_encrypted": encrypt(nik) if nik else "",
                "nik_hash": v["nik_hash"] if nik else None,
                "nik_masked": mask(nik) if nik else "",
                "phone": v["phone"],
                "email": v["email"],
                "regency_id": v["regency"],
                "address": v["address"],
                "created_at": now,
                "updated_at": now,
            }
            if v["consent_on"]:
                consenting.append((person, row))
            else:
                plain.append(person)
        # Most rows carry no consent: they go in without model instances, by COPY
        # on PostgreSQL. The few with a consent need their ids, so the ORM inserts them.
        _raw_insert(Person, plain)
        if not consenting:
            return
        people = [Person(**person) for person, _row in consenting]
        _insert(Person, people)
        recorded_by = self.actor if getattr(self.actor, "is_authenticated", False) else None
        consents = []
        for person, (_data, row) in zip(people, consenting, strict=True):
            v = row.values
            by_guardian = v["consent_by"] == "guardian"
            consents.append(
                Consent(
                    province_id=province_id,
                    person_id=person.pk,
                    purpose="registry",
                    given_on=v["consent_on"],
                    given_by=v["consent_by"],
                    guardian_name=v["guardian_name"] if by_guardian else "",
                    guardian_relation=v["guardian_relation"] if by_guardian else "",
                    recorded_by=recorded_by,
                )
            )
        Consent.objects.bulk_create(consents, batch_size=COMMIT_BATCH)


_LEGAL_KINDS = {
    "halal": ("halal_number", "halal_scheme", "halal_issued_on", "halal_expires_on"),
    "pirt": ("pirt_number", None, None, "pirt_expires_on"),
    "bpom": ("bpom_number", None, None, "bpom_expires_on"),
    "sni": ("sni_number", None, None, None),
    "trademark": ("trademark_number", None, None, None),
}
_LEGAL_FIELD_COLUMN = {"number": 0, "halal_scheme": 1, "issued_on": 2, "expires_on": 3}


class _ProductChecker(_Checker):
    def check(self, rows, keys):
        nibs = sorted({r.values["owner_nib"] for r in rows if r.values["owner_nib"]})
        nspps = {r.values["owner_nspp"] for r in rows if r.values["owner_nspp"]}
        niks = {r.values["owner_nik"] for r in rows if r.values["owner_nik"]}
        by_nib: dict[str, Cooperative] = {}
        for batch in _batches(nibs):
            by_nib.update(
                (c.nib, c)
                for c in Cooperative.objects.filter(nib__in=batch).select_related("pesantren")
            )
        by_nspp, elsewhere = _pesantren_by_nspp(self.province, nspps) if nspps else ({}, {})
        cooperative_of = {}
        pesantren_ids = [p.pk for p in by_nspp.values()]
        for batch in _batches(pesantren_ids):
            cooperative_of.update(
                (c.pesantren_id, c)
                for c in Cooperative.objects.filter(pesantren_id__in=batch).select_related(
                    "pesantren"
                )
            )
        # Every hash a stored NIK may carry (two while a look-up key rotation runs).
        hashes = {nik: personal_data.lookup_hashes("nik", nik) for nik in niks}
        by_hash: dict[str, Person] = {}
        for batch in _batches([h for found in hashes.values() for h in found]):
            by_hash.update(
                (p.nik_hash, p)
                for p in Person.objects.filter(nik_hash__in=batch).select_related("pesantren")
            )
        for row in rows:
            row.values["owner"] = self._owner(
                row, by_nib, by_nspp, elsewhere, cooperative_of, hashes, by_hash
            )
            self._check_values(row)
        owned = {
            i: f"product:{type(r.values['owner']).__name__}:{r.values['owner'].pk}:"
            f"{_norm_name(r.values['name'])}"
            for i, r in enumerate(rows)
            if r.values.get("owner") is not None and r.values["name"]
        }
        _unique_in_file(rows, keys, "name", owned, _("product of the same owner"))
        self._check_database(rows)

    def _owner(self, row, by_nib, by_nspp, elsewhere, cooperative_of, hashes, by_hash):
        v = row.values
        nib, nspp, nik = v["owner_nib"], v["owner_nspp"], v["owner_nik"]
        texts = row.texts
        broken = any(
            texts.get(key) and v.get(key) is None and key not in row.masked
            for key in ("owner_nib", "owner_nspp", "owner_nik")
        )
        if broken:
            return None  # a reference cell has its own problem already
        cooperative = None
        if nib:
            cooperative = by_nib.get(nib)
            if cooperative is None:
                row.problem(
                    "owner_nib",
                    "cooperative_unknown",
                    _("No cooperative with NIB %(nib)s is registered in this province.")
                    % {"nib": nib},
                )
                return None
        if nspp:
            pesantren = by_nspp.get(nspp)
            if pesantren is None:
                _unknown_nspp(row, "owner_nspp", nspp, elsewhere)
                return None
            from_nspp = cooperative_of.get(pesantren.pk)
            if from_nspp is None:
                row.problem(
                    "owner_nspp",
                    "cooperative_missing",
                    _("%(pesantren)s has no cooperative registered; register it first.")
                    % {"pesantren": pesantren.name},
                )
                return None
            if cooperative is not None and cooperative.pk != from_nspp.pk:
                row.problem(
                    "owner_nspp",
                    "owner_conflict",
                    _("The NIB and the NSPP name different cooperatives; give one of them."),
                )
                return None
            cooperative = from_nspp
        if cooperative is not None and nik:
            row.problem(
                "owner_nik",
                "owner_ambiguous",
                _(
                    "A product has one owner: give the cooperative (NIB or NSPP) or a "
                    "person's NIK, not both."
                ),
            )
            return None
        if cooperative is not None:
            return cooperative
        if nik:
            person = next((by_hash[h] for h in hashes[nik] if h in by_hash), None)
            if person is None:
                row.problem(
                    "owner_nik",
                    "person_unknown",
                    _("No person with this NIK is registered in this province."),
                )
                return None
            if person.erased_at is not None:
                row.problem(
                    "owner_nik",
                    "person_erased",
                    _("This person's data has been erased; choose another owner."),
                )
                return None
            return person
        if "owner_nik" in row.masked:
            row.problem(
                "owner_nik",
                "nik_masked",
                _(
                    "The owner's NIK is masked (it comes from an export); write the full NIK, "
                    "or the owning cooperative's NIB."
                ),
            )
            return None
        row.problem(
            "owner_nib",
            "owner_missing",
            _("Give the owner: the cooperative's NIB, its pesantren's NSPP, or a person's NIK."),
        )
        return None

    def _check_values(self, row):
        v = row.values
        low, high = v.get("price_min"), v.get("price_max")
        if low is not None and high is not None and low > high:
            row.problem(
                "price_max",
                "price_range",
                _("The highest price must not be below the lowest price."),
            )
        if v.get("monthly_capacity") is not None and v["monthly_capacity"] > MAX_CAPACITY:
            row.problem(
                "monthly_capacity",
                "max_value",
                _("The capacity is a whole number of units, 0 or more."),
            )
        documents = []
        for kind, columns in _LEGAL_KINDS.items():
            number_key = columns[0]
            given = {key: v.get(key) for key in columns if key}
            cell_problem = any(row.texts.get(key) and v.get(key) is None for key in columns if key)
            if cell_problem:
                continue
            if not v.get(number_key):
                extra = [key for key in columns[1:] if key and v.get(key)]
                if extra:
                    row.problem(
                        extra[0],
                        "document_number_missing",
                        _("A date or scheme is given but no document number; give the number."),
                    )
                continue
            try:
                clean = clean_legal_document(
                    kind,
                    given[number_key],
                    given.get(columns[1]) or "" if columns[1] else "",
                    given.get(columns[2]) if columns[2] else None,
                    given.get(columns[3]) if columns[3] else None,
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    index = _LEGAL_FIELD_COLUMN.get(field, 0)
                    key = columns[index] or number_key
                    for message in messages:
                        row.problem(key, f"{kind}_{field}", message)
                continue
            documents.append((kind, clean))
        v["documents"] = documents

    def _check_database(self, rows):
        cooperative_ids = sorted(
            {r.values["owner"].pk for r in rows if isinstance(r.values.get("owner"), Cooperative)}
        )
        person_ids = sorted(
            {r.values["owner"].pk for r in rows if isinstance(r.values.get("owner"), Person)}
        )
        existing = set()
        for batch in _batches(cooperative_ids):
            existing.update(
                ("Cooperative", owner, _norm_name(name))
                for owner, name in Product.objects.filter(
                    owner_cooperative_id__in=batch
                ).values_list("owner_cooperative_id", "name")
            )
        for batch in _batches(person_ids):
            existing.update(
                ("Person", owner, _norm_name(name))
                for owner, name in Product.objects.filter(owner_person_id__in=batch).values_list(
                    "owner_person_id", "name"
                )
            )
        for row in rows:
            owner = row.values.get("owner")
            if owner is None or not row.values["name"]:
                continue
            if (type(owner).__name__, owner.pk, _norm_name(row.values["name"])) in existing:
                row.problem(
                    "name",
                    "product_exists",
                    _("%(owner)s already has a product with this name.") % {"owner": str(owner)},
                )

    def insert(self, rows):
        products = []
        for row in rows:
            v = row.values
            owner = v["owner"]
            if isinstance(owner, Cooperative):
                owner_columns = {
                    "owner_cooperative": owner,
                    "pesantren": owner.pesantren,
                    "regency_id": owner.pesantren.regency_id,
                }
            else:
                owner_columns = {
                    "owner_person": owner,
                    "pesantren": owner.pesantren,
                    "regency_id": owner.regency_id
                    or (owner.pesantren.regency_id if owner.pesantren else None),
                }
            products.append(
                Product(
                    province=self.province,
                    name=" ".join(v["name"].split()),
                    description=v["description"],
                    category=v["category"],
                    price_min=v["price_min"],
                    price_max=v["price_max"],
                    unit=v["unit"],
                    monthly_capacity=v["monthly_capacity"],
                    hs_code=v["hs_code"],
                    # An import never curates: products start as drafts, so no
                    # search-index refresh is due (only curated products are listed).
                    status=CurationStatus.DRAFT,
                    level="",
                    **owner_columns,
                )
            )
        _insert(Product, products)
        documents = [
            LegalDocument(province=self.province, product_id=product.pk, kind=kind, **clean)
            for product, row in zip(products, rows, strict=True)
            for kind, clean in row.values["documents"]
        ]
        LegalDocument.objects.bulk_create(documents, batch_size=COMMIT_BATCH)


CHECKERS: dict[str, type[_Checker]] = {
    ImportResource.PESANTREN: _PesantrenChecker,
    ImportResource.COOPERATIVES: _CooperativeChecker,
    ImportResource.PEOPLE: _PeopleChecker,
    ImportResource.PRODUCTS: _ProductChecker,
}


def _raw_insert(model, rows: list[dict]) -> None:
    """Insert rows given as {attname: value}, without model instances or SQL compiling.

    For the large imports (people): on PostgreSQL a COPY into the table, on
    SQLite one prepared INSERT run for every row. Fields a row leaves out get
    their default. Inside the caller's transaction, like every other write.
    """
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    ops = connection.ops
    adapters = []
    for field in fields:
        internal = field.get_internal_type()
        if internal == "DateTimeField":
            adapters.append(ops.adapt_datetimefield_value)
        elif internal == "DateField":
            adapters.append(ops.adapt_datefield_value)
        else:
            adapters.append(None)
    defaults = {f.attname: f.get_default() for f in fields}
    plan = [(f.attname, adapters[i], defaults[f.attname]) for i, f in enumerate(fields)]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)

    def values(row: dict) -> tuple:
        out = []
        for attname, adapt, default in plan:
            value = row.get(attname, default)
            if adapt is not None and value is not None:
                value = adapt(value)
            out.append(value)
        return tuple(out)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 (names from the model)
                [values(row) for row in rows],
            )


def _insert(model, objects: list) -> None:
    """Insert rows whose primary keys the caller needs afterwards."""
    model.objects.bulk_create(objects, batch_size=COMMIT_BATCH)
    if objects and objects[0].pk is None:  # a database that returns no ids from bulk inserts
        raise RuntimeError("the database did not return the ids of inserted rows")


# --- Jobs ---------------------------------------------------------------------------


def _file_error(error: importing.FileRejected) -> ValidationError:
    return ValidationError({"file": ValidationError(error.message, code=error.code)})


def _discard_abandoned(province: Province) -> None:
    """Discard this province's jobs nobody touched for ABANDONED_AFTER: their files hold
    personal data and must not stay on disk."""
    cutoff = timezone.now() - ABANDONED_AFTER
    stale = ImportJob.objects.filter(
        province=province,
        updated_at__lt=cutoff,
        status__in=[
            ImportStatus.MAPPING,
            ImportStatus.VALIDATING,
            ImportStatus.READY,
            ImportStatus.INVALID,
        ],
    )
    for job in stale:
        _discard(job, actor=None)


def import_job_create(*, actor, province: Province, resource: str, upload) -> ImportJob:
    """Store an uploaded file for import into `province` and match its columns.

    `resource` is one of ImportResource; `upload` a Django UploadedFile (or
    File with `name` and `size`). The file is checked (size, type, encoding,
    header, rows: see `importing.store_upload`) and stored privately; the job
    starts in "mapping" with the columns matched automatically. Side effects:
    the stored file, the job row, an audit event "registry.import.upload";
    abandoned jobs of the province are discarded. Errors: PermissionDenied
    without registry.manage_registry; ValidationError {"file": …} with the
    file's problem (code as in `importing.FileRejected`), and nothing is kept.
    """
    _require_manage(actor, province)
    if resource not in ImportResource.values:
        raise ValidationError({"resource": _("Choose what the file holds.")}, code="resource")
    spec = get_resource(resource)
    with scope(province=province):
        _discard_abandoned(province)
        try:
            stored = importing.store_upload(upload, province=province)
        except importing.FileRejected as error:
            raise _file_error(error) from None
        try:
            with transaction.atomic():
                job = ImportJob.objects.create(
                    province=province,
                    resource=resource,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                    original_name=(upload.name or "")[-255:],
                    source_format=stored.source_format,
                    size_bytes=upload.size,
                    stored_name=stored.name,
                    delimiter=stored.delimiter,
                    notice="\n".join(str(n) for n in stored.notices),
                    header=stored.header,
                    mapping=importing.detect_mapping(spec, stored.header),
                    total_rows=stored.total_rows,
                    data_offset=stored.data_offset,
                    header_line=stored.header_line,
                    next_offset=stored.data_offset,
                    next_line=stored.header_line + 1,
                )
                record(
                    actor=actor,
                    action="registry.import.upload",
                    province=province,
                    obj=job,
                    after={
                        "resource": resource,
                        "file": job.original_name,
                        "rows": job.total_rows,
                        "size_bytes": job.size_bytes,
                    },
                )
        except BaseException:
            importing.delete_stored(stored.name)
            raise
    return job


def _reset_progress(job: ImportJob) -> None:
    ImportIssue.objects.filter(job=job).delete()
    ImportKey.objects.filter(job=job).delete()
    job.next_offset = job.data_offset
    job.next_line = job.header_line + 1
    job.checked_rows = job.valid_rows = job.invalid_rows = job.issue_count = 0
    job.preview = []


def import_job_map(*, actor, job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    """Set which file column holds which template column, and start checking the rows.

    `mapping`: file column index (as text) → column key; columns left out are
    ignored. Allowed while the job is not saved or discarded; a new mapping
    starts the check again. Errors: ValidationError listing every mapping
    problem (a required column missing, a column mapped twice), code
    "mapping"; "closed" for a saved or discarded job. Side effect: audit
    event "registry.import.map".
    """
    province = Province.objects.get(pk=job.province_id)
    _require_manage(actor, province)
    spec = get_resource(job.resource)
    mapping = {str(index): key for index, key in mapping.items() if key}
    problems = importing.mapping_problems(spec, mapping, len(job.header))
    if problems:
        raise ValidationError([ValidationError(p, code="mapping") for p in problems])
    with scope(province=province), transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status not in (
            ImportStatus.MAPPING,
            ImportStatus.VALIDATING,
            ImportStatus.READY,
            ImportStatus.INVALID,
        ):
            raise ValidationError(
                _("This import has been saved or discarded; upload the file again."),
                code="closed",
            )
        locked.mapping = mapping
        _reset_progress(locked)
        locked.status = ImportStatus.VALIDATING
        locked.save()
        record(
            actor=actor,
            action="registry.import.map",
            province=province,
            obj=locked,
            after={"mapping": {locked.header[int(i)]: key for i, key in mapping.items()}},
        )
    return locked


def _issue_rows(job: ImportJob, rows: list[RowData], room: int) -> list[ImportIssue]:
    issues = []
    for row in rows:
        for problem in row.problems:
            if len(issues) >= room:
                return issues
            issues.append(
                ImportIssue(
                    province_id=job.province_id,
                    job=job,
                    line=row.line,
                    column=problem.column[:100],
                    code=problem.code[:40],
                    message=problem.message,
                    value=problem.value[:120],
                )
            )
    return issues


def _preview_row(resource, row: RowData) -> dict:
    return {
        "line": row.line,
        "cells": [row.shown(column.key) for column in resource.import_columns],
    }


def _read_chunk(job: ImportJob, spec, ctx, *, offset: int, line: int, limit: int | None):
    """Up to `limit` rows from `offset`: (rows, offset after them, next line, file ended)."""
    mapping = {int(index): key for index, key in job.mapping.items()}
    rows: list[RowData] = []
    end_offset, next_line = offset, line
    records = importing.iter_records(
        job.stored_name, delimiter=job.delimiter, offset=offset, line=line
    )
    for record_line, cells, after in records:
        rows.append(importing.read_row(spec, record_line, cells, mapping, ctx))
        end_offset, next_line = after, record_line + 1
        if limit is not None and len(rows) >= limit:
            return rows, end_offset, next_line, False
    return rows, end_offset, next_line, True


def import_job_check_step(*, job: ImportJob, rows: int | None = None) -> ImportJob:
    """Check the next `rows` rows of a job in "validating"; any other job is returned as is.

    Safe to call from overlapping requests: the chunk is read and checked
    without a lock, and its results are written under the job row's lock
    only if the job is still at the chunk's start; otherwise they are thrown
    away. When the file ends, the job becomes "ready" (no problem) or
    "invalid". Side effects: problems and seen keys of the chunk, the job's
    progress. Errors: none for bad rows (they become problems).
    """
    province = Province.objects.get(pk=job.province_id)
    with scope(province=province):
        current = ImportJob.objects.get(pk=job.pk)
        if current.status != ImportStatus.VALIDATING:
            return current
        spec = get_resource(current.resource)
        ctx = importing.context_for(province)
        batch, end_offset, next_line, finished = _read_chunk(
            current,
            spec,
            ctx,
            offset=current.next_offset,
            line=current.next_line,
            limit=rows or CHUNK_ROWS,
        )
        keys = _StoredKeys(current)
        CHECKERS[current.resource](ctx, province).check(batch, keys)
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if (
                locked.status != ImportStatus.VALIDATING
                or locked.next_offset != current.next_offset
                or locked.mapping != current.mapping
            ):
                return locked  # another request checked this chunk first
            keys.save()
            bad = [row for row in batch if row.problems]
            issues = _issue_rows(locked, bad, max(0, MAX_ISSUES - locked.issue_count))
            ImportIssue.objects.bulk_create(issues, batch_size=COMMIT_BATCH)
            locked.issue_count += len(issues)
            locked.checked_rows += len(batch)
            locked.invalid_rows += len(bad)
            locked.valid_rows += len(batch) - len(bad)
            if len(locked.preview) < PREVIEW_ROWS:
                good = [row for row in batch if not row.problems]
                locked.preview = locked.preview + [
                    _preview_row(spec, row) for row in good[: PREVIEW_ROWS - len(locked.preview)]
                ]
            locked.next_offset, locked.next_line = end_offset, next_line
            # The row count is from the same file: the last full chunk ends the
            # check without one more poll that finds nothing.
            if finished or locked.checked_rows >= locked.total_rows:
                locked.status = ImportStatus.INVALID if locked.invalid_rows else ImportStatus.READY
                ImportKey.objects.filter(job=locked).delete()
            locked.save()
    return locked


class _Rejected(Exception):
    def __init__(self, rows: list[RowData], checked: int):
        self.rows = rows
        self.checked = checked


def _commit_rows(job: ImportJob, actor, province: Province) -> int:
    """Check and write every row of the job; raises _Rejected with the bad rows."""
    spec = get_resource(job.resource)
    ctx = importing.context_for(province)
    checker = CHECKERS[job.resource](ctx, province, actor)
    keys = _MemoryKeys()
    bad: list[RowData] = []
    problems = 0
    written = checked = 0
    offset, line = job.data_offset, job.header_line + 1
    while True:
        batch, offset, line, finished = _read_chunk(
            job, spec, ctx, offset=offset, line=line, limit=COMMIT_BATCH
        )
        checker.check(batch, keys)
        checked += len(batch)
        for row in batch:
            if row.problems and problems < MAX_ISSUES:
                bad.append(row)
                problems += len(row.problems)
        if not bad and batch:
            checker.insert(batch)
            written += len(batch)
        if finished:
            break
    if bad:
        raise _Rejected(bad, checked)
    return written


def import_job_commit(*, actor, job: ImportJob) -> ImportJob:
    """Write every row of a "ready" job, all or nothing, and close the job.

    The file is read and checked again inside one transaction (rows that
    became duplicates since the check are caught), rows are inserted in
    batches of COMMIT_BATCH, products as drafts. If any row has a problem,
    nothing is written: the job becomes "invalid" with the problems listed.
    A job that is not "ready" (already saved, being saved by another request,
    a double click) is returned unchanged. Side effects: the rows, an audit
    event "registry.import.commit" with the counts, the stored file deleted
    after the transaction commits. Errors: PermissionDenied without
    registry.manage_registry.
    """
    province = Province.objects.get(pk=job.province_id)
    _require_manage(actor, province)
    token = uuid.uuid4().hex
    with scope(province=province):
        now = timezone.now()
        claimed = (
            ImportJob.objects.filter(pk=job.pk)
            .filter(
                Q(status=ImportStatus.READY)
                | Q(status=ImportStatus.COMMITTING, updated_at__lt=now - STALE_COMMIT)
            )
            .update(status=ImportStatus.COMMITTING, commit_token=token, updated_at=now)
        )
        if not claimed:
            return ImportJob.objects.get(pk=job.pk)
        try:
            with transaction.atomic():
                locked = ImportJob.objects.select_for_update().get(pk=job.pk)
                if locked.commit_token != token or locked.status != ImportStatus.COMMITTING:
                    return locked
                written = _commit_rows(locked, actor, province)
                stored_name = locked.stored_name
                locked.status = ImportStatus.COMMITTED
                locked.created_rows = written
                locked.committed_at = timezone.now()
                locked.committed_by = actor if getattr(actor, "is_authenticated", False) else None
                locked.stored_name = ""
                locked.commit_token = ""
                locked.save()
                record(
                    actor=actor,
                    action="registry.import.commit",
                    province=province,
                    obj=locked,
                    after={
                        "resource": locked.resource,
                        "file": locked.original_name,
                        "rows": written,
                    },
                )
                transaction.on_commit(lambda: importing.delete_stored(stored_name))
            return locked
        except _Rejected as rejected:
            with transaction.atomic():
                locked = ImportJob.objects.select_for_update().get(pk=job.pk)
                if locked.commit_token != token:
                    return locked
                _reset_progress(locked)
                issues = _issue_rows(locked, rejected.rows, MAX_ISSUES)
                ImportIssue.objects.bulk_create(issues, batch_size=COMMIT_BATCH)
                locked.issue_count = len(issues)
                locked.checked_rows = rejected.checked
                locked.invalid_rows = len(rejected.rows)
                locked.valid_rows = rejected.checked - len(rejected.rows)
                locked.status = ImportStatus.INVALID
                locked.commit_token = ""
                locked.save()
            return locked
        except BaseException:
            ImportJob.objects.filter(pk=job.pk, commit_token=token).update(
                status=ImportStatus.READY, commit_token=""
            )
            raise


def _discard(job: ImportJob, *, actor) -> ImportJob:
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not locked.is_open or locked.status == ImportStatus.COMMITTING:
            return locked
        stored_name = locked.stored_name
        ImportIssue.objects.filter(job=locked).delete()
        ImportKey.objects.filter(job=locked).delete()
        locked.status = ImportStatus.DISCARDED
        locked.stored_name = ""
        locked.preview = []
        locked.save()
        record(
            actor=actor,
            action="registry.import.discard",
            province=locked.province,
            obj=locked,
            after={"resource": locked.resource, "file": locked.original_name},
        )
        transaction.on_commit(lambda: importing.delete_stored(stored_name))
    return locked


def import_job_discard(*, actor, job: ImportJob) -> ImportJob:
    """Drop an import that is not saved: its stored file, problems and preview.

    A saved, discarded or saving job is returned unchanged. Side effects: the
    stored file deleted, an audit event "registry.import.discard". Errors:
    PermissionDenied without registry.manage_registry.
    """
    province = Province.objects.get(pk=job.province_id)
    _require_manage(actor, province)
    with scope(province=province):
        return _discard(job, actor=actor)


def import_job_check_all(*, job: ImportJob, rows: int | None = None) -> ImportJob:
    """Run `import_job_check_step` until the check ends (for commands, tests, benchmarks)."""
    while True:
        job = import_job_check_step(job=job, rows=rows)
        if job.status != ImportStatus.VALIDATING:
            return job
