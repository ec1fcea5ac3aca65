"""Users and their roles in province teams.

A user logs in with a username and password and belongs to one or more
province teams, each membership carrying one role. A national viewer sees
every province read-only; a superuser is a national administrator.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from niaga.regions.models import Province


class Role(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", _("Province admin")
    MISSION_MANAGER = "mission_manager", _("Mission manager")
    DESK_OFFICER = "desk_officer", _("Desk officer")
    REGISTRY_OFFICER = "registry_officer", _("Registry officer")
    CURATOR = "curator", _("Curator")
    # Runs an OPOP program: training, support records, indicators and targets.
    PROGRAM_OFFICER = "program_officer", _("Program officer")
    PRIVACY_OFFICER = "privacy_officer", _("Data protection officer")
    # Checks recorded deals and their realization, e.g. the central bank's
    # provincial office (Bank Indonesia); records nothing else.
    VERIFIER = "verifier", _("Verifier")
    # A pesantren's own login: sees only its pesantren's products and inquiries
    # (which pesantren: registry.PesantrenAccess), nothing else of the province.
    PESANTREN = "pesantren", _("Pesantren account")
    VIEWER = "viewer", _("Viewer")


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        help_text=_("The language Niaga shows this user; empty follows the browser."),
    )
    is_national_viewer = models.BooleanField(
        _("national viewer"),
        default=False,
        help_text=_("Sees every province's data, read-only."),
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when an administrator resets the password."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # "Budi" and "budi" are one person to the people reading the audit log.
            models.UniqueConstraint(Lower("username"), name="user_username_ignoring_case"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class Membership(models.Model):
    """One role of one user in one province's team."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("province")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )

    objects = ScopedManager(province="province")

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "province", "role"], name="membership_one_role_once"
            ),
        ]
        ordering = ["province", "user__username", "role"]

    def __str__(self) -> str:
        return f"{self.user} · {self.province} · {self.get_role_display()}"
