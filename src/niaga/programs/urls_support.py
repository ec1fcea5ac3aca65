"""URLs: see province_urls. Placeholders until the support pages are in."""

from django.urls import path

from niaga.programs.placeholder import not_yet

urlpatterns = [
    path("<slug:program>/support/", not_yet, name="support_list"),
]
