"""The people domain: registration with an encrypted NIK, updates, look-up and reveal."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django_scopes import scope, scopes_disabled

from niaga.audit.models import AuditEvent
from niaga.core import personal_data
from niaga.registry.domain import people as domain
from niaga.registry.models import Person
from tests.registry.factories import default_regency, make_nik, make_person, make_pesantren

pytestmark = pytest.mark.django_db

BIRTH = dt.date(1990, 7, 1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def regency(jatim):
    return default_regency(jatim)


@pytest.fixture
def nik(regency):
    return make_nik(regency, BIRTH, female=True, serial=7)


def create(actor, province, **fields):
    fields.setdefault("full_name", "Siti Aminah")
    fields.setdefault("role", "alumnus")
    fields.setdefault("gender", "female")
    fields.setdefault("birth_date", BIRTH)
    return domain.person_create(actor=actor, province=province, **fields)


def errors_of(raised) -> dict:
    return raised.value.message_dict


def events(province, action):
    with scope(province=province):
        return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_create_stores_the_nik_encrypted_hashed_and_masked(jatim, jatim_registry, nik):
    person = create(
        jatim_registry,
        jatim,
        nik=nik,
        phone="0812-3456-7890",
        email=" siti@example.com ",
        full_name="  Siti   Aminah ",
    )
    with scope(province=jatim):
        stored = Person.objects.get(pk=person.pk)
    assert stored.full_name == "Siti Aminah"
    assert stored.nik_encrypted != nik and nik not in stored.nik_encrypted
    assert personal_data.decrypt(stored.nik_encrypted) == nik
    assert stored.nik_hash == personal_data.lookup_hash("nik", nik)
    assert stored.nik_masked == nik[:4] + "********" + nik[-4:]
    assert stored.phone == "+6281234567890"
    assert stored.email == "siti@example.com"
    [event] = events(jatim, "registry.person.create")
    assert event.object_id == str(person.pk)
    assert event.after["nik_masked"] == stored.nik_masked
    assert "nik_encrypted" not in event.after and "nik_hash" not in event.after
    assert event.after["phone"] == "+6281******890"
    assert event.after["birth_date"] == "****-**-**"
    assert nik not in str(event.after)


def test_a_nik_with_separators_is_stored_as_16_digits(jatim, jatim_registry, nik):
    person = create(jatim_registry, jatim, nik=f"{nik[:6]} {nik[6:12]}-{nik[12:]}")
    assert personal_data.decrypt(person.nik_encrypted) == nik


def test_the_nik_is_optional(jatim, jatim_registry):
    person = create(jatim_registry, jatim, nik="")
    assert (person.nik_encrypted, person.nik_hash, person.nik_masked) == ("", None, "")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"nik": "35010141079000"}, "nik", "A NIK is 16 digits, like 3578014107900001; this one"),
        ({"nik": "9901014107900001"}, "nik", "there is no regency or city 99.01"),
        ({"gender": "male"}, "nik", "The gender does not match the NIK"),
        ({"birth_date": dt.date(1990, 7, 2)}, "nik", "The birth date does not match the NIK"),
        ({"phone": "12345"}, "phone", "A phone number is an Indonesian mobile or landline"),
        ({"birth_date": dt.date(2999, 1, 1)}, "birth_date", "cannot be in the future"),
        ({"full_name": "   "}, "full_name", "Give the person's full name."),
        ({"role": "guru"}, "role", "is not a valid choice"),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    jatim, jatim_registry, nik, change, field, message
):
    with pytest.raises(ValidationError) as raised:
        create(jatim_registry, jatim, **{"nik": nik, **change})
    assert field in errors_of(raised)
    assert message in " ".join(errors_of(raised)[field])
    # The rejected NIK is never repeated in a message.
    assert nik not in str(raised.value.message_dict)
    with scope(province=jatim):
        assert not Person.objects.exists()
        assert not AuditEvent.objects.exists()


def test_the_pesantren_must_be_in_the_province(jatim, kalsel, jatim_registry):
    with scopes_disabled():
        elsewhere = make_pesantren(kalsel, name="Pondok Pesantren Darul Hijrah")
        here = make_pesantren(jatim, name="Pondok Pesantren Sidogiri")
    with pytest.raises(ValidationError) as raised:
        create(jatim_registry, jatim, pesantren=elsewhere)
    assert errors_of(raised) == {"pesantren": ["Choose a pesantren registered in this province."]}
    assert create(jatim_registry, jatim, pesantren=here).pesantren_id == here.pk


def test_a_nik_is_registered_once_per_province_without_saying_by_whom(
    jatim, kalsel, jatim_registry, kalsel_registry, nik
):
    create(jatim_registry, jatim, nik=nik, full_name="Siti Aminah")
    with pytest.raises(ValidationError) as raised:
        create(jatim_registry, jatim, nik=nik, full_name="Aminah Siti")
    assert errors_of(raised) == {
        "nik": ["A person with this NIK is already registered in this province."]
    }
    assert "Siti Aminah" not in str(raised.value)
    # Another province keeps its own registry.
    assert create(kalsel_registry, kalsel, nik=nik).nik_hash == personal_data.lookup_hash(
        "nik", nik
    )
    with scope(province=jatim):
        assert Person.objects.count() == 1


def test_update_checks_the_version_and_records_what_changed(jatim, jatim_registry, nik):
    person = create(jatim_registry, jatim, nik=nik, phone="081234567890")
    updated = domain.person_update(
        actor=jatim_registry,
        person=person,
        version=1,
        full_name="Siti Aminah Zahro",
        address="Jl. Raya Sidogiri 5",
    )
    assert updated.version == 2
    [event] = events(jatim, "registry.person.update")
    assert event.before == {"full_name": "Siti Aminah", "address": ""}
    assert event.after == {"full_name": "Siti Aminah Zahro", "address": "Jl. Raya Sidogiri 5"}
    # An editor who read version 1 is refused, and nothing changes.
    with pytest.raises(ValidationError) as raised:
        domain.person_update(actor=jatim_registry, person=person, version=1, full_name="X")
    assert raised.value.code == "conflict"
    assert "Someone else changed this record" in raised.value.messages[0]
    with scope(province=jatim):
        assert Person.objects.get(pk=person.pk).full_name == "Siti Aminah Zahro"
    assert len(events(jatim, "registry.person.update")) == 1


def test_update_replaces_the_nik_and_keeps_it_when_none_is_given(
    jatim, jatim_registry, nik, regency
):
    person = create(jatim_registry, jatim, nik=nik)
    kept = domain.person_update(actor=jatim_registry, person=person, version=1, nik="", address="A")
    assert personal_data.decrypt(kept.nik_encrypted) == nik
    new_nik = make_nik(regency, BIRTH, female=True, serial=8)
    replaced = domain.person_update(actor=jatim_registry, person=person, version=2, nik=new_nik)
    assert personal_data.decrypt(replaced.nik_encrypted) == new_nik
    assert replaced.nik_hash == personal_data.lookup_hash("nik", new_nik)
    event = events(jatim, "registry.person.update")[-1]
    assert event.before == {"nik_masked": nik[:4] + "********" + nik[-4:]}
    assert event.after == {"nik_masked": new_nik[:4] + "********" + new_nik[-4:]}
    assert nik not in str(event.before) and new_nik not in str(event.after)


def test_update_refuses_a_birth_date_or_gender_that_contradicts_the_nik_held(
    jatim, jatim_registry, nik
):
    person = create(jatim_registry, jatim, nik=nik)
    with pytest.raises(ValidationError) as raised:
        domain.person_update(
            actor=jatim_registry, person=person, version=1, birth_date=dt.date(1991, 7, 1)
        )
    assert list(errors_of(raised)) == ["birth_date"]
    assert "The birth date does not match the NIK" in errors_of(raised)["birth_date"][0]
    with pytest.raises(ValidationError) as raised:
        domain.person_update(actor=jatim_registry, person=person, version=1, gender="male")
    assert list(errors_of(raised)) == ["gender"]
    with scope(province=jatim):
        assert Person.objects.get(pk=person.pk).version == 1


def test_update_refuses_a_nik_of_someone_else(jatim, jatim_registry, nik, regency):
    create(jatim_registry, jatim, nik=nik)
    other = create(jatim_registry, jatim, full_name="Aminah", nik="")
    with pytest.raises(ValidationError) as raised:
        domain.person_update(actor=jatim_registry, person=other, version=1, nik=nik)
    assert errors_of(raised) == {
        "nik": ["A person with this NIK is already registered in this province."]
    }


def test_find_by_nik_uses_the_hash_and_stays_in_the_province(jatim, kalsel, jatim_registry, nik):
    person = create(jatim_registry, jatim, nik=nik)
    with scopes_disabled():
        make_person(kalsel, full_name="Orang Kalsel", nik=make_nik(default_regency(kalsel), BIRTH))
    assert domain.person_find_by_nik(province=jatim, nik=nik) == person
    assert domain.person_find_by_nik(province=jatim, nik=f"{nik[:8]} {nik[8:]}") == person
    assert domain.person_find_by_nik(province=kalsel, nik=nik) is None
    with pytest.raises(ValidationError) as raised:
        domain.person_find_by_nik(province=jatim, nik="3578")
    assert list(errors_of(raised)) == ["nik"]


def test_only_a_privacy_officer_reveals_a_nik_and_it_is_audited_without_it(
    jatim, jatim_registry, jatim_privacy, jatim_admin, nik
):
    person = create(jatim_registry, jatim, nik=nik)
    for refused in (jatim_registry, jatim_admin):
        with pytest.raises(PermissionDenied):
            domain.person_reveal_nik(actor=refused, person=person, reason="verifikasi bantuan")
    with pytest.raises(ValidationError) as raised:
        domain.person_reveal_nik(actor=jatim_privacy, person=person, reason="  cek ")
    assert list(errors_of(raised)) == ["reason"]
    assert events(jatim, "registry.person.reveal_nik") == []

    shown = domain.person_reveal_nik(
        actor=jatim_privacy, person=person, reason="Verifikasi  permohonan hibah"
    )
    assert shown == nik
    [event] = events(jatim, "registry.person.reveal_nik")
    assert event.actor == jatim_privacy and event.object_id == str(person.pk)
    assert event.after == {
        "reason": "Verifikasi permohonan hibah",
        "nik_masked": nik[:4] + "********" + nik[-4:],
    }
    assert nik not in str(event.after) and nik not in event.object_repr


def test_revealing_needs_a_nik(jatim, jatim_registry, jatim_privacy):
    person = create(jatim_registry, jatim)
    with pytest.raises(ValidationError) as raised:
        domain.person_reveal_nik(actor=jatim_privacy, person=person, reason="Verifikasi data")
    assert raised.value.code == "no_nik"


def test_the_database_refuses_a_duplicate_nik_that_slips_past_the_check(
    jatim, jatim_registry, nik, monkeypatch
):
    """Two officers registering the same NIK at once: the unique index decides."""
    create(jatim_registry, jatim, nik=nik)
    monkeypatch.setattr(domain, "_nik_taken", lambda *args, **kwargs: False)
    with pytest.raises(ValidationError) as raised:
        create(jatim_registry, jatim, nik=nik, full_name="Siti Kembar")
    assert errors_of(raised) == {
        "nik": ["A person with this NIK is already registered in this province."]
    }
    with scope(province=jatim):
        assert list(Person.objects.values_list("full_name", flat=True)) == ["Siti Aminah"]
        assert len(AuditEvent.objects.filter(action="registry.person.create")) == 1
