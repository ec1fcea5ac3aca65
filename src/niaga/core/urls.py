from django.urls import path

from niaga.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("national/", views.national, name="national"),
]
