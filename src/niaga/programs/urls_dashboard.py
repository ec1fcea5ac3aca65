"""URLs: see province_urls. Placeholders until the dashboard pages are in."""

from django.urls import path

from niaga.programs.placeholder import not_yet

urlpatterns = [
    path("<slug:program>/dashboard/", not_yet, name="program_dashboard"),
    path("<slug:program>/indicators/", not_yet, name="indicator_list"),
]
