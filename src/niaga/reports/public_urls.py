"""Public transparency pages (opt-in per mission), mounted under /transparansi/."""

from django.urls import path

from niaga.core.stubs import not_built_yet

app_name = "transparency"
urlpatterns = [
    path("<slug:slug>/", not_built_yet, name="mission"),
]
