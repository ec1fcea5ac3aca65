"""Registry pages of a province space, mounted under /province/<slug>/registry/."""

from django.urls import include, path

urlpatterns = [
    path("", include("niaga.registry.urls_pesantren")),
    path("", include("niaga.registry.urls_people")),
    path("", include("niaga.registry.urls_products")),
    path("", include("niaga.registry.urls_imports")),
]
