"""The demo OPOP registry: East Java's 315 pesantren and 1,165 products, South Kalimantan's
first ten pesantren, all valid by the registry's own rules, and loaded the same way twice.

The demo is loaded once for the module (about 6 s), inside a transaction that
is rolled back at the end; each test then runs in its own savepoint.
"""

import datetime as dt
import hashlib
import itertools
import re
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from niaga.accounts.demo import load as load_accounts
from niaga.accounts.models import Membership, Role
from niaga.audit.models import AuditEvent
from niaga.catalog.demo import load as load_catalogue
from niaga.catalog.models import Inquiry, ProductTerm
from niaga.catalog.queries import catalogue_page
from niaga.catalog.search import criteria
from niaga.core import personal_data
from niaga.regions.models import Regency
from niaga.registry import demo, demo_data, validators
from niaga.registry.domain.products import NUMBER_VALIDATORS
from niaga.registry.models import (
    Category,
    Consent,
    Cooperative,
    CurationEvent,
    CurationStatus,
    Enterprise,
    LegalDocument,
    Person,
    Pesantren,
    PesantrenAccess,
    Product,
)

KALSEL_NAMES = {name for _regency, _district, name, _keys in demo_data.KALSEL_PESANTREN}


def load_demo() -> list[str]:
    lines: list[str] = []
    load_accounts(out=lines.append)
    demo.load(out=lines.append)
    load_catalogue(out=lines.append)
    return lines


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo's output lines; its rows stay in the database for the module's tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        lines = load_demo()
        yield lines
        transaction.set_rollback(True)


@pytest.fixture
def world(loaded, db):
    with scopes_disabled():
        yield loaded


def digest() -> str:
    """A digest of the key columns of every table the demo writes, in id order."""
    tables = [
        (Pesantren, ["name", "nspp", "regency_id", "district_id", "leader_name", "phone"]),
        (Cooperative, ["pesantren_id", "name", "deed_number", "deed_date", "nib", "kbli_code"]),
        (Person, ["full_name", "nik_hash", "nik_masked", "birth_date", "gender", "phone"]),
        (Consent, ["person_id", "purpose", "given_on", "given_by", "guardian_name"]),
        (Enterprise, ["owner_id", "name", "nib", "kbli_code"]),
        (Product, ["name", "owner_cooperative_id", "owner_person_id", "status", "level",
                   "price_min", "price_max", "curated_at"]),
        (LegalDocument, ["product_id", "kind", "number", "issued_on", "expires_on"]),
        (CurationEvent, ["product_id", "actor_id", "from_status", "to_status", "level", "at"]),
        (Inquiry, ["product_id", "name", "status", "created_at", "answered_at"]),
        (ProductTerm, ["product_id", "term", "weight"]),
        (PesantrenAccess, ["user_id", "pesantren_id"]),
        (AuditEvent, ["action", "object_id"]),
    ]  # fmt: skip
    hashed = hashlib.sha256()
    for model, fields in tables:
        rows = model.objects.order_by("pk").values_list("pk", *fields)
        hashed.update(repr((model.__name__, list(rows))).encode())
    return hashed.hexdigest()


def test_loading_again_changes_nothing(world):
    before = digest()
    lines = load_demo()
    assert digest() == before
    assert "325 pesantren added now" in " ".join(world)
    assert "0 pesantren added now" in " ".join(lines)
    assert "(0 indexed now)" in lines[-1]


def test_the_plan_is_the_same_every_time_and_only_expiry_dates_follow_the_day(world):
    first = demo.plans(dt.date(2026, 11, 28))
    assert demo.plans(dt.date(2026, 11, 28)) == first
    later = demo.plans(dt.date(2027, 3, 1))

    def without_documents(plans):
        return [
            (
                seed.name,
                seed.nspp,
                seed.people,
                [(p.name, p.status, p.events) for p in seed.products],
            )
            for _slug, seeds in plans
            for seed in seeds
        ]

    assert without_documents(later) == without_documents(first)
    shifts = {
        (b.expires_on - a.expires_on).days
        for (_s, seeds), (_t, moved) in zip(first, later, strict=True)
        for seed, other in zip(seeds, moved, strict=True)
        for product, same in zip(seed.products, other.products, strict=True)
        for a, b in zip(product.documents, same.documents, strict=True)
    }
    assert shifts == {(dt.date(2027, 3, 1) - dt.date(2026, 11, 28)).days}


