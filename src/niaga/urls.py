"""Niaga's URLs. Everything under /province/<slug>/ runs in that province's scope."""

from django.contrib import admin
from django.urls import include, path

from niaga.api.urls import urls as api_urls
from niaga.core import views as core_views
from niaga.core.scoping import province_patterns

province_urlpatterns = province_patterns(
    [
        path("", core_views.province_home, name="home"),
        path("team/", include("niaga.accounts.province_urls")),
        path("audit/", include("niaga.audit.province_urls")),
        path("missions/", include("niaga.missions.province_urls")),
        path("registry/", include("niaga.registry.province_urls")),
        path("inquiries/", include("niaga.catalog.province_urls")),
        path("programs/", include("niaga.programs.province_urls")),
        path("agreements/", include("niaga.agreements.province_urls")),
        path("realization/", include("niaga.realization.province_urls")),
    ]
)

urlpatterns = [
    path("", include("niaga.core.urls")),
    path("accounts/tokens/", include("niaga.api.token_urls")),
    path("accounts/", include("niaga.accounts.urls")),
    path("api/v1/", api_urls),
    path("province/<slug:province>/", include((province_urlpatterns, "province"))),
    path("board/", include("niaga.missions.board_urls")),
    path("katalog/", include("niaga.catalog.urls")),
    path("sertifikat/", include("niaga.programs.certificate_urls")),
    path("programs/", include("niaga.programs.national_urls")),
    path("transparansi/", include("niaga.reports.public_urls")),
    path("admin/", admin.site.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon),
]
