"""The national comparison of OPOP programs, /programs/ (read-only, across provinces)."""

from django.urls import path

from niaga.programs.placeholder import not_yet

urlpatterns = [
    path("", not_yet, name="program_comparison"),
]
