"""The Django admin, for national superusers only, working across province scopes.

Province-owned models refuse queries outside a scope (django-scopes fails
closed); a national superuser legitimately sees every province, so each admin
view runs, and renders, with scopes disabled.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.template.response import SimpleTemplateResponse
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled


class NiagaAdminSite(admin.AdminSite):
    site_header = _("Niaga national administration")
    site_title = _("Niaga administration")
    index_title = _("National administration")

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def across_provinces(request, *args, **kwargs):
            with scopes_disabled():
                response = inner(request, *args, **kwargs)
                if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                    response.render()
            return response

        return across_provinces


class NiagaAdminConfig(AdminConfig):
    default_site = "niaga.core.admin_site.NiagaAdminSite"
