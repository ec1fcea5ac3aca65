"""Request logging: one line per request on standard output, with its timing."""

from __future__ import annotations

import logging
import time

from niaga.accounts.throttle import client_ip
from niaga.audit.context import current_ip

logger = logging.getLogger("niaga.request")


class RequestLogMiddleware:
    """Logs `METHOD path status duration_ms user` once per request.

    The query string is left out: it may carry personal data (UU PDP).

    Runs outermost so the duration covers every other middleware. It also
    publishes the client's address to the audit log for the request's span.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        ip = client_ip(request)
        token = current_ip.set(ip or None)
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            return response
        finally:
            current_ip.reset(token)
            elapsed_ms = (time.perf_counter() - started) * 1000
            user = getattr(request, "user", None)
            username = user.get_username() if user is not None and user.is_authenticated else "-"
            logger.info(
                "%s %s %s %.1fms user=%s ip=%s",
                request.method,
                # Escaped: a path with a line break must not forge a second log line.
                request.path[:300].encode("unicode_escape").decode("ascii"),
                status,
                elapsed_ms,
                username,
                ip or "-",
            )
