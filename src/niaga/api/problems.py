"""One error format for the whole API: RFC 9457 problem details.

Every error answer is `application/problem+json`:

    {"type": "/api/v1/docs#problem-validation", "title": "…", "status": 422,
     "detail": "…", "errors": [{"field": "value_idr", "rule": "required", "message": "…"}]}

`type` names the kind of problem (a stable identifier that also links to its
explanation on the docs page); `title` and `detail` are in the request's
language; `errors` appears only for input problems, one entry per field and
broken rule. This module turns ninja's own errors (bad parameters, bad JSON,
missing token), Django's `Http404` and `ValidationError`, and anything
unexpected into that shape; `install` registers the handlers on an API.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger("niaga.api")

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/docs#problem-"
IDEMPOTENCY_HEADER = "Idempotency-Key"

# Every kind of problem the API answers with, for the docs page: (kind, status, title).
KINDS: list[tuple[str, int, object]] = [
    ("validation", 422, gettext_lazy("The request has invalid fields")),
    ("malformed", 400, gettext_lazy("The request body is not valid JSON")),
    ("idempotency-key", 400, gettext_lazy("The Idempotency-Key header is missing or invalid")),
    ("unauthorized", 401, gettext_lazy("A valid API token is needed")),
    ("not-found", 404, gettext_lazy("Not found")),
    ("method-not-allowed", 405, gettext_lazy("Method not allowed")),
    ("mission-not-open", 409, gettext_lazy("The mission does not accept this entry")),
    ("ledger-conflict", 409, gettext_lazy("The ledger does not allow this change")),
    ("ledger-busy", 409, gettext_lazy("The ledger is busy; retry shortly")),
    (
        "idempotency-conflict",
        422,
        gettext_lazy("The Idempotency-Key was used for a different request"),
    ),
    ("server-error", 500, gettext_lazy("Something went wrong on the server")),
]
_TITLES = {kind: title for kind, _status, title in KINDS}


class Problem(Exception):
    """Raise anywhere in an endpoint to answer with this problem."""

    def __init__(
        self,
        kind: str,
        status: int,
        detail: str,
        *,
        errors: list[dict] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict | None = None,
    ):
        super().__init__(detail)
        self.kind, self.status, self.detail = kind, status, detail
        self.errors, self.headers, self.extra = errors, headers or {}, extra or {}

    def response(self) -> HttpResponse:
        return problem_response(
            self.kind,
            self.status,
            self.detail,
            errors=self.errors,
            headers=self.headers,
            extra=self.extra,
        )


def problem_response(
    kind: str,
    status: int,
    detail: str,
    *,
    errors: list[dict] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict | None = None,
) -> HttpResponse:
    body = {
        "type": TYPE_BASE + kind,
        "title": str(_TITLES[kind]),
        "status": status,
        "detail": str(detail),
        **(extra or {}),
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def is_problem(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith(CONTENT_TYPE)


# --- Input errors --------------------------------------------------------------

# pydantic's error types, grouped into the rules a client reads in `errors[].rule`.
_RULES = {
    "missing": "required",
    "int_type": "integer",
    "int_parsing": "integer",
    "int_from_float": "integer",
    "string_type": "text",
    "string_unicode": "text",
    "nul_character": "text",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
    "decimal_type": "decimal",
    "decimal_parsing": "decimal",
    "finite_number": "decimal",
    "decimal_max_digits": "max_digits",
    "decimal_whole_digits": "whole_digits",
    "decimal_max_places": "decimal_places",
    "literal_error": "choice",
    "enum": "choice",
    "string_pattern_mismatch": "pattern",
    "string_too_long": "max_length",
    "too_long": "max_length",
    "string_too_short": "min_length",
    "too_short": "min_length",
    "greater_than": "min_value",
    "greater_than_equal": "min_value",
    "less_than": "max_value",
    "less_than_equal": "max_value",
    "datetime_type": "datetime",
    "datetime_parsing": "datetime",
    "datetime_from_date_parsing": "datetime",
    "timezone_aware": "datetime",
    "model_type": "object",
    "model_attributes_type": "object",
    "dict_type": "object",
    "json_invalid": "json",
    "extra_forbidden": "unknown_field",
}


def _rule_message(rule: str, ctx: dict) -> str:
    if rule == "required":
        return _("This field is required.")
    if rule == "integer":
        return _("Enter a whole number (a JSON integer, without quotes or decimals).")
    if rule == "text":
        return _("Enter text without control characters.")
    if rule == "boolean":
        return _("Enter true or false.")
    if rule == "decimal":
        return _("Enter a number.")
    if rule == "max_digits":
        return _("At most %(count)s digits in all.") % {"count": ctx.get("max_digits", "")}
    if rule == "whole_digits":
        return _("At most %(count)s digits before the decimal point.") % {
            "count": ctx.get("whole_digits", "")
        }
    if rule == "decimal_places":
        return _("At most %(count)s digits after the decimal point.") % {
            "count": ctx.get("decimal_places", "")
        }
    if rule == "choice":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}
    if rule == "pattern":
        return _("This value does not have the required format (pattern %(pattern)s).") % {
            "pattern": ctx.get("pattern", "")
        }
    if rule == "max_length":
        return _("At most %(count)s characters.") % {"count": ctx.get("max_length", "")}
    if rule == "min_length":
        return _("At least %(count)s characters.") % {"count": ctx.get("min_length", "")}
    if rule == "min_value":
        limit = ctx.get("ge", ctx.get("gt", ""))
        if "gt" in ctx:
            return _("Must be greater than %(limit)s.") % {"limit": limit}
        return _("Must be at least %(limit)s.") % {"limit": limit}
    if rule == "max_value":
        limit = ctx.get("le", ctx.get("lt", ""))
        if "lt" in ctx:
            return _("Must be less than %(limit)s.") % {"limit": limit}
        return _("Must be at most %(limit)s.") % {"limit": limit}
    if rule == "datetime":
        return _("Enter a date and time in ISO 8601 with its zone, e.g. 2022-04-13T11:00:00+08:00.")
    if rule == "object":
        return _("Send a JSON object.")
    if rule == "json":
        return _("The request body is not valid JSON.")
    if rule == "unknown_field":
        return _("This field is not part of the request; check its spelling.")
    return _("This value is not valid.")


def _field_name(loc: Iterable) -> str | None:
    """('body', 'payload', 'value_idr') → 'value_idr'; ('query', 'page_size') → 'page_size'."""
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:]  # the source and the body parameter's own name
    elif parts:
        parts = parts[1:]
    return ".".join(parts) or None


def from_ninja_errors(errors: list[dict]) -> HttpResponse:
    """ninja's collected parameter errors → 400 (Idempotency-Key header) or 422."""
    header_errors = [
        e
        for e in errors
        if len(e["loc"]) > 1
        and e["loc"][0] == "header"
        and str(e["loc"][1]).lower() == IDEMPOTENCY_HEADER.lower()
    ]
    if header_errors:
        return idempotency_key_problem().response()
    items = []
    for error in errors:
        rule = _RULES.get(error["type"], error["type"])
        field = _field_name(error["loc"])
        if field is None and error["loc"][:1] == ("body",):
            rule = "object"  # no body at all
        items.append(
            {"field": field, "rule": rule, "message": _rule_message(rule, error.get("ctx") or {})}
        )
    return problem_response(
        "validation",
        422,
        _("Correct the fields listed in errors; nothing was changed."),
        errors=items,
    )


