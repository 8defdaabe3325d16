from django.contrib import admin

from ai_client.models import RiskAssessment, SymptomCheck


class ReadOnlyResultAdmin(admin.ModelAdmin):
    """Results are kept as the service gave them: staff read them, nobody edits them."""

    list_select_related = ["patient__user", "requested_by"]
    search_fields = ["patient__user__full_name", "patient__user__email"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SymptomCheck)
class SymptomCheckAdmin(ReadOnlyResultAdmin):
    list_display = ["created_at", "patient", "urgency", "model_version"]
    list_filter = ["urgency"]


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(ReadOnlyResultAdmin):
    list_display = ["created_at", "patient", "score", "model_version"]
    list_filter = ["score"]
