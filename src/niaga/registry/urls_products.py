"""Registry pages: products. Mounted under /province/<slug>/registry/ by province_urls."""

from django.urls import path

from niaga.registry.views import products as views

urlpatterns = [
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<int:pk>/", views.product_detail, name="product"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("products/<int:pk>/curation/", views.product_curation, name="product_curation"),
    path("products/<int:pk>/photos/", views.product_photo_add, name="product_photo_add"),
    path(
        "products/<int:pk>/photos/<int:photo_id>/<str:variant>.webp",
        views.product_photo,
        name="product_photo",
    ),
    path(
        "products/<int:pk>/photos/<int:photo_id>/remove/",
        views.product_photo_remove,
        name="product_photo_remove",
    ),
    path(
        "products/<int:pk>/photos/<int:photo_id>/move/",
        views.product_photo_move,
        name="product_photo_move",
    ),
    path("products/<int:pk>/documents/new/", views.product_document, name="product_document_add"),
    path(
        "products/<int:pk>/documents/<str:kind>/",
        views.product_document,
        name="product_document",
    ),
    path(
        "products/<int:pk>/documents/<str:kind>/remove/",
        views.product_document_remove,
        name="product_document_remove",
    ),
    path("curation/", views.curation_queue_view, name="curation_queue"),
    path("dashboard/", views.registry_dashboard, name="registry_dashboard"),
    path("my/", views.registry_my, name="registry_my"),
]
