"""Province spaces: every page under /province/<slug>/ runs in that province's scope.

`province_patterns` wraps every view of a URL list so that no province page
can forget the guard: the province is looked up, the user's right to see it
is checked (another province's space answers 404, as if it did not exist),
and the view and its template render inside `django_scopes.scope(province=…)`.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.template.response import SimpleTemplateResponse
from django.urls import URLPattern, URLResolver
from django_scopes import scope

from niaga.regions.models import Province


def in_province_scope(view):
    @wraps(view)
    def wrapper(request, *args, province: str, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        found = Province.objects.filter(slug=province).first()
        if found is None or not request.user.has_perm("regions.view_province", found):
            raise Http404("no such province space")
        request.province = found
        with scope(province=found):
            response = view(request, *args, **kwargs)
            # Templates read scoped querysets lazily: render them inside the scope.
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()
        return response

    wrapper.niaga_province_scoped = True
    return wrapper


def province_patterns(patterns: list) -> list:
    """Wrap every view in `patterns` (recursively through includes) with the scope guard."""
    for entry in patterns:
        if isinstance(entry, URLPattern):
            entry.callback = in_province_scope(entry.callback)
        elif isinstance(entry, URLResolver):
            province_patterns(entry.url_patterns)
    return patterns


def require_province_perm(permission: str):
    """Inside a province view: 404 unless the user holds `permission` for request.province."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(permission, request.province):
                raise Http404("no such page in this province space")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def within_province(function):
    """Run a domain function inside the scope of its `province=` keyword argument.

    Domain functions are called from views (already scoped), commands, imports
    and tests; opening the scope here means none of them can forget it, and the
    function can touch only that province's rows.
    """

    @wraps(function)
    def wrapper(*args, province: Province, **kwargs):
        if not isinstance(province, Province):
            raise TypeError(f"{function.__name__} needs province=<Province>, not {province!r}")
        with scope(province=province):
            return function(*args, province=province, **kwargs)

    return wrapper
