"""Training: courses on a program's curriculum, cohorts, enrolment with a
waiting list, sessions with attendance, scores, completion and certificates.

A graduate (an enrolment completed) counts as a santripreneur of the year it
completed (see `niaga.programs.indicators`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from niaga.regions.models import Province
from niaga.registry.models import Person
from niaga.registry.models.common import Tracked

from .program import CurriculumModule, DeliveryMode, Program


class Course(Tracked):
    """What is taught and how a participant passes: the rules every cohort of it follows."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="courses", verbose_name=_("program")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    delivery_mode = models.CharField(
        _("delivery mode"), max_length=16, choices=DeliveryMode.choices
    )
    modules = models.ManyToManyField(
        CurriculumModule, blank=True, related_name="+", verbose_name=_("curriculum modules")
    )
    # Completion: attendance of at least this share of the sessions, and a score
    # of at least passing_score (0–100).
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"), default=80
    )
    passing_score = models.PositiveSmallIntegerField(_("passing score"), default=70)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["program", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_attendance_percent__lte=100), name="course_attendance_percent"
            ),
            models.CheckConstraint(
                condition=Q(passing_score__lte=100), name="course_passing_score"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CohortStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Cohort(Tracked):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("course")
    )
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    venue = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    online_link = models.URLField(_("online link"), blank=True)
    # Trainers by name, one per line: outside trainers have no account.
    trainers = models.TextField(_("trainers"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    status = models.CharField(
        _("status"), max_length=10, choices=CohortStatus.choices, default=CohortStatus.PLANNED
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="cohort_dates"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="cohort_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def trainer_names(self) -> list[str]:
        return [line.strip() for line in self.trainers.splitlines() if line.strip()]


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITING = "waiting", _("On the waiting list")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Did not complete")


class Enrolment(Tracked):
    """A person in a cohort. Beyond the cohort's capacity a person waits; the
    waiting list is served in order of `waiting_since`."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("cohort")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("participant")
    )
    status = models.CharField(_("status"), max_length=14, choices=EnrolmentStatus.choices)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["cohort", "status", "waiting_since", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="enrolment_once"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100), name="enrolment_score"
            ),
        ]
        indexes = [models.Index(fields=["province", "status", "completed_on"], name="graduates")]

    def __str__(self) -> str:
        return f"{self.cohort} · #{self.person_id}"


class TrainingSession(models.Model):
    """One meeting of a cohort, for the roll call."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("cohort")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    module = models.ForeignKey(
        CurriculumModule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("curriculum module"),
    )

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["cohort", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="session_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.number}"


class Attendance(models.Model):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("session"),
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("enrolment")
    )
    present = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.enrolment_id} · {self.present}"


class Certificate(models.Model):
    """The certificate of a completed enrolment. Its code is printed with a QR
    code that opens the public verification page; a revoked certificate stays,
    marked revoked, so that its code keeps answering "revoked"."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("enrolment")
    )
    # Unguessable and unique across provinces: the public page looks it up alone.
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.code

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