def test_east_java_pesantren_cover_all_38_regencies(world):
    pesantren = Pesantren.objects.filter(province_id="35")
    assert pesantren.count() == 315
    per_regency = Counter(pesantren.values_list("regency_id", flat=True))
    assert set(per_regency) == set(
        Regency.objects.filter(province_id="35").values_list("code", flat=True)
    )
    assert len(per_regency) == 38
    # The heartlands hold more than the small cities.
    for heartland in ("35.17", "35.06", "35.14", "35.29", "35.07"):
        assert per_regency[heartland] >= 14
    assert per_regency["35.72"] == 2  # Kota Blitar
    assert pesantren.filter(status="inactive").count() == 11
    assert pesantren.filter(nspp__isnull=False).count() == 291
    years = list(pesantren.values_list("founded_year", "opop_joined_year"))
    assert all(1745 <= founded <= 2015 and 2019 <= joined <= 2025 for founded, joined in years)
    assert {p.typology for p in pesantren} == {"salafiyah", "khalafiyah", "kombinasi"}


def test_every_pesantren_lies_in_a_district_of_its_regency(world):
    rows = Pesantren.objects.values_list("regency_id", "district_id", "district__regency_id")
    assert len(rows) == 325
    assert all(district is not None and owner == regency for regency, district, owner in rows)


def test_identifiers_pass_their_validators(world):
    nspps = list(Pesantren.objects.exclude(nspp=None).values_list("nspp", "regency_id"))
    assert len({nspp for nspp, _ in nspps}) == len(nspps)
    for nspp, regency in nspps:
        assert validators.validate_nspp(nspp) == nspp
        assert nspp[4:8] == regency.replace(".", "")
    nibs = [
        *Cooperative.objects.exclude(nib=None).values_list("nib", flat=True),
        *Enterprise.objects.exclude(nib=None).values_list("nib", flat=True),
    ]
    assert len(nibs) == len(set(nibs)) > 250
    assert all(validators.validate_nib(nib) == nib for nib in nibs)
    for model in (Cooperative, Enterprise):
        for code, version in model.objects.values_list("kbli_code", "kbli_version"):
            assert validators.validate_kbli(code, version) == code
    phones = [
        *Pesantren.objects.values_list("phone", flat=True),
        *Person.objects.exclude(phone="").values_list("phone", flat=True),
        *Inquiry.objects.exclude(phone="").values_list("phone", flat=True),
    ]
    assert all(validators.validate_phone(phone) == phone for phone in phones)
    for hs_code in Product.objects.exclude(hs_code="").values_list("hs_code", flat=True):
        assert validators.validate_hs_code(hs_code) == hs_code
    deeds = Cooperative.objects.exclude(deed_number="").values_list("deed_number", flat=True)
    assert all(re.fullmatch(r"\d+/BH/XVII?\.\d\d/\d{4}|AHU-\d{7}\.AH\.01\.26\.TAHUN \d{4}", d)
               for d in deeds)  # fmt: skip


def test_legality_numbers_are_valid_and_some_expire_soon_or_have_expired(world):
    documents = list(LegalDocument.objects.all())
    assert {d.kind for d in documents} == {"halal", "pirt", "bpom", "sni", "trademark"}
    for document in documents:
        assert NUMBER_VALIDATORS[document.kind](document.number) == document.number
        assert document.issued_on < document.expires_on
        if document.kind == "pirt":  # its last two digits are the year it expires
            assert document.number[-2:] == f"{document.expires_on:%y}"
    assert {d.halal_scheme for d in documents if d.kind == "halal"} == {"regular", "self_declare"}
    numbers = [d.number for d in documents if d.kind != "sni"]
    assert len(numbers) == len(set(numbers))
    today = timezone.localdate()
    expired = sum(d.expires_on < today for d in documents)
    soon = sum(today <= d.expires_on <= today + dt.timedelta(days=90) for d in documents)
    assert 30 <= expired <= 80
    assert 60 <= soon <= 120


