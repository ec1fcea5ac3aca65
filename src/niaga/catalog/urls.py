"""The public product catalogue (no login), mounted at /katalog/."""

from django.urls import path

from niaga.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.catalogue, name="search"),
    path("produk/<int:product_id>/", views.product, name="product"),
    path("pesantren/<int:pesantren_id>/", views.pesantren, name="pesantren"),
    path("foto/<int:photo_id>/", views.photo, name="photo"),
    path("foto/<int:photo_id>/kecil/", views.photo, {"size": "thumbnail"}, name="thumbnail"),
]
