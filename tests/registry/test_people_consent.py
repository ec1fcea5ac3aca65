"""Consent rules: a minor's consent comes from a parent or guardian, named."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django_scopes import scope

from niaga.audit.models import AuditEvent
from niaga.registry.domain import people as domain
from niaga.registry.models import Consent
from tests.registry.factories import make_person

pytestmark = pytest.mark.django_db

BORN = dt.date(2000, 3, 15)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def person(jatim):
    with scope(province=jatim):
        return make_person(jatim, full_name="Ahmad Fauzi", birth_date=BORN)


def consent(actor, person, given_on, given_by="self", **extra):
    return domain.consent_record(
        actor=actor,
        person=person,
        purpose=extra.pop("purpose", "registry"),
        given_on=given_on,
        given_by=given_by,
        **extra,
    )


def stored(person):
    with scope(province=person.province):
        return list(Consent.objects.filter(person=person).order_by("id"))


def test_a_17_year_old_cannot_consent_alone(person, jatim_registry):
    with pytest.raises(ValidationError) as raised:
        consent(jatim_registry, person, dt.date(2017, 6, 1))
    assert raised.value.message_dict == {
        "given_by": [
            "This person was under 18 on 01-06-2017: a parent or guardian must give the consent."
        ]
    }
    assert stored(person) == []


def test_a_guardian_consents_for_a_17_year_old(person, jatim_registry):
    given = consent(
        jatim_registry,
        person,
        dt.date(2017, 6, 1),
        "guardian",
        guardian_name="  Muhammad   Yusuf ",
        guardian_relation="ayah",
    )
    [row] = stored(person)
    assert row.pk == given.pk
    assert (row.given_by, row.guardian_name, row.guardian_relation) == (
        "guardian",
        "Muhammad Yusuf",
        "ayah",
    )
    assert row.recorded_by == jatim_registry and row.is_active


def test_a_guardian_must_be_named(person, jatim_registry):
    with pytest.raises(ValidationError) as raised:
        consent(jatim_registry, person, dt.date(2017, 6, 1), "guardian", guardian_relation="ibu")
    assert raised.value.message_dict == {
        "guardian_name": ["Give the name of the parent or guardian."]
    }


def test_the_18th_birthday_is_the_first_day_of_self_consent(person, jatim_registry):
    with pytest.raises(ValidationError) as raised:
        consent(jatim_registry, person, dt.date(2018, 3, 14))
    assert list(raised.value.message_dict) == ["given_by"]
    given = consent(jatim_registry, person, dt.date(2018, 3, 15))
    assert (given.given_by, given.guardian_name) == ("self", "")


def test_a_29_february_birthday_comes_of_age_on_1_march(jatim, jatim_registry):
    with scope(province=jatim):
        leapling = make_person(jatim, birth_date=dt.date(2004, 2, 29))
    with pytest.raises(ValidationError):
        consent(jatim_registry, leapling, dt.date(2022, 2, 28))
    assert consent(jatim_registry, leapling, dt.date(2022, 3, 1)).given_by == "self"


def test_without_a_birth_date_a_person_is_treated_as_a_minor(jatim, jatim_registry):
    with scope(province=jatim):
        unknown = make_person(jatim, birth_date=None)
    with pytest.raises(ValidationError) as raised:
        consent(jatim_registry, unknown, dt.date(2024, 1, 10))
    assert raised.value.message_dict["given_by"][0].startswith(
        "No birth date is recorded, so this person is treated as a minor"
    )
    given = consent(
        jatim_registry, unknown, dt.date(2024, 1, 10), "guardian", guardian_name="Siti Khodijah"
    )
    assert given.given_by == "guardian"


def test_an_adult_may_also_consent_through_a_guardian_named(person, jatim_registry):
    given = consent(
        jatim_registry, person, dt.date(2024, 1, 10), "guardian", guardian_name="Wali Hakim"
    )
    assert given.guardian_name == "Wali Hakim"


def test_self_consent_keeps_no_guardian(person, jatim_registry):
    given = consent(
        jatim_registry, person, dt.date(2024, 1, 10), guardian_name="X", guardian_relation="Y"
    )
    assert (given.guardian_name, given.guardian_relation) == ("", "")


@pytest.mark.parametrize(
    ("given_on", "message"),
    [
        (None, "Give the date the consent was given."),
        (dt.date(1999, 1, 1), "The consent date cannot be before the person's birth."),
    ],
)
def test_the_consent_date_must_be_plausible(person, jatim_registry, given_on, message):
    with pytest.raises(ValidationError) as raised:
        consent(jatim_registry, person, given_on, "guardian", guardian_name="Ayah")
    assert raised.value.message_dict == {"given_on": [message]}


def test_the_consent_date_cannot_be_in_the_future(person, jatim_registry):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        consent(jatim_registry, person, tomorrow)
    assert raised.value.message_dict == {"given_on": ["The consent date cannot be in the future."]}


def test_bad_purpose_and_giver_are_named(person, jatim_registry):
    with pytest.raises(ValidationError) as raised:
        consent(jatim_registry, person, dt.date(2024, 1, 1), "uncle", purpose="marketing")
    assert set(raised.value.message_dict) == {"purpose", "given_by"}


def test_one_active_consent_per_purpose_until_withdrawn(person, jatim_registry):
    first = consent(jatim_registry, person, dt.date(2024, 1, 10))
    with pytest.raises(ValidationError) as raised:
        consent(jatim_registry, person, dt.date(2024, 2, 1))
    assert raised.value.message_dict == {
        "purpose": [
            "There is already an active consent for this purpose, given on 10-01-2024. "
            "Withdraw it first to record a new one."
        ]
    }
    # Another purpose is its own consent.
    consent(jatim_registry, person, dt.date(2024, 2, 1), purpose="training")
    domain.consent_withdraw(actor=jatim_registry, consent=first, withdrawn_on=dt.date(2024, 3, 1))
    renewed = consent(jatim_registry, person, dt.date(2024, 3, 2))
    assert [(c.purpose, c.given_on, c.withdrawn_on) for c in stored(person)] == [
        ("registry", dt.date(2024, 1, 10), dt.date(2024, 3, 1)),
        ("training", dt.date(2024, 2, 1), None),
        ("registry", dt.date(2024, 3, 2), None),
    ]
    assert renewed.is_active


def test_withdrawal_is_recorded_once_and_audited(person, jatim_registry, jatim):
    given = consent(jatim_registry, person, dt.date(2024, 1, 10))
    with pytest.raises(ValidationError) as raised:
        domain.consent_withdraw(
            actor=jatim_registry, consent=given, withdrawn_on=dt.date(2024, 1, 9)
        )
    assert raised.value.message_dict == {
        "withdrawn_on": ["The withdrawal date cannot be before the consent was given."]
    }
    withdrawn = domain.consent_withdraw(actor=jatim_registry, consent=given)
    assert withdrawn.withdrawn_on == timezone.localdate()
    with pytest.raises(ValidationError) as raised:
        domain.consent_withdraw(actor=jatim_registry, consent=given)
    assert raised.value.code == "withdrawn"
    with scope(province=jatim):
        actions = list(
            AuditEvent.objects.filter(object_id=str(person.pk))
            .order_by("id")
            .values_list("action", "after")
        )
    assert actions == [
        (
            "registry.consent.record",
            {
                "consent": given.pk,
                "person": person.pk,
                "purpose": "registry",
                "given_on": "2024-01-10",
                "given_by": "self",
                "guardian_name": "",
                "guardian_relation": "",
                "withdrawn_on": None,
            },
        ),
        (
            "registry.consent.withdraw",
            {"consent": given.pk, "withdrawn_on": timezone.localdate().isoformat()},
        ),
    ]