def test_east_java_has_over_1000_products_in_every_category(world):
    products = Product.objects.filter(province_id="35")
    assert products.count() == 1165
    assert set(products.values_list("category", flat=True)) == set(Category.values)
    owners = Counter("cooperative" if p.owner_cooperative_id else "person" for p in products)
    assert owners["cooperative"] > 1.5 * owners["person"] > 0
    statuses = Counter(products.values_list("status", flat=True))
    assert set(statuses) == set(CurationStatus.values)
    assert statuses["curated"] > products.count() / 2
    levels = Counter(products.exclude(level="").values_list("level", flat=True))
    assert levels["local"] > levels["modern_retail"] > levels["export"] > 0
    for product in products.select_related("owner_cooperative", "owner_person"):
        owner = product.owner_cooperative or product.owner_person
        assert product.pesantren_id == owner.pesantren_id
        assert product.regency_id == product.pesantren.regency_id
        assert 0 < product.price_min <= product.price_max
        assert product.monthly_capacity > 0
    searchable = products.filter(status="curated").values_list("description", flat=True)
    assert sum("membatik" in text or "dibatik" in text for text in searchable) >= 10


def test_people_niks_are_encrypted_valid_and_match_birth_date_and_gender(world):
    people = list(Person.objects.select_related("pesantren"))
    assert len(people) == 2086 + 67
    clear = set()
    for person in people:
        nik = personal_data.decrypt(person.nik_encrypted)
        assert validators.validate_nik(nik) == nik
        validators.check_nik_matches(
            nik, birth_date=person.birth_date, is_female=person.gender == "female"
        )
        assert nik[:6] == person.pesantren.district_id.replace(".", "")
        assert int(nik[12:]) > 9000
        assert person.nik_hash == personal_data.lookup_hash("nik", nik)
        assert person.nik_masked == validators.mask_nik(nik)
        clear.add(nik)
    assert len(clear) == len(people)
    # No clear NIK anywhere in the rows the demo wrote, nor in the audit log.
    stored = " ".join(
        repr(list(model.objects.values_list()))
        for model in (Person, Consent, Enterprise, Pesantren, Cooperative, Product, AuditEvent)
    )
    assert not clear & set(re.findall(r"\d{16}", stored))


def test_every_person_consents_to_the_registry_and_minors_through_a_guardian(world):
    people = Person.objects.prefetch_related("consents")
    minors = 0
    for person in people:
        consents = list(person.consents.all())
        assert "registry" in {c.purpose for c in consents}
        for consent in consents:  # a guardian consents exactly for who was a minor then
            if person.is_minor(consent.given_on):
                assert consent.given_by == "guardian"
                assert consent.guardian_name and consent.guardian_relation
            else:
                assert consent.given_by == "self" and not consent.guardian_name
        if person.is_minor(dt.date(2026, 11, 28)):
            minors += 1
            assert person.role == "santri" and person.phone == ""
    assert minors > 400
    roles = Counter(people.values_list("role", flat=True))
    assert set(roles) == {"santri", "alumnus", "staff", "community"}
    owners = set(Enterprise.objects.values_list("owner_id", flat=True))
    assert Consent.objects.filter(purpose="catalogue_contact").count() == len(owners)
    assert set(Enterprise.objects.values_list("pillar", flat=True)) == {
        "santripreneur", "sosiopreneur",
    }  # fmt: skip


