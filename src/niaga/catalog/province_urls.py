"""The inquiry inbox of a province space, mounted under /province/<slug>/inquiries/."""

from django.urls import path

from niaga.catalog import views

urlpatterns = [
    path("", views.inbox, name="inquiries"),
    path("<int:inquiry_id>/", views.inquiry, name="inquiry"),
    path("<int:inquiry_id>/status/", views.inquiry_status, name="inquiry_status"),
]
