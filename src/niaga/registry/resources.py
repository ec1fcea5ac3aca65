"""The columns of the registry's import templates and exports, one table per resource.

Four resources — pesantren, cooperatives, people and products — each have an
official template: fixed Indonesian headers (the same in every UI language, so
a file made by one officer imports for another), English aliases that are
recognised too, and for every column how a cell is read and checked (`parse`)
and how a stored value is written back (`export`). Exports use the same
columns, so an exported file imports again.

A parser takes the raw cell (text from a CSV; text, number, date or None from
an XLSX) and an `ImportContext` and returns the clean value, or raises
`django.core.exceptions.ValidationError` with a code. An empty cell never
reaches a parser: the importer gives the column's `default` instead, or
reports "required". Row rules that need more than one cell (a district in its
regency, a NIK that matches the birth date, references to other rows) live in
`niaga.registry.domain.imports`.

Personal values are never exported in clear: NIK as `3578********0001`, a
person's phone and e-mail masked, a person's birth date hidden. On import a
masked value (it contains `*`) is read as "not given", so an export re-imports
without inventing data.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from niaga.audit.masking import mask_date, mask_email
from niaga.core.money import MoneyError, parse_rupiah
from niaga.registry import validators
from niaga.registry.models import (
    Category,
    HalalScheme,
    LegalForm,
    PersonRole,
    PesantrenStatus,
    Pillar,
    Typology,
)

# --- The context a parser reads ---------------------------------------------


@dataclass
class ImportContext:
    """Reference data for one import, read once: the province and its regions.

    `regencies` maps "PP.KK" to Regency for the import's province only, so a
    regency of another province is refused by the same look-up; `districts`
    maps "PP.KK.CC" to (district, regency code). Filled by
    `niaga.registry.importing.context_for`.
    """

    province: Any
    regencies: dict[str, Any] = field(default_factory=dict)
    all_regency_codes: frozenset[str] = frozenset()
    districts: dict[str, tuple[Any, str]] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)


# --- Cell helpers -------------------------------------------------------------

# What a spreadsheet may prefix to keep a cell as text; our own exports add it
# before anything that looks like a formula (niaga.core.exports.neutralise).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Any) -> str:
    """A cell as stripped text. Numbers from a spreadsheet lose a trailing ".0";
    dates become ISO dates; the apostrophe an export put before a formula-like
    text is removed again, so the text round-trips unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(_FORMULA_START):
        return text[1:]
    return text


def is_masked(value: Any) -> bool:
    """A value masked by an export (`3578********0001`, `0812-****-7890`, `b***@x.id`)."""
    return isinstance(value, str) and "*" in value


def _norm(text: str) -> str:
    """Lower case, single spaces, no punctuation at the ends: how choices are compared."""
    return " ".join(re.sub(r"[_/.\-]+", " ", text.lower()).split())


def _error(message, error_code: str, **params) -> ValidationError:
    return ValidationError(message, code=error_code, params=params or None)


def parse_text(max_length: int) -> Callable[[Any, ImportContext], str]:
    def parse(value: Any, ctx: ImportContext) -> str:
        text = cell_text(value)
        if len(text) > max_length:
            raise _error(
                _("At most %(limit)s characters; this cell has %(count)s."),
                "max_length",
                limit=max_length,
                count=len(text),
            )
        return text

    return parse


def parse_count(value: Any, ctx: ImportContext) -> int:
    """A whole number ≥ 0, plain or grouped in threes by dots (1.200)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = cell_text(value).replace(" ", "")
        if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", text):
            text = text.replace(".", "")
        if not re.fullmatch(r"[0-9]{1,9}", text):
            raise _error(
                _("A whole number is expected, like 120 or 1.200; “%(value)s” is not."),
                "integer",
                value=cell_text(value)[:40],
            )
        number = int(text)
    if not 0 <= number <= 2_000_000_000:
        raise _error(
            _("A whole number from 0 to 2.000.000.000 is expected; %(value)s is not."),
            "integer",
            value=number,
        )
    return number


def parse_rupiah_cell(value: Any, ctx: ImportContext) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return parse_count(value, ctx)
    if isinstance(value, float) and value.is_integer():
        return parse_count(int(value), ctx)
    try:
        return parse_rupiah(cell_text(value))
    except MoneyError as error:
        raise _error(
            _("An amount in rupiah is expected, like 25000 or Rp 25.000 (%(rule)s)."),
            "rupiah",
            rule=str(error),
        ) from None


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def parse_date(value: Any, ctx: ImportContext) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        # The ISO form (what exports and templates write) without strptime's cost.
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise _error(
        _("A date is expected as 2024-08-17 or 17/08/2024; “%(value)s” is not."),
        "date",
        value=text[:40],
    )


def parse_year(value: Any, ctx: ImportContext) -> int:
    text = cell_text(value)
    return validators.validate_year(text, maximum=ctx.today.year)


def parse_choice(choices: dict[str, str], allowed: str) -> Callable[[Any, ImportContext], str]:
    """A parser for a choice: `choices` maps the normalised words people write to values."""
    table = {_norm(word): stored for word, stored in choices.items()}

    def parse(value: Any, ctx: ImportContext) -> str:
        text = cell_text(value)
        stored = table.get(_norm(text))
        if stored is None:
            raise _error(
                _("“%(value)s” is not one of the allowed values: %(allowed)s."),
                "choice",
                value=text[:40],
                allowed=allowed,
            )
        return stored

    return parse


def _digits_cell(value: Any, width: int) -> Any:
    """A fixed-width numeric code with the leading zero a spreadsheet dropped put back.

    Excel turns 01111 into 1111 when a column is not formatted as text, and a
    CSV saved from it keeps the damage. KBLI and HS codes have a fixed width
    and no code is one digit shorter, so one missing leading zero is restored.
    """
    text = _code_text(value)
    if len(text) == width - 1 and text.isdigit():
        return "0" + text
    return text


def _code_text(value: Any) -> str:
    """An identifier cell as text: a whole number from a spreadsheet without ".0"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            return cell_text(value)
        return str(int(value))
    return cell_text(value)


