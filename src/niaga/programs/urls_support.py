"""Support records of a program, mounted under /province/<slug>/programs/ by
province_urls; names live in the "province" namespace (e.g.
`province:support_list` with kwargs province and program)."""

from django.urls import path

from niaga.programs.views import support as views

P = "<slug:program>/support/"

urlpatterns = [
    path(P, views.support_list, name="support_list"),
    path(f"{P}totals/", views.support_totals, name="support_totals"),
    path(f"{P}grants/new/", views.grant_create, name="support_grant_create"),
    path(f"{P}grants/<int:grant_id>/", views.grant_detail, name="support_grant"),
    path(f"{P}grants/<int:grant_id>/reverse/", views.grant_reverse, name="support_grant_reverse"),
    path(
        f"{P}grants/<int:grant_id>/evidence/",
        views.grant_evidence_add,
        name="support_grant_evidence_add",
    ),
    path(f"{P}assistance/new/", views.assistance_create, name="support_assistance_create"),
    path(
        f"{P}assistance/<int:assistance_id>/",
        views.assistance_detail,
        name="support_assistance",
    ),
    path(
        f"{P}assistance/<int:assistance_id>/edit/",
        views.assistance_edit,
        name="support_assistance_edit",
    ),
    path(
        f"{P}assistance/<int:assistance_id>/delete/",
        views.assistance_delete,
        name="support_assistance_delete",
    ),
    path(
        f"{P}assistance/<int:assistance_id>/evidence/",
        views.assistance_evidence_add,
        name="support_assistance_evidence_add",
    ),
    path(f"{P}evidence/<int:evidence_id>/", views.evidence_download, name="support_evidence"),
    path(
        f"{P}pesantren/<int:pesantren_id>/",
        views.pesantren_support,
        name="support_pesantren",
    ),
    path(
        f"{P}pesantren-options/",
        views.pesantren_options_view,
        name="support_pesantren_options",
    ),
    # What a pesantren received from every program of the province (its profile's section).
    path(
        "support-received/<int:pesantren_id>/",
        views.support_received,
        name="support_received",
    ),
]
