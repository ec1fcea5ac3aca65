"""The training pages: courses, cohorts, enrolment, withdraw, sessions, roll call,
scores, completion and certificates; who may do what; isolation; query counts."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from niaga.accounts.models import Role
from niaga.programs.models import (
    Attendance,
    Certificate,
    Cohort,
    CohortStatus,
    Course,
    Enrolment,
    EnrolmentStatus,
    TrainingSession,
)
from tests.conftest import make_user
from tests.programs import certificate_reading as reading
from tests.programs.training_world import JATIM_NAMES, attend, build_side, issue, seat
from tests.registry.factories import make_person

pytestmark = pytest.mark.django_db


def url(name, *, province="jatim", program="opop-jatim", **kwargs):
    return reverse(f"province:{name}", kwargs={"province": province, "program": program, **kwargs})


def english(client, user):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def flashes(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def side(jatim, opop_jatim):
    return build_side(jatim, opop_jatim, JATIM_NAMES)


@pytest.fixture
def other(kalsel, opop_kalsel):
    """South Kalimantan's cohort with a participant and a certificate."""
    side = build_side(kalsel, opop_kalsel, ["Rahmat Banjar"], title="Pelatihan Kalsel")
    enrolment = seat(side, side.people)[0]
    side.certificate = issue(enrolment, "KALSE1000001")
    side.enrolment = enrolment
    return side


@pytest.fixture
def jatim_viewer(jatim):
    return make_user("jatim-viewer", province=jatim, roles=[Role.VIEWER])


@pytest.fixture
def officer(client, jatim_program_officer):
    return english(client, jatim_program_officer)


# --- Courses and cohorts ------------------------------------------------------------


def test_the_course_list_counts_cohorts_and_hides_other_provinces(
    client, side, other, jatim_viewer
):
    english(client, jatim_viewer)
    response = client.get(url("course_list"))
    page = response.content.decode()
    assert response.status_code == 200
    rows = re.findall(r"<tr>\s*<td><a href.*?</tr>", page, re.S)
    assert len(rows) == 1
    assert "Santripreneur Berbasis Koperasi" in rows[0]
    assert re.search(
        r'<td class="num">80%</td>\s*<td class="num">70</td>\s*<td class="num">1</td>', rows[0]
    )
    assert "Pelatihan Kalsel" not in page
    assert "course-create-link" not in page  # a viewer reads only


def test_an_officer_creates_a_course_and_bad_input_names_the_field(officer, side, opop_jatim):
    good = {
        "title": "Kurasi Produk Pesantren",
        "delivery_mode": "in_class",
        "min_attendance_percent": "75",
        "passing_score": "60",
    }
    response = officer.post(url("course_create"), {**good, "title": ""})
    assert response.context["form"].errors == {"title": ["This field is required."]}
    response = officer.post(
        url("course_create"), {**good, "min_attendance_percent": "120", "passing_score": "-5"}
    )
    assert response.context["form"].errors == {
        "min_attendance_percent": ["Give a number from 0 to 100."],
        "passing_score": ["Give a number from 0 to 100."],
    }
    with scopes_disabled():
        assert not Course.objects.filter(title="Kurasi Produk Pesantren").exists()
    response = officer.post(
        url("course_create"),
        {
            "title": "Kurasi Produk Pesantren",
            "delivery_mode": "in_class",
            "min_attendance_percent": "75",
            "passing_score": "60",
        },
    )
    with scopes_disabled():
        course = Course.objects.get(title="Kurasi Produk Pesantren")
    assert response.status_code == 302
    assert response["Location"] == url("course_detail", course_id=course.pk)
    assert (course.min_attendance_percent, course.passing_score) == (75, 60)


