"""Follow-up pages: deals, their lifecycle, realization entries, verification, contacts."""

from django.urls import path

from niaga.core.stubs import not_built_yet

urlpatterns = [
    path("followup/", not_built_yet, name="followup"),
    path("missions/<slug:slug>/followup/", not_built_yet, name="mission_followup"),
    path("deals/<int:deal_id>/", not_built_yet, name="deal_realization"),
    path("entries/<int:entry_id>/evidence/", not_built_yet, name="realization_evidence"),
    path("settings/", not_built_yet, name="followup_settings"),
]
