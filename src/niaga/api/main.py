"""The NinjaAPI instance behind /api/v1/, its JSON rendering and its docs page.

The docs page is rendered on the server from the OpenAPI document, in the
site's own layout: Swagger UI (which ninja ships) would need its script
bundle served from ninja's package and evaluates code that a strict CSP
without `unsafe-eval` may block; a plain page needs neither and reads well in
Indonesian.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from niaga.api import problems

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details (application/problem+json).",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "examples": ["/api/v1/docs#problem-validation"]},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "rule", "message"],
                "properties": {
                    "field": {"type": ["string", "null"]},
                    "rule": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}

_STATUS_TEXT = {
    400: _("Missing or invalid Idempotency-Key, or a body that is not JSON"),
    401: _("No valid API token"),
    404: _("No such mission or deal, or the token's user may not see it"),
    409: _("Conflict with the ledger: mission not open, ledger busy, deal already corrected"),
    422: _("Invalid fields, or an Idempotency-Key reused for another request"),
}


def problem_responses(*statuses: int) -> dict:
    """`openapi_extra` declaring an operation's problem answers."""
    return {
        "responses": {
            status: {
                "description": _STATUS_TEXT[status],
                "content": {
                    problems.CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            }
            for status in statuses
        }
    }


class _Encoder(NinjaJSONEncoder):
    """Times in UTC with microseconds and a Z: exactly as stored, usable as `since`."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime) and o.tzinfo is not None:
            return o.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
        return super().default(o)


class _Renderer(JSONRenderer):
    encoder_class = _Encoder
    json_dumps_params = {"ensure_ascii": False}


class ServerDocs(DocsBase):
    """The endpoints listed from the OpenAPI document, without any script."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        components = schema.get("components", {}).get("schemas", {})
        endpoints = []
        for path, methods in schema["paths"].items():
            for method, operation in methods.items():
                endpoints.append(_describe(path, method, operation, components))
        response = TemplateResponse(
            request,
            "api/docs.html",
            {
                "api": api,
                "endpoints": endpoints,
                "openapi_url": self.get_openapi_url(api, kwargs),
                "tokens_url": reverse("api_tokens:list"),
                "problem_kinds": [
                    {
                        "kind": kind,
                        "status": status,
                        "title": title,
                        "type": problems.TYPE_BASE + kind,
                    }
                    for kind, status, title in problems.KINDS
                ],
            },
        )
        return response.render()


def _type_label(schema: dict, components: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type_label(s, components) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(f'"{v}"' for v in schema["enum"])
    if "const" in schema:
        return f'"{schema["const"]}"'
    kind = schema.get("type", "")
    if kind == "array":
        return f"[{_type_label(schema.get('items', {}), components)}]"
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return str(kind)


def _constraints(schema: dict) -> str:
    names = ["minimum", "maximum", "minLength", "maxLength", "default", "pattern"]
    parts = [f"{name}={json.dumps(schema[name])}" for name in names if name in schema]
    for option in schema.get("anyOf", []):
        parts += [f"{name}={json.dumps(option[name])}" for name in names if name in option]
    return ", ".join(parts)


def _fields(ref: str, components: dict) -> tuple[str, list[dict]]:
    name = ref.rsplit("/", 1)[-1]
    model = components.get(name, {})
    required = set(model.get("required", []))
    return name, [
        {
            "name": field,
            "type": _type_label(spec, components),
            "required": field in required,
            "constraints": _constraints(spec),
        }
        for field, spec in model.get("properties", {}).items()
    ]


def _describe(path: str, method: str, operation: dict, components: dict) -> dict:
    body = None
    content = operation.get("requestBody", {}).get("content", {})
    for media in content.values():
        if "$ref" in media.get("schema", {}):
            body = _fields(media["schema"]["$ref"], components)
    return {
        "id": operation["operationId"],
        "method": method.upper(),
        "path": path,
        "summary": operation.get("summary", ""),
        "description": operation.get("description", ""),
        "token": _token_rule(operation),
        "parameters": [
            {
                "name": p["name"],
                "in": p["in"],
                "required": p.get("required", False),
                "type": _type_label(p.get("schema", {}), components),
                "constraints": _constraints(p.get("schema", {})),
            }
            for p in operation.get("parameters", [])
        ],
        "body": body,
        "responses": [
            {"status": status, "description": spec.get("description", "")}
            for status, spec in sorted(operation.get("responses", {}).items())
        ],
    }


def _token_rule(operation: dict) -> str:
    security = operation.get("security", [])
    if not security:
        return "none"
    return "optional" if {} in security else "required"


class NiagaAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        schema["components"].setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        return schema


api = NiagaAPI(
    title="Niaga API",
    version="1",
    description=_(
        "Trade missions and their deal ledger. Send 'Authorization: Bearer <token>'; "
        "every error is an RFC 9457 problem (application/problem+json)."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs=ServerDocs(),
    docs_url="/docs",
    renderer=_Renderer(),
)
problems.install(api)


def _register_routers() -> None:
    from niaga.agreements.api import router as agreements_router
    from niaga.catalog.api import router as catalog_router
    from niaga.missions.api import router as missions_router
    from niaga.programs.api import certificate_router
    from niaga.programs.api import router as programs_router
    from niaga.realization.api import router as realization_router
    from niaga.registry.api import router as registry_router
    from niaga.reports.api import router as reports_router

    api.add_router("/missions/", missions_router)
    # Same prefix: follow-up and reports add paths under a mission.
    api.add_router("/missions/", realization_router)
    api.add_router("/missions/", reports_router)
    api.add_router("/agreements/", agreements_router)
    api.add_router("/registry/", registry_router)
    api.add_router("/catalog/", catalog_router)
    api.add_router("/programs/", programs_router)
    api.add_router("/certificates/", certificate_router)


_register_routers()
