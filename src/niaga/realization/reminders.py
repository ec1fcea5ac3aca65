"""E-mail reminders of the follow-up list: one digest a day per officer and province.

For each province that organises missions and has e-mail reminders on (its
`FollowUpPolicy.send_email_reminders`, on by default), the deals needing
follow-up (`followup.rows`) go to their responsible officer; deals nobody is
responsible for go to the province's province admins and mission managers.
Each person gets at most one message per province per day, listing all of
their deals. What was sent is recorded as the audit event
`realization.reminder.sent` (province, recipient, the local day and the deal
ids); a digest already recorded for that day is not sent again, so running
the command twice (or from two servers) sends nothing twice. A person
without an e-mail address or inactive is skipped.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scopes_disabled

from niaga.accounts.models import Membership, User
from niaga.audit.domain import record
from niaga.audit.models import AuditEvent
from niaga.core.money import format_rupiah
from niaga.missions.models import Mission
from niaga.realization import followup
from niaga.realization.models import FollowUpPolicy
from niaga.realization.rules import MANAGER_ROLES
from niaga.regions.models import Province

logger = logging.getLogger("niaga.realization")
ACTION = "realization.reminder.sent"


@dataclass
class Digest:
    province: Province
    user: User
    day: dt.date
    rows: list = field(default_factory=list)


@dataclass
class Outcome:
    sent: int = 0
    already_sent: int = 0
    no_address: int = 0
    failed: int = 0
    lines: list[str] = field(default_factory=list)


def _provinces_with_reminders() -> list[Province]:
    organisers = set(
        Mission.objects.with_scopes_disabled().values_list("organiser_id", flat=True).distinct()
    )
    off = set(
        FollowUpPolicy.objects.with_scopes_disabled()
        .filter(send_email_reminders=False)
        .values_list("province_id", flat=True)
    )
    return list(Province.objects.filter(pk__in=organisers - off).order_by("code"))


def _managers(province: Province) -> list[User]:
    with scopes_disabled():
        ids = Membership.objects.filter(province=province, role__in=MANAGER_ROLES).values("user_id")
        return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


def digests(*, now: dt.datetime | None = None) -> list[Digest]:
    """Who gets which deals today: one Digest per (province, person) with any."""
    now = now or timezone.now()
    found: list[Digest] = []
    for province in _provinces_with_reminders():
        day = followup.local_today(province, now)
        rows = followup.rows(followup.province_missions(province), today=day)
        by_user: dict[int, Digest] = {}
        managers = None
        for row in rows:
            if row.officer is not None and row.officer.is_active:
                recipients = [row.officer]
            else:
                managers = managers if managers is not None else _managers(province)
                recipients = managers
            for user in recipients:
                digest = by_user.setdefault(user.pk, Digest(province, user, day))
                digest.rows.append(row)
        found.extend(by_user[pk] for pk in sorted(by_user))
    return found


def _already_sent(digest: Digest) -> bool:
    with scopes_disabled():
        return AuditEvent.objects.filter(
            action=ACTION,
            province=digest.province,
            object_id=str(digest.user.pk),
            after__day=digest.day.isoformat(),
        ).exists()


def message(digest: Digest, *, base_url: str = "") -> tuple[str, str]:
    """The digest's subject and plain-text body, in the recipient's language."""
    language = digest.user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        count = len(digest.rows)
        subject = ngettext(
            "Niaga: %(count)s deal of %(province)s needs follow-up",
            "Niaga: %(count)s deals of %(province)s need follow-up",
            count,
        ) % {"count": count, "province": digest.province.name}
        lines = [
            _("Hello %(name)s,") % {"name": digest.user.display_name},
            "",
            _(
                "These deals have had no stage move, delivery or payment for %(days)s days "
                "or more. Please contact the seller or buyer and record what you learn."
            )
            % {"days": followup.stale_after_days(digest.province)},
            "",
        ]
        for row in digest.rows:
            path = reverse(
                "province:deal_realization",
                kwargs={"province": digest.province.slug, "deal_id": row.deal.pk},
            )
            lines += [
                f"- {row.deal.commodity} · {row.seller.name} → {row.buyer.name}",
                "  "
                + _("%(mission)s · %(value)s · %(days)s days without progress · %(who)s")
                % {
                    "mission": row.mission.name,
                    "value": format_rupiah(row.deal.value_idr),
                    "days": row.days_without_progress,
                    "who": row.officer.display_name if row.officer else _("nobody assigned"),
                },
                "  " + base_url.rstrip("/") + path,
            ]
        path = reverse("province:followup", kwargs={"province": digest.province.slug})
        lines += [
            "",
            _("The whole follow-up list: %(url)s") % {"url": base_url.rstrip("/") + path},
        ]
        return subject, "\n".join(str(line) for line in lines)


def send_followup_reminders(
    *, now: dt.datetime | None = None, base_url: str = "", dry_run: bool = False
) -> Outcome:
    """Send today's digests that were not sent yet (module docstring)."""
    outcome = Outcome()
    for digest in digests(now=now):
        label = f"{digest.province.slug} {digest.user.get_username()}: {len(digest.rows)}"
        if _already_sent(digest):
            outcome.already_sent += 1
            outcome.lines.append(f"{label} (already sent {digest.day.isoformat()})")
            continue
        if not digest.user.email:
            outcome.no_address += 1
            outcome.lines.append(f"{label} (no e-mail address)")
            continue
        if dry_run:
            outcome.lines.append(f"{label} (would send)")
            continue
        subject, body = message(digest, base_url=base_url)
        try:
            with scopes_disabled(), transaction.atomic():
                # Recorded first, in the same transaction: if the mail fails the
                # record rolls back and the next run tries again.
                record(
                    actor=None,
                    action=ACTION,
                    province=digest.province,
                    obj=digest.user,
                    after={
                        "day": digest.day.isoformat(),
                        "deals": [row.deal.pk for row in digest.rows],
                    },
                )
                EmailMessage(subject, body, to=[digest.user.email]).send()
        except Exception:
            logger.exception("follow-up reminder to user %s failed", digest.user.pk)
            outcome.failed += 1
            outcome.lines.append(f"{label} (failed)")
            continue
        outcome.sent += 1
        outcome.lines.append(f"{label} (sent)")
    return outcome
