"""URLs: see province_urls. Placeholders until the program pages are in."""

from django.urls import path

from niaga.programs.placeholder import not_yet

urlpatterns = [
    path("", not_yet, name="program_list"),
    path("<slug:program>/", not_yet, name="program_detail"),
]
