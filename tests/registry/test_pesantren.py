"""Domain rules for pesantren, cooperatives, santri/alumni businesses and pesantren accounts:
each rule's error code and field, audit entries, version conflicts, nothing written on error."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from niaga.accounts.models import Membership, Role, User
from niaga.audit.models import AuditEvent
from niaga.regions.models import District, Regency
from niaga.registry import queries
from niaga.registry.domain import pesantren as domain
from niaga.registry.models import (
    Cooperative,
    Enterprise,
    Pesantren,
    PesantrenAccess,
    PesantrenStatus,
    Typology,
)
from tests.conftest import make_user
from tests.registry.factories import make_cooperative, make_person, make_pesantren

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The messages below are asserted in English, the msgids; the Indonesian
    # catalogue is checked by tests/core/test_translations.py.
    with translation.override("en"):
        yield


JOMBANG, DIWEK, PETERONGAN = "35.17", "35.17.08", "35.17.10"
SURABAYA, WONOCOLO = "35.78", "35.78.02"
BANJARMASIN = "63.71"


def codes(error: ValidationError) -> dict[str, list[str]]:
    """{field: [codes]} of a domain error."""
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def new_pesantren(actor, province, **fields):
    values = {
        "name": "Pondok Pesantren Tebuireng",
        "regency": Regency.objects.get(code=JOMBANG),
        "typology": Typology.COMBINED,
    }
    values.update(fields)
    return domain.pesantren_create(actor=actor, province=province, **values)


def audit(**filters) -> list[AuditEvent]:
    """Audit events of every province matching `filters`, oldest first."""
    with scopes_disabled():
        return list(AuditEvent.objects.filter(**filters).order_by("id"))


def count_pesantren(province) -> int:
    with scope(province=province):
        return Pesantren.objects.count()


# --- Pesantren -------------------------------------------------------------------


def test_create_normalises_and_audits(jatim, jatim_registry):
    pesantren = new_pesantren(
        jatim_registry,
        jatim,
        nspp="5100 3517 0001",
        district=District.objects.get(code=DIWEK),
        address="  Jl. Irian Jaya   No. 10 ",
        leader_name="KH. Abdul Hakim Mahfudz",
        santri_male="2500",
        santri_female=1800,
        founded_year="1899",
        opop_joined_year=2019,
        phone="0321-861719",
        email="info@tebuireng.example",
        website="tebuireng.example",
        takes_santripreneur=True,
        takes_pesantrenpreneur=True,
    )
    with scope(province=jatim):
        stored = Pesantren.objects.get(pk=pesantren.pk)
    assert stored.nspp == "510035170001"
    assert stored.address == "Jl. Irian Jaya No. 10"
    assert stored.phone == "+62321861719"
    assert stored.website == "https://tebuireng.example"
    assert (stored.santri_male, stored.santri_female, stored.santri_total) == (2500, 1800, 4300)
    assert (stored.founded_year, stored.opop_joined_year) == (1899, 2019)
    assert stored.district_id == DIWEK and stored.regency_id == JOMBANG
    assert stored.status == PesantrenStatus.ACTIVE and stored.version == 1
    assert [str(p) for p in stored.pillars] == ["santripreneur", "pesantrenpreneur"]
    with scope(province=jatim):
        event = AuditEvent.objects.get(action="registry.pesantren.create")
    assert event.object_type == "registry.pesantren" and event.object_id == str(pesantren.pk)
    assert event.actor == jatim_registry and event.province == jatim
    assert event.after["nspp"] == "510035170001" and event.after["regency"] == JOMBANG
    # The pesantren's phone is masked in the audit log like any phone.
    assert event.after["phone"] != "+62321861719" and "*" in event.after["phone"]
    assert event.before is None


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"name": "  "}, "name", "required"),
        ({"name": "x" * 201}, "name", "max_length"),
        ({"nspp": "51003517001"}, "nspp", "nspp_format"),
        ({"nspp": "51003517000A"}, "nspp", "nspp_format"),
        ({"regency": None}, "regency", "required"),
        ({"regency": "99.99"}, "regency", "invalid"),
        ({"district": "35.17.99"}, "district", "invalid"),
        ({"typology": "pondok"}, "typology", "invalid_choice"),
        ({"founded_year": "19x9"}, "founded_year", "year_format"),
        ({"founded_year": 2999}, "founded_year", "year_range"),
        ({"opop_joined_year": 2018}, "opop_joined_year", "year_range"),
        ({"opop_joined_year": "20199"}, "opop_joined_year", "year_format"),
        ({"santri_male": -1}, "santri_male", "min_value"),
        ({"santri_female": "banyak"}, "santri_female", "invalid"),
        ({"santri_female": 300_000}, "santri_female", "max_value"),
        ({"phone": "12345"}, "phone", "phone_format"),
        ({"phone": "+1 202 555 0100"}, "phone", "phone_country"),
        ({"email": "bukan-surel"}, "email", "invalid"),
        ({"website": "http://"}, "website", "invalid"),
        ({"status": "closed"}, "status", "invalid_choice"),
    ],
)
def test_each_rule_names_its_field(jatim, jatim_registry, fields, field, code):
    with pytest.raises(ValidationError) as caught:
        new_pesantren(jatim_registry, jatim, **fields)
    assert codes(caught.value) == {field: [code]}
    assert count_pesantren(jatim) == 0
    assert audit(action__startswith="registry.") == []


def test_regency_of_another_province_is_refused(jatim, jatim_registry):
    with pytest.raises(ValidationError) as caught:
        new_pesantren(jatim_registry, jatim, regency=Regency.objects.get(code=BANJARMASIN))
    assert codes(caught.value) == {"regency": ["regency_province"]}
    with translation.override("en"):
        assert caught.value.error_dict["regency"][0].messages == [
            "Kota Banjarmasin is not in Jawa Timur."
        ]
    assert count_pesantren(jatim) == 0


def test_district_must_lie_in_the_regency(jatim, jatim_registry):
    with pytest.raises(ValidationError) as caught:
        new_pesantren(jatim_registry, jatim, district=District.objects.get(code=WONOCOLO))
    assert codes(caught.value) == {"district": ["district_regency"]}
    with translation.override("en"):
        assert caught.value.error_dict["district"][0].messages == [
            "The district Wonocolo is not in Kabupaten Jombang."
        ]
    # The district given by its code works the same; the right one is accepted.
    pesantren = new_pesantren(jatim_registry, jatim, district=PETERONGAN)
    assert pesantren.district_id == PETERONGAN


def test_joining_opop_before_founding_is_refused(jatim, jatim_registry):
    with pytest.raises(ValidationError) as caught:
        new_pesantren(jatim_registry, jatim, founded_year=2020, opop_joined_year=2019)
    assert codes(caught.value) == {"opop_joined_year": ["joined_before_founded"]}
    pesantren = new_pesantren(jatim_registry, jatim, founded_year=2020, opop_joined_year=2020)
    assert pesantren.opop_joined_year == 2020


def test_every_bad_field_is_named_at_once(jatim, jatim_registry):
    with pytest.raises(ValidationError) as caught:
        new_pesantren(
            jatim_registry, jatim, name="", nspp="12", santri_male=-5, phone="0000", typology=""
        )
    assert codes(caught.value) == {
        "name": ["required"],
        "nspp": ["nspp_format"],
        "santri_male": ["min_value"],
        "phone": ["phone_format"],
        "typology": ["invalid_choice"],
    }


def test_nspp_is_registered_once_across_provinces(jatim, kalsel, jatim_registry, kalsel_registry):
    new_pesantren(jatim_registry, jatim, nspp="510035170001")
    with pytest.raises(ValidationError) as caught:
        new_pesantren(jatim_registry, jatim, name="Pesantren Kedua", nspp="5100-3517-0001")
    assert codes(caught.value) == {"nspp": ["nspp_taken"]}
    with translation.override("en"):
        assert caught.value.messages == [
            "This NSPP is already registered, to Pondok Pesantren Tebuireng."
        ]
    # Another province learns the number is taken, not which pesantren holds it.
    with pytest.raises(ValidationError) as caught:
        new_pesantren(
            kalsel_registry,
            kalsel,
            name="Pesantren Banjar",
            regency=Regency.objects.get(code=BANJARMASIN),
            nspp="510035170001",
        )
    assert codes(caught.value) == {"nspp": ["nspp_taken"]}
    with translation.override("en"):
        assert caught.value.messages == [
            "This NSPP is already registered, to a pesantren in another province."
        ]
    assert count_pesantren(jatim) == 1 and count_pesantren(kalsel) == 0


def test_update_checks_the_version_and_records_only_changes(jatim, jatim_registry, jatim_admin):
    pesantren = new_pesantren(jatim_registry, jatim, santri_male=100, leader_name="KH. Hasyim")
    changed = domain.pesantren_update(
        actor=jatim_admin, pesantren=pesantren, version=1, santri_male=150, name="PP Tebuireng"
    )
    assert changed.version == 2 and changed.santri_male == 150 and changed.name == "PP Tebuireng"
    with scope(province=jatim):
        event = AuditEvent.objects.get(action="registry.pesantren.update")
    assert event.before == {"name": "Pondok Pesantren Tebuireng", "santri_male": 100, "version": 1}
    assert event.after == {"name": "PP Tebuireng", "santri_male": 150, "version": 2}
    assert event.actor == jatim_admin

    # A second editor who read version 1 is refused and changes nothing.
    with pytest.raises(ValidationError) as caught:
        domain.pesantren_update(
            actor=jatim_registry, pesantren=pesantren, version=1, leader_name="Orang lain"
        )
    assert caught.value.code == "conflict"
    with translation.override("en"):
        assert caught.value.messages[0].startswith("Someone else changed this record")
    with scope(province=jatim):
        stored = Pesantren.objects.get(pk=pesantren.pk)
    assert (stored.version, stored.leader_name) == (2, "KH. Hasyim")
    assert len(audit(action="registry.pesantren.update")) == 1


def test_update_validates_and_an_unchanged_save_writes_nothing(jatim, jatim_registry):
    pesantren = new_pesantren(jatim_registry, jatim, founded_year=1899)
    with pytest.raises(ValidationError) as caught:
        domain.pesantren_update(
            actor=jatim_registry,
            pesantren=pesantren,
            version=1,
            opop_joined_year=2019,
            district=WONOCOLO,
        )
    assert codes(caught.value) == {"district": ["district_regency"]}
    same = domain.pesantren_update(
        actor=jatim_registry, pesantren=pesantren, version=1, name=pesantren.name
    )
    assert same.version == 1
    assert audit(action="registry.pesantren.update") == []


def test_update_cannot_take_another_pesantrens_nspp(jatim, jatim_registry):
    new_pesantren(jatim_registry, jatim, nspp="510035170001")
    other = new_pesantren(jatim_registry, jatim, name="PP Darul Ulum", nspp="510035170002")
    with pytest.raises(ValidationError) as caught:
        domain.pesantren_update(
            actor=jatim_registry, pesantren=other, version=1, nspp="510035170001"
        )
    assert codes(caught.value) == {"nspp": ["nspp_taken"]}
    # Keeping its own NSPP is not a clash.
    kept = domain.pesantren_update(
        actor=jatim_registry, pesantren=other, version=1, nspp="510035170002", santri_male=5
    )
    assert kept.nspp == "510035170002" and kept.version == 2


def test_status_changes_are_versioned_and_audited(jatim, jatim_registry):
    pesantren = new_pesantren(jatim_registry, jatim)
    with pytest.raises(ValidationError) as caught:
        domain.pesantren_set_status(
            actor=jatim_registry, pesantren=pesantren, version=1, status=PesantrenStatus.ACTIVE
        )
    assert codes(caught.value) == {"status": ["unchanged"]}
    changed = domain.pesantren_set_status(
        actor=jatim_registry, pesantren=pesantren, version=1, status=PesantrenStatus.INACTIVE
    )
    assert (changed.status, changed.version) == ("inactive", 2)
    with pytest.raises(ValidationError) as caught:
        domain.pesantren_set_status(
            actor=jatim_registry, pesantren=pesantren, version=1, status=PesantrenStatus.ACTIVE
        )
    assert caught.value.code == "conflict"
    with scope(province=jatim):
        event = AuditEvent.objects.get(action="registry.pesantren.status")
        assert Pesantren.objects.get(pk=pesantren.pk).status == "inactive"
    assert event.before == {"status": "active", "version": 1}
    assert event.after == {"status": "inactive", "version": 2}


def test_unknown_fields_are_a_programming_error(jatim, jatim_registry):
    with pytest.raises(TypeError, match="unknown fields: colour"):
        new_pesantren(jatim_registry, jatim, colour="green")


# --- Cooperatives ----------------------------------------------------------------------


@pytest.fixture
def tebuireng(jatim):
    with scope(province=jatim):
        return make_pesantren(jatim, name="PP Tebuireng", regency=Regency.objects.get(code=JOMBANG))


def new_cooperative(actor, pesantren, **fields):
    values = {"name": "Kopontren Tebuireng", "legal_form": "koperasi_primer"}
    values.update(fields)
    return domain.cooperative_create(actor=actor, pesantren=pesantren, **values)


def test_cooperative_create_normalises_and_audits(jatim, jatim_registry, tebuireng):
    cooperative = new_cooperative(
        jatim_registry,
        tebuireng,
        deed_number="AHU-0012345.AH.01.26.2019",
        deed_date=datetime.date(2019, 3, 17),
        nib="9120 0012 3456 7",
        kbli_code="47111",
        kbli_version="2020",
        members_count="320",
        business_lines="Minimarket, air minum",
    )
    with scope(province=jatim):
        stored = Cooperative.objects.get(pk=cooperative.pk)
        event = AuditEvent.objects.get(action="registry.cooperative.create")
    assert (stored.nib, stored.kbli_code, stored.kbli_version) == ("9120001234567", "47111", "2020")
    assert stored.members_count == 320 and stored.pesantren_id == tebuireng.pk
    assert stored.province_id == jatim.pk and stored.version == 1
    assert event.object_type == "registry.cooperative" and event.after["pesantren"] == tebuireng.pk
    assert event.after["deed_date"] == "2019-03-17"


def test_one_cooperative_per_pesantren(jatim, jatim_registry, tebuireng):
    new_cooperative(jatim_registry, tebuireng)
    with pytest.raises(ValidationError) as caught:
        new_cooperative(jatim_registry, tebuireng, name="Koperasi Kedua")
    assert codes(caught.value) == {"pesantren": ["cooperative_exists"]}
    with scope(province=jatim):
        assert Cooperative.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"name": ""}, "name", "required"),
        ({"legal_form": "pt"}, "legal_form", "invalid_choice"),
        ({"nib": "912000123456"}, "nib", "nib_format"),
        ({"kbli_code": "4711"}, "kbli_code", "kbli_format"),
        ({"kbli_code": "47111", "kbli_version": "2009"}, "kbli_version", "kbli_version"),
        ({"members_count": -3}, "members_count", "min_value"),
        ({"deed_date": "17-03-2019"}, "deed_date", "invalid"),
    ],
)
def test_cooperative_rules(jatim, jatim_registry, tebuireng, fields, field, code):
    with pytest.raises(ValidationError) as caught:
        new_cooperative(jatim_registry, tebuireng, **fields)
    assert codes(caught.value) == {field: [code]}
    with scope(province=jatim):
        assert not Cooperative.objects.exists()


def test_deed_date_cannot_be_in_the_future(jatim, jatim_registry, tebuireng):
    tomorrow = timezone.localdate(timezone=jatim.zone) + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        new_cooperative(jatim_registry, tebuireng, deed_date=tomorrow)
    assert codes(caught.value) == {"deed_date": ["deed_date_future"]}
    today = timezone.localdate(timezone=jatim.zone)
    assert new_cooperative(jatim_registry, tebuireng, deed_date=today).deed_date == today


def test_nib_is_unique_across_cooperatives_businesses_and_provinces(
    jatim, kalsel, jatim_registry, kalsel_registry, tebuireng
):
    with scope(province=kalsel):
        banjar = make_pesantren(kalsel, regency=Regency.objects.get(code=BANJARMASIN))
        make_cooperative(banjar, nib="9120001234567")
    with pytest.raises(ValidationError) as caught:
        new_cooperative(jatim_registry, tebuireng, nib="9120001234567")
    assert codes(caught.value) == {"nib": ["nib_taken"]}
    with scope(province=jatim):
        owner = make_person(jatim, pesantren=tebuireng)
    domain.enterprise_create(
        actor=jatim_registry,
        province=jatim,
        owner=owner,
        name="Keripik Tempe Santri",
        pillar="santripreneur",
        nib="9120009999999",
    )
    with pytest.raises(ValidationError) as caught:
        new_cooperative(jatim_registry, tebuireng, nib="9120009999999")
    assert codes(caught.value) == {"nib": ["nib_taken"]}


def test_cooperative_update_conflict_and_changes(jatim, jatim_registry, jatim_admin, tebuireng):
    cooperative = new_cooperative(jatim_registry, tebuireng, members_count=10, nib="9120001234567")
    changed = domain.cooperative_update(
        actor=jatim_admin, cooperative=cooperative, version=1, members_count=25
    )
    assert (changed.members_count, changed.version) == (25, 2)
    # Its own NIB is no clash with itself.
    assert changed.nib == "9120001234567"
    with pytest.raises(ValidationError) as caught:
        domain.cooperative_update(
            actor=jatim_registry, cooperative=cooperative, version=1, members_count=99
        )
    assert caught.value.code == "conflict"
    with scope(province=jatim):
        assert Cooperative.objects.get(pk=cooperative.pk).members_count == 25
        event = AuditEvent.objects.get(action="registry.cooperative.update")
    assert event.before == {"members_count": 10, "version": 1}
    assert event.after == {"members_count": 25, "version": 2}


# --- Santri and alumni businesses ---------------------------------------------------


def test_enterprise_create_and_update(jatim, jatim_registry, tebuireng):
    with scope(province=jatim):
        owner = make_person(jatim, full_name="Siti Aminah", pesantren=tebuireng)
    enterprise = domain.enterprise_create(
        actor=jatim_registry,
        province=jatim,
        owner=owner,
        pesantren=tebuireng,
        name="Batik Tulis Santri",
        pillar="sosiopreneur",
        business_line="Batik tulis",
        kbli_code="13134",
        started_year="2021",
    )
    assert (enterprise.owner_id, enterprise.pesantren_id) == (owner.pk, tebuireng.pk)
    assert (enterprise.started_year, enterprise.kbli_version, enterprise.nib) == (
        2021,
        "2020",
        None,
    )
    changed = domain.enterprise_update(
        actor=jatim_registry, enterprise=enterprise, version=1, pesantren=None
    )
    assert changed.pesantren_id is None and changed.version == 2
    with scope(province=jatim):
        actions = list(
            AuditEvent.objects.filter(object_type="registry.enterprise")
            .order_by("id")
            .values_list("action", flat=True)
        )
        update = AuditEvent.objects.get(action="registry.enterprise.update")
    assert actions == ["registry.enterprise.create", "registry.enterprise.update"]
    assert update.before == {"pesantren": tebuireng.pk, "version": 1}
    assert update.after == {"pesantren": None, "version": 2}


def test_enterprise_rules(jatim, kalsel, jatim_registry, tebuireng):
    with scope(province=kalsel):
        outsider = make_person(kalsel, full_name="Orang Banjar")
        banjar = make_pesantren(kalsel, regency=Regency.objects.get(code=BANJARMASIN))
    with scope(province=jatim):
        erased = make_person(jatim, full_name="Dihapus", erased_at=timezone.now())

    def attempt(**fields):
        values = {"name": "Usaha", "pillar": "santripreneur", "owner": None}
        values.update(fields)
        with pytest.raises(ValidationError) as caught:
            domain.enterprise_create(actor=jatim_registry, province=jatim, **values)
        return codes(caught.value)

    assert attempt() == {"owner": ["required"]}
    assert attempt(owner=outsider) == {"owner": ["invalid"]}
    assert attempt(owner=erased) == {"owner": ["owner_erased"]}
    with scope(province=jatim):
        owner = make_person(jatim)
    assert attempt(owner=owner, pillar="pesantrenpreneur") == {"pillar": ["invalid_choice"]}
    assert attempt(owner=owner, pesantren=banjar) == {"pesantren": ["invalid"]}
    assert attempt(owner=owner, nib="12") == {"nib": ["nib_format"]}
    assert attempt(owner=owner, started_year=1850) == {"started_year": ["year_range"]}
    with scope(province=jatim):
        assert not Enterprise.objects.exists()


# --- Pesantren accounts -----------------------------------------------------------------


def test_a_pesantren_account_gets_the_role_and_the_access(jatim, jatim_admin, tebuireng):
    user, password = domain.pesantren_account_create(
        actor=jatim_admin,
        pesantren=tebuireng,
        username="tebuireng-admin",
        full_name="Ahmad Fauzi",
        email="fauzi@tebuireng.example",
    )
    assert user.check_password(password) and user.must_change_password
    assert user.full_name == "Ahmad Fauzi"
    with scopes_disabled():
        assert list(Membership.objects.filter(user=user).values_list("province", "role")) == [
            (jatim.pk, Role.PESANTREN)
        ]
        access = PesantrenAccess.objects.get(user=user)
    assert access.pesantren_id == tebuireng.pk and access.province_id == jatim.pk
    with scope(province=jatim):
        assert list(queries.pesantren_of_account(user)) == [tebuireng]
        event = AuditEvent.objects.get(action="registry.pesantren.account_create")
        assert AuditEvent.objects.filter(action="accounts.user.created").count() == 1
    assert event.object_id == str(tebuireng.pk)
    assert event.after == {"user": user.pk, "username": "tebuireng-admin"}
    assert password not in str(event.after)
    # A team member has no pesantren to speak for.
    with scope(province=jatim):
        assert list(queries.pesantren_of_account(jatim_admin)) == []


def test_a_pesantren_account_with_a_bad_or_taken_name_changes_nothing(
    jatim, jatim_admin, tebuireng
):
    make_user("tebuireng-admin")

    def attempt(**fields):
        values = {"username": "tebuireng-admin", "full_name": "Ahmad"}
        values.update(fields)
        with pytest.raises(ValidationError) as caught:
            domain.pesantren_account_create(actor=jatim_admin, pesantren=tebuireng, **values)
        return caught.value

    assert list(attempt().error_dict) == ["username"]
    assert codes(attempt(username="ada spasi")) == {"username": ["invalid"]}
    assert codes(attempt(username="")) == {"username": ["required"]}
    assert codes(attempt(username="baru", full_name=" ")) == {"full_name": ["required"]}
    assert codes(attempt(username="baru", email="x@")) == {"email": ["invalid"]}
    assert User.objects.filter(username="baru").count() == 0
    with scopes_disabled():
        assert not PesantrenAccess.objects.exists()


def test_revoking_the_role_ends_the_access(jatim, jatim_admin, tebuireng):
    user, _password = domain.pesantren_account_create(
        actor=jatim_admin, pesantren=tebuireng, username="tb", full_name="Ahmad"
    )
    with scopes_disabled():
        Membership.objects.filter(user=user).delete()
    user = User.objects.get(pk=user.pk)
    with scope(province=jatim):
        assert list(queries.pesantren_of_account(user)) == []