def parse_nspp(value: Any, ctx: ImportContext) -> str:
    return validators.validate_nspp(_code_text(value))


def parse_nib(value: Any, ctx: ImportContext) -> str:
    return validators.validate_nib(_code_text(value))


def parse_kbli_code(value: Any, ctx: ImportContext) -> str:
    # The version is checked with the row; the code's own format here.
    return validators.validate_kbli(_digits_cell(value, 5), validators.DEFAULT_KBLI_VERSION)


def parse_kbli_version(value: Any, ctx: ImportContext) -> str:
    text = _code_text(value)
    if text not in validators.KBLI_VERSIONS:
        raise _error(
            _("The KBLI version is one of %(versions)s; “%(value)s” is not."),
            "kbli_version",
            versions=", ".join(validators.KBLI_VERSIONS),
            value=text[:40],
        )
    return text


def parse_hs(value: Any, ctx: ImportContext) -> str:
    return validators.validate_hs_code(_digits_cell(value, 8))


def parse_phone(value: Any, ctx: ImportContext) -> str:
    return validators.validate_phone(_code_text(value))


def parse_email(value: Any, ctx: ImportContext) -> str:
    from django.core.validators import validate_email

    text = cell_text(value)
    try:
        validate_email(text)
    except ValidationError:
        raise _error(
            _("An e-mail address is expected, like nama@contoh.id; “%(value)s” is not."),
            "email",
            value=text[:40],
        ) from None
    if len(text) > 254:
        raise _error(_("An e-mail address has at most 254 characters."), "max_length")
    return text


def parse_url(value: Any, ctx: ImportContext) -> str:
    from django.core.validators import URLValidator

    text = cell_text(value)
    if not re.match(r"https?://", text, re.IGNORECASE):
        text = "https://" + text
    try:
        URLValidator()(text)
    except ValidationError:
        raise _error(
            _("A web address is expected, like https://pesantren.id; “%(value)s” is not."),
            "url",
            value=cell_text(value)[:40],
        ) from None
    if len(text) > 200:
        raise _error(_("A web address has at most 200 characters."), "max_length")
    return text


def parse_nik(value: Any, ctx: ImportContext) -> str:
    """A NIK's 16 digits (checked for structure and region); the caller encrypts it."""
    return validators.validate_nik(_code_text(value), today=ctx.today)


def _regency_code(text: str) -> str:
    compact = re.sub(r"[\s.]", "", text)
    if re.fullmatch(r"[0-9]{4}", compact):
        return f"{compact[:2]}.{compact[2:]}"
    return text


def parse_regency(value: Any, ctx: ImportContext):
    """A regency/city of the import's province, by its Kemendagri code (35.78 or 3578)."""
    code = _regency_code(_code_text(value))
    regency = ctx.regencies.get(code)
    if regency is not None:
        return regency
    if code in ctx.all_regency_codes:
        raise _error(
            _("Regency/city %(code)s is not in %(province)s; this import is for %(province)s."),
            "regency_province",
            code=code,
            province=ctx.province.name,
        )
    raise _error(
        _("“%(code)s” is not a regency/city code; write it like 35.78 (Kemendagri code)."),
        "regency_code",
        code=code[:40],
    )


def parse_any_regency(value: Any, ctx: ImportContext) -> str:
    """The code of any regency/city of Indonesia (a person may live outside the province)."""
    code = _regency_code(_code_text(value))
    if code not in ctx.all_regency_codes:
        raise _error(
            _("“%(code)s” is not a regency/city code; write it like 35.78 (Kemendagri code)."),
            "regency_code",
            code=code[:40],
        )
    return code


def parse_district(value: Any, ctx: ImportContext):
    """A district (kecamatan) by its code, 35.78.01 or 357801; checked against the regency
    with the row."""
    text = _code_text(value)
    compact = re.sub(r"[\s.]", "", text)
    code = (
        f"{compact[:2]}.{compact[2:4]}.{compact[4:]}"
        if re.fullmatch(r"[0-9]{6}", compact)
        else text
    )
    found = ctx.districts.get(code)
    if found is None:
        raise _error(
            _(
                "“%(code)s” is not a district (kecamatan) code of %(province)s; write it like "
                "35.78.01."
            ),
            "district_code",
            code=code[:40],
            province=ctx.province.name,
        )
    return found[0]


def parse_pillars(value: Any, ctx: ImportContext) -> list[str]:
    """One or more pillars separated by commas or semicolons."""
    words = [w for w in re.split(r"[,;/]+", cell_text(value)) if w.strip()]
    pillars = []
    for word in words:
        pillars.append(_PILLAR(word, ctx))
    return sorted(set(pillars), key=[p.value for p in Pillar].index)


# --- Choices as people write them ---------------------------------------------

