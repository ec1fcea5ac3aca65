"""Completion: the attendance and score rule at its boundaries, completing a
cohort once, certificates issued with unique codes, the date in the province's zone."""

import datetime as dt
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django_scopes import scopes_disabled
from hypothesis import given
from hypothesis import strategies as st

from niaga.audit.models import AuditEvent
from niaga.programs.domain import certificates as completion
from niaga.programs.models import (
    Certificate,
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    TrainingSession,
)
from tests.programs.training_world import JATIM_NAMES, attend, build_side, seat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def outcome(attended, sessions, score, *, percent=80, passing=70):
    return completion.Outcome(
        enrolment=Enrolment(score=score),
        attended=attended,
        sessions=sessions,
        min_attendance_percent=percent,
        passing_score=passing,
    )


# --- The rule -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attended", "sessions", "score", "passes", "reasons"),
    [
        (4, 5, 70, True, []),  # exactly 80 % and exactly the passing score
        (8, 10, 100, True, []),
        (80, 100, 70, True, []),
        (79, 100, 70, False, ["attended 79 of 100 sessions (79%); 80% needed"]),
        # 79.5 % is shown as 79.5, never rounded up to the 80 it misses.
        (159, 200, 70, False, ["attended 159 of 200 sessions (79.5%); 80% needed"]),
        (7, 9, 70, False, ["attended 7 of 9 sessions (77.7%); 80% needed"]),
        (3, 5, 95, False, ["attended 3 of 5 sessions (60%); 80% needed"]),
        (5, 5, 69, False, ["score 69; 70 needed"]),
        (5, 5, None, False, ["no score recorded"]),
        (
            0,
            5,
            0,
            False,
            ["attended 0 of 5 sessions (0%); 80% needed", "score 0; 70 needed"],
        ),
    ],
)
def test_the_rule_at_its_boundaries(attended, sessions, score, passes, reasons):
    result = outcome(attended, sessions, score)
    assert result.passes is passes
    assert result.reasons == reasons


@given(
    sessions=st.integers(min_value=1, max_value=400),
    data=st.data(),
    percent=st.integers(min_value=0, max_value=100),
)
def test_attendance_passes_exactly_when_the_share_reaches_the_minimum(sessions, data, percent):
    attended = data.draw(st.integers(min_value=0, max_value=sessions))
    result = outcome(attended, sessions, 100, percent=percent)
    assert result.attendance_ok == (Fraction(attended, sessions) >= Fraction(percent, 100))


@given(score=st.integers(min_value=0, max_value=100), passing=st.integers(0, 100))
def test_the_score_passes_exactly_from_the_passing_score(score, passing):
    assert outcome(5, 5, score, passing=passing).score_ok == (score >= passing)


# --- Completing a cohort ------------------------------------------------------------


@pytest.fixture
def side(jatim, opop_jatim):
    return build_side(jatim, opop_jatim, JATIM_NAMES, capacity=5)


def prepare(side):
    """Ahmad 4/5 and 70 (passes on both boundaries), Siti 3/5 and 95, Rizki 5/5 and
    69, Nur 5/5 without a score, Dewi 5/5 and 88."""
    enrolments = seat(side, side.people)
    for enrolment, present, score in zip(
        enrolments, [4, 3, 5, 5, 5], [70, 95, 69, None, 88], strict=True
    ):
        attend(enrolment, side.sessions, present)
        with scopes_disabled():
            Enrolment.objects.filter(pk=enrolment.pk).update(score=score)
    return enrolments


def test_completion_previews_exactly_what_it_then_does(side, jatim_program_officer):
    enrolments = prepare(side)
    with scopes_disabled():
        preview = completion.completion_outcomes(side.cohort)
    assert [(o.enrolment.person.full_name, o.passes) for o in preview] == [
        ("Ahmad Fauzi", True),
        ("Dewi Lestari", True),
        ("Muhammad Rizki", False),
        ("Nur Hidayah", False),
        ("Siti Aminah", False),
    ]
    result = completion.cohort_complete(
        actor=jatim_program_officer,
        cohort=side.cohort,
        expected={o.enrolment.pk: o.passes for o in preview},
    )
    assert [e.pk for e in result.completed] == [enrolments[0].pk, enrolments[4].pk]
    assert len(result.certificates) == 2
    with scopes_disabled():
        rows = {
            e.person.full_name: (e.status, e.completed_on is not None)
            for e in Enrolment.objects.select_related("person")
        }
        cohort = Cohort.objects.get(pk=side.cohort.pk)
        codes = list(Certificate.objects.values_list("code", flat=True))
        event = AuditEvent.objects.get(action="programs.cohort.complete")
        issued = AuditEvent.objects.filter(action="programs.certificate.issue").count()
    assert rows == {
        "Ahmad Fauzi": ("completed", True),
        "Dewi Lestari": ("completed", True),
        "Muhammad Rizki": ("not_completed", False),
        "Nur Hidayah": ("not_completed", False),
        "Siti Aminah": ("not_completed", False),
    }
    assert cohort.status == CohortStatus.COMPLETED and cohort.completed_at is not None
    assert len(set(codes)) == 2 and all(completion.is_well_formed(c) for c in codes)
    assert event.after["completed"] == [enrolments[0].pk, enrolments[4].pk]
    assert sorted(event.after["not_completed"]) == [e.pk for e in enrolments[1:4]]
    assert issued == 2


