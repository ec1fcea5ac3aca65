"""Django admin changes go to the audit log too.

National superusers may change rows in the admin without the domain
functions; every addition, change and deletion they make there is still
recorded, with Django's own description of what changed.
"""

from __future__ import annotations

from niaga.audit.domain import record


class AuditedAdminMixin:
    """Records `<app>.<model>.{created,changed,deleted}_in_admin` for each admin write.

    `audit_province(obj)` names the province an object belongs to (None: national).
    """

    def audit_province(self, obj):
        return getattr(obj, "province", None)

    def _audit(self, request, obj, verb: str, message) -> None:
        meta = obj._meta
        record(
            actor=request.user,
            action=f"{meta.app_label}.{meta.model_name}.{verb}_in_admin",
            province=self.audit_province(obj),
            obj=obj,
            after={"admin_message": message} if message else None,
        )

    def log_addition(self, request, obj, message):
        self._audit(request, obj, "created", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, obj, "changed", message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, "deleted", None)
        return super().log_deletions(request, queryset)
