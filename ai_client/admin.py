from django.contrib import admin

from ai_client.models import RiskAssessment, SymptomCheck
from core.audit import audit_record
from core.models import AuditAction


class ReadOnlyResultAdmin(admin.ModelAdmin):
    """Results are kept as the service gave them: staff read them, nobody edits them."""

    list_select_related = ["patient__user", "requested_by"]
    search_fields = ["patient__user__full_name", "patient__user__email"]
    date_hierarchy = "created_at"
    audit_resource = ""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Reading one result is reading health data: it is audited like the API's reads."""
        shown = self.get_object(request, object_id)
        if shown is not None:
            audit_record(
                actor=request.user,
                action=AuditAction.VIEW,
                resource_type=self.audit_resource,
                resource_id=shown.pk,
                patient=shown.patient.user,
                request=request,
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(SymptomCheck)
class SymptomCheckAdmin(ReadOnlyResultAdmin):
    audit_resource = "symptom_check"
    list_display = ["created_at", "patient", "urgency", "model_version"]
    list_filter = ["urgency"]


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(ReadOnlyResultAdmin):
    audit_resource = "risk_assessment"
    list_display = ["created_at", "patient", "score", "model_version"]
    list_filter = ["score"]
