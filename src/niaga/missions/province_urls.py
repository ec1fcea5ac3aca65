"""Mission pages of a province space, mounted under /province/<slug>/missions/."""

from django.urls import path

from niaga.missions import views

urlpatterns = [
    path("", views.mission_list, name="missions"),
    path("new/", views.mission_create, name="mission_create"),
    path("<slug:slug>/", views.mission_detail, name="mission"),
    path("<slug:slug>/status/", views.mission_status, name="mission_status"),
    path("<slug:slug>/announce/", views.mission_announce, name="mission_announce"),
]
