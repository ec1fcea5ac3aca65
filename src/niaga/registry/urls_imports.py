"""Registry pages: imports. Mounted under /province/<slug>/registry/ by province_urls."""

from django.urls import path

from niaga.registry.views import imports as views

urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path(
        "imports/templates/<str:resource>.<str:fmt>",
        views.import_template,
        name="import_template",
    ),
    path("imports/<int:job_id>/", views.import_job, name="import_job"),
    path("imports/<int:job_id>/mapping/", views.import_map, name="import_map"),
    path("imports/<int:job_id>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:job_id>/commit/", views.import_commit, name="import_commit"),
    path("imports/<int:job_id>/discard/", views.import_discard, name="import_discard"),
]
