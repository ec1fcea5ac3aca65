"""The team pages of a province space, mounted under /province/<slug>/team/."""

from django.urls import path

from niaga.accounts import views

urlpatterns = [
    path("", views.team, name="team"),
    path("new/", views.team_create, name="team_create"),
    path("<int:user_id>/", views.team_member, name="team_member"),
    path("<int:user_id>/roles/grant/", views.team_role_grant, name="team_role_grant"),
    path("<int:user_id>/roles/<str:role>/revoke/", views.team_role_revoke, name="team_role_revoke"),
    path("<int:user_id>/deactivate/", views.team_deactivate, name="team_deactivate"),
    path("<int:user_id>/activate/", views.team_activate, name="team_activate"),
    path("<int:user_id>/password-reset/", views.team_password_reset, name="team_password_reset"),
]
