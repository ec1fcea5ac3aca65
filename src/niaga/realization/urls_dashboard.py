"""Realization dashboards (province-wide and per mission) and the mission report."""

from django.urls import path

from niaga.core.stubs import not_built_yet

urlpatterns = [
    path("", not_built_yet, name="realization_dashboard"),
    path("missions/<slug:slug>/", not_built_yet, name="mission_realization"),
    path("missions/<slug:slug>/report/", not_built_yet, name="mission_report"),
    path("missions/<slug:slug>/report.pdf", not_built_yet, name="mission_report_pdf"),
    path("missions/<slug:slug>/report.xlsx", not_built_yet, name="mission_report_xlsx"),
    path("missions/<slug:slug>/transparency/", not_built_yet, name="mission_transparency_toggle"),
]
