from django.contrib import admin

from ai_client.models import RiskAssessment, SymptomCheck
from ai_client.selectors import risk_assessment_list, symptom_check_list


class ReadOnlyResultAdmin(admin.ModelAdmin):
    """Results are kept as the service gave them: staff read them, nobody edits them."""

    list_select_related = ["patient__user", "requested_by"]
    search_fields = ["patient__user__full_name", "patient__user__email"]
    date_hierarchy = "created_at"
    selector = staticmethod(symptom_check_list)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        """Through the selector, as the API reads them: every result shown is audited."""
        return self.selector(actor=request.user)


@admin.register(SymptomCheck)
class SymptomCheckAdmin(ReadOnlyResultAdmin):
    selector = staticmethod(symptom_check_list)
    list_display = ["created_at", "patient", "urgency", "model_version"]
    list_filter = ["urgency"]


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(ReadOnlyResultAdmin):
    selector = staticmethod(risk_assessment_list)
    list_display = ["created_at", "patient", "score", "model_version"]
    list_filter = ["score"]
