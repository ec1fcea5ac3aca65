"""Registry pages: pesantren, cooperatives, santri/alumni businesses and pesantren accounts.

Mounted under /province/<slug>/registry/ by province_urls; names live in the
"province" namespace (e.g. `province:pesantren_list`).
"""

from django.urls import path

from niaga.registry.views import pesantren as views

urlpatterns = [
    path("pesantren/", views.pesantren_list, name="pesantren_list"),
    path("pesantren/new/", views.pesantren_create, name="pesantren_create"),
    path("pesantren/<int:pesantren_id>/", views.pesantren_detail, name="pesantren"),
    path("pesantren/<int:pesantren_id>/edit/", views.pesantren_edit, name="pesantren_edit"),
    path("pesantren/<int:pesantren_id>/status/", views.pesantren_status, name="pesantren_status"),
    path(
        "pesantren/<int:pesantren_id>/cooperative/new/",
        views.cooperative_create,
        name="cooperative_create",
    ),
    path(
        "pesantren/<int:pesantren_id>/cooperative/edit/",
        views.cooperative_edit,
        name="cooperative_edit",
    ),
    path(
        "pesantren/<int:pesantren_id>/accounts/new/",
        views.pesantren_account_create,
        name="pesantren_account_create",
    ),
    path("cooperatives/", views.cooperative_list, name="cooperative_list"),
    path("businesses/", views.enterprise_list, name="enterprise_list"),
    path("businesses/new/", views.enterprise_create, name="enterprise_create"),
    path("businesses/<int:enterprise_id>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("districts/", views.district_options, name="district_options"),
]
