"""Mission pages of a province space, mounted under /province/<slug>/missions/."""

from django.urls import path

from niaga.missions import desk as desk_views
from niaga.missions import export_views, participant_views, views

urlpatterns = [
    path("", views.mission_list, name="missions"),
    path("new/", views.mission_create, name="mission_create"),
    path("<slug:slug>/", views.mission_detail, name="mission"),
    path("<slug:slug>/edit/", views.mission_edit, name="mission_edit"),
    path("<slug:slug>/status/", views.mission_status, name="mission_status"),
    path("<slug:slug>/announce/", views.mission_announce, name="mission_announce"),
    path("<slug:slug>/participants/", participant_views.participants, name="participants"),
    path(
        "<slug:slug>/participants/import/",
        participant_views.participants_upload,
        name="participants_upload",
    ),
    path(
        "<slug:slug>/participants/import/commit/",
        participant_views.participants_commit,
        name="participants_commit",
    ),
    path(
        "<slug:slug>/export/participants.<str:fmt>",
        export_views.participants_export,
        name="participants_export",
    ),
    path("<slug:slug>/export/deals.<str:fmt>", export_views.deals_export, name="deals_export"),
    path("<slug:slug>/desk/", desk_views.desk, name="desk"),
    path(
        "<slug:slug>/desk/participants/",
        desk_views.desk_participants,
        name="desk_participants",
    ),
    path("<slug:slug>/desk/deals/", desk_views.desk_deal, name="desk_deals"),
    path("<slug:slug>/desk/recent/", desk_views.desk_recent, name="desk_recent"),
    path(
        "<slug:slug>/desk/deals/<int:deal_id>/correct/",
        desk_views.desk_correct,
        name="desk_correct",
    ),
]
