"""Follow-up pages: deals, their lifecycle, realization entries, verification, contacts."""

from django.urls import path

from niaga.realization import views

urlpatterns = [
    path("followup/", views.followup_list, name="followup"),
    path("missions/<slug:slug>/followup/", views.mission_followup, name="mission_followup"),
    path("deals/<int:deal_id>/", views.deal_realization, name="deal_realization"),
    path(
        "entries/<int:entry_id>/evidence/",
        views.realization_evidence,
        name="realization_evidence",
    ),
    path("settings/", views.followup_settings, name="followup_settings"),
]
