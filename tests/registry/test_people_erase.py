"""Erasure of a person's personal data (UU PDP): values gone, counts kept, audited, once."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope

from niaga.audit.models import AuditEvent
from niaga.registry.domain import people as domain
from niaga.registry.models import Consent, Person
from tests.registry.factories import default_regency, make_nik, make_pesantren
from tests.registry.test_nik_never_in_clear import rows_containing

pytestmark = pytest.mark.django_db

BIRTH = dt.date(2007, 11, 3)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(jatim, jatim_registry, jatim_privacy):
    regency = default_regency(jatim)
    with scope(province=jatim):
        pesantren = [
            make_pesantren(jatim, name="Pondok Pesantren Tebuireng"),
            make_pesantren(jatim, name="Pondok Pesantren Tambakberas"),
        ]
    people = []
    roles = ["santri", "santri", "alumnus", "staff", "santri"]
    for index, role in enumerate(roles):
        people.append(
            domain.person_create(
                actor=jatim_registry,
                province=jatim,
                full_name=f"Orang Lain {index}",
                role=role,
                pillar="santripreneur",
                gender="male",
                pesantren=pesantren[index % 2],
                birth_date=dt.date(2001, 1, 1 + index),
            )
        )
    nik = make_nik(regency, BIRTH, female=True, serial=77)
    subject = domain.person_create(
        actor=jatim_registry,
        province=jatim,
        full_name="Nur Laila Qomariyah",
        role="santri",
        pillar="santripreneur",
        gender="female",
        birth_date=BIRTH,
        nik=nik,
        phone="0857-1234-9876",
        email="laila.qomariyah@example.com",
        pesantren=pesantren[0],
        regency=regency,
        address="Dusun Kwaron RT 02, Diwek",
    )
    subject = domain.person_update(
        actor=jatim_registry, person=subject, version=1, address="Dusun Kwaron RT 03, Diwek"
    )
    consents = [
        domain.consent_record(
            actor=jatim_registry,
            person=subject,
            purpose="registry",
            given_on=dt.date(2023, 1, 5),
            given_by="guardian",
            guardian_name="Hj. Maimunah Qomariyah",
            guardian_relation="ibu",
        ),
        domain.consent_record(
            actor=jatim_registry,
            person=subject,
            purpose="training",
            given_on=dt.date(2023, 1, 5),
            given_by="guardian",
            guardian_name="Hj. Maimunah Qomariyah",
            guardian_relation="ibu",
        ),
    ]
    domain.consent_withdraw(
        actor=jatim_registry, consent=consents[1], withdrawn_on=dt.date(2024, 1, 1)
    )
    domain.person_reveal_nik(
        actor=jatim_privacy, person=subject, reason="Permintaan Nur Laila Qomariyah sendiri"
    )
    return {"subject": subject, "nik": nik, "pesantren": pesantren, "consents": consents}


def counts(province):
    with scope(province=province):
        return sorted(
            Person.objects.values("pesantren", "role", "pillar", "gender", "regency")
            .annotate(n=Count("id"))
            .values_list("pesantren", "role", "pillar", "gender", "regency", "n")
        )


def test_erasure_removes_every_personal_value_and_keeps_counts(world, jatim, jatim_privacy):
    subject = world["subject"]
    before = counts(jatim)
    personal_values = [
        "Nur Laila Qomariyah",
        "Qomariyah",
        world["nik"][:4] + "********" + world["nik"][-4:],  # the masked NIK, lists and audit
        "85712349876",
        "laila.qomariyah",
        "Dusun Kwaron",
        "Maimunah",
    ]
    for value in personal_values:
        assert rows_containing(value), f"{value} should be stored before erasure"

    erased = domain.person_erase(actor=jatim_privacy, person=subject)

    assert counts(jatim) == before
    for value in [*personal_values, world["nik"]]:
        assert rows_containing(value) == {}, value
    with scope(province=jatim):
        row = Person.objects.get(pk=subject.pk)
        consents = list(Consent.objects.filter(person=row).order_by("purpose"))
    assert row.full_name == f"Dihapus #{subject.pk}" == erased.full_name
    assert (row.nik_encrypted, row.nik_hash, row.nik_masked) == ("", None, "")
    assert (row.phone, row.email, row.address) == ("", "", "")
    assert row.birth_date == dt.date(2007, 7, 1)
    assert (row.role, row.pillar, row.gender) == ("santri", "santripreneur", "female")
    assert row.pesantren_id == world["pesantren"][0].pk
    assert row.regency_id == default_regency(jatim).pk
    assert row.erased_at is not None and row.is_erased
    assert [
        (c.purpose, c.withdrawn_on, c.guardian_name, c.guardian_relation) for c in consents
    ] == [
        ("registry", timezone.localdate(), "[dihapus]", "ibu"),
        ("training", dt.date(2024, 1, 1), "[dihapus]", "ibu"),
    ]
    # A look-up by the old NIK finds nobody, and the NIK can be registered afresh.
    assert domain.person_find_by_nik(province=jatim, nik=world["nik"]) is None


def test_the_audit_log_keeps_what_happened_without_the_erased_values(world, jatim, jatim_privacy):
    subject = world["subject"]
    with scope(province=jatim):
        history_before = list(
            AuditEvent.objects.filter(object_id=str(subject.pk))
            .order_by("id")
            .values_list("action", "actor_label")
        )
    domain.person_erase(actor=jatim_privacy, person=subject)
    with scope(province=jatim):
        events = list(AuditEvent.objects.filter(object_id=str(subject.pk)).order_by("id"))
    assert [(e.action, e.actor_label) for e in events] == [
        *history_before,
        ("registry.person.erase", "jatim-dpo"),
    ]
    assert {e.object_repr for e in events} == {f"Dihapus #{subject.pk}"}
    create = events[0]
    assert create.after["full_name"] == "[dihapus]"
    assert create.after["role"] == "santri"  # what is not personal stays readable
    reveal = next(e for e in events if e.action == "registry.person.reveal_nik")
    assert reveal.after == {"reason": "[dihapus]", "nik_masked": "[dihapus]"}
    erase = events[-1]
    assert erase.before == {"erased_at": None}
    assert erase.after == {"erased_at": erase.after["erased_at"], "consents_withdrawn": 1}
    assert erase.after["erased_at"].startswith(timezone.now().date().isoformat()[:4])


def test_erasure_happens_once(world, jatim_privacy):
    domain.person_erase(actor=jatim_privacy, person=world["subject"])
    with pytest.raises(ValidationError) as raised:
        domain.person_erase(actor=jatim_privacy, person=world["subject"])
    assert raised.value.code == "erased"
    assert raised.value.messages[0].startswith("This person's personal data was already erased on ")


def test_an_erased_person_can_no_longer_be_changed(world, jatim_registry, jatim_privacy):
    erased = domain.person_erase(actor=jatim_privacy, person=world["subject"])
    with pytest.raises(ValidationError) as raised:
        domain.person_update(
            actor=jatim_registry, person=erased, version=erased.version, full_name="Nur Laila"
        )
    assert raised.value.code == "erased"
    with pytest.raises(ValidationError) as raised:
        domain.consent_record(
            actor=jatim_registry,
            person=erased,
            purpose="publication",
            given_on=dt.date(2024, 1, 1),
            given_by="guardian",
            guardian_name="Wali",
        )
    assert raised.value.code == "erased"


def test_the_export_after_erasure_holds_no_personal_value(world, jatim_privacy):
    domain.person_erase(actor=jatim_privacy, person=world["subject"])
    data = domain.person_export(actor=jatim_privacy, person=world["subject"])
    assert data["person"]["full_name"] == f"Dihapus #{world['subject'].pk}"
    assert (data["person"]["nik"], data["person"]["phone"], data["person"]["address"]) == (
        "",
        "",
        "",
    )
    text = str(data)
    for value in ("Qomariyah", world["nik"], "85712349876", "Kwaron", "Maimunah"):
        assert value not in text


@pytest.mark.parametrize("who", ["jatim_registry", "jatim_admin"])
def test_only_the_privacy_officer_erases(world, who, request):
    with pytest.raises(PermissionDenied):
        domain.person_erase(actor=request.getfixturevalue(who), person=world["subject"])
    with scope(province=world["subject"].province):
        assert Person.objects.get(pk=world["subject"].pk).erased_at is None


def test_the_erase_page_asks_for_the_name_typed(world, client, jatim_privacy, jatim_registry):
    subject = world["subject"]
    erase_url = reverse(
        "province:person_erase", kwargs={"province": "jatim", "person_id": subject.pk}
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(jatim_registry)
    assert client.get(erase_url).status_code == 404
    assert client.post(erase_url, {"confirm_name": "Nur Laila Qomariyah"}).status_code == 404

    client.force_login(jatim_privacy)
    page = client.get(erase_url)
    assert page.status_code == 200
    assert "This cannot be undone." in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    wrong = client.post(erase_url, {"confirm_name": "Nur Laila"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors == {
        "confirm_name": ["The name typed is not the person's full name exactly as registered."]
    }
    with scope(province=subject.province):
        assert Person.objects.get(pk=subject.pk).erased_at is None

    done = client.post(erase_url, {"confirm_name": " Nur  Laila Qomariyah "})
    assert done.status_code == 302
    detail = client.get(done["Location"]).content.decode()
    assert f"Dihapus #{subject.pk}" in detail
    assert "The personal data has been erased." in detail
    assert "Nur Laila Qomariyah" not in detail
    again = client.get(erase_url).content.decode()
    assert "This person's personal data was already erased on" in again
