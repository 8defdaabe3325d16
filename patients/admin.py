from django import forms
from django.contrib import admin, messages

from core.admin_tools import add_service_errors
from core.exceptions import ServiceError
from patients import services
from patients.models import CareAssignment, Patient


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date_of_birth", "sex", "blood_group"]
    list_filter = ["sex", "blood_group"]
    search_fields = ["user__full_name", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user"]

    def has_add_permission(self, request) -> bool:
        return False  # patients register themselves or at the desk (API), which opens the record

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        fresh = Patient.objects.select_related("user").get(pk=obj.pk)
        services.patient_update(actor=request.user, patient=fresh, data=data, request=request)


class CareAssignmentForm(forms.ModelForm):
    class Meta:
        model = CareAssignment
        fields = ["doctor", "patient", "note"]

    def clean(self):
        data = super().clean()
        if self.instance._state.adding and data.get("doctor") and data.get("patient"):
            try:
                services.care_assignment_check(doctor=data["doctor"], patient=data["patient"])
            except ServiceError as exc:
                add_service_errors(self, exc)
        return data


@admin.register(CareAssignment)
class CareAssignmentAdmin(admin.ModelAdmin):
    """Links are made and ended through the patients services, which grant and revoke access."""

    form = CareAssignmentForm
    list_display = ["doctor", "patient", "active", "started_at", "ended_at"]
    list_filter = ["active"]
    search_fields = ["doctor__user__full_name", "patient__user__full_name"]
    list_select_related = ["doctor__user", "patient__user"]
    autocomplete_fields = ["doctor", "patient"]
    actions = ["end_selected"]

    def get_readonly_fields(self, request, obj=None):
        return ["doctor", "patient", "active", "started_at", "ended_at"] if obj else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["note", "updated_at"])
            return
        created = services.care_assignment_create(
            actor=request.user,
            doctor=form.cleaned_data["doctor"],
            patient=form.cleaned_data["patient"],
            note=form.cleaned_data.get("note", ""),
            request=request,
        )
        obj.pk = created.pk
        obj._state.adding = False

    @admin.action(description="End the selected care assignments")
    def end_selected(self, request, queryset):
        ended = 0
        for assignment in queryset.select_related("doctor__user", "patient__user"):
            try:
                services.care_assignment_end(
                    actor=request.user, assignment=assignment, request=request
                )
                ended += 1
            except ServiceError as exc:
                self.message_user(request, f"{assignment}: {exc.message}", level=messages.ERROR)
        if ended:
            self.message_user(request, f"{ended} care assignment(s) ended.")
