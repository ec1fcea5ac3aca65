"""Small builders for registry rows, straight into the database (no domain rules).

Tests of a domain function build their world with these and then call the
function under test; they do not go through other domain functions, so a
broken create does not break every test. Call them inside a province scope or
with scopes disabled (they open none themselves).
"""

import datetime
import itertools

from niaga.regions.models import Province, Regency
from niaga.registry.models import (
    Category,
    Cooperative,
    CurationLevel,
    CurationStatus,
    LegalDocument,
    LegalForm,
    Person,
    PersonRole,
    Pesantren,
    Product,
    Typology,
)

_serial = itertools.count(1)


def default_regency(province: Province) -> Regency:
    return Regency.objects.filter(province=province).order_by("code").first()


def make_pesantren(province: Province, **fields) -> Pesantren:
    fields.setdefault("name", f"Pondok Pesantren Uji {next(_serial)}")
    fields.setdefault("regency", default_regency(province))
    fields.setdefault("typology", Typology.COMBINED)
    return Pesantren.objects.create(province=province, **fields)


def make_cooperative(pesantren: Pesantren, **fields) -> Cooperative:
    fields.setdefault("name", f"Kopontren {pesantren.name}")
    fields.setdefault("legal_form", LegalForm.PRIMARY)
    return Cooperative.objects.create(province=pesantren.province, pesantren=pesantren, **fields)


def make_nik(regency: Regency, birth_date: datetime.date, *, female=False, serial=1) -> str:
    """A NIK valid in structure (not a real one): region, birth date (+40 for women), serial."""
    day = birth_date.day + (40 if female else 0)
    region = regency.code.replace(".", "") + "01"
    return f"{region}{day:02d}{birth_date:%m%y}{serial:04d}"


def make_person(province: Province, *, nik: str | None = None, **fields) -> Person:
    """A person; with `nik`, its encrypted, hashed and masked columns are filled."""
    fields.setdefault("full_name", f"Santri Uji {next(_serial)}")
    fields.setdefault("role", PersonRole.SANTRI)
    fields.setdefault("gender", "male")
    fields.setdefault("birth_date", datetime.date(2000, 1, 15))
    person = Person(province=province, **fields)
    if nik:
        from niaga.core import personal_data
        from niaga.registry.validators import mask_nik

        person.nik_encrypted = personal_data.encrypt(nik)
        person.nik_hash = personal_data.lookup_hash("nik", nik)
        person.nik_masked = mask_nik(nik)
    person.save()
    return person


def make_product(owner: Cooperative | Person, **fields) -> Product:
    """A product of a cooperative or a person; `status="curated"` defaults the level to local."""
    fields.setdefault("name", f"Produk Uji {next(_serial)}")
    fields.setdefault("category", Category.FOOD)
    fields.setdefault("unit", "kg")
    if fields.get("status") == CurationStatus.CURATED:
        fields.setdefault("level", CurationLevel.LOCAL)
    if isinstance(owner, Cooperative):
        fields.setdefault("pesantren", owner.pesantren)
        fields.setdefault("regency", owner.pesantren.regency)
        return Product.objects.create(province=owner.province, owner_cooperative=owner, **fields)
    fields.setdefault("pesantren", owner.pesantren)
    fields.setdefault("regency", owner.regency or (owner.pesantren and owner.pesantren.regency))
    return Product.objects.create(province=owner.province, owner_person=owner, **fields)


def make_legal_document(product: Product, kind: str, number: str, **fields) -> LegalDocument:
    if kind == "halal":
        fields.setdefault("halal_scheme", "regular")
    return LegalDocument.objects.create(
        province=product.province, product=product, kind=kind, number=number, **fields
    )
