"""The public certificate verification page, /sertifikat/<code>/ (no login)."""

from django.urls import path

from niaga.programs.placeholder import not_yet

urlpatterns = [
    path("<str:code>/", not_yet, name="certificate_verify"),
]
