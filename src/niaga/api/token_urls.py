from django.urls import path

from niaga.api import views

app_name = "api_tokens"
urlpatterns = [
    path("", views.tokens, name="list"),
    path("<slug:prefix>/revoke/", views.token_revoke, name="revoke"),
]
