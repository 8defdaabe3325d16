from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from uuid import UUID

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, When
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from appointments import selectors, services
from appointments.models import Appointment, AppointmentSeries, Status, WaitlistEntry, WaitlistOffer
from appointments.status import TRANSITIONS
from core.admin import KeyCheckedAutocompleteMixin
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


@dataclass(frozen=True)
class DeskMove:
    """A button of the day's list. It runs the list action of the same name, so that a button
    and the action do exactly the same thing: the same service, the same messages."""

    slug: str
    action: str  # the AppointmentAdmin action it runs
    target: str  # the status it moves to: offered only where the status machine allows it
    label: str


DESK_MOVES = {
    move.slug: move
    for move in (
        DeskMove("confirm", "confirm_selected", Status.BOOKED, "Confirm"),
        DeskMove("check-in", "check_in_selected", Status.ARRIVED, "Check in"),
        DeskMove("no-show", "no_show_selected", Status.NOSHOW, "No-show"),
        DeskMove("cancel", "cancel_selected", Status.CANCELLED, "Cancel"),
    )
}
# The day's orders, each ending on the id so that the pages never overlap.
DESK_ORDERINGS = {
    "doctor": ("doctor__user__full_name", "doctor_id", "start", "id"),
    "time": ("start", "doctor__user__full_name", "id"),
}
DESK_ORDERS = tuple(DESK_ORDERINGS)
DESK_PAGE_SIZE = 50


@dataclass(frozen=True)
class RowMove:
    """A button of one row of the day's list: a DeskMove and where it posts."""

    slug: str
    label: str
    url: str


# An id no appointment has: URLs are reversed once with it, then filled in for each row.
PLACEHOLDER_ID = UUID(int=0)


def row_url(name: str, *args: str) -> Callable[[UUID], str]:
    """The URL `name` of any row, reversed once: a page of 50 rows with their buttons would
    otherwise reverse some 200 URLs, a good share of the page's time."""
    pattern = reverse(name, args=[PLACEHOLDER_ID, *args])
    return lambda pk: pattern.replace(str(PLACEHOLDER_ID), str(pk))


class KnownCountPaginator(Paginator):
    """Pages of a list whose length is known already (the day's total, summed from its
    counts per status): no second count of the same rows."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def local_day_span(day: date) -> tuple[datetime, datetime]:
    """The start and the end of `day` on the reader's clock (the admin activates their zone)."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(day, time.min, tzinfo=zone),
        datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone),
    )


class DoctorListFilter(admin.RelatedFieldListFilter):
    """The doctors to filter by, with their names in the same query (a doctor is named by
    their account)."""

    def field_choices(self, field, request, model_admin):
        doctors = Doctor.objects.select_related("user").order_by("user__full_name")
        return [(doctor.pk, str(doctor)) for doctor in doctors]


# Left off the change page as read-only fields: the notes are edited there, and the held span
# (the visit widened by the doctor's buffers) is the scheduler's own bookkeeping.
NOT_SHOWN_READ_ONLY = ("notes", "held_start", "held_end")
NOTES_HELP = "The patient can read these notes."


