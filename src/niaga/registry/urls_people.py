"""Registry pages: people. Mounted under /province/<slug>/registry/ by province_urls."""

from django.urls import path

from niaga.registry.views import people as views

urlpatterns = [
    path("people/", views.person_list, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/find-nik/", views.person_find_nik, name="person_find_nik"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:person_id>/nik/", views.person_reveal_nik, name="person_reveal_nik"),
    path("people/<int:person_id>/consents/new/", views.consent_create, name="consent_record"),
    path(
        "people/<int:person_id>/consents/<int:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("people/<int:person_id>/data.<str:fmt>", views.person_export, name="person_export"),
    path("people/<int:person_id>/erase/", views.person_erase, name="person_erase"),
]