_TYPOLOGY = parse_choice(
    {
        "salafiyah": Typology.SALAFIYAH,
        "salaf": Typology.SALAFIYAH,
        "traditional": Typology.SALAFIYAH,
        "tradisional": Typology.SALAFIYAH,
        "khalafiyah": Typology.KHALAFIYAH,
        "khalaf": Typology.KHALAFIYAH,
        "modern": Typology.KHALAFIYAH,
        "ashriyah": Typology.KHALAFIYAH,
        "kombinasi": Typology.COMBINED,
        "campuran": Typology.COMBINED,
        "combined": Typology.COMBINED,
        "terpadu": Typology.COMBINED,
    },
    "salafiyah, khalafiyah, kombinasi",
)
_STATUS = parse_choice(
    {
        "aktif": PesantrenStatus.ACTIVE,
        "active": PesantrenStatus.ACTIVE,
        "nonaktif": PesantrenStatus.INACTIVE,
        "non aktif": PesantrenStatus.INACTIVE,
        "tidak aktif": PesantrenStatus.INACTIVE,
        "inactive": PesantrenStatus.INACTIVE,
    },
    "aktif, nonaktif",
)
_PILLAR_WORDS = {
    "santripreneur": Pillar.SANTRIPRENEUR,
    "santri": Pillar.SANTRIPRENEUR,
    "pesantrenpreneur": Pillar.PESANTRENPRENEUR,
    "koperasi": Pillar.PESANTRENPRENEUR,
    "sosiopreneur": Pillar.SOSIOPRENEUR,
    "sociopreneur": Pillar.SOSIOPRENEUR,
    "alumni": Pillar.SOSIOPRENEUR,
}
_PILLAR = parse_choice(_PILLAR_WORDS, "santripreneur, pesantrenpreneur, sosiopreneur")
_LEGAL_FORM = parse_choice(
    {
        "koperasi primer": LegalForm.PRIMARY,
        "primer": LegalForm.PRIMARY,
        "primary": LegalForm.PRIMARY,
        "primary cooperative": LegalForm.PRIMARY,
        "koperasi sekunder": LegalForm.SECONDARY,
        "sekunder": LegalForm.SECONDARY,
        "secondary": LegalForm.SECONDARY,
        "secondary cooperative": LegalForm.SECONDARY,
        "belum berbadan hukum": LegalForm.UNREGISTERED,
        "unregistered": LegalForm.UNREGISTERED,
        "not yet a legal entity": LegalForm.UNREGISTERED,
    },
    "koperasi primer, koperasi sekunder, belum berbadan hukum",
)
_ROLE = parse_choice(
    {
        "santri": PersonRole.SANTRI,
        "student": PersonRole.SANTRI,
        "alumni": PersonRole.ALUMNUS,
        "alumnus": PersonRole.ALUMNUS,
        "alumna": PersonRole.ALUMNUS,
        "staf": PersonRole.STAFF,
        "staff": PersonRole.STAFF,
        "pengurus": PersonRole.STAFF,
        "ustadz": PersonRole.STAFF,
        "masyarakat": PersonRole.COMMUNITY,
        "warga": PersonRole.COMMUNITY,
        "community": PersonRole.COMMUNITY,
        "community member": PersonRole.COMMUNITY,
    },
    "santri, alumni, staf, masyarakat",
)
_GENDER = parse_choice(
    {
        "l": "male",
        "laki laki": "male",
        "laki": "male",
        "pria": "male",
        "male": "male",
        "m": "male",
        "p": "female",
        "perempuan": "female",
        "wanita": "female",
        "female": "female",
        "f": "female",
    },
    "L, P",
)
_CONSENT_GIVER = parse_choice(
    {
        "diri sendiri": "self",
        "sendiri": "self",
        "yang bersangkutan": "self",
        "self": "self",
        "the person": "self",
        "wali": "guardian",
        "orang tua": "guardian",
        "orang tua wali": "guardian",
        "guardian": "guardian",
        "parent": "guardian",
    },
    "diri sendiri, wali",
)
_CATEGORY = parse_choice(
    {
        "makanan dan minuman": Category.FOOD,
        "makanan minuman": Category.FOOD,
        "makanan": Category.FOOD,
        "mamin": Category.FOOD,
        "food": Category.FOOD,
        "food and beverage": Category.FOOD,
        "fesyen dan tekstil": Category.FASHION,
        "fashion dan tekstil": Category.FASHION,
        "fesyen": Category.FASHION,
        "fashion": Category.FASHION,
        "fashion and textile": Category.FASHION,
        "kerajinan": Category.CRAFT,
        "craft": Category.CRAFT,
        "pertanian dan peternakan": Category.AGRICULTURE,
        "pertanian": Category.AGRICULTURE,
        "agriculture": Category.AGRICULTURE,
        "agriculture and livestock": Category.AGRICULTURE,
        "kosmetik dan herbal": Category.COSMETICS,
        "kosmetik": Category.COSMETICS,
        "herbal": Category.COSMETICS,
        "cosmetics": Category.COSMETICS,
        "cosmetics and herbal": Category.COSMETICS,
        "jasa": Category.SERVICES,
        "services": Category.SERVICES,
        "lainnya": Category.OTHER,
        "lain lain": Category.OTHER,
        "other": Category.OTHER,
    },
    "makanan dan minuman, fesyen dan tekstil, kerajinan, pertanian dan peternakan, "
    "kosmetik dan herbal, jasa, lainnya",
)
_HALAL_SCHEME = parse_choice(
    {
        "reguler": HalalScheme.REGULAR,
        "regular": HalalScheme.REGULAR,
        "self declare": HalalScheme.SELF_DECLARE,
        "selfdeclare": HalalScheme.SELF_DECLARE,
        "pernyataan mandiri": HalalScheme.SELF_DECLARE,
    },
    "reguler, self-declare",
)

