"""Public pages of the doctors app: the directory and each doctor's page with a week of free
slots. Slots need the time that bookings hold, which the appointments app owns: the URLconf
passes it in (`busy`), as for the API."""

from datetime import date, timedelta
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_date
from django.views import View

from core.exceptions import ValidationFailed
from doctors import selectors
from doctors.directory_forms import DirectoryForm
from doctors.filters import DoctorFilter
from doctors.selectors import BusyLoader
from doctors.slots import Slot
from users.roles import is_patient

PAGE_SIZE = 20
# How far ahead the directory looks for each doctor's next free slot.
NEXT_SLOT_WITHIN_DAYS = 28
ONE_DAY = timedelta(days=1)
# Local dates of the doctor's zone and of the viewer's differ by up to a day either way.
WEEK_MARGIN = ONE_DAY


class DirectoryView(View):
    """Active doctors, searched and filtered as the API's directory is, a page at a time, each
    with their next free slot (computed for the whole page at once)."""

    busy: BusyLoader | None = None  # passed in by doctors.urls

    def get(self, request: HttpRequest) -> HttpResponse:
        specializations = list(selectors.specialization_list())
        form = DirectoryForm(request.GET or None, specializations=specializations)
        filterset = DoctorFilter(
            data=form.filter_data(), queryset=selectors.doctor_list(), busy=self.busy
        )
        page = form.values().get("page") or 1
        offset = (page - 1) * PAGE_SIZE
        # One row more than a page says whether there is a next one, without counting them all.
        rows = list(filterset.qs[offset : offset + PAGE_SIZE + 1])
        doctors, has_next = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
        today = timezone.localdate()
        found = selectors.next_free_slots(
            doctors=doctors,
            first_day=today - ONE_DAY,  # zones behind the viewer's are still on yesterday
            last_day=today + timedelta(days=NEXT_SLOT_WITHIN_DAYS),
            now=timezone.now(),
            busy=self.busy,
        )
        next_slot = {doctor.pk: slot for doctor, slot in found}
        context = {
            "form": form,
            "cards": [(doctor, next_slot.get(doctor.pk)) for doctor in doctors],
            "page_number": page,
            "has_previous": page > 1,
            "has_next": has_next,
            "searched": any(form.filter_data().values()),
            "within_days": NEXT_SLOT_WITHIN_DAYS,
        }
        partial = request.htmx and not request.htmx.history_restore_request
        template = "doctors/directory/results.html" if partial else "doctors/directory.html"
        response = render(request, template, context)
        patch_vary_headers(response, ["HX-Request"])
        return response


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_asked(value: str | None, *, today: date) -> tuple[date, str]:
    """The Monday of the week asked for (`YYYY-MM-DD`, any day of it), or of this week with a
    note saying why the one asked for cannot be shown."""
    this_week = _week_start(today)
    if not value:
        return this_week, ""
    try:
        day = parse_date(value.strip()[:32])
    except ValueError:  # well formed, but no such day (2025-02-30)
        day = None
    if day is None:
        return this_week, "That week is not a date (use YYYY-MM-DD): here is this week."
    monday = _week_start(day)
    if monday < this_week:
        return this_week, "That week is over: here is this week."
    try:
        # The far end of the week, within the API's bounds for slot queries (two years ahead).
        far_end = monday + timedelta(days=6) + WEEK_MARGIN
        selectors.slot_range_check(far_end, far_end)
    except (ValidationFailed, OverflowError) as exc:
        reason = exc.message if isinstance(exc, ValidationFailed) else "That week is too far ahead."
        return this_week, f"{reason} Here is this week."
    return monday, ""


def _slot_shown(slot: Slot) -> dict:
    start = slot.start.isoformat()
    return {"start": slot.start, "end": slot.end, "param": quote(start, safe="")}


class DoctorPageView(View):
    """A doctor's profile and a week of their free slots, in the viewer's time zone (the
    signed-in user's, else the clinic's: the middleware activates it)."""

    busy: BusyLoader | None = None  # passed in by doctors.urls

    def get(self, request: HttpRequest, doctor_id) -> HttpResponse:
        doctor = get_object_or_404(selectors.doctor_list(), pk=doctor_id)
        today = timezone.localdate()
        monday, note = week_asked(request.GET.get("week"), today=today)
        days = [monday + timedelta(days=offset) for offset in range(7)]
        free = selectors.doctor_free_slots(
            doctor=doctor,
            first_day=max(days[0] - WEEK_MARGIN, today - ONE_DAY),
            last_day=days[-1] + WEEK_MARGIN,
            now=timezone.now(),
            busy=self.busy,
        )
        by_day: dict[date, list[dict]] = {day: [] for day in days}
        for slot in free:
            local_day = timezone.localtime(slot.start).date()
            if local_day in by_day:
                by_day[local_day].append(_slot_shown(slot))
        this_week = _week_start(today)
        context = {
            "doctor": doctor,
            "week": list(by_day.items()),
            "week_start": monday,
            "week_end": days[-1],
            "previous_week": monday - timedelta(days=7) if monday > this_week else None,
            "next_week": monday + timedelta(days=7),
            "note": note,
            "any_free": bool(free) and any(by_day.values()),
            "zone_name": timezone.get_current_timezone_name(),
            "books": is_patient(request.user),
            "anonymous": not request.user.is_authenticated,
        }
        return render(request, "doctors/doctor_page.html", context)
