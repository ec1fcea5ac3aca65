"""Agreement pages of a province space, mounted under /province/<slug>/agreements/."""

from django.urls import path

from niaga.core.stubs import not_built_yet

urlpatterns = [
    path("", not_built_yet, name="agreement_list"),
    path("new/", not_built_yet, name="agreement_create"),
    path("<int:pk>/", not_built_yet, name="agreement"),
]