# How stored choices are written in a template or an export: Indonesian words
# that the parsers above read back.
TYPOLOGY_WORDS = {
    Typology.SALAFIYAH: "salafiyah",
    Typology.KHALAFIYAH: "khalafiyah",
    Typology.COMBINED: "kombinasi",
}
STATUS_WORDS = {PesantrenStatus.ACTIVE: "aktif", PesantrenStatus.INACTIVE: "nonaktif"}
LEGAL_FORM_WORDS = {
    LegalForm.PRIMARY: "koperasi primer",
    LegalForm.SECONDARY: "koperasi sekunder",
    LegalForm.UNREGISTERED: "belum berbadan hukum",
}
ROLE_WORDS = {
    PersonRole.SANTRI: "santri",
    PersonRole.ALUMNUS: "alumni",
    PersonRole.STAFF: "staf",
    PersonRole.COMMUNITY: "masyarakat",
}
GENDER_WORDS = {"male": "L", "female": "P"}
CONSENT_GIVER_WORDS = {"self": "diri sendiri", "guardian": "wali"}
CATEGORY_WORDS = {
    Category.FOOD: "makanan dan minuman",
    Category.FASHION: "fesyen dan tekstil",
    Category.CRAFT: "kerajinan",
    Category.AGRICULTURE: "pertanian dan peternakan",
    Category.COSMETICS: "kosmetik dan herbal",
    Category.SERVICES: "jasa",
    Category.OTHER: "lainnya",
}
HALAL_SCHEME_WORDS = {HalalScheme.REGULAR: "reguler", HalalScheme.SELF_DECLARE: "self-declare"}


