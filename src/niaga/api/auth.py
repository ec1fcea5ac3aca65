"""Bearer-token authentication and the language of API answers.

The API does not use the browser session: a page's cookies must not be able to
record a deal (API views are exempt from CSRF checks), so only
`Authorization: Bearer <token>` identifies the caller. A token acts as its
user, with the user's province roles as they are at the time of the request.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import translation
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from niaga.api.domain import token_mark_used
from niaga.api.queries import active_token


class TokenAuth(HttpBearer):
    """Authenticates `Authorization: Bearer niaga_…`; anything else presented is a 401.

    With `optional=True` a request without an Authorization header passes as an
    anonymous caller (for public missions); a wrong or revoked token is still 401.
    """

    def __init__(self, *, optional: bool = False):
        super().__init__()
        self.optional = optional

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization")
        if not header:
            return AnonymousUser() if self.optional else None
        scheme, _space, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError()
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str):
        row = active_token(token)
        if row is None:
            raise AuthenticationError()
        token_mark_used(token=row)
        user = row.user
        request.api_token = row
        # The request log names the token's user.
        request.user = user
        if not explicit_language(request) and user.language in dict(settings.LANGUAGES):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return user


def explicit_language(request: HttpRequest) -> str | None:
    """The first supported language the Accept-Language header asks for, if any."""
    header = request.headers.get("Accept-Language", "")
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _semicolon, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, position, tag))
    for _quality, _position, tag in sorted(ranked):
        try:
            return translation.get_supported_language_variant(tag.lower())
        except LookupError:
            continue
    return None


def activate_api_language(request: HttpRequest) -> None:
    """Indonesian unless the request asks for English (the token's user may too, later)."""
    language = explicit_language(request) or settings.LANGUAGE_CODE
    translation.activate(language)
    request.LANGUAGE_CODE = language
