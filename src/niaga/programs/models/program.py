"""A province's OPOP program, its team and its curriculum.

A program may be replicated from another province's: `replicated_from` points
across provinces on purpose (the origin is shown as "replicated from OPOP Jawa
Timur, August 2022"), which is why it is read with scopes disabled.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from niaga.regions.models import Province
from niaga.registry.models.common import Tracked


class ProgramStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class SupportAspect(models.TextChoices):
    """The five aspects in which OPOP supports a pesantren."""

    INSTITUTION = "institution", _("Institution")
    HUMAN_RESOURCES = "human_resources", _("Human resources")
    PRODUCT = "product", _("Product")
    FINANCING = "financing", _("Financing")
    MARKETING = "marketing", _("Marketing")


class DeliveryMode(models.TextChoices):
    IN_CLASS = "in_class", _("In class")
    EXTRACURRICULAR = "extracurricular", _("Extracurricular")
    FULL_PROGRAM = "full_program", _("Full program")


class Program(Tracked):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    # Unique across provinces: the API and public pages name a program by slug.
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    launch_date = models.DateField(_("launch date"), null=True, blank=True)
    legal_basis_number = models.CharField(_("legal basis number"), max_length=100, blank=True)
    legal_basis_title = models.CharField(_("legal basis title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Lists of Pillar and SupportAspect values, in their declared order.
    pillars = models.JSONField(_("pillars"), default=list, blank=True)
    aspects = models.JSONField(_("aspects of support"), default=list, blank=True)
    # The curriculum's delivery modes (DeliveryMode values).
    delivery_modes = models.JSONField(_("delivery modes"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProgramStatus.choices, default=ProgramStatus.ACTIVE
    )
    replicated_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replicated from"),
    )
    # Kept as text too, so the origin still reads right if the source is deleted.
    replicated_from_label = models.CharField(_("origin"), max_length=250, blank=True)
    replicated_on = models.DateField(_("replicated on"), null=True, blank=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["province", "name", "id"]

    def __str__(self) -> str:
        return self.name


class TeamDuty(models.TextChoices):
    HEAD = "head", _("Head of program")
    COORDINATOR = "coordinator", _("Coordinator")
    TRAINER = "trainer", _("Trainer")
    FACILITATOR = "facilitator", _("Facilitator")
    CURATOR = "curator", _("Curator")
    OFFICER = "officer", _("Officer")


class TeamMember(models.Model):
    """An officer on a program's team, with the duty they hold in it."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="team", verbose_name=_("program")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("officer"),
    )
    duty = models.CharField(_("duty"), max_length=12, choices=TeamDuty.choices)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["program", "duty", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="team_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_duty_display()}"


class CurriculumModule(Tracked):
    """One chapter of a program's curriculum, e.g. East Java's five chapters of
    cooperative-based santripreneurship."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="modules", verbose_name=_("program")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    hours = models.PositiveSmallIntegerField(_("hours"), default=0)
    # One outcome per line.
    learning_outcomes = models.TextField(_("learning outcomes"), blank=True)

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("curriculum module")
        verbose_name_plural = _("curriculum modules")
        ordering = ["program", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="module_order_once"),
            models.CheckConstraint(condition=Q(order__gte=1), name="module_order_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def outcomes(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]
