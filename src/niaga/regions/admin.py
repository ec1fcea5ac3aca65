from django.contrib import admin

from niaga.regions.models import Province, Regency


class ReadOnlyAdmin(admin.ModelAdmin):
    """Region codes come from Kemendagri through a migration, not from hand edits."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "slug", "zone_label", "time_zone"]
    search_fields = ["code", "name", "slug"]


@admin.register(Regency)
class RegencyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["province", "kind"]
    search_fields = ["code", "name"]
