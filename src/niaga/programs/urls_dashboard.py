"""URLs: see province_urls."""

urlpatterns: list = []
