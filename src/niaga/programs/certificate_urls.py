"""The public certificate verification page, /sertifikat/<code>/ (no login).

The code is matched case-insensitively, ignoring dashes and spaces, so a
code typed from paper in any form finds its certificate.
"""

from django.urls import path

from niaga.programs.views.certificates import certificate_verify

urlpatterns = [
    path("<str:code>/", certificate_verify, name="certificate_verify"),
]