def test_a_cohort_is_completed_once_and_nothing_is_issued_twice(side, jatim_program_officer):
    prepare(side)
    completion.cohort_complete(actor=jatim_program_officer, cohort=side.cohort)
    with pytest.raises(ValidationError) as info:
        completion.cohort_complete(actor=jatim_program_officer, cohort=side.cohort)
    assert info.value.code == "already_completed"
    assert info.value.messages == [
        "This cohort was already completed; its certificates have been issued."
    ]
    with scopes_disabled():
        assert Certificate.objects.count() == 2
        assert AuditEvent.objects.filter(action="programs.cohort.complete").count() == 1


def test_a_cohort_without_sessions_cannot_be_completed(side, jatim_program_officer):
    seat(side, side.people[:2])
    with scopes_disabled():
        TrainingSession.objects.filter(cohort=side.cohort).delete()
    with pytest.raises(ValidationError) as info:
        completion.cohort_complete(actor=jatim_program_officer, cohort=side.cohort)
    assert info.value.code == "no_sessions"
    assert info.value.messages == [
        "This cohort has no sessions, so attendance cannot be assessed. Add its sessions "
        "and take the roll call first."
    ]
    with scopes_disabled():
        assert Cohort.objects.get(pk=side.cohort.pk).status == CohortStatus.PLANNED


def test_a_cohort_without_participants_cannot_be_completed(side, jatim_program_officer):
    with pytest.raises(ValidationError) as info:
        completion.cohort_complete(actor=jatim_program_officer, cohort=side.cohort)
    assert info.value.code == "no_participants"


def test_completion_refuses_when_the_outcome_changed_since_the_preview(side, jatim_program_officer):
    enrolments = prepare(side)
    with scopes_disabled():
        seen = {o.enrolment.pk: o.passes for o in completion.completion_outcomes(side.cohort)}
        Enrolment.objects.filter(pk=enrolments[2].pk).update(score=70)  # Rizki now passes
    with pytest.raises(ValidationError) as info:
        completion.cohort_complete(actor=jatim_program_officer, cohort=side.cohort, expected=seen)
    assert info.value.code == "changed"
    with scopes_disabled():
        assert not Certificate.objects.exists()
        assert Enrolment.objects.filter(status=EnrolmentStatus.ENROLLED).count() == 5


def test_people_waiting_stay_waiting_and_get_nothing(side, jatim_program_officer):
    prepare(side)
    with scopes_disabled():
        extra = Enrolment.objects.create(
            province=side.province,
            cohort=side.cohort,
            person=side.people[0].__class__.objects.create(
                province=side.province, full_name="Yusuf Waiting", role="santri", gender="male"
            ),
            status=EnrolmentStatus.WAITING,
            waiting_since=timezone.now(),
        )
    completion.cohort_complete(actor=jatim_program_officer, cohort=side.cohort)
    with scopes_disabled():
        extra.refresh_from_db()
        assert extra.status == EnrolmentStatus.WAITING
        assert not Certificate.objects.filter(enrolment=extra).exists()


