"""Product writes: owners, field rules, edit conflicts, the re-review policy, legality documents."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from niaga.audit.models import AuditEvent
from niaga.catalog import indexing
from niaga.registry.domain import products as domain
from niaga.registry.models import CurationEvent, LegalDocument, Product
from tests.conftest import make_user
from tests.registry.factories import make_legal_document, make_person, make_product
from tests.registry.test_products_world import build_world, pesantren_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(jatim, kalsel):
    return build_world(jatim, kalsel)


@pytest.fixture
def refreshed(monkeypatch):
    """The products the catalogue was asked to re-index, in order."""
    calls = []
    monkeypatch.setattr(indexing, "refresh_product", lambda product: calls.append(product.pk))
    return calls


def create(actor, world, owner, **fields):
    fields.setdefault("name", "Keripik Tempe Sagu")
    fields.setdefault("category", "food")
    fields.setdefault("unit", "bungkus")
    return domain.product_create(actor=actor, province=world.jatim, owner=owner, **fields)


def test_a_cooperatives_product_takes_its_pesantren_and_regency(world, jatim_registry, refreshed):
    product = create(
        jatim_registry,
        world,
        world.hikmah_coop,
        description="Keripik tempe renyah dari kedelai lokal.",
        price_min=12_000,
        price_max=15_000,
        monthly_capacity=800,
        hs_code="2008.19.90",
    )
    assert product.pesantren == world.hikmah and product.regency_id == "35.01"
    assert (product.owner_cooperative, product.owner_person) == (world.hikmah_coop, None)
    assert (product.status, product.level, product.version) == ("draft", "", 1)
    assert product.hs_code == "20081990"
    assert refreshed == [product.pk]
    with scope(province=world.jatim):
        event = AuditEvent.objects.get(action="registry.product.create")
    assert event.actor == jatim_registry and event.object_id == str(product.pk)
    assert event.after == {
        "name": "Keripik Tempe Sagu",
        "description": "Keripik tempe renyah dari kedelai lokal.",
        "category": "food",
        "owner_cooperative": world.hikmah_coop.pk,
        "owner_person": None,
        "pesantren": world.hikmah.pk,
        "regency": "35.01",
        "price_min": 12_000,
        "price_max": 15_000,
        "unit": "bungkus",
        "monthly_capacity": 800,
        "hs_code": "20081990",
        "status": "draft",
        "level": "",
        "version": 1,
    }


def test_a_persons_product_takes_their_regency_else_their_pesantrens(world, jatim_registry):
    by_alumnus = create(jatim_registry, world, world.alumnus)
    assert (by_alumnus.pesantren, by_alumnus.regency_id) == (world.ulum, "35.07")
    by_santri = create(jatim_registry, world, world.santri)
    assert (by_santri.pesantren, by_santri.regency_id) == (world.hikmah, "35.01")
    with scopes_disabled():
        neighbour = make_person(world.jatim, full_name="Warga Sekitar", role="community")
    alone = create(jatim_registry, world, neighbour)
    assert (alone.pesantren, alone.regency) == (None, None)


def message_dict_in_english(error: ValidationError) -> dict:
    with translation.override("en"):
        return error.message_dict


def test_bad_fields_are_named_and_nothing_is_saved(world, jatim_registry, refreshed):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        create(
            jatim_registry,
            world,
            world.hikmah_coop,
            name="  ",
            category="jewellery",
            unit="",
            price_min=-5,
            monthly_capacity=-1,
            hs_code="7701.00.00",
        )
    # The messages are read while English is active: a parameterised message is
    # translated only when it is formatted.
    assert message_dict_in_english(raised.value) == {
        "name": ["This field is required."],
        "category": ["Choose one of the categories."],
        "unit": ["This field is required."],
        "price_min": ["A price cannot be negative or absurdly large."],
        "monthly_capacity": ["The capacity is a whole number of units, 0 or more."],
        "hs_code": [
            "An HS code begins with its chapter, 01–97 (chapter 77 is unused); "
            "“7701.00.00” begins with 77."
        ],
    }
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        create(jatim_registry, world, world.hikmah_coop, price_min=20_000, price_max=15_000)
    assert raised.value.message_dict == {
        "price_max": ["The highest price must not be below the lowest price."]
    }
    assert raised.value.error_dict["price_max"][0].code == "price_range"
    with scope(province=world.jatim):
        assert not Product.objects.exists()
        assert not AuditEvent.objects.exists()
    assert refreshed == []


def test_owners_of_another_province_or_erased_are_refused(world, jatim_registry):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        create(jatim_registry, world, world.banjar_coop)
    assert raised.value.message_dict == {"owner": ["The owner is not registered in this province."]}
    with scopes_disabled():
        gone = make_person(world.jatim, full_name="[dihapus]", erased_at=timezone.now())
    with pytest.raises(ValidationError) as raised:
        create(jatim_registry, world, gone)
    assert set(raised.value.message_dict) == {"owner"}


def test_who_may_register_products(world, jatim, jatim_curator, jatim_admin):
    own = pesantren_account("akun-hikmah", world.hikmah)
    assert create(own, world, world.hikmah_coop).pesantren == world.hikmah
    assert create(own, world, world.santri).pesantren == world.hikmah
    assert create(jatim_admin, world, world.ulum_coop).pesantren == world.ulum
    viewer = make_user("jatim-viewer", province=jatim, roles=["viewer"])
    for actor, owner in (
        (own, world.ulum_coop),
        (own, world.alumnus),
        (jatim_curator, world.hikmah_coop),
        (viewer, world.hikmah_coop),
    ):
        with pytest.raises(PermissionDenied):
            create(actor, world, owner)
    with scope(province=jatim):
        assert Product.objects.count() == 3


def test_updates_check_the_version_and_bump_it(world, jatim_registry, refreshed):
    product = create(jatim_registry, world, world.hikmah_coop, price_min=10_000)
    updated = domain.product_update(
        actor=jatim_registry, product=product, version=1, price_min=11_000, unit="pak"
    )
    assert (updated.price_min, updated.unit, updated.version) == (11_000, "pak", 2)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        domain.product_update(actor=jatim_registry, product=product, version=1, price_min=1)
    assert raised.value.code == "conflict"
    assert raised.value.messages[0].startswith("Someone else changed this record")
    # Saving what is already there writes nothing.
    same = domain.product_update(actor=jatim_registry, product=product, version=2, unit="pak")
    assert same.version == 2
    with scope(province=world.jatim):
        stored = Product.objects.get(pk=product.pk)
        assert (stored.price_min, stored.version) == (11_000, 2)
        events = AuditEvent.objects.filter(action="registry.product.update")
        assert events.count() == 1
        assert (events[0].before["price_min"], events[0].after["price_min"]) == (10_000, 11_000)
    assert refreshed == [product.pk, product.pk]


def test_changing_the_owner_moves_pesantren_and_regency(world, jatim_registry):
    product = create(jatim_registry, world, world.hikmah_coop)
    updated = domain.product_update(
        actor=jatim_registry, product=product, version=1, owner=world.alumnus
    )
    assert (updated.owner_cooperative, updated.owner_person) == (None, world.alumnus)
    assert (updated.pesantren, updated.regency_id) == (world.ulum, "35.07")


def test_an_account_cannot_hand_its_product_to_another_pesantren(world):
    own = pesantren_account("akun-hikmah", world.hikmah)
    other = pesantren_account("akun-ulum", world.ulum)
    product = create(own, world, world.hikmah_coop)
    with pytest.raises(PermissionDenied):
        domain.product_update(actor=own, product=product, version=1, owner=world.ulum_coop)
    with pytest.raises(PermissionDenied):
        domain.product_update(actor=other, product=product, version=1, name="Diambil alih")
    with scope(province=world.jatim):
        assert Product.objects.get(pk=product.pk).owner_cooperative == world.hikmah_coop


def test_a_curated_product_changed_in_substance_goes_back_to_review(world, jatim_registry):
    with scopes_disabled():
        product = make_product(
            world.hikmah_coop,
            name="Batik Tulis",
            status="curated",
            level="export",
            curated_at=timezone.now(),
        )
    # Price, unit, capacity and HS code leave the curation alone.
    product = domain.product_update(
        actor=jatim_registry, product=product, version=1, price_max=450_000, monthly_capacity=40
    )
    assert (product.status, product.level) == ("curated", "export")
    with translation.override("en"):
        product = domain.product_update(
            actor=jatim_registry,
            product=product,
            version=2,
            name="Batik Tulis Pacitan",
            description="Motif baru",
        )
    assert (product.status, product.level, product.curated_at) == ("submitted", "", None)
    with scope(province=world.jatim):
        event = CurationEvent.objects.get(product=product)
        reopen = AuditEvent.objects.get(action="registry.product.reopen")
    assert (event.from_status, event.to_status, event.actor) == (
        "curated",
        "submitted",
        jatim_registry,
    )
    assert event.notes == "name, description"
    assert reopen.before == {"status": "curated", "level": "export"}


def test_an_edited_product_in_review_stays_in_review(world, jatim_registry):
    with scopes_disabled():
        product = make_product(world.hikmah_coop, status="in_review")
    product = domain.product_update(actor=jatim_registry, product=product, version=1, name="Baru")
    assert product.status == "in_review"
    with scope(province=world.jatim):
        assert not CurationEvent.objects.exists()


# --- Legality documents -------------------------------------------------------------


VALID = [
    ("halal", "ID 3511 0000 1234 5092 1", "ID35110000123450921"),
    ("pirt", "P-IRT No. 2063578010123-26", "206357801012326"),
    ("bpom", "BPOM RI MD 224510001234", "MD224510001234"),
    ("sni", "sni 3140.3:2010", "SNI 3140.3:2010"),
    ("trademark", "idm000123456", "IDM000123456"),
]


@pytest.mark.parametrize(("kind", "typed", "stored"), VALID)
def test_each_kind_is_checked_and_normalised(world, jatim_registry, refreshed, kind, typed, stored):
    with scopes_disabled():
        product = make_product(world.hikmah_coop)
    document = domain.legal_document_set(
        actor=jatim_registry,
        product=product,
        kind=kind,
        number=typed,
        halal_scheme="self_declare",  # dropped for every kind but halal
        issued_on=dt.date(2024, 5, 2),
        expires_on=dt.date(2028, 5, 1),
    )
    assert document.number == stored
    assert document.halal_scheme == ("self_declare" if kind == "halal" else "")
    assert refreshed == [product.pk]
    with scope(province=world.jatim):
        event = AuditEvent.objects.get(action="registry.legal_document.set")
    assert event.before is None
    assert event.after["number"] == stored and event.after["expires_on"] == "2028-05-01"


BAD_NUMBERS = [
    ("halal", "SH2021-1-000123", "halal_application"),
    ("halal", "3511000012345", "halal_format"),
    ("pirt", "12345", "pirt_format"),
    ("bpom", "MK 224510001234", "bpom_format"),
    ("sni", "ISO 9001", "sni_format"),
    ("trademark", "TM-12", "trademark_format"),
]


@pytest.mark.parametrize(("kind", "number", "code"), BAD_NUMBERS)
def test_bad_numbers_are_refused_on_the_number_field(world, jatim_registry, kind, number, code):
    with scopes_disabled():
        product = make_product(world.hikmah_coop)
    with pytest.raises(ValidationError) as raised:
        domain.legal_document_set(
            actor=jatim_registry,
            product=product,
            kind=kind,
            number=number,
            halal_scheme="regular",
            issued_on=dt.date(2024, 1, 1),
        )
    assert set(raised.value.error_dict) == {"number"}
    assert raised.value.error_dict["number"][0].code == code
    with scope(province=world.jatim):
        assert not LegalDocument.objects.exists()


def test_halal_needs_scheme_and_issue_date_and_expiry_follows_issue(world, jatim_registry):
    with scopes_disabled():
        product = make_product(world.hikmah_coop)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        domain.legal_document_set(
            actor=jatim_registry,
            product=product,
            kind="halal",
            number="ID35110000123450921",
            expires_on=dt.date(2020, 1, 1),
        )
    assert raised.value.message_dict == {
        "halal_scheme": ["Choose the halal scheme: regular or self-declare."],
        "issued_on": ["A halal certificate has an issue date; enter it."],
    }
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        domain.legal_document_set(
            actor=jatim_registry,
            product=product,
            kind="bpom",
            number="MD224510001234",
            issued_on=dt.date(2024, 1, 1),
            expires_on=dt.date(2023, 12, 31),
        )
    assert raised.value.message_dict == {
        "expires_on": ["The expiry date must not be before the issue date."]
    }
    # A halal certificate without an expiry date is fine (valid while the product is unchanged).
    document = domain.legal_document_set(
        actor=jatim_registry,
        product=product,
        kind="halal",
        number="ID35110000123450921",
        halal_scheme="regular",
        issued_on=dt.date(2024, 1, 1),
    )
    assert document.expires_on is None


def test_replacing_a_document_needs_its_version_and_removing_it_is_audited(world, jatim_registry):
    with scopes_disabled():
        product = make_product(world.hikmah_coop)
    domain.legal_document_set(
        actor=jatim_registry, product=product, kind="pirt", number="206357801012326"
    )
    # Adding again (no version) while one exists: someone added it meanwhile.
    with pytest.raises(ValidationError) as raised:
        domain.legal_document_set(
            actor=jatim_registry, product=product, kind="pirt", number="206357801012399"
        )
    assert raised.value.code == "conflict"
    document = domain.legal_document_set(
        actor=jatim_registry,
        product=product,
        kind="pirt",
        number="206357801012399",
        expires_on=dt.date(2030, 1, 1),
        version=1,
    )
    assert (document.number, document.version) == ("206357801012399", 2)
    domain.legal_document_remove(actor=jatim_registry, product=product, kind="pirt")
    with scope(province=world.jatim):
        assert not LegalDocument.objects.exists()
        removed = AuditEvent.objects.get(action="registry.legal_document.remove")
    assert removed.before["number"] == "206357801012399" and removed.after is None
    with pytest.raises(ValidationError):
        domain.legal_document_remove(actor=jatim_registry, product=product, kind="pirt")


def test_only_officers_and_the_own_pesantren_manage_documents(world, jatim_curator):
    own = pesantren_account("akun-hikmah", world.hikmah)
    other = pesantren_account("akun-ulum", world.ulum)
    with scopes_disabled():
        product = make_product(world.hikmah_coop)
    domain.legal_document_set(actor=own, product=product, kind="sni", number="SNI 7388:2009")
    for outsider in (other, jatim_curator):
        with pytest.raises(PermissionDenied):
            domain.legal_document_set(
                actor=outsider, product=product, kind="pirt", number="206357801012326"
            )
        with pytest.raises(PermissionDenied):
            domain.legal_document_remove(actor=outsider, product=product, kind="sni")
    with scope(province=world.jatim):
        assert list(LegalDocument.objects.values_list("kind", flat=True)) == ["sni"]


@pytest.mark.parametrize(
    ("expires_on", "state"),
    [
        (None, "valid"),
        (dt.date(2026, 2, 28), "expired"),
        (dt.date(2026, 3, 1), "expiring"),
        (dt.date(2026, 5, 30), "expiring"),
        (dt.date(2026, 5, 31), "valid"),
    ],
)
def test_document_states_on_a_fixed_day(expires_on, state):
    assert domain.document_state(expires_on, dt.date(2026, 3, 1)) == state


def test_snapshots_never_hold_personal_data(world, jatim_registry):
    product = create(jatim_registry, world, world.alumnus)
    with scopes_disabled():
        make_legal_document(product, "pirt", "206357801012326")
    domain.product_update(actor=jatim_registry, product=product, version=1, name="Baru")
    with scope(province=world.jatim):
        for event in AuditEvent.objects.all():
            keys = set(event.before or {}) | set(event.after or {})
            assert not {k for k in keys if "nik" in k or "phone" in k or "birth" in k}
