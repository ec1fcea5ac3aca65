"""Mounted under /province/<slug>/realization/."""

from niaga.realization import urls_dashboard, urls_followup

urlpatterns = [*urls_dashboard.urlpatterns, *urls_followup.urlpatterns]
