"""Agreement pages of a province space, mounted under /province/<slug>/agreements/."""

from django.urls import path

from niaga.agreements import views

urlpatterns = [
    path("", views.agreement_list, name="agreement_list"),
    path("new/", views.agreement_create, name="agreement_create"),
    path("<int:pk>/", views.agreement_detail, name="agreement"),
    path("<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("<int:pk>/terminate/", views.agreement_terminate, name="agreement_terminate"),
    path("<int:pk>/document/", views.agreement_document, name="agreement_document"),
    path("<int:pk>/items/", views.action_item_create, name="action_item_create"),
    path("<int:pk>/items/<int:item_id>/", views.action_item_edit, name="action_item_edit"),
    path("<int:pk>/items/<int:item_id>/notes/", views.action_item_note, name="action_item_note"),
]
