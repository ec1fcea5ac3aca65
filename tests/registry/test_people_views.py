"""The people pages: list, register, edit, profile, consents, NIK reveal; isolation and roles."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from niaga.accounts.models import Role
from niaga.audit.models import AuditEvent
from niaga.core import personal_data
from niaga.registry.domain import people as domain
from niaga.registry.models import Consent, Person
from niaga.registry.views.people import adult_cutoff
from tests.conftest import make_user
from tests.registry.factories import default_regency, make_nik, make_person, make_pesantren

pytestmark = pytest.mark.django_db

ADULT_BIRTH = dt.date(1990, 4, 12)


def url(name, province="jatim", **kwargs):
    return reverse(f"province:{name}", kwargs={"province": province, **kwargs})


@pytest.fixture
def client_en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def jatim_viewer(jatim):
    return make_user("jatim-viewer", province=jatim, roles=[Role.VIEWER])


@pytest.fixture
def nik(jatim):
    return make_nik(default_regency(jatim), ADULT_BIRTH, serial=12)


@pytest.fixture
def people(jatim, kalsel, nik):
    """Jatim: an adult with a NIK and consent, a minor, a person without birth date.
    Kalsel: a person whose name must never show in Jatim."""
    with scopes_disabled():
        sidogiri = make_pesantren(jatim, name="Pondok Pesantren Sidogiri")
        lirboyo = make_pesantren(jatim, name="Pondok Pesantren Lirboyo")
        adult = make_person(
            jatim,
            nik=nik,
            full_name="Ahmad Fauzan Hakim",
            role="alumnus",
            pillar="sosiopreneur",
            gender="male",
            birth_date=ADULT_BIRTH,
            pesantren=sidogiri,
            phone="+6281234567890",
        )
        minor = make_person(
            jatim,
            full_name="Aisyah Putri",
            role="santri",
            pillar="santripreneur",
            gender="female",
            birth_date=timezone.localdate() - dt.timedelta(days=365 * 15),
            pesantren=lirboyo,
        )
        unknown = make_person(
            jatim, full_name="Bambang Tanpa Tanggal", role="community", birth_date=None
        )
        Consent.objects.create(
            province=jatim,
            person=adult,
            purpose="registry",
            given_on=dt.date(2024, 1, 2),
            given_by="self",
        )
        Consent.objects.create(
            province=jatim,
            person=minor,
            purpose="registry",
            given_on=dt.date(2024, 1, 2),
            given_by="guardian",
            guardian_name="Ibu Aisyah",
            withdrawn_on=dt.date(2024, 6, 1),
        )
        borneo = make_person(kalsel, full_name="Ahmad Banjar Kalsel", role="santri")
    return {
        "adult": adult,
        "minor": minor,
        "unknown": unknown,
        "borneo": borneo,
        "sidogiri": sidogiri,
        "lirboyo": lirboyo,
    }


def names_in(response) -> list[str]:
    return [p.full_name for p in response.context["page"]]


# --- The list -------------------------------------------------------------------


def test_the_list_shows_masked_niks_ages_and_consent(client_en, people, jatim_viewer, nik):
    client_en.force_login(jatim_viewer)
    response = client_en.get(url("people"))
    assert response.status_code == 200
    assert names_in(response) == ["Ahmad Fauzan Hakim", "Aisyah Putri", "Bambang Tanpa Tanggal"]
    page = response.content.decode()
    assert nik[:4] + "********" + nik[-4:] in page and nik not in page
    assert "Ahmad Banjar Kalsel" not in page
    rows = re.findall(r"<tr>\s*<td><a href.*?</tr>", page, re.S)
    assert len(rows) == 3
    age = (
        dt.date.today().year
        - ADULT_BIRTH.year
        - (dt.date.today() < ADULT_BIRTH.replace(year=dt.date.today().year))
    )
    assert f'<td class="num">{age}</td>' in rows[0] and "consent given" in rows[0]
    assert "minor" in rows[1] and "consent withdrawn" in rows[1]
    assert "minor" in rows[2] and "no consent" in rows[2] and "—" in rows[2]
    assert "3 people" in page
    # Viewers get no register button; the export links are there.
    assert "person-create-link" not in page
    assert "export=csv-semicolon" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "ahmad hakim"}, ["Ahmad Fauzan Hakim"]),
        ({"q": "hakim ahmad"}, ["Ahmad Fauzan Hakim"]),
        ({"q": "ahmad putri"}, []),
        ({"role": "santri"}, ["Aisyah Putri"]),
        ({"pillar": "sosiopreneur"}, ["Ahmad Fauzan Hakim"]),
        ({"gender": "female"}, ["Aisyah Putri"]),
        ({"minors": "on"}, ["Aisyah Putri", "Bambang Tanpa Tanggal"]),
    ],
)
def test_the_list_filters(client_en, people, jatim_registry, query, expected):
    client_en.force_login(jatim_registry)
    assert names_in(client_en.get(url("people"), query)) == expected


def test_the_list_filters_by_pesantren_of_this_province_only(client_en, people, jatim_registry):
    client_en.force_login(jatim_registry)
    response = client_en.get(url("people"), {"pesantren": people["lirboyo"].pk})
    assert names_in(response) == ["Aisyah Putri"]
    with scopes_disabled():
        elsewhere = make_pesantren(people["borneo"].province, name="Pesantren Kalsel")
    response = client_en.get(url("people"), {"pesantren": elsewhere.pk})
    assert "pesantren" in response.context["filters"].errors
    assert "Pesantren Kalsel" not in response.content.decode()


def test_adult_cutoff_agrees_with_is_minor():
    for today in (dt.date(2026, 11, 28), dt.date(2028, 2, 29), dt.date(2026, 3, 1)):
        cutoff = adult_cutoff(today)
        adult, minor = Person(birth_date=cutoff), Person(birth_date=cutoff + dt.timedelta(days=1))
        assert not adult.is_minor(today) and minor.is_minor(today)


def test_the_list_pages_by_50(client_en, jatim, jatim_registry):
    with scope(province=jatim):
        for index in range(53):
            make_person(jatim, full_name=f"Santri {index:03d}")
    client_en.force_login(jatim_registry)
    first = client_en.get(url("people"))
    assert len(names_in(first)) == 50 and "Page 1 of 2" in first.content.decode()
    second = client_en.get(url("people"), {"page": 2})
    assert names_in(second) == ["Santri 050", "Santri 051", "Santri 052"]


def test_the_list_export_masks_the_nik(client_en, people, jatim_registry, nik):
    client_en.force_login(jatim_registry)
    response = client_en.get(url("people"), {"q": "hakim", "export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert "Ahmad Fauzan Hakim" in body and "Aisyah Putri" not in body
    assert nik[:4] + "********" + nik[-4:] in body and nik not in body


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url("people"), {"role": "santri"}).status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_with_more_people(client_en, jatim, kalsel, jatim_registry):
    def add(count):
        with scopes_disabled():
            pesantren = make_pesantren(jatim)
            for _ in range(count):
                person = make_person(jatim, pesantren=pesantren, role="santri")
                Consent.objects.create(
                    province=jatim,
                    person=person,
                    purpose="registry",
                    given_on=dt.date(2024, 1, 1),
                    given_by="guardian",
                    guardian_name="Wali",
                )
                make_person(kalsel, role="santri")

    client_en.force_login(jatim_registry)
    add(5)
    few = _list_queries(client_en)
    add(10)
    assert _list_queries(client_en) == few


# --- Registering and editing ------------------------------------------------------


def registration(**extra):
    return {
        "full_name": "Muhammad Iqbal",
        "role": "santri",
        "pillar": "santripreneur",
        "gender": "male",
        "birth_date": ADULT_BIRTH.isoformat(),
        "phone": "0812 3456 7890",
        **extra,
    }


def test_the_form_asks_for_a_nik_without_remembering_it(client_en, jatim, jatim_registry):
    client_en.force_login(jatim_registry)
    page = client_en.get(url("person_create")).content.decode()
    [nik_input] = re.findall(r'<input[^>]*name="nik"[^>]*>', page)
    for attribute in ('type="text"', 'inputmode="numeric"', 'autocomplete="off"'):
        assert attribute in nik_input


def test_an_officer_registers_a_person(client_en, jatim, jatim_registry, people, nik):
    client_en.force_login(jatim_registry)
    new_nik = make_nik(default_regency(jatim), ADULT_BIRTH, serial=99)
    response = client_en.post(
        url("person_create"), registration(nik=new_nik, pesantren=people["sidogiri"].pk)
    )
    with scope(province=jatim):
        person = Person.objects.get(full_name="Muhammad Iqbal")
    assert response["Location"] == url("person", person_id=person.pk)
    assert personal_data.decrypt(person.nik_encrypted) == new_nik
    assert person.phone == "+6281234567890" and person.pesantren == people["sidogiri"]
    detail = client_en.get(response["Location"]).content.decode()
    assert "Muhammad Iqbal has been registered." in detail
    assert new_nik[:4] + "********" + new_nik[-4:] in detail and new_nik not in detail
    assert "0812-3456-7890" in detail


def test_a_duplicate_nik_is_refused_on_the_form(client_en, jatim, jatim_registry, people, nik):
    client_en.force_login(jatim_registry)
    response = client_en.post(url("person_create"), registration(nik=nik))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "nik": ["A person with this NIK is already registered in this province."]
    }
    page = response.content.decode()
    assert nik not in page and "Ahmad Fauzan Hakim" not in page
    with scope(province=jatim):
        assert not Person.objects.filter(full_name="Muhammad Iqbal").exists()


def test_a_pesantren_of_another_province_cannot_be_chosen(client_en, jatim_registry, people):
    with scopes_disabled():
        elsewhere = make_pesantren(people["borneo"].province)
    client_en.force_login(jatim_registry)
    response = client_en.post(url("person_create"), registration(pesantren=elsewhere.pk))
    assert list(response.context["form"].errors) == ["pesantren"]


def test_the_edit_form_never_prefills_the_nik(client_en, people, jatim_registry, nik):
    client_en.force_login(jatim_registry)
    adult = people["adult"]
    page = client_en.get(url("person_edit", person_id=adult.pk)).content.decode()
    [nik_input] = re.findall(r'<input[^>]*name="nik"[^>]*>', page)
    assert "value=" not in nik_input
    assert nik not in page
    assert "The NIK held is 3501********0012. Leave this empty to keep it" in page
    assert 'name="version" value="1"' in page


def test_an_edit_keeps_or_replaces_the_nik(client_en, jatim, people, jatim_registry, nik):
    client_en.force_login(jatim_registry)
    adult = people["adult"]
    fields = registration(full_name="Ahmad Fauzan Hakim", role="alumnus", version=1)
    response = client_en.post(url("person_edit", person_id=adult.pk), fields)
    assert response.status_code == 302
    with scope(province=jatim):
        adult.refresh_from_db()
    assert personal_data.decrypt(adult.nik_encrypted) == nik and adult.version == 2
    new_nik = make_nik(default_regency(jatim), ADULT_BIRTH, serial=55)
    client_en.post(url("person_edit", person_id=adult.pk), {**fields, "version": 2, "nik": new_nik})
    with scope(province=jatim):
        adult.refresh_from_db()
    assert personal_data.decrypt(adult.nik_encrypted) == new_nik and adult.version == 3


def test_an_edit_from_an_old_version_is_refused(client_en, jatim, people, jatim_registry):
    client_en.force_login(jatim_registry)
    adult = people["adult"]
    fields = registration(full_name="Ahmad Fauzan", role="alumnus", version=1)
    assert client_en.post(url("person_edit", person_id=adult.pk), fields).status_code == 302
    stale = client_en.post(
        url("person_edit", person_id=adult.pk), {**fields, "full_name": "Ahmad F. Hakim"}
    )
    assert stale["Location"] == url("person_edit", person_id=adult.pk)
    page = client_en.get(stale["Location"]).content.decode()
    assert "Someone else changed this record while you were editing it." in page
    with scope(province=jatim):
        assert Person.objects.get(pk=adult.pk).full_name == "Ahmad Fauzan"


# --- The profile, consents and NIK ------------------------------------------------


def test_the_profile_shows_consents_and_actions_by_role(
    client_en, people, jatim_registry, jatim_privacy, jatim_viewer
):
    adult = people["adult"]
    client_en.force_login(jatim_viewer)
    page = client_en.get(url("person", person_id=adult.pk)).content.decode()
    assert "Registry and program administration" in page and "2 January 2024" in page
    for absent in ("person-edit-link", "reveal-link", "export-json", "erase-link", "consent-form"):
        assert absent not in page
    client_en.force_login(jatim_registry)
    page = client_en.get(url("person", person_id=adult.pk)).content.decode()
    assert "person-edit-link" in page and "consent-form" in page
    assert "reveal-link" not in page and "export-json" not in page
    client_en.force_login(jatim_privacy)
    page = client_en.get(url("person", person_id=adult.pk)).content.decode()
    for present in ("reveal-link", "export-json", "export-pdf", "erase-link", "consent-form"):
        assert present in page
    assert "person-edit-link" not in page


def test_consents_are_recorded_and_withdrawn_on_the_profile(
    client_en, jatim, people, jatim_registry
):
    client_en.force_login(jatim_registry)
    minor = people["minor"]
    consent_url = url("consent_record", person_id=minor.pk)
    today = timezone.localdate().isoformat()
    refused = client_en.post(
        consent_url, {"purpose": "training", "given_on": today, "given_by": "self"}
    )
    assert refused.status_code == 400
    assert "a parent or guardian must give the consent." in refused.content.decode()
    done = client_en.post(
        consent_url,
        {
            "purpose": "training",
            "given_on": today,
            "given_by": "guardian",
            "guardian_name": "Siti Maryam",
            "guardian_relation": "ibu",
        },
    )
    assert done.status_code == 302
    with scope(province=jatim):
        given = Consent.objects.get(person=minor, purpose="training")
    page = client_en.get(done["Location"]).content.decode()
    assert "The consent has been recorded." in page and "Siti Maryam (ibu)" in page
    withdraw_url = url("consent_withdraw", person_id=minor.pk, consent_id=given.pk)
    assert client_en.get(withdraw_url).status_code == 405
    client_en.post(withdraw_url)
    with scope(province=jatim):
        assert Consent.objects.get(pk=given.pk).withdrawn_on == timezone.localdate()
    # A consent of someone else is not reachable through this person.
    other = url("consent_withdraw", person_id=people["adult"].pk, consent_id=given.pk)
    assert client_en.post(other).status_code == 404


def test_find_by_nik_opens_the_person(client_en, people, jatim_viewer, nik):
    client_en.force_login(jatim_viewer)
    assert client_en.get(url("person_find_nik")).status_code == 405
    found = client_en.post(url("person_find_nik"), {"nik": f"{nik[:6]}.{nik[6:]}"})
    assert found["Location"] == url("person", person_id=people["adult"].pk)
    invalid = client_en.post(url("person_find_nik"), {"nik": "12345"})
    assert "A NIK is 16 digits" in invalid.content.decode()
    assert names_in(invalid) == ["Ahmad Fauzan Hakim", "Aisyah Putri", "Bambang Tanpa Tanggal"]


def test_the_privacy_officer_sees_a_nik_once_with_a_reason(
    client_en, jatim, people, jatim_privacy, jatim_registry, nik
):
    adult = people["adult"]
    reveal_url = url("person_reveal_nik", person_id=adult.pk)
    client_en.force_login(jatim_registry)
    assert client_en.get(reveal_url).status_code == 404
    assert client_en.post(reveal_url, {"reason": "Verifikasi data hibah"}).status_code == 404

    client_en.force_login(jatim_privacy)
    without = client_en.get(url("person_reveal_nik", person_id=people["minor"].pk))
    assert "No NIK is registered for this person." in without.content.decode()
    assert 'id="reveal-form"' not in without.content.decode()
    form = client_en.get(reveal_url)
    assert "no-store" in form["Cache-Control"] and nik not in form.content.decode()
    short = client_en.post(reveal_url, {"reason": "lihat"})
    assert "Say why you need to see the NIK, in at least 10 characters." in short.content.decode()
    assert nik not in short.content.decode()
    shown = client_en.post(reveal_url, {"reason": "Verifikasi data hibah"})
    assert "no-store" in shown["Cache-Control"]
    assert re.search(rf'id="revealed-nik">{nik}<', shown.content.decode())
    with scope(province=jatim):
        [event] = AuditEvent.objects.filter(action="registry.person.reveal_nik")
    assert event.actor == jatim_privacy
    assert event.after == {"reason": "Verifikasi data hibah", "nik_masked": "3501********0012"}


# --- Isolation and permissions -----------------------------------------------------


def person_urls(person_id, consent_id=1, province="jatim"):
    return {
        "detail": ("get", url("person", province, person_id=person_id)),
        "edit": ("get", url("person_edit", province, person_id=person_id)),
        "reveal": ("get", url("person_reveal_nik", province, person_id=person_id)),
        "consent": ("post", url("consent_record", province, person_id=person_id)),
        "withdraw": (
            "post",
            url("consent_withdraw", province, person_id=person_id, consent_id=consent_id),
        ),
        "export": ("post", url("person_export", province, person_id=person_id, fmt="json")),
        "erase": ("get", url("person_erase", province, person_id=person_id)),
    }


def test_another_provinces_people_answer_404(client_en, people, kalsel, nik):
    """A Kalsel user holding every role sees none of Jatim's people, by either address."""
    everything = make_user(
        "kalsel-semua",
        province=kalsel,
        roles=[Role.PROVINCE_ADMIN, Role.REGISTRY_OFFICER, Role.PRIVACY_OFFICER],
    )
    adult = people["adult"]
    client_en.force_login(everything)
    # Their own province's person is reachable: the 404s below are about the province.
    own = client_en.get(url("person", "kalsel", person_id=people["borneo"].pk))
    assert own.status_code == 200 and "Ahmad Banjar Kalsel" in own.content.decode()
    listing = client_en.get(url("people", "kalsel")).content.decode()
    assert "Ahmad Fauzan Hakim" not in listing and "Ahmad Banjar Kalsel" in listing
    assert client_en.get(url("people", "jatim")).status_code == 404
    assert client_en.get(url("person_create", "jatim")).status_code == 404
    assert client_en.post(url("person_find_nik", "jatim"), {"nik": nik}).status_code == 404
    # Their own space's NIK search does not find Jatim's person either.
    search = client_en.post(url("person_find_nik", "kalsel"), {"nik": nik})
    assert search.status_code == 200
    assert "No person with this NIK is registered in this province." in search.content.decode()
    for province in ("jatim", "kalsel"):
        for name, (method, address) in person_urls(adult.pk, province=province).items():
            response = getattr(client_en, method)(address)
            assert response.status_code == 404, (province, name)
    with scope(province=adult.province):
        assert Person.objects.get(pk=adult.pk).version == 1
        assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("role", "refused"),
    [
        (Role.VIEWER, {"edit", "reveal", "consent", "withdraw", "export", "erase"}),
        (Role.DESK_OFFICER, {"edit", "reveal", "consent", "withdraw", "export", "erase"}),
        (Role.CURATOR, {"edit", "reveal", "consent", "withdraw", "export", "erase"}),
        (Role.REGISTRY_OFFICER, {"reveal", "export", "erase"}),
        (Role.PROVINCE_ADMIN, {"reveal", "export", "erase"}),
        (Role.PRIVACY_OFFICER, {"edit"}),
        (Role.PESANTREN, {"detail", "edit", "reveal", "consent", "withdraw", "export", "erase"}),
    ],
)
def test_each_role_is_refused_what_it_may_not_do(client_en, jatim, people, nik, role, refused):
    user = make_user(f"jatim-{role}", province=jatim, roles=[role])
    client_en.force_login(user)
    with scope(province=jatim):
        consent = Consent.objects.get(person=people["adult"])
    for name, (method, address) in person_urls(people["adult"].pk, consent.pk).items():
        if name in refused:
            assert getattr(client_en, method)(address).status_code == 404, name
    create_status = client_en.get(url("person_create")).status_code
    assert create_status == (200 if role in (Role.REGISTRY_OFFICER, Role.PROVINCE_ADMIN) else 404)
    list_status = client_en.get(url("people")).status_code
    assert list_status == (404 if role == Role.PESANTREN else 200)
    find = client_en.post(url("person_find_nik"), {"nik": nik})
    assert find.status_code == (404 if role == Role.PESANTREN else 302)
    with scope(province=jatim):
        assert Consent.objects.get(pk=consent.pk).withdrawn_on is None
        assert not AuditEvent.objects.filter(action__startswith="registry.person").exists()


def test_a_national_viewer_reads_but_changes_nothing(client_en, people, national_viewer):
    client_en.force_login(national_viewer)
    assert names_in(client_en.get(url("people"))) == [
        "Ahmad Fauzan Hakim",
        "Aisyah Putri",
        "Bambang Tanpa Tanggal",
    ]
    for name, (method, address) in person_urls(people["adult"].pk).items():
        expected = 200 if name == "detail" else 404
        assert getattr(client_en, method)(address).status_code == expected, name
    assert client_en.get(url("person_create")).status_code == 404


def test_domain_writes_through_the_pages_are_audited(client_en, jatim, jatim_registry):
    client_en.force_login(jatim_registry)
    client_en.post(url("person_create"), registration())
    with scope(province=jatim):
        [event] = AuditEvent.objects.filter(action="registry.person.create")
        person = Person.objects.get(full_name="Muhammad Iqbal")
    assert event.object_id == str(person.pk) and event.actor == jatim_registry
    assert sorted(event.after) == sorted(domain.PERSON_AUDIT_FIELDS)