def test_curation_trails_lead_to_each_product_status(world):
    actors = {
        "jatim-registry", "jatim-kurator", "pesantren-demo", "kalsel-admin",
    }  # fmt: skip
    now = timezone.now()
    events = CurationEvent.objects.select_related("actor").order_by("product_id", "at", "pk")
    trails: dict[int, list[CurationEvent]] = {}
    for event in events:
        trails.setdefault(event.product_id, []).append(event)
    for product in Product.objects.all():
        trail = trails.get(product.pk, [])
        if product.status == "draft":
            assert trail == []
            continue
        assert trail[0].from_status == "draft"
        for before, after in itertools.pairwise(trail):
            assert after.from_status == before.to_status and after.at > before.at
        assert trail[-1].to_status == product.status
        assert trail[-1].at < now
        for event in trail:
            assert event.actor.username in actors
            if (
                event.to_status in ("in_review", "curated", "returned")
                and product.province_id == "35"
            ):
                assert event.actor.username == "jatim-kurator"
            if event.to_status == "returned":
                assert event.notes
        if product.status == "curated":
            assert trail[-1].level == product.level
            assert product.curated_at == trail[-1].at


def test_inquiries_new_and_answered(world):
    inquiries = list(Inquiry.objects.select_related("product", "answered_by"))
    assert len(inquiries) == 51
    assert Counter(i.status for i in inquiries).keys() == {"new", "answered", "closed"}
    for inquiry in inquiries:
        assert inquiry.product.status == "curated"
        assert inquiry.created_at > inquiry.product.curated_at
        assert inquiry.phone or inquiry.email
        if inquiry.status == "new":
            assert inquiry.answered_by is None and not inquiry.reply_note
        else:
            assert inquiry.reply_note and inquiry.answered_at > inquiry.created_at
    assert {i.language for i in inquiries} == {"id", "en"}


def test_south_kalimantan_has_its_first_ten_pesantren(world):
    pesantren = Pesantren.objects.filter(province_id="63")
    assert set(pesantren.values_list("name", flat=True)) == KALSEL_NAMES
    assert len(KALSEL_NAMES) == 10
    assert set(pesantren.values_list("opop_joined_year", flat=True)) == {2023}
    assert Cooperative.objects.filter(province_id="63").count() == 10
    products = Product.objects.filter(province_id="63")
    assert products.count() == 18
    names = " ".join(products.values_list("name", flat=True))
    for word in ("Sasirangan", "Kerupuk Haruan", "Amplang", "Lampit Rotan"):
        assert word in names
    assert Person.objects.filter(province_id="63").count() == 67


def test_demo_accounts_for_the_registry(world):
    roles = dict(Membership.objects.filter(province_id="35").values_list("user__username", "role"))
    assert roles["jatim-kurator"] == Role.CURATOR
    assert roles["jatim-dpo"] == Role.PRIVACY_OFFICER
    assert roles["pesantren-demo"] == Role.PESANTREN
    access = PesantrenAccess.objects.select_related("pesantren").get(
        user__username="pesantren-demo"
    )
    featured = access.pesantren
    assert featured.name == "Pondok Pesantren Miftahul Ulum Al-Barokah"
    assert featured.district.name == "Diwek"
    products = Product.objects.filter(owner_cooperative__pesantren=featured)
    assert Counter(products.values_list("status", flat=True)) == {
        "curated": 3, "returned": 1, "in_review": 1, "draft": 1,
    }  # fmt: skip
    today = timezone.localdate()
    halal = LegalDocument.objects.get(product__name="Keripik Tempe Al-Barokah", kind="halal")
    assert today <= halal.expires_on <= today + dt.timedelta(days=90)
    assert Inquiry.objects.filter(product__in=products).count() >= 3


def test_curated_products_are_in_the_search_index(world):
    curated = set(Product.objects.filter(status="curated").values_list("pk", flat=True))
    assert set(ProductTerm.objects.values_list("product_id", flat=True)) == curated
    # "batik tulis" finds the products whose description says "membatik" or "dibatik".
    page = catalogue_page(criteria(q="batik tulis"))
    assert page.count >= 20
    assert all("batik" in product.name.lower() for product in page.items)
    assert catalogue_page(criteria(q="kerajinan", province="35")).count > 50
