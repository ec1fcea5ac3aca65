"""The national comparison of OPOP programs, /programs/ (read-only, across provinces)."""

from django.urls import path

from niaga.programs.views.dashboard import program_comparison

urlpatterns = [
    path("", program_comparison, name="program_comparison"),
]