def created_or_replayed(response: HttpResponse, created: bool, body):
    """The answer to an idempotent create: 201 for a new row; 200 with
    `Idempotent-Replayed: true` when the same request was sent before."""
    from ninja import Status

    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, body)


def idempotency_key_problem(detail: str | None = None) -> Problem:
    return Problem(
        "idempotency-key",
        400,
        detail
        or _(
            "Send an Idempotency-Key header of 8 to 76 printable characters, "
            "generated once per new entry (a UUID is a good key)."
        ),
    )


def validation_errors(error: DjangoValidationError, *, prefix: str = "") -> list[dict]:
    """A domain ValidationError as [{field, rule, message}]; `rule` is the error's code."""
    items = []
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            name = None if field == NON_FIELD_ERRORS else prefix + field
            for single in field_errors:
                for message in single.messages:
                    items.append(
                        {"field": name, "rule": single.code or "invalid", "message": message}
                    )
    else:
        for single in error.error_list:
            for message in single.messages:
                items.append({"field": None, "rule": single.code or "invalid", "message": message})
    return items


def from_validation_error(error: DjangoValidationError, *, prefix: str = "") -> HttpResponse:
    return problem_response(
        "validation",
        422,
        _("Correct the fields listed in errors; nothing was changed."),
        errors=validation_errors(error, prefix=prefix),
    )


def not_found() -> HttpResponse:
    return problem_response(
        "not-found", 404, _("There is nothing here, or your token may not see it.")
    )


def unauthorized() -> HttpResponse:
    return problem_response(
        "unauthorized",
        401,
        _(
            "Send a valid API token as 'Authorization: Bearer <token>'. "
            "Tokens are made on the API tokens page or with 'niaga token create'."
        ),
        headers={"WWW-Authenticate": 'Bearer realm="niaga"'},
    )


def method_not_allowed(allowed: str) -> HttpResponse:
    # ninja builds the list from a set: sort it so the answer is always the same.
    allowed = ", ".join(sorted(m.strip() for m in allowed.split(",") if m.strip()))
    return problem_response(
        "method-not-allowed",
        405,
        _("This address answers only: %(methods)s.") % {"methods": allowed},
        headers={"Allow": allowed},
    )


def server_error() -> HttpResponse:
    return problem_response(
        "server-error",
        500,
        _("The error was logged. Retrying with the same Idempotency-Key is safe."),
    )


# --- Handlers on the NinjaAPI --------------------------------------------------


def install(api) -> None:
    """Replace ninja's default error answers with problem details."""

    def on_problem(request: HttpRequest, exc: Problem) -> HttpResponse:
        return exc.response()

    def on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return from_ninja_errors(exc.errors)

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return unauthorized()

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:  # ninja raises it only for a body it cannot parse
            return problem_response(
                "malformed", 400, _("Send the body as JSON with Content-Type application/json.")
            )
        if exc.status_code == 404:
            return not_found()
        if exc.status_code == 401:
            return unauthorized()
        logger.error("unexpected ninja HttpError %s: %s", exc.status_code, exc)
        return server_error()

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return not_found()

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return from_validation_error(exc)

    def on_anything(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path[:300])
        return server_error()

    api.add_exception_handler(Problem, on_problem)
    api.add_exception_handler(NinjaValidationError, on_ninja_validation)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(Exception, on_anything)
