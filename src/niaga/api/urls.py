"""/api/v1/: ninja's URL patterns, each wrapped so that every answer speaks problem details.

ninja answers a wrong method with a plain-text 405 and leaves unknown paths to
Django's HTML 404; the wrapper turns both into problems, sets the answer's
language (Indonesian unless Accept-Language asks for English) and adds a
catch-all so that any address under /api/v1/ answers JSON.
"""

from __future__ import annotations

from functools import wraps

from django.http import Http404
from django.urls import URLPattern, re_path
from django.utils import translation
from django.utils.cache import patch_vary_headers

from niaga.api import problems
from niaga.api.auth import activate_api_language
from niaga.api.main import api


def _speaking_problems(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with translation.override(translation.get_language()):
            activate_api_language(request)
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                response = problems.not_found()
            if response.status_code == 405 and not problems.is_problem(response):
                response = problems.method_not_allowed(response.get("Allow", ""))
            response["Content-Language"] = translation.get_language()
            patch_vary_headers(response, ["Accept-Language", "Authorization"])
            return response

    return wrapper


def _nothing_here(request, *args, **kwargs):
    raise Http404("no such API address")


def _patterns() -> list:
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        # The docs page is for people: it keeps the site's language and layout.
        if isinstance(pattern, URLPattern) and pattern.name != "openapi-view":
            pattern.callback = _speaking_problems(pattern.callback)
    return [*patterns, re_path(r"", _speaking_problems(_nothing_here), name="not-found")]


urls = (_patterns(), "ninja", api.urls_namespace)
