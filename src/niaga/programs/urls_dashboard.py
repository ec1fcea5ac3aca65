"""URLs of the dashboard part: the program dashboard with its exports, and the
indicator pages (definitions, dated figures, targets). See province_urls."""

from django.urls import path

from niaga.programs.views import dashboard, indicators

urlpatterns = [
    path("<slug:program>/dashboard/", dashboard.program_dashboard, name="program_dashboard"),
    path(
        "<slug:program>/dashboard/pdf/",
        dashboard.program_dashboard_pdf,
        name="program_dashboard_pdf",
    ),
    path(
        "<slug:program>/dashboard/xlsx/",
        dashboard.program_dashboard_xlsx,
        name="program_dashboard_xlsx",
    ),
    path("<slug:program>/indicators/", indicators.indicator_list, name="indicator_list"),
    path(
        "<slug:program>/indicators/standard/",
        indicators.indicators_add_standard,
        name="indicators_add_standard",
    ),
    path(
        "<slug:program>/indicators/<int:indicator_id>/",
        indicators.indicator_detail,
        name="indicator_detail",
    ),
    path(
        "<slug:program>/indicators/<int:indicator_id>/delete/",
        indicators.indicator_delete,
        name="indicator_delete",
    ),
    path(
        "<slug:program>/indicators/<int:indicator_id>/figures/",
        indicators.figure_record,
        name="figure_record",
    ),
    path(
        "<slug:program>/indicators/<int:indicator_id>/figures/<int:figure_id>/delete/",
        indicators.figure_delete,
        name="figure_delete",
    ),
    path(
        "<slug:program>/indicators/<int:indicator_id>/targets/",
        indicators.target_set,
        name="target_set",
    ),
    path(
        "<slug:program>/indicators/<int:indicator_id>/targets/<int:target_id>/delete/",
        indicators.target_delete,
        name="target_delete",
    ),
]
