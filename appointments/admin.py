from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from appointments import services
from appointments.models import Appointment, AppointmentSeries
from core.admin_tools import add_service_errors
from core.exceptions import ServiceError


class BookingForm(forms.ModelForm):
    """A booking made in the admin is made by the booking service while the form is validated,
    so that a clash, even one that lands a moment earlier from another desk, is a form error."""

    class Meta:
        model = Appointment
        fields = ["doctor", "patient", "start", "reason", "off_grid_reason"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.booked = services.appointment_book(
                actor=self.request.user,
                doctor=data["doctor"],
                patient=data["patient"],
                start=data["start"],
                reason=data.get("reason", ""),
                off_grid_reason=data.get("off_grid_reason", ""),
                request=self.request,
            )
        except ServiceError as exc:
            add_service_errors(self, exc)
        return data


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["start", "doctor", "patient", "status", "reason"]
    list_filter = ["status", "doctor", ("start", admin.DateFieldListFilter)]
    search_fields = ["patient__user__full_name", "doctor__user__full_name", "reason"]
    list_select_related = ["doctor__user", "patient__user"]
    date_hierarchy = "start"
    autocomplete_fields = ["doctor", "patient"]
    actions = ["check_in_selected", "no_show_selected", "cancel_selected"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = BookingForm
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [f.name for f in Appointment._meta.fields if f.name not in ("notes",)]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # cancel instead

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["notes", "updated_at"])
            return
        obj.pk, obj._state.adding = form.booked.pk, False  # booked by BookingForm.clean

    def _each(self, request, queryset, action, **kwargs) -> None:
        done = 0
        for appointment in queryset.select_related("doctor__user", "patient__user"):
            try:
                action(actor=request.user, appointment=appointment, request=request, **kwargs)
                done += 1
            except ServiceError as exc:
                self.message_user(request, f"{appointment}: {exc.message}", level=messages.ERROR)
        if done:
            self.message_user(request, f"{done} appointment(s) updated.")

    @admin.action(description="Check in the selected appointments")
    def check_in_selected(self, request, queryset):
        self._each(request, queryset, services.appointment_check_in)

    @admin.action(description="Mark the selected appointments as no-show")
    def no_show_selected(self, request, queryset):
        self._each(request, queryset, services.appointment_no_show)

    @admin.action(description="Cancel the selected appointments (by the clinic)")
    def cancel_selected(self, request, queryset):
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        self._each(
            request,
            queryset,
            services.appointment_cancel,
            reason=f"Cancelled by the clinic {stamp}",
        )


@admin.register(AppointmentSeries)
class AppointmentSeriesAdmin(admin.ModelAdmin):
    list_display = ["doctor", "patient", "every_weeks", "occurrences", "created_at"]
    list_select_related = ["doctor__user", "patient__user"]

    def has_add_permission(self, request) -> bool:
        return False
