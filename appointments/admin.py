from datetime import date

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, F, When
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from appointments import selectors, services
from appointments.models import Appointment, AppointmentSeries
from core.admin_tools import accent_insensitive_search, add_service_errors
from core.errors import error_body
from core.exceptions import ServiceError
from doctors.models import Doctor
from doctors.selectors import doctor_free_slots, slot_range_check


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


class RescheduleForm(forms.Form):
    """A new start for one appointment, moved by the booking service."""

    start = forms.SplitDateTimeField(widget=AdminSplitDateTime, label="New start")

    def __init__(self, *args, appointment: Appointment, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.appointment, self.request = appointment, request

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.moved = services.appointment_reschedule(
                actor=self.request.user,
                appointment=self.appointment,
                start=data["start"],
                request=self.request,
            )
        except ServiceError as exc:
            add_service_errors(self, exc)
        return data


# Left off the change page as read-only fields: the notes are edited there, and the held span
# (the visit widened by the doctor's buffers) is the scheduler's own bookkeeping.
NOT_SHOWN_READ_ONLY = ("notes", "held_start", "held_end")
NOTES_HELP = "The patient can read these notes."


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["start", "doctor", "patient", "status", "reason"]
    list_filter = ["status", "doctor", ("start", admin.DateFieldListFilter)]
    # Names are searched without accents or case (get_search_results); reason as typed.
    search_fields = ["patient__user__full_name", "doctor__user__full_name", "reason"]
    search_help_text = "Patient or doctor name (accents optional), or the reason."
    list_select_related = ["doctor__user", "patient__user"]
    date_hierarchy = "start"
    autocomplete_fields = ["doctor", "patient"]
    actions = [
        "confirm_selected",
        "reschedule_selected",
        "check_in_selected",
        "no_show_selected",
        "cancel_selected",
    ]

    class Media:
        js = ["appointments/admin/slot_picker.js"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = BookingForm
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def get_queryset(self, request):
        """Through the selector, like every door: each appointment shown is audited."""
        now = timezone.now()
        return selectors.appointment_list(actor=request.user).annotate(
            upcoming_start=Case(When(start__gte=now, then=F("start"))),
            past_start=Case(When(start__lt=now, then=F("start"))),
        )

    def get_ordering(self, request):
        # The front desk's day: what comes next first, soonest first; then the past, latest first.
        return [F("upcoming_start").asc(nulls_last=True), F("past_start").desc(nulls_last=True)]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        found = accent_insensitive_search(
            queryset,
            search_term,
            ["patient__user__full_name", "doctor__user__full_name"],
            text_fields=["reason"],
        )
        return found, False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [f.name for f in Appointment._meta.fields if f.name not in NOT_SHOWN_READ_ONLY]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "notes":
            kwargs["help_text"] = NOTES_HELP
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # cancel instead

    def save_model(self, request, obj, form, change):
        if change:
            services.appointment_notes_update(
                actor=request.user, appointment=obj, notes=obj.notes, request=request
            )
            return
        obj.pk, obj._state.adding = form.booked.pk, False  # booked by BookingForm.clean

    def get_urls(self):
        own = [
            path(
                "slots/",
                self.admin_site.admin_view(self.slots_view),
                name="appointments_appointment_slots",
            ),
            path(
                "<uuid:object_id>/reschedule/",
                self.admin_site.admin_view(self.reschedule_view),
                name="appointments_appointment_reschedule",
            ),
        ]
        return own + super().get_urls()

    def slots_view(self, request):
        """The doctor's free slots on one of the doctor's days, for the booking and reschedule
        forms' slot picker; times on the signed-in user's clock."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            doctor = Doctor.objects.select_related("user").get(pk=request.GET.get("doctor", ""))
        except (Doctor.DoesNotExist, ValueError, DjangoValidationError):
            return JsonResponse(error_body("not_found", "Choose a doctor first."), status=404)
        try:
            day = date.fromisoformat(request.GET.get("day", ""))
            slot_range_check(day, day, start_field="day", end_field="day")
        except ValueError:
            message = "Give the day as YYYY-MM-DD."
            return JsonResponse(error_body("invalid", message, {"day": [message]}), status=400)
        except ServiceError as exc:
            body = error_body(exc.code, exc.message, exc.fields)
            return JsonResponse(body, status=exc.status_code)
        slots = doctor_free_slots(
            doctor=doctor,
            first_day=day,
            last_day=day,
            now=timezone.now(),
            busy=selectors.held_spans,
        )
        shown = []
        for slot in slots:
            local = timezone.localtime(slot.start)
            shown.append(
                {"date": local.date().isoformat(), "time": local.strftime("%H:%M"),
                 "start": slot.start.isoformat()}
            )  # fmt: skip
        return JsonResponse({"doctor": str(doctor), "day": day.isoformat(), "slots": shown})

    def reschedule_view(self, request, object_id):
        appointment = self.get_object(request, str(object_id))
        if appointment is None or not self.has_change_permission(request, appointment):
            raise PermissionDenied
        form = RescheduleForm(request.POST or None, appointment=appointment, request=request)
        if request.method == "POST" and form.is_valid():
            self.message_user(
                request, f"Moved to {timezone.localtime(form.moved.start):%Y-%m-%d %H:%M}."
            )
            return redirect("admin:appointments_appointment_change", form.moved.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Reschedule {appointment}",
            "appointment": appointment,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/appointments/appointment/reschedule.html", context)

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

    @admin.action(description="Confirm the selected requests")
    def confirm_selected(self, request, queryset):
        self._each(request, queryset, services.appointment_confirm)

    @admin.action(description="Reschedule the selected appointment")
    def reschedule_selected(self, request, queryset):
        chosen = list(queryset.values_list("pk", flat=True)[:2])
        if len(chosen) != 1:
            self.message_user(request, "Choose one appointment to reschedule.", messages.WARNING)
            return None
        return redirect("admin:appointments_appointment_reschedule", chosen[0])

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

    def get_queryset(self, request):
        return selectors.series_list(actor=request.user)

    def has_add_permission(self, request) -> bool:
        return False
