from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from niaga.accounts.models import Membership, User
from niaga.audit.admin_mixins import AuditedAdminMixin
from niaga.audit.domain import record


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ["province", "role", "granted_at", "granted_by"]
    readonly_fields = ["granted_at", "granted_by"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    list_display = ["username", "full_name", "is_active", "is_national_viewer", "is_superuser"]
    list_filter = ["is_active", "is_national_viewer", "is_superuser", "memberships__province"]
    search_fields = ["username", "full_name", "email"]
    inlines = [MembershipInline]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Niaga"),
            {"fields": ["full_name", "language", "is_national_viewer", "must_change_password"]},
        ),
    ]

    def save_formset(self, request, form, formset, change):
        """Roles given or taken here also appear in that province's own audit log."""
        super().save_formset(request, form, formset, change)
        if formset.model is not Membership:
            return
        for membership in formset.new_objects:
            record(
                actor=request.user,
                action="accounts.role.granted",
                province=membership.province,
                obj=membership.user,
                after={"role": membership.role, "via": "admin"},
            )
        for membership in formset.deleted_objects:
            record(
                actor=request.user,
                action="accounts.role.revoked",
                province=membership.province,
                obj=membership.user,
                before={"role": membership.role, "via": "admin"},
            )


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "province", "role", "granted_at"]
    list_filter = ["province", "role"]
    search_fields = ["user__username", "user__full_name"]
    autocomplete_fields = ["user"]
