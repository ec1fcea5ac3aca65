"""What the audit log needs to know about the current request, without a request.

Domain functions take no request; the request middleware sets the client's
address here for the duration of each request.
"""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("niaga_audit_current_ip", default=None)
