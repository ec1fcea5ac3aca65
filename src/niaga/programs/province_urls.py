"""The OPOP programs of a province space, mounted under /province/<slug>/programs/.

Each part of the app adds its own patterns module here, so that the people
working on programs, training, support and the dashboard do not share a file.
"""

from django.urls import include, path

urlpatterns = [
    path("", include("niaga.programs.urls_programs")),
    path("", include("niaga.programs.urls_training")),
    path("", include("niaga.programs.urls_support")),
    path("", include("niaga.programs.urls_dashboard")),
]
