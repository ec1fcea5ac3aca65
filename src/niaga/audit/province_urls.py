"""The audit log of a province space, mounted under /province/<slug>/audit/."""

from django.urls import path

from niaga.audit import views

urlpatterns = [path("", views.audit_log, name="audit_log")]
