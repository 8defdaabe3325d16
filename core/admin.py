from django.contrib import admin

from core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events are never added, changed or deleted by hand."""

    list_display = ["at", "action", "actor", "resource_type", "resource_id", "patient", "ip"]
    list_filter = ["action", "resource_type", "at"]
    search_fields = ["resource_id", "actor__email", "patient__email", "request_id"]
    list_select_related = ["actor", "patient"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
