"""URLs: see province_urls. Placeholders until the training pages are in."""

from django.urls import path

from niaga.programs.placeholder import not_yet

urlpatterns = [
    path("<slug:program>/training/", not_yet, name="course_list"),
]
