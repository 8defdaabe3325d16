from django import forms
from django.contrib import admin

from core.admin_tools import add_service_errors
from core.exceptions import ServiceError
from doctors import services
from doctors.models import AvailabilityWindow, Doctor, Specialization, TimeOff
from users.models import Role, User


@admin.register(Specialization)
class SpecializationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class AvailabilityInlineForm(forms.ModelForm):
    """Checks order and overlaps with the same rules as the API (doctors.services)."""

    class Meta:
        model = AvailabilityWindow
        fields = ["weekday", "start_time", "end_time", "slot_minutes", "valid_from", "valid_to"]

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors or not self.has_changed() or self.instance.doctor_id is None:
            return
        try:
            services.check_window(self.instance)
        except ServiceError as exc:
            add_service_errors(self, exc)


class AvailabilityInline(admin.TabularInline):
    model = AvailabilityWindow
    form = AvailabilityInlineForm
    extra = 0


class TimeOffInlineForm(forms.ModelForm):
    """The same rules as the API's time off (doctors.services.check_time_off)."""

    class Meta:
        model = TimeOff
        fields = ["start", "end", "reason"]

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors or not self.has_changed():
            return
        try:
            services.check_time_off(self.instance)
        except ServiceError as exc:
            add_service_errors(self, exc)


class TimeOffInline(admin.TabularInline):
    model = TimeOff
    form = TimeOffInlineForm
    extra = 0
    fields = ["start", "end", "reason"]


@admin.register(Doctor)
class DoctorAdmin(admin.ModelAdmin):
    list_display = ["__str__", "license_number", "timezone", "accepting_new_patients"]
    list_filter = ["accepting_new_patients", "specializations", "timezone"]
    search_fields = ["user__full_name", "user__email", "license_number"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["specializations"]
    inlines = [AvailabilityInline, TimeOffInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deactivate the account instead

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(role=Role.DOCTOR)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
