"""The client address that login throttling counts failures against."""

from django.conf import settings


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