def test_an_edit_over_someone_elses_change_is_a_conflict(officer, side):
    form = {
        "title": "Baru",
        "delivery_mode": "in_class",
        "min_attendance_percent": "80",
        "passing_score": "70",
        "version": "1",
    }
    response = officer.post(url("course_edit", course_id=side.course.pk), form, follow=True)
    assert flashes(response) == ["The changes have been saved."]
    response = officer.post(
        url("course_edit", course_id=side.course.pk), {**form, "title": "Lain"}, follow=True
    )
    assert flashes(response) == [
        "Someone else changed this record while you were editing it. Nothing was saved; "
        "the form now shows their version."
    ]
    assert response.context["form"].initial["title"] == "Baru"
    with scopes_disabled():
        assert Course.objects.get(pk=side.course.pk).title == "Baru"


def test_an_officer_creates_a_cohort(officer, side):
    response = officer.post(
        url("cohort_create", course_id=side.course.pk),
        {
            "name": "Angkatan 2024-2",
            "starts_on": "2024-06-03",
            "ends_on": "2024-06-07",
            "venue": "Aula Dinas KUKM, Surabaya",
            "trainers": "Dr. Hasan Basri",
            "capacity": "30",
        },
    )
    with scopes_disabled():
        cohort = Cohort.objects.get(name="Angkatan 2024-2")
    assert response["Location"] == url("cohort_detail", cohort_id=cohort.pk)
    assert (cohort.capacity, cohort.venue, cohort.course_id) == (
        30,
        "Aula Dinas KUKM, Surabaya",
        side.course.pk,
    )