@pytest.mark.parametrize(
    ("utc", "province_fixture", "expected"),
    [
        # 17.30 UTC on 8 March is 00.30 WIB on 9 March in East Java.
        (dt.datetime(2024, 3, 8, 17, 30, tzinfo=dt.UTC), "jatim", dt.date(2024, 3, 9)),
        # 15.30 UTC is 22.30 WIB: still 8 March.
        (dt.datetime(2024, 3, 8, 15, 30, tzinfo=dt.UTC), "jatim", dt.date(2024, 3, 8)),
        # 16.30 UTC is 00.30 WITA on 9 March in South Kalimantan, 23.30 WIB on 8 March in Jatim.
        (dt.datetime(2024, 3, 8, 16, 30, tzinfo=dt.UTC), "kalsel", dt.date(2024, 3, 9)),
        (dt.datetime(2024, 3, 8, 16, 30, tzinfo=dt.UTC), "jatim", dt.date(2024, 3, 8)),
    ],
)
def test_completed_on_is_the_date_in_the_provinces_zone(
    request, monkeypatch, utc, province_fixture, expected
):
    from tests.conftest import make_user
    from tests.programs.factories import make_program

    province = request.getfixturevalue(province_fixture)
    with scopes_disabled():
        program = make_program(province)
    side = build_side(province, program, ["Hasanah"], sessions=1)
    (enrolment,) = seat(side, side.people)
    attend(enrolment, side.sessions, 1)
    with scopes_disabled():
        Enrolment.objects.filter(pk=enrolment.pk).update(score=90)
        # Completed while the cohort still runs: the day itself counts.
        side.cohort.ends_on = dt.date(2024, 3, 15)
        side.cohort.save()
    admin = make_user(f"{province.slug}-boss", province=province, roles=["province_admin"])
    monkeypatch.setattr(timezone, "now", lambda: utc)
    completion.cohort_complete(actor=admin, cohort=side.cohort)
    with scopes_disabled():
        assert Enrolment.objects.get(pk=enrolment.pk).completed_on == expected


def test_a_cohort_closed_after_its_last_day_completed_on_that_day(monkeypatch, jatim, jatim_admin):
    from tests.programs.factories import make_program

    with scopes_disabled():
        program = make_program(jatim)
    side = build_side(jatim, program, ["Hasanah"], sessions=1)
    (enrolment,) = seat(side, side.people)
    attend(enrolment, side.sessions, 1)
    with scopes_disabled():
        Enrolment.objects.filter(pk=enrolment.pk).update(score=90)
    # The officer closes the cohort (ended 8 March 2024) in January 2025: its
    # graduate counts for 2024.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2025, 1, 6, 3, 0, tzinfo=dt.UTC))
    completion.cohort_complete(actor=jatim_admin, cohort=side.cohort)
    with scopes_disabled():
        assert Enrolment.objects.get(pk=enrolment.pk).completed_on == dt.date(2024, 3, 8)


def test_completing_and_revoking_need_their_permissions(
    side, jatim_program_officer, jatim_admin, jatim_registry, kalsel_admin
):
    prepare(side)
    for outsider in (jatim_registry, kalsel_admin):
        with pytest.raises(PermissionDenied):
            completion.cohort_complete(actor=outsider, cohort=side.cohort)
    result = completion.cohort_complete(actor=jatim_program_officer, cohort=side.cohort)
    certificate = result.certificates[0]
    for outsider in (jatim_program_officer, jatim_registry, kalsel_admin):
        with pytest.raises(PermissionDenied):
            completion.certificate_revoke(
                actor=outsider, certificate=certificate, reason="Data peserta tidak benar"
            )
    with pytest.raises(ValidationError) as info:
        completion.certificate_revoke(actor=jatim_admin, certificate=certificate, reason="salah")
    assert info.value.message_dict == {
        "revoked_reason": ["Say why the certificate is revoked, in 10 to 300 characters."]
    }
    revoked = completion.certificate_revoke(
        actor=jatim_admin, certificate=certificate, reason="Identitas peserta tidak sesuai"
    )
    assert revoked.is_revoked and revoked.revoked_reason == "Identitas peserta tidak sesuai"
    with pytest.raises(ValidationError) as info:
        completion.certificate_revoke(
            actor=jatim_admin, certificate=certificate, reason="Identitas peserta tidak sesuai"
        )
    assert info.value.code == "revoked"
    with scopes_disabled():
        event = AuditEvent.objects.get(action="programs.certificate.revoke")
    assert event.after["reason"] == "Identitas peserta tidak sesuai"
    assert event.before == {"revoked_at": None}


@pytest.mark.parametrize(
    ("value", "language", "shown"),
    [(80.0, "id", "80"), (79.5, "id", "79,5"), (79.99, "en", "79.9"), (100 * 29 / 50, "en", "58")],
)
def test_percentages_read_in_the_language_and_never_round_up(value, language, shown):
    from niaga.programs.domain.training_checks import percent_text

    with translation.override(language):
        assert percent_text(value) == shown