@admin.register(Appointment)
class AppointmentAdmin(KeyCheckedAutocompleteMixin, admin.ModelAdmin):
    list_display = ["start", "doctor", "patient", "status", "reason"]
    list_filter = [
        "status",
        ("doctor", DoctorListFilter),
        ("start", admin.DateFieldListFilter),
    ]
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
                "today/",
                self.admin_site.admin_view(self.today_view),
                name="appointments_appointment_today",
            ),
            path(
                "today/<uuid:object_id>/<slug:move>/",
                self.admin_site.admin_view(self.desk_move_view),
                name="appointments_appointment_desk_move",
            ),
            path(
                "waiting-room/",
                self.admin_site.admin_view(self.waiting_room_view),
                name="appointments_appointment_waiting_room",
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

    # --- the front desk's day -------------------------------------------------------------

    def _desk_context(self, request, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "today": timezone.localdate(),
            "zone": timezone.get_current_timezone_name(),
            "has_add_permission": self.has_add_permission(request),
        }

    def _todays(self, request):
        """Today's appointments (on the reader's clock) of every doctor, read through the
        selector like the list: every one shown is audited."""
        start, end = local_day_span(timezone.localdate())
        return selectors.appointment_list(actor=request.user).filter(
            start__gte=start, start__lt=end
        )

    def today_view(self, request):
        """Today's appointments of every doctor, grouped by doctor (or in time order), with
        the buttons the status of each allows."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        order = request.GET.get("order")
        order = order if order in DESK_ORDERS else DESK_ORDERS[0]
        ordering = DESK_ORDERINGS[order]
        todays = self._todays(request)
        # The day's totals: one count per status; the number of rows is their sum.
        counts = dict(
            todays.order_by()
            .values_list("status")
            .annotate(count=Count("pk"))
            .values_list("status", "count")
        )
        # A large clinic has thousands of visits a day: a page at a time. The page's ids are
        # chosen by a narrow query (the day's rows sorted with their doctor's name only), and
        # only those rows are read whole, in the same query, and audited as shown.
        paginator = KnownCountPaginator(
            todays.order_by(*ordering).values("pk"), DESK_PAGE_SIZE, count=sum(counts.values())
        )
        page = paginator.get_page(request.GET.get("page"))
        rows = []
        if paginator.count:
            shown = todays.filter(pk__in=page.object_list).order_by(*ordering)
            rows = list(selectors.appointment_rows(shown))
        self._desk_rows(rows, buttons=self.has_change_permission(request))
        context = {
            **self._desk_context(request, "Today"),
            "rows": rows,
            "page": page,
            "order": order,
            "counts": [
                (label, counts[value]) for value, label in Status.choices if value in counts
            ],
            "back": request.get_full_path(),
        }
        return TemplateResponse(request, "admin/appointments/appointment/today.html", context)

    def _desk_rows(self, rows: list[Appointment], *, buttons: bool) -> None:
        """What each row shows besides its fields: the times on the reader's clock, its link
        and the buttons its status allows (none for a reader who may not change it). Made
        here, not in the template: 50 rows of `{% url %}` and `|time` tags were two thirds of
        the page's rendering."""
        change_url = row_url("admin:appointments_appointment_change")
        move_urls = {
            slug: row_url("admin:appointments_appointment_desk_move", slug) for slug in DESK_MOVES
        }
        for row in rows:
            row.start_label = f"{timezone.localtime(row.start):%H:%M}"
            row.end_label = f"{timezone.localtime(row.end):%H:%M}"
            row.change_url = change_url(row.pk)
            allowed = TRANSITIONS[row.status] if buttons else ()
            row.desk_moves = [
                RowMove(move.slug, move.label, move_urls[move.slug](row.pk))
                for move in DESK_MOVES.values()
                if move.target in allowed
            ]

    def waiting_room_view(self, request):
        """The patients checked in today, who has waited longest first. The check-in time is
        the one the check-in service recorded in the audit log; a visit without one (checked
        in some other way) is placed by its start time."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = list(selectors.appointment_rows(self._todays(request).filter(status=Status.ARRIVED)))
        checked_in = selectors.check_in_times(row.pk for row in rows)
        now = timezone.now()
        for row in rows:
            row.checked_in_at = checked_in.get(str(row.pk))
            row.waited_minutes = (
                int((now - row.checked_in_at).total_seconds() // 60) if row.checked_in_at else None
            )
        rows.sort(key=lambda row: (row.checked_in_at or row.start, row.start))
        context = {**self._desk_context(request, "Waiting room"), "rows": rows}
        return TemplateResponse(
            request, "admin/appointments/appointment/waiting_room.html", context
        )

    def desk_move_view(self, request, object_id, move):
        """One button of the day's list: the list action of that name, on that appointment."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if move not in DESK_MOVES:
            raise Http404("No such action.")
        if not self.has_change_permission(request):
            raise PermissionDenied
        queryset = self.get_queryset(request).filter(pk=object_id)
        if not queryset.exists():
            raise Http404("No such appointment.")
        getattr(self, DESK_MOVES[move].action)(request, queryset)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("admin:appointments_appointment_today")
        return redirect(back)

    def _each(self, request, queryset, action, **kwargs) -> None:
        done = []
        for appointment in queryset.select_related("doctor__user", "patient__user"):
            try:
                action(actor=request.user, appointment=appointment, request=request, **kwargs)
                done.append(appointment)
            except ServiceError as exc:
                self.message_user(request, f"{appointment}: {exc.message}", level=messages.ERROR)
        if len(done) == 1:
            self.message_user(request, f"{done[0]}: {done[0].get_status_display().lower()}.")
        elif done:
            self.message_user(request, f"{len(done)} appointment(s) updated.")

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
        return False  # series are booked through the API's series service

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # its appointments are changed one by one, in Appointments

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin):
    """Who waits for which doctor or specialty. Patients join on their page or by the API;
    the desk can take an entry off (an open offer is withdrawn and its slot passed on)."""

    list_display = ["patient", "doctor", "specialization", "earliest_date", "latest_date", "status"]
    list_filter = ["status"]
    list_select_related = ["patient__user", "doctor__user", "specialization"]
    actions = ["leave_selected"]

    def get_queryset(self, request):
        return selectors.waitlist_entry_list(actor=request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Take the selected entries off the waitlist")
    def leave_selected(self, request, queryset):
        done = 0
        for entry in queryset:
            try:
                services.waitlist_leave(actor=request.user, entry=entry, request=request)
                done += 1
            except ServiceError as exc:
                self.message_user(request, f"{entry}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} taken off the waitlist.", messages.SUCCESS)


@admin.register(WaitlistOffer)
class WaitlistOfferAdmin(admin.ModelAdmin):
    list_display = ["patient", "doctor", "start", "expires_at", "state"]
    list_filter = ["state"]
    list_select_related = ["patient__user", "doctor__user"]

    def get_queryset(self, request):
        return selectors.waitlist_offer_list(actor=request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