# --- Columns and resources ----------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a template.

    `key` names the value in a parsed row; `header` is the official template
    header; `aliases` are other headers recognised (compared after `_norm`).
    `parse` reads a non-empty cell; `export` writes a stored row's value
    (the row comes from `Resource.export_queryset`). `personal` names how a
    cell is masked when it is shown in an error list ("nik", "phone",
    "email", "birth_date"). `export_only` columns are written by exports for
    reading, and ignored by imports.
    """

    key: str
    header: str
    label: Any
    parse: Callable[[Any, ImportContext], Any] | None
    export: Callable[[Any], Any]
    aliases: tuple[str, ...] = ()
    required: bool = False
    default: Any = None
    example: Any = ""
    note: Any = ""
    personal: str | None = None
    export_only: bool = False
    text_format: bool = False  # an identifier: the template formats the column as text


@dataclass(frozen=True)
class Resource:
    name: str
    label: Any
    sheet_title: str
    columns: tuple[Column, ...]
    select_related: tuple[str, ...] = ()

    @property
    def import_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.export_only)

    @functools.cached_property
    def columns_by_key(self) -> dict[str, Column]:
        return {column.key: column for column in self.columns}

    def column(self, key: str) -> Column:
        """The column called `key`; KeyError for none."""
        return self.columns_by_key[key]

    def export_queryset(self, queryset):
        """The queryset with what the export columns read, in one query per chunk of rows."""
        queryset = queryset.select_related(*self.select_related)
        annotate = EXPORT_ANNOTATIONS.get(self.name)
        if annotate is not None:
            queryset = annotate(queryset)
        return queryset


def _or_blank(value: Any) -> Any:
    return "" if value is None else value


def _date_out(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _pillars_out(pesantren) -> str:
    return ", ".join(str(p) for p in pesantren.pillars)


def _phone_out(value: str) -> str:
    return validators.format_phone_display(value) if value else ""


def _masked_phone(value: str) -> str:
    return validators.mask_phone(value) if value else ""


PESANTREN = Resource(
    name="pesantren",
    label=_("Pesantren"),
    sheet_title="Pesantren",
    select_related=("regency", "district"),
    columns=(
        Column(
            "name",
            "Nama Pesantren",
            _("Name"),
            parse_text(200),
            lambda p: p.name,
            aliases=("nama", "name", "pesantren", "nama pondok pesantren", "pesantren name"),
            required=True,
            example="Pondok Pesantren Al-Hikmah",
        ),
        Column(
            "nspp",
            "NSPP",
            _("NSPP"),
            parse_nspp,
            lambda p: p.nspp or "",
            aliases=("nomor statistik pesantren", "statistic number"),
            example="510035780001",
            note=_("12 digits, optional; unique across Indonesia."),
            text_format=True,
        ),
        Column(
            "address",
            "Alamat",
            _("Address"),
            parse_text(300),
            lambda p: p.address,
            aliases=("address",),
            default="",
            example="Jl. Kyai Haji Mas Mansyur 12",
        ),
        Column(
            "regency",
            "Kode Kabupaten/Kota",
            _("Regency/city code"),
            parse_regency,
            lambda p: p.regency_id,
            aliases=("kabupaten/kota", "kode kabupaten", "kode kota", "regency", "regency code"),
            required=True,
            example="35.78",
            note=_("Kemendagri code of a regency or city of this province, like 35.78."),
            text_format=True,
        ),
        Column(
            "district",
            "Kode Kecamatan",
            _("District code"),
            parse_district,
            lambda p: p.district_id or "",
            aliases=("kecamatan", "district", "district code"),
            example="35.78.01",
            note=_("Optional; a district (kecamatan) of the regency, like 35.78.01."),
            text_format=True,
        ),
        Column(
            "leader_name",
            "Pengasuh",
            _("Leader (pengasuh)"),
            parse_text(150),
            lambda p: p.leader_name,
            aliases=("nama pengasuh", "pimpinan", "leader", "leader name"),
            default="",
            example="KH. Ahmad Fauzi",
        ),
        Column(
            "santri_male",
            "Jumlah Santri Putra",
            _("Male santri"),
            parse_count,
            lambda p: p.santri_male,
            aliases=("santri putra", "putra", "male santri", "male students"),
            default=0,
            example=320,
        ),
        Column(
            "santri_female",
            "Jumlah Santri Putri",
            _("Female santri"),
            parse_count,
            lambda p: p.santri_female,
            aliases=("santri putri", "putri", "female santri", "female students"),
            default=0,
            example=280,
        ),
        Column(
            "typology",
            "Tipologi",
            _("Typology"),
            _TYPOLOGY,
            lambda p: TYPOLOGY_WORDS.get(p.typology, p.typology),
            aliases=("tipe", "jenis pesantren", "typology", "type"),
            required=True,
            example="kombinasi",
            note=_("salafiyah, khalafiyah (modern) or kombinasi."),
        ),
        Column(
            "founded_year",
            "Tahun Berdiri",
            _("Founding year"),
            parse_year,
            lambda p: _or_blank(p.founded_year),
            aliases=("berdiri", "founded", "founding year", "year founded"),
            example=1985,
        ),
        Column(
            "phone",
            "Telepon",
            _("Phone"),
            parse_phone,
            lambda p: _phone_out(p.phone),
            aliases=("no telepon", "nomor telepon", "telp", "hp", "phone", "telephone"),
            default="",
            example="(031) 5678901",
            text_format=True,
        ),
        Column(
            "email",
            "Email",
            _("E-mail"),
            parse_email,
            lambda p: p.email,
            aliases=("e-mail", "surel", "email address"),
            default="",
            example="info@alhikmah.sch.id",
        ),
        Column(
            "website",
            "Situs Web",
            _("Website"),
            parse_url,
            lambda p: p.website,
            aliases=("website", "situs", "web"),
            default="",
            example="https://alhikmah.sch.id",
        ),
        Column(
            "pillars",
            "Pilar OPOP",
            _("OPOP pillars"),
            parse_pillars,
            _pillars_out,
            aliases=("pilar", "pillars", "opop pillars"),
            default=[],
            example="santripreneur, pesantrenpreneur",
            note=_("Any of santripreneur, pesantrenpreneur, sosiopreneur, separated by commas."),
        ),
        Column(
            "opop_joined_year",
            "Tahun Bergabung OPOP",
            _("Year joined OPOP"),
            parse_year,
            lambda p: _or_blank(p.opop_joined_year),
            aliases=("tahun opop", "bergabung opop", "year joined opop", "opop year"),
            example=2020,
        ),
        Column(
            "status",
            "Status",
            _("Status"),
            _STATUS,
            lambda p: STATUS_WORDS.get(p.status, p.status),
            aliases=("status",),
            default=PesantrenStatus.ACTIVE,
            example="aktif",
            note=_("aktif or nonaktif; empty means aktif."),
        ),
        Column(
            "regency_name",
            "Nama Kabupaten/Kota",
            _("Regency/city"),
            None,
            lambda p: p.regency.name,
            aliases=("nama kabupaten", "regency name"),
            export_only=True,
        ),
    ),
)

_PESANTREN_REF_NOTE = _(
    "The pesantren by its NSPP; without an NSPP, by its exact name and regency/city code."
)

COOPERATIVES = Resource(
    name="cooperatives",
    label=_("Cooperatives"),
    sheet_title="Koperasi",
    select_related=("pesantren",),
    columns=(
        Column(
            "name",
            "Nama Koperasi",
            _("Name"),
            parse_text(200),
            lambda c: c.name,
            aliases=("nama", "name", "koperasi", "kopontren", "cooperative", "cooperative name"),
            required=True,
            example="Kopontren Al-Hikmah Sejahtera",
        ),
        Column(
            "pesantren_nspp",
            "NSPP Pesantren",
            _("Pesantren NSPP"),
            parse_nspp,
            lambda c: c.pesantren.nspp or "",
            aliases=("nspp", "pesantren nspp"),
            example="510035780001",
            note=_PESANTREN_REF_NOTE,
            text_format=True,
        ),
        Column(
            "pesantren_name",
            "Nama Pesantren",
            _("Pesantren name"),
            parse_text(200),
            lambda c: c.pesantren.name,
            aliases=("pesantren", "pesantren name"),
            default="",
            example="Pondok Pesantren Al-Hikmah",
            note=_PESANTREN_REF_NOTE,
        ),
        Column(
            "pesantren_regency",
            "Kode Kabupaten/Kota Pesantren",
            _("Pesantren regency/city code"),
            parse_regency,
            lambda c: c.pesantren.regency_id,
            aliases=("kode kabupaten/kota", "kabupaten/kota", "regency", "regency code"),
            example="35.78",
            note=_PESANTREN_REF_NOTE,
            text_format=True,
        ),
        Column(
            "legal_form",
            "Bentuk Hukum",
            _("Legal form"),
            _LEGAL_FORM,
            lambda c: LEGAL_FORM_WORDS.get(c.legal_form, c.legal_form),
            aliases=("badan hukum", "legal form"),
            required=True,
            example="koperasi primer",
            note=_("koperasi primer, koperasi sekunder or belum berbadan hukum."),
        ),
        Column(
            "deed_number",
            "Nomor Akta",
            _("Deed number"),
            parse_text(100),
            lambda c: c.deed_number,
            aliases=("no akta", "akta", "deed number", "deed"),
            default="",
            example="188.4/12/BH/XVI.9/2019",
        ),
        Column(
            "deed_date",
            "Tanggal Akta",
            _("Deed date"),
            parse_date,
            lambda c: _date_out(c.deed_date),
            aliases=("tgl akta", "deed date"),
            example="2019-08-17",
        ),
        Column(
            "nib",
            "NIB",
            _("NIB"),
            parse_nib,
            lambda c: c.nib or "",
            aliases=("nomor induk berusaha", "business id"),
            example="9120001234567",
            note=_("13 digits from OSS, optional; unique."),
            text_format=True,
        ),
        Column(
            "kbli_code",
            "Kode KBLI",
            _("KBLI code"),
            parse_kbli_code,
            lambda c: c.kbli_code,
            aliases=("kbli", "kbli code"),
            default="",
            example="10792",
            text_format=True,
        ),
        Column(
            "kbli_version",
            "Versi KBLI",
            _("KBLI version"),
            parse_kbli_version,
            lambda c: c.kbli_version,
            aliases=("kbli version",),
            default=validators.DEFAULT_KBLI_VERSION,
            example="2020",
            note=_("2020 or 2025; empty means 2020."),
            text_format=True,
        ),
        Column(
            "members_count",
            "Jumlah Anggota",
            _("Members"),
            parse_count,
            lambda c: c.members_count,
            aliases=("anggota", "members", "members count"),
            default=0,
            example=120,
        ),
        Column(
            "business_lines",
            "Bidang Usaha",
            _("Business lines"),
            parse_text(300),
            lambda c: c.business_lines,
            aliases=("usaha", "unit usaha", "business lines", "business line"),
            default="",
            example="Toko santri, air minum kemasan",
        ),
    ),
)


def _person_nik_out(person) -> str:
    return person.nik_masked or ""


PEOPLE = Resource(
    name="people",
    label=_("People"),
    sheet_title="Orang",
    select_related=("pesantren",),
    columns=(
        Column(
            "full_name",
            "Nama Lengkap",
            _("Full name"),
            parse_text(150),
            lambda p: p.full_name,
            aliases=("nama", "name", "full name"),
            required=True,
            example="Siti Aminah",
        ),
        Column(
            "nik",
            "NIK",
            _("NIK"),
            parse_nik,
            _person_nik_out,
            aliases=("nomor induk kependudukan", "no ktp", "ktp", "national id"),
            example="3578014107050001",
            note=_(
                "16 digits, optional; stored encrypted and shown masked. A masked NIK "
                "(with *) from an export counts as not given."
            ),
            personal="nik",
            text_format=True,
        ),
        Column(
            "role",
            "Peran",
            _("Role"),
            _ROLE,
            lambda p: ROLE_WORDS.get(p.role, p.role),
            aliases=("role", "status"),
            required=True,
            example="santri",
            note=_("santri, alumni, staf or masyarakat."),
        ),
        Column(
            "pillar",
            "Pilar",
            _("Pillar"),
            _PILLAR,
            lambda p: p.pillar,
            aliases=("pilar opop", "pillar"),
            default="",
            example="santripreneur",
        ),
        Column(
            "gender",
            "Jenis Kelamin",
            _("Gender"),
            _GENDER,
            lambda p: GENDER_WORDS.get(p.gender, p.gender),
            aliases=("l/p", "kelamin", "gender", "sex"),
            required=True,
            example="P",
            note=_("L (laki-laki) or P (perempuan)."),
        ),
        Column(
            "birth_date",
            "Tanggal Lahir",
            _("Birth date"),
            parse_date,
            lambda p: mask_date(p.birth_date) if p.birth_date else "",
            aliases=("tgl lahir", "birth date", "date of birth"),
            example="2005-07-01",
            note=_("Under 18 is a minor: consent must come from a guardian."),
            personal="birth_date",
        ),
        Column(
            "phone",
            "Telepon",
            _("Phone"),
            parse_phone,
            lambda p: _masked_phone(p.phone),
            aliases=("no hp", "hp", "nomor telepon", "telp", "phone"),
            default="",
            example="0812-3456-7890",
            personal="phone",
            text_format=True,
        ),
        Column(
            "email",
            "Email",
            _("E-mail"),
            parse_email,
            lambda p: mask_email(p.email) if p.email else "",
            aliases=("e-mail", "surel"),
            default="",
            example="siti@contoh.id",
            personal="email",
        ),
        Column(
            "regency",
            "Kode Kabupaten/Kota Domisili",
            _("Regency/city of residence"),
            parse_any_regency,
            lambda p: p.regency_id or "",
            aliases=(
                "kode kabupaten/kota",
                "kabupaten/kota",
                "domisili",
                "regency",
                "regency code",
            ),
            example="35.78",
            text_format=True,
        ),
        Column(
            "address",
            "Alamat",
            _("Address"),
            parse_text(300),
            lambda p: p.address,
            aliases=("address",),
            default="",
            example="Jl. Pesantren 5",
        ),
        Column(
            "pesantren_nspp",
            "NSPP Pesantren",
            _("Pesantren NSPP"),
            parse_nspp,
            lambda p: (p.pesantren.nspp or "") if p.pesantren else "",
            aliases=("nspp", "pesantren nspp"),
            example="510035780001",
            note=_("Optional: the pesantren the person belongs to, by its NSPP."),
            text_format=True,
        ),
        Column(
            "consent_on",
            "Tanggal Persetujuan",
            _("Consent date"),
            parse_date,
            lambda p: _date_out(getattr(p, "registry_consent_on", None)),
            aliases=("persetujuan", "consent date", "consent given on"),
            example="2024-07-01",
            note=_(
                "Optional: the date consent to the registry was given; with it, a consent "
                "record is created."
            ),
        ),
        Column(
            "consent_by",
            "Persetujuan Oleh",
            _("Consent given by"),
            _CONSENT_GIVER,
            lambda p: CONSENT_GIVER_WORDS.get(getattr(p, "registry_consent_by", None) or "", ""),
            aliases=("diberikan oleh", "consent by", "consent given by"),
            default="",
            example="wali",
            note=_("diri sendiri or wali; a minor needs wali."),
        ),
        Column(
            "guardian_name",
            "Nama Wali",
            _("Guardian's name"),
            parse_text(150),
            lambda p: getattr(p, "registry_guardian_name", None) or "",
            aliases=("wali", "orang tua", "guardian", "guardian name"),
            default="",
            example="Abdul Karim",
        ),
        Column(
            "guardian_relation",
            "Hubungan Wali",
            _("Guardian's relation"),
            parse_text(60),
            lambda p: getattr(p, "registry_guardian_relation", None) or "",
            aliases=("hubungan", "guardian relation"),
            default="",
            example="ayah",
        ),
    ),
)


def _owner_nib_out(product) -> str:
    cooperative = product.owner_cooperative
    return (cooperative.nib or "") if cooperative else ""


def _owner_nspp_out(product) -> str:
    cooperative = product.owner_cooperative
    if cooperative is None:
        return ""
    return cooperative.pesantren.nspp or ""


def _owner_nik_out(product) -> str:
    person = product.owner_person
    return person.nik_masked if person else ""


def _legal(attr: str, out=_or_blank):
    return lambda product: out(getattr(product, attr, None))


PRODUCTS = Resource(
    name="products",
    label=_("Products"),
    sheet_title="Produk",
    select_related=("owner_cooperative__pesantren", "owner_person", "regency"),
    columns=(
        Column(
            "name",
            "Nama Produk",
            _("Name"),
            parse_text(200),
            lambda p: p.name,
            aliases=("nama", "name", "produk", "product", "product name"),
            required=True,
            example="Keripik Tempe Santri",
        ),
        Column(
            "description",
            "Deskripsi",
            _("Description"),
            parse_text(5000),
            lambda p: p.description,
            aliases=("keterangan", "description"),
            default="",
            example="Keripik tempe renyah dari kedelai lokal, digoreng tanpa pengawet.",
        ),
        Column(
            "category",
            "Kategori",
            _("Category"),
            _CATEGORY,
            lambda p: CATEGORY_WORDS.get(p.category, p.category),
            aliases=("category",),
            required=True,
            example="makanan dan minuman",
            note=_(
                "makanan dan minuman, fesyen dan tekstil, kerajinan, pertanian dan peternakan, "
                "kosmetik dan herbal, jasa or lainnya."
            ),
        ),
        Column(
            "owner_nib",
            "NIB Koperasi Pemilik",
            _("Owning cooperative's NIB"),
            parse_nib,
            _owner_nib_out,
            aliases=("nib koperasi", "nib", "cooperative nib", "owner nib"),
            example="9120001234567",
            note=_(
                "The owner, exactly one way: the cooperative's NIB, or the NSPP of the pesantren "
                "whose cooperative owns it, or the owning person's NIK."
            ),
            text_format=True,
        ),
        Column(
            "owner_nspp",
            "NSPP Pesantren Pemilik",
            _("Owning pesantren's NSPP"),
            parse_nspp,
            _owner_nspp_out,
            aliases=("nspp", "nspp pesantren", "pesantren nspp", "owner nspp"),
            example="",
            text_format=True,
        ),
        Column(
            "owner_nik",
            "NIK Pemilik",
            _("Owning person's NIK"),
            parse_nik,
            _owner_nik_out,
            aliases=("nik", "owner nik"),
            example="",
            personal="nik",
            text_format=True,
        ),
        Column(
            "price_min",
            "Harga Terendah (Rp)",
            _("Lowest price (Rp)"),
            parse_rupiah_cell,
            lambda p: _or_blank(p.price_min),
            aliases=("harga terendah", "harga min", "harga", "lowest price", "price min"),
            example=15000,
        ),
        Column(
            "price_max",
            "Harga Tertinggi (Rp)",
            _("Highest price (Rp)"),
            parse_rupiah_cell,
            lambda p: _or_blank(p.price_max),
            aliases=("harga tertinggi", "harga max", "highest price", "price max"),
            example=25000,
        ),
        Column(
            "unit",
            "Satuan",
            _("Unit"),
            parse_text(30),
            lambda p: p.unit,
            aliases=("unit",),
            required=True,
            example="bungkus",
        ),
        Column(
            "monthly_capacity",
            "Kapasitas per Bulan",
            _("Monthly capacity"),
            parse_count,
            lambda p: _or_blank(p.monthly_capacity),
            aliases=("kapasitas", "kapasitas produksi", "monthly capacity", "capacity"),
            example=2000,
        ),
        Column(
            "hs_code",
            "Kode HS",
            _("HS code"),
            parse_hs,
            lambda p: p.hs_code,
            aliases=("hs", "hs code"),
            default="",
            example="20089990",
            text_format=True,
        ),
        Column(
            "halal_number",
            "Nomor Sertifikat Halal",
            _("Halal certificate number"),
            lambda v, ctx: validators.validate_halal_number(cell_text(v)),
            _legal("halal_number"),
            aliases=("sertifikat halal", "halal", "halal certificate", "halal number"),
            default="",
            example="ID35110000123450921",
        ),
        Column(
            "halal_scheme",
            "Skema Halal",
            _("Halal scheme"),
            _HALAL_SCHEME,
            _legal("halal_scheme", lambda v: HALAL_SCHEME_WORDS.get(v, "") if v else ""),
            aliases=("skema", "halal scheme"),
            default="",
            example="reguler",
            note=_("reguler or self-declare; needed with a halal certificate."),
        ),
        Column(
            "halal_issued_on",
            "Tanggal Terbit Halal",
            _("Halal issued on"),
            parse_date,
            _legal("halal_issued_on", _date_out),
            aliases=("terbit halal", "halal issued on"),
            example="2023-03-01",
        ),
        Column(
            "halal_expires_on",
            "Tanggal Berakhir Halal",
            _("Halal expires on"),
            parse_date,
            _legal("halal_expires_on", _date_out),
            aliases=("berakhir halal", "kedaluwarsa halal", "halal expires on"),
            example="2027-03-01",
        ),
        Column(
            "pirt_number",
            "Nomor P-IRT",
            _("P-IRT number"),
            lambda v, ctx: validators.validate_pirt(_code_text(v)),
            _legal("pirt_number"),
            aliases=("p-irt", "pirt", "pirt number"),
            default="",
            example="206357801012326",
            text_format=True,
        ),
        Column(
            "pirt_expires_on",
            "Tanggal Berakhir P-IRT",
            _("P-IRT expires on"),
            parse_date,
            _legal("pirt_expires_on", _date_out),
            aliases=("berakhir p-irt", "pirt expires on"),
            example="2026-12-31",
        ),
        Column(
            "bpom_number",
            "Nomor BPOM",
            _("BPOM number"),
            lambda v, ctx: validators.validate_bpom(cell_text(v)),
            _legal("bpom_number"),
            aliases=("bpom", "bpom number", "md", "ml"),
            default="",
            example="",
        ),
        Column(
            "bpom_expires_on",
            "Tanggal Berakhir BPOM",
            _("BPOM expires on"),
            parse_date,
            _legal("bpom_expires_on", _date_out),
            aliases=("berakhir bpom", "bpom expires on"),
            example="",
        ),
        Column(
            "sni_number",
            "Nomor SNI",
            _("SNI number"),
            lambda v, ctx: validators.validate_sni(cell_text(v)),
            _legal("sni_number"),
            aliases=("sni", "sni number"),
            default="",
            example="",
        ),
        Column(
            "trademark_number",
            "Nomor Merek",
            _("Trademark number"),
            lambda v, ctx: validators.validate_trademark(cell_text(v)),
            _legal("trademark_number"),
            aliases=("merek", "trademark", "trademark number"),
            default="",
            example="",
        ),
        Column(
            "owner_name",
            "Nama Pemilik",
            _("Owner"),
            None,
            lambda p: str(p.owner_cooperative or p.owner_person or ""),
            aliases=("pemilik", "owner"),
            export_only=True,
        ),
        Column(
            "status",
            "Status Kurasi",
            _("Curation status"),
            None,
            lambda p: p.get_status_display(),
            aliases=("status kurasi", "curation status"),
            export_only=True,
        ),
        Column(
            "level",
            "Level Kurasi",
            _("Curation level"),
            None,
            lambda p: p.get_level_display() if p.level else "",
            aliases=("level kurasi", "curation level"),
            export_only=True,
        ),
    ),
)

RESOURCES: dict[str, Resource] = {r.name: r for r in (PESANTREN, COOPERATIVES, PEOPLE, PRODUCTS)}

# Legality documents by kind → the annotation names the product columns read.
LEGAL_FIELDS = {
    "halal": {
        "number": "halal_number",
        "halal_scheme": "halal_scheme",
        "issued_on": "halal_issued_on",
        "expires_on": "halal_expires_on",
    },
    "pirt": {"number": "pirt_number", "expires_on": "pirt_expires_on"},
    "bpom": {"number": "bpom_number", "expires_on": "bpom_expires_on"},
    "sni": {"number": "sni_number"},
    "trademark": {"number": "trademark_number"},
}


def _annotate_products(queryset):
    """Each legality document's fields as a subquery: one query however many products."""
    from django.db.models import OuterRef, Subquery

    from niaga.registry.models import LegalDocument

    annotations = {}
    for kind, fields in LEGAL_FIELDS.items():
        documents = LegalDocument.objects.with_scopes_disabled().filter(
            product=OuterRef("pk"), kind=kind
        )
        for model_field, name in fields.items():
            annotations[name] = Subquery(documents.values(model_field)[:1])
    return queryset.annotate(**annotations)


def _annotate_people(queryset):
    """The latest registry consent still in force, as subqueries."""
    from django.db.models import OuterRef, Subquery

    from niaga.registry.models import Consent

    consents = (
        Consent.objects.with_scopes_disabled()
        .filter(person=OuterRef("pk"), purpose="registry", withdrawn_on__isnull=True)
        .order_by("-given_on", "-id")
    )
    return queryset.annotate(
        registry_consent_on=Subquery(consents.values("given_on")[:1]),
        registry_consent_by=Subquery(consents.values("given_by")[:1]),
        registry_guardian_name=Subquery(consents.values("guardian_name")[:1]),
        registry_guardian_relation=Subquery(consents.values("guardian_relation")[:1]),
    )


EXPORT_ANNOTATIONS: dict[str, Callable] = {
    "products": _annotate_products,
    "people": _annotate_people,
}


def get_resource(name: str) -> Resource:
    """The resource called `name`; KeyError for an unknown one."""
    return RESOURCES[name]


def header_key(text: Any) -> str:
    """A header as compared with template headers and aliases."""
    return _norm(cell_text(text))