def test_lowering_capacity_below_the_enrolled_shows_why(officer, side):
    seat(side, side.people[:3])
    response = officer.post(
        url("cohort_edit", cohort_id=side.cohort.pk),
        {
            "name": "Angkatan 2024-1",
            "starts_on": "2024-03-04",
            "ends_on": "2024-03-08",
            "venue": "UNUSA, Surabaya",
            "capacity": "2",
            "version": "1",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "capacity": [
            "3 people are enrolled: the capacity cannot be lower. Withdraw participants first."
        ]
    }
    with scopes_disabled():
        assert Cohort.objects.get(pk=side.cohort.pk).capacity == 3


# --- The cohort page, enrolment and withdrawal -----------------------------------------


def test_the_cohort_page_shows_seats_waiting_list_and_attendance(officer, side):
    enrolments = seat(side, side.people[:3])
    attend(enrolments[0], side.sessions, 4)
    with scopes_disabled():
        Enrolment.objects.filter(pk=enrolments[0].pk).update(score=82)
        for position, person in enumerate(side.people[3:]):
            Enrolment.objects.create(
                province=side.province,
                cohort=side.cohort,
                person=person,
                status=EnrolmentStatus.WAITING,
                waiting_since=dt.datetime(2024, 2, 20 - position, 3, 0, tzinfo=dt.UTC),
            )
    page = officer.get(url("cohort_detail", cohort_id=side.cohort.pk)).content.decode()
    ahmad = re.search(rf'<tr data-enrolment="{enrolments[0].pk}">.*?</tr>', page, re.S).group(0)
    assert (
        '<td class="num attendance">4 / 5 <span class="text-body-secondary">(80%)</span></td>'
        in ahmad
    )
    assert '<td class="num score">82</td>' in ahmad
    assert '<div class="stat" id="seats-taken">3 / 3</div>' in page
    waiting = re.search(r'<table[^>]*id="waiting-table".*?</table>', page, re.S).group(0)
    # Dewi has waited since 19 February, Nur since 20 February: Dewi is first.
    assert re.findall(r'<td class="num">(\d)</td>\s*<td><a [^>]*>([^<]+)</a>', waiting) == [
        ("1", "Dewi Lestari"),
        ("2", "Nur Hidayah"),
    ]
    assert "<td>February 19, 2024, 10:00 WIB</td>" in waiting


def test_the_enrol_search_finds_people_of_the_province_not_yet_in(officer, side, other):
    seat(side, side.people[:1])
    with scopes_disabled():
        make_person(side.province, full_name="Ahmad Zaki")
    response = officer.get(
        url("cohort_people", cohort_id=side.cohort.pk), {"q": "ahmad"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "<html" not in page  # only the results, for htmx to swap in
    assert re.findall(r"<strong>([^<]+)</strong>", page) == ["Ahmad Zaki"]
    page = officer.get(
        url("cohort_detail", cohort_id=side.cohort.pk), {"q": "Rahmat"}
    ).content.decode()
    assert "Nobody of this province who is not yet in the cohort matches." in page
    assert 'hx-get="' + url("cohort_people", cohort_id=side.cohort.pk) + '"' in page


def test_enrolling_fills_the_seats_then_the_waiting_list(officer, side):
    target = url("cohort_enrol", cohort_id=side.cohort.pk)
    for person in side.people[:3]:
        response = officer.post(target, {"person": person.pk, "q": "a"}, follow=True)
        assert flashes(response) == [f"{person.full_name} is enrolled."]
    response = officer.post(target, {"person": side.people[3].pk}, follow=True)
    assert flashes(response) == ["The cohort is full: Nur Hidayah is number 1 on the waiting list."]
    response = officer.post(target, {"person": side.people[0].pk}, follow=True)
    assert flashes(response) == ["Ahmad Fauzi is already enrolled in this cohort."]
    with scopes_disabled():
        assert list(Enrolment.objects.order_by("id").values_list("status", flat=True)) == [
            "enrolled",
            "enrolled",
            "enrolled",
            "waiting",
        ]


def test_enrolling_a_person_of_another_province_finds_nobody(officer, side, other):
    response = officer.post(
        url("cohort_enrol", cohort_id=side.cohort.pk), {"person": other.people[0].pk}, follow=True
    )
    assert flashes(response) == ["Choose a person registered in this province."]
    with scopes_disabled():
        assert not Enrolment.objects.filter(cohort=side.cohort).exists()


def test_withdrawing_says_who_takes_the_seat_and_does_it(officer, side):
    enrolments = seat(side, side.people[:3])
    with scopes_disabled():
        waiting = Enrolment.objects.create(
            province=side.province,
            cohort=side.cohort,
            person=side.people[3],
            status=EnrolmentStatus.WAITING,
            waiting_since=dt.datetime(2024, 2, 1, tzinfo=dt.UTC),
        )
    target = url("enrolment_withdraw", cohort_id=side.cohort.pk, enrolment_id=enrolments[1].pk)
    page = officer.get(target).content.decode()
    assert "Siti Aminah leaves Angkatan 2024-1 and frees a seat." in page
    assert "The first person on the waiting list, Nur Hidayah, takes the seat." in page
    response = officer.post(target, follow=True)
    assert flashes(response) == [
        "Siti Aminah has been withdrawn. Nur Hidayah moves up from the waiting list and takes "
        "the seat."
    ]
    with scopes_disabled():
        waiting.refresh_from_db()
        assert waiting.status == EnrolmentStatus.ENROLLED


# --- Sessions, roll call, scores, completion ----------------------------------------------


def test_adding_a_session(officer, side):
    response = officer.post(
        url("session_create", cohort_id=side.cohort.pk),
        {"held_on": "2024-03-08", "topic": "Presentasi usaha"},
        follow=True,
    )
    assert flashes(response) == ["Session 6 has been added."]
    response = officer.post(
        url("session_create", cohort_id=side.cohort.pk), {"held_on": "2024-04-08"}
    )
    assert response.context["form"].errors == {
        "held_on": ["Choose a date within the cohort's dates, 04-03-2024 to 08-03-2024."]
    }


def test_the_roll_call_page_records_one_tap_per_person_and_one_save(officer, side):
    enrolments = seat(side, side.people[:3])
    session = side.sessions[0]
    target = url("roll_call", cohort_id=side.cohort.pk, session_id=session.pk)
    page = officer.get(target).content.decode()
    boxes = re.findall(
        r'<input type="checkbox" class="btn-check roll-call-check" name="present" value="(\d+)"',
        page,
    )
    # By name: Ahmad Fauzi, Muhammad Rizki, Siti Aminah.
    assert boxes == [str(enrolments[i].pk) for i in (0, 2, 1)]
    assert "No roll call has been taken for this session yet." in page
    assert "style=" not in page and "<script>" not in page
    response = officer.post(target, {"present": [enrolments[0].pk, enrolments[2].pk]}, follow=True)
    assert flashes(response) == ["Roll call of session 1 saved: 2 present, 1 absent."]
    page = officer.get(target).content.decode()
    assert (
        f'value="{enrolments[0].pk}" id="present-{enrolments[0].pk}" autocomplete="off" checked'
        in page
    )
    assert f'value="{enrolments[1].pk}" id="present-{enrolments[1].pk}" autocomplete="off">' in page
    assert "present: 2 of 3" in page
    # The same roll call again (a double tap on save) changes nothing.
    officer.post(target, {"present": [enrolments[0].pk, enrolments[2].pk]})
    with scopes_disabled():
        assert sorted(
            Attendance.objects.filter(session=session).values_list("enrolment_id", "present")
        ) == sorted([(enrolments[0].pk, True), (enrolments[1].pk, False), (enrolments[2].pk, True)])


@pytest.mark.parametrize("role", [Role.VIEWER, Role.REGISTRY_OFFICER])
def test_viewers_and_registry_officers_cannot_take_the_roll_call(client, side, jatim, role):
    enrolments = seat(side, side.people[:2])
    english(client, make_user(f"jatim-{role}", province=jatim, roles=[role]))
    target = url("roll_call", cohort_id=side.cohort.pk, session_id=side.sessions[0].pk)
    assert client.get(target).status_code == 404
    assert client.post(target, {"present": [enrolments[0].pk]}).status_code == 404
    # They may read the cohort, without the buttons that change it.
    page = client.get(url("cohort_detail", cohort_id=side.cohort.pk)).content.decode()
    assert "roll-call-link" not in page and "complete-link" not in page
    with scopes_disabled():
        assert not Attendance.objects.exists()


def test_scores_for_everyone_on_one_form(officer, side):
    a, b, c = seat(side, side.people[:3])
    target = url("cohort_scores", cohort_id=side.cohort.pk)
    response = officer.post(
        target, {f"score-{a.pk}": "70", f"score-{b.pk}": "101", f"score-{c.pk}": ""}
    )
    assert response.context["form"].errors == {f"score-{b.pk}": ["Give a number from 0 to 100."]}
    response = officer.post(
        target, {f"score-{a.pk}": "70", f"score-{b.pk}": "69", f"score-{c.pk}": ""}, follow=True
    )
    assert flashes(response) == ["Scores saved (2 changed)."]
    with scopes_disabled():
        assert dict(Enrolment.objects.values_list("pk", "score")) == {
            a.pk: 70,
            b.pk: 69,
            c.pk: None,
        }


def test_completion_shows_who_passes_and_why_not_then_completes(officer, side):
    a, b, c = seat(side, side.people[:3])
    for enrolment, present, score in ((a, 4, 70), (b, 3, 90), (c, 5, 69)):
        attend(enrolment, side.sessions, present)
        with scopes_disabled():
            Enrolment.objects.filter(pk=enrolment.pk).update(score=score)
    target = url("cohort_complete", cohort_id=side.cohort.pk)
    page = officer.get(target).content.decode()
    passing = re.search(r'id="passing-list">(.*?)</ul>', page, re.S).group(1)
    failing = re.search(r'id="failing-list">(.*?)</ul>', page, re.S).group(1)
    assert re.findall(r"<strong>([^<]+)</strong>", passing) == ["Ahmad Fauzi"]
    assert "4/5 (80%) · score 70" in passing
    assert re.findall(
        r"<li><strong>([^<]+)</strong>: <span class=\"reason\">([^<]+)</span>", failing
    ) == [
        ("Muhammad Rizki", "score 69; 70 needed"),
        ("Siti Aminah", "attended 3 of 5 sessions (60%); 80% needed"),
    ]
    form = dict(re.findall(r'name="(outcome-\d+)" value="(\w+)"', page))
    response = officer.post(target, form, follow=True)
    assert flashes(response) == [
        "The cohort is completed: 1 completed and received a certificate, 2 did not complete."
    ]
    with scopes_disabled():
        assert Cohort.objects.get(pk=side.cohort.pk).status == CohortStatus.COMPLETED
        certificate = Certificate.objects.get()
    assert certificate.enrolment_id == a.pk
    # Completing again (a second tab, a double click) does nothing more.
    response = officer.post(target, form, follow=True)
    assert flashes(response) == ["This cohort was already completed."]
    with scopes_disabled():
        assert Certificate.objects.count() == 1
    page = response.content.decode()
    assert "certificate-pdf" in page and "roll-call-link" not in page


def test_completion_refuses_a_list_that_changed_meanwhile(officer, side):
    (a,) = seat(side, side.people[:1])
    attend(a, side.sessions, 5)
    target = url("cohort_complete", cohort_id=side.cohort.pk)
    response = officer.post(target, {f"outcome-{a.pk}": "pass"})  # no score yet: it fails
    assert response.status_code == 400
    assert "Scores or attendance changed since the list was shown." in response.content.decode()
    with scopes_disabled():
        assert not Certificate.objects.exists()


# --- Certificates ---------------------------------------------------------------------------


@pytest.fixture
def certificate(side):
    return issue(seat(side, side.people[:1])[0], "7K3MQ9TX2HBD")


def test_the_certificate_page_and_pdf(officer, certificate):
    page = officer.get(url("certificate_detail", certificate_id=certificate.pk)).content.decode()
    assert '<code id="certificate-code-title">7K3M-Q9TX-2HBD</code>' in page
    assert '<p class="cert-holder" id="certificate-holder">Ahmad Fauzi</p>' in page
    assert 'href="http://testserver/sertifikat/7K3M-Q9TX-2HBD/"' in page
    assert "certificate-revoke-link" not in page  # a program officer cannot revoke
    response = officer.get(url("certificate_download", certificate_id=certificate.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="sertifikat-7K3M-Q9TX-2HBD.pdf"'
    text = reading.text(response.content)
    assert "Ahmad Fauzi" in text and "Santripreneur Berbasis Koperasi" in text
    assert "7K3M-Q9TX-2HBD" in text
    (image,) = reading.images(response.content)
    assert reading.encodes(image, "http://testserver/sertifikat/7K3M-Q9TX-2HBD/")


def test_only_an_admin_revokes_and_the_public_page_then_says_revoked(
    client, officer, certificate, jatim_admin
):
    target = url("certificate_revoke", certificate_id=certificate.pk)
    assert officer.get(target).status_code == 404
    assert officer.post(target, {"revoked_reason": "Identitas tidak sesuai"}).status_code == 404
    english(client, jatim_admin)
    response = client.post(target, {"revoked_reason": "kurang"})
    assert response.context["form"].errors == {
        "revoked_reason": ["Say why the certificate is revoked, in 10 to 300 characters."]
    }
    response = client.post(
        target, {"revoked_reason": "Identitas peserta tidak sesuai"}, follow=True
    )
    assert flashes(response) == ["The certificate has been revoked."]
    page = response.content.decode()
    assert "Reason (not shown publicly): Identitas peserta tidak sesuai" in page
    client.logout()
    public = client.get("/sertifikat/7K3M-Q9TX-2HBD/").content.decode()
    assert 'data-status="revoked"' in public and "Identitas" not in public


# --- Isolation and query counts ---------------------------------------------------------------


def other_urls(other):
    """Every training page of South Kalimantan's program, by name."""
    cohort, session = other.cohort.pk, other.sessions[0].pk
    return {
        "course_list": {},
        "course_create": {},
        "course_detail": {"course_id": other.course.pk},
        "course_edit": {"course_id": other.course.pk},
        "cohort_create": {"course_id": other.course.pk},
        "cohort_detail": {"cohort_id": cohort},
        "cohort_edit": {"cohort_id": cohort},
        "cohort_people": {"cohort_id": cohort},
        "cohort_enrol": {"cohort_id": cohort},
        "enrolment_withdraw": {"cohort_id": cohort, "enrolment_id": other.enrolment.pk},
        "session_create": {"cohort_id": cohort},
        "roll_call": {"cohort_id": cohort, "session_id": session},
        "cohort_scores": {"cohort_id": cohort},
        "cohort_complete": {"cohort_id": cohort},
        "certificate_detail": {"certificate_id": other.certificate.pk},
        "certificate_download": {"certificate_id": other.certificate.pk},
        "certificate_revoke": {"certificate_id": other.certificate.pk},
    }


def test_kalsels_training_answers_404_to_jatim_in_every_way(client, side, other, jatim_admin):
    client.force_login(jatim_admin)
    for name, kwargs in other_urls(other).items():
        ids_only = dict(kwargs)
        addresses = [
            url(name, province="kalsel", program="opop-kalsel", **ids_only),
            url(name, province="jatim", program="opop-kalsel", **ids_only),
        ]
        if kwargs:  # Kalsel's ids under Jatim's own program
            addresses.append(url(name, **ids_only))
        for address in addresses:
            assert client.get(address).status_code == 404, address
            assert client.post(address, {"present": [other.enrolment.pk]}).status_code == 404
    with scopes_disabled():
        assert not Attendance.objects.filter(enrolment=other.enrolment).exists()
        assert other.certificate.__class__.objects.get(pk=other.certificate.pk).revoked_at is None


def test_jatims_training_answers_404_to_kalsel(client, side, other, kalsel_program_officer):
    (enrolment,) = seat(side, side.people[:1])
    certificate = issue(enrolment, "JATIM0000001")
    client.force_login(kalsel_program_officer)
    for name in ("course_list", "cohort_detail", "roll_call", "certificate_download"):
        kwargs = {
            "course_list": {},
            "cohort_detail": {"cohort_id": side.cohort.pk},
            "roll_call": {"cohort_id": side.cohort.pk, "session_id": side.sessions[0].pk},
            "certificate_download": {"certificate_id": certificate.pk},
        }[name]
        assert client.get(url(name, **kwargs)).status_code == 404
        assert client.get(url(name, province="kalsel", **kwargs)).status_code == 404


def grow(side, count, offset):
    """`count` more participants, each attending every session, with a score."""
    with scopes_disabled():
        people = [
            make_person(side.province, full_name=f"Peserta {offset + i:03d}") for i in range(count)
        ]
        side.cohort.capacity = 100
        side.cohort.save(update_fields=["capacity"])
        for enrolment in seat(side, people):
            attend(enrolment, side.sessions, len(side.sessions))
            Enrolment.objects.filter(pk=enrolment.pk).update(score=80)
            # The page shows a certificate per row: one each, to count its reads too.
            Certificate.objects.create(
                province=side.province, enrolment=enrolment, code=f"Q{enrolment.pk:011d}"
            )


def queries_of(client, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", ["cohort_detail", "roll_call", "cohort_complete", "cohort_scores"])
def test_query_counts_do_not_grow_with_participants(officer, side, page):
    kwargs = {"cohort_id": side.cohort.pk}
    if page == "roll_call":
        kwargs["session_id"] = side.sessions[0].pk
    address = url(page, **kwargs)
    grow(side, 2, 0)
    few = queries_of(officer, address)
    grow(side, 12, 100)
    with scopes_disabled():
        assert Enrolment.objects.filter(cohort=side.cohort).count() == 14
        assert TrainingSession.objects.filter(cohort=side.cohort).count() == 5
    assert queries_of(officer, address) == few


def test_course_and_cohort_lists_do_not_grow_in_queries(officer, side, opop_jatim):
    from tests.programs.factories import make_cohort, make_course

    def more(count):
        with scopes_disabled():
            for _ in range(count):
                course = make_course(opop_jatim)
                make_cohort(course)
                make_cohort(side.course)

    more(1)
    few = (
        queries_of(officer, url("course_list")),
        queries_of(officer, url("course_detail", course_id=side.course.pk)),
    )
    more(10)
    with scopes_disabled():
        assert Course.objects.filter(program=opop_jatim).count() == 12
        assert Cohort.objects.filter(course=side.course).count() == 12
    assert (
        queries_of(officer, url("course_list")),
        queries_of(officer, url("course_detail", course_id=side.course.pk)),
    ) == few
