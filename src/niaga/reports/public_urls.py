"""Public transparency pages (opt-in per mission), mounted under /transparansi/."""

from django.urls import path

from niaga.reports.public_views import mission_transparency

app_name = "transparency"
urlpatterns = [
    path("<slug:slug>/", mission_transparency, name="mission"),
]
