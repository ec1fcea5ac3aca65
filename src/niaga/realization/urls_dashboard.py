"""Realization dashboards (province-wide and per mission) and the mission report."""

from django.urls import path

from niaga.realization import dashboard_views
from niaga.reports import views as report_views

urlpatterns = [
    path("", dashboard_views.realization_dashboard, name="realization_dashboard"),
    path("missions/<slug:slug>/", dashboard_views.mission_realization, name="mission_realization"),
    path("missions/<slug:slug>/report/", report_views.mission_report, name="mission_report"),
    path(
        "missions/<slug:slug>/report.pdf",
        report_views.mission_report_pdf,
        name="mission_report_pdf",
    ),
    path(
        "missions/<slug:slug>/report.xlsx",
        report_views.mission_report_xlsx,
        name="mission_report_xlsx",
    ),
    path(
        "missions/<slug:slug>/transparency/",
        report_views.mission_transparency_toggle,
        name="mission_transparency_toggle",
    ),
]
