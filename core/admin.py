from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError

from core.models import AuditEvent


class KeyCheckedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget, except that a form sent back with a value that is no key
    at all (a malformed id) shows the field empty, next to its error, instead of failing to
    render: Django's own widget looks the value up as it is."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        kept = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)


class KeyCheckedAutocompleteMixin:
    """For a ModelAdmin with `autocomplete_fields`: its foreign keys use the widget above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeyCheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events are never added, changed or deleted by hand, not even by an
    administrator (the model refuses it too)."""

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
