"""Login throttling: which address a failure counts against, and the limits.

Failed logins are counted three ways, each with its own limit within the
cool-off time (settings.AXES_COOLOFF_TIME):
- one username from one address: 5 (a person mistyping, or guessing one account);
- one address, whatever the username: 50 (password spraying; a hotel's shared
  Wi-Fi with twenty desk officers stays well under it);
- one username, from any address: 20 (a distributed guess at one account).
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum

# In the order of settings.AXES_LOCKOUT_PARAMETERS.
LIMITS = (5, 50, 20)


def client_ip(request) -> str:
    """REMOTE_ADDR, or behind our own reverse proxy the address it appended last.

    Only the last X-Forwarded-For entry is trusted: earlier ones come from the
    client and could be forged to dodge the lock-out.
    """
    if settings.CONFIG.behind_proxy:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")


class ThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler with a separate limit per way of counting.

    Axes compares one number with AXES_FAILURE_LIMIT; this handler reports each
    count scaled to that limit, so the largest scaled count decides.
    """

    def get_failures(self, request, credentials=None) -> int:
        base = settings.AXES_FAILURE_LIMIT
        scaled = 0
        for attempts, limit in zip(
            self.get_user_attempts(request, credentials), LIMITS, strict=True
        ):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            scaled = max(scaled, failures * base // limit)
        return scaled
