from django.contrib import admin

from niaga.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Append-only: the admin may read the log, never change it."""

    list_display = ["at", "actor_label", "province", "action", "object_repr"]
    list_filter = ["province", "action"]
    search_fields = ["actor_label", "action", "object_repr"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
