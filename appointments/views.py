"""Appointment pages: booking, a patient's appointments, a doctor's agenda and the calendar
links. They call the same services and selectors as the API; every rule (a time in the past,
a free slot, an allowed status move, who may act) is decided there, and a refusal is shown
next to the field it concerns or as a message."""

from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from appointments import calendars, selectors, services
from appointments.forms import (
    BookingForm,
    BookStartForm,
    CancelForm,
    DayForm,
    RescheduleForm,
    WaitlistJoinForm,
    WeekForm,
)
from appointments.models import HOLDING, Appointment, CalendarFeed, Status
from appointments.status import TRANSITIONS
from core.exceptions import NotFound, ServiceError, ValidationFailed
from core.pages import add_service_error
from doctors.models import Doctor
from doctors.selectors import (
    doctor_free_slots,
    doctor_list,
    earliest_free_slots,
    rules_for,
    slot_range_check,
    specialization_list,
)
from patients.access import Access, own_patient_record
from users.pages import doctor_required, patient_required, role_required
from users.roles import is_doctor

SEARCH_DAYS = 14  # the earliest free times of a specialty, over the next two weeks
SEARCH_LIMIT = 10
WEEK_DAYS = 7
PAST_PAGE_SIZE = 20
REQUESTS_PAGE_SIZE = 25
BAD_REQUEST = 400

# action in the URL -> (service, what the message says once done)
ACTIONS = {
    "cancel": (services.appointment_cancel, "The appointment with {other} is cancelled."),
    "confirm": (services.appointment_confirm, "The appointment with {other} is confirmed."),
    "check-in": (services.appointment_check_in, "{patient} is checked in."),
    "complete": (services.appointment_complete, "The visit of {patient} is completed."),
    "no-show": (services.appointment_no_show, "{patient} is recorded as a no-show."),
}
# The status each move leads to (a reschedule cancels the old visit). Buttons are offered where
# the status machine has that edge; whether the move is allowed now is the services' answer.
MOVE_TARGETS = {
    "confirm": Status.BOOKED,
    "check-in": Status.ARRIVED,
    "complete": Status.FULFILLED,
    "no-show": Status.NOSHOW,
    "cancel": Status.CANCELLED,
    "reschedule": Status.CANCELLED,
}
PATIENT_MOVE_NAMES = ("cancel", "reschedule")
DOCTOR_MOVE_NAMES = ("confirm", "check-in", "complete", "no-show", "cancel")


def _moves(status: str, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in names if MOVE_TARGETS[name] in TRANSITIONS[status])


# --- helpers ------------------------------------------------------------------------------


def _midnight(day: date) -> datetime:
    """The start of a day in the viewer's zone (the page's active zone)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _when(moment: datetime) -> str:
    """A moment as a message states it, on the viewer's clock."""
    return date_format(timezone.localtime(moment), "l j F Y, H:i")


def _appointment(request: HttpRequest, appointment_id, access: Access = Access.VIEW):
    """The appointment, if the signed-in user may see it; anyone else's is a 404."""
    try:
        return selectors.appointment_get(
            actor=request.user, appointment_id=appointment_id, access=access
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _booking_doctor(doctor_id) -> Doctor:
    """The doctor a booking names, as the API looks them up (the service refuses an inactive
    one with its own message)."""
    doctor = Doctor.objects.select_related("user").filter(pk=doctor_id).first()
    if doctor is None:
        raise Http404("No such doctor.")
    return doctor


def _local_path(target: str | None) -> str | None:
    """`target` if it is a path of this site, else None."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return None
    return target


def _with_query(path: str, **params) -> str:
    query = {name: value for name, value in params.items() if value not in (None, "")}
    return f"{path}?{urlencode(query)}" if query else path


def _week_start(request: HttpRequest) -> tuple[WeekForm, date, bool]:
    """The first local date of the week of slots asked for (today if none, never before
    today), the form that read it, and whether it was read without error."""
    today = timezone.localdate()
    form = WeekForm(request.GET or None)
    first = today
    if form.is_bound and form.is_valid() and form.cleaned_data["week"]:
        first = max(form.cleaned_data["week"], today)
    if form.is_bound and not form.errors:
        try:  # the range a slot query may cover, as the API's slots action checks it
            slot_range_check(
                first, first + timedelta(days=WEEK_DAYS - 1), start_field="week", end_field="week"
            )
        except ValidationFailed as exc:
            add_service_error(form, exc)
            first = today
    return form, first, not form.errors


def _week_of_slots(doctor: Doctor, first: date, link_path: str) -> dict:
    """A week of the doctor's free slots, grouped by the viewer's local date (the slots are
    computed over the doctor's local dates, two more each side, as zones may differ by a day),
    and the previous/next week links: never before today, never past the booking horizon."""
    zone = timezone.get_current_timezone()
    days = [first + timedelta(days=offset) for offset in range(WEEK_DAYS)]
    free = doctor_free_slots(
        doctor=doctor,
        first_day=first - timedelta(days=2),
        last_day=days[-1] + timedelta(days=2),
        now=timezone.now(),
        busy=selectors.held_spans,
    )
    by_day: dict[date, list] = {day: [] for day in days}
    for slot in sorted(free, key=lambda item: item.start):
        local_day = slot.start.astimezone(zone).date()
        if local_day in by_day:
            by_day[local_day].append(slot)
    today = timezone.localdate()
    following = first + timedelta(days=WEEK_DAYS)
    bookable_until = timezone.now() + rules_for(doctor).horizon
    return {
        "days": [{"date": day, "slots": by_day[day]} for day in days],
        "first": first,
        "last": days[-1],
        "previous_url": _with_query(
            link_path, week=max(first - timedelta(days=WEEK_DAYS), today).isoformat()
        )
        if first > today
        else None,
        "next_url": _with_query(link_path, week=following.isoformat())
        if _midnight(following) < bookable_until
        else None,
        "zone_name": timezone.get_current_timezone_name(),
        "any_free": any(by_day.values()),
    }


# --- booking ------------------------------------------------------------------------------


@patient_required
@require_safe
def book_start(request: HttpRequest) -> HttpResponse:
    """Book by specialty (the earliest free times across its doctors) or by doctor."""
    specializations = list(specialization_list())
    doctors = list(doctor_list())
    form = BookStartForm(request.GET or None, specializations=specializations, doctors=doctors)
    context: dict = {"form": form, "found": [], "specialty": None, "specialty_doctors": []}
    if form.is_bound and not form.is_valid():
        return render(request, "appointments/book_start.html", context, status=BAD_REQUEST)
    values = form.cleaned_data if form.is_bound else {}
    doctor_id = values.get("doctor")
    if doctor_id and request.GET.get("go") == "slots":
        return redirect("book-slots", doctor_id=doctor_id)
    if doctor_id:
        context["chosen_doctor"] = next(item for item in doctors if str(item.pk) == doctor_id)
    slug = values.get("specialty")
    if slug:
        today = timezone.localdate()
        context["specialty"] = next(item for item in specializations if item.slug == slug)
        # The search finds doctors a new patient can book, as the API's slot search does.
        found_doctors = list(
            doctor_list().filter(specializations__slug=slug, accepting_new_patients=True)
        )
        context["specialty_doctors"] = found_doctors
        context["found"] = earliest_free_slots(
            doctors=found_doctors,
            first_day=today,
            last_day=today + timedelta(days=SEARCH_DAYS - 1),
            now=timezone.now(),
            limit=SEARCH_LIMIT,
            busy=selectors.held_spans,
        )
        context["search_days"] = SEARCH_DAYS
    return render(request, "appointments/book_start.html", context)


@patient_required
@require_safe
def book_slots(request: HttpRequest, doctor_id) -> HttpResponse:
    """A week of one doctor's free slots, in the patient's zone; each opens the confirmation."""
    doctor = _booking_doctor(doctor_id)
    form, first, valid = _week_start(request)
    week = _week_of_slots(doctor, first, reverse("book-slots", args=[doctor.pk]))
    context = {
        "doctor": doctor,
        "week_form": form,
        "week": week,
        "confirm_url": reverse("book-confirm", args=[doctor.pk]),
    }
    return render(
        request,
        "appointments/book_slots.html",
        context,
        status=200 if valid else BAD_REQUEST,
    )


@patient_required
@require_http_methods(["GET", "POST"])
def book_confirm(request: HttpRequest, doctor_id) -> HttpResponse:
    """Confirm a chosen slot with a reason; the booking service decides whether it is free."""
    doctor = _booking_doctor(doctor_id)
    if request.method == "POST":
        form = BookingForm(request.POST)
    else:
        form = BookingForm({"start": request.GET.get("start", "")})
    valid = form.is_valid()
    start = form.cleaned_data.get("start")
    if valid and request.method == "POST":
        patient = own_patient_record(request.user)
        try:
            if patient is None:
                raise ValidationFailed("Your account has no patient record yet.")
            appointment = services.appointment_book(
                actor=request.user,
                doctor=doctor,
                patient=patient,
                start=start,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            if appointment.status == Status.PENDING:
                message = (
                    f"Your request for {_when(appointment.start)} with {doctor.user.full_name} "
                    "is sent. You will be told when the doctor confirms it."
                )
            else:
                message = f"Booked: {_when(appointment.start)} with {doctor.user.full_name}."
            messages.success(request, message)
            return redirect("appointment-page", appointment_id=appointment.pk)
    week = timezone.localtime(start).date().isoformat() if start is not None else None
    # Booked this close, it could no longer be changed online: say so before, not after.
    notice_closed = (
        services.patient_notice_closed(request.user, Appointment(start=start), "changed")
        if start is not None
        else ""
    )
    context = {
        "doctor": doctor,
        "form": form,
        "start": start,
        "notice_closed": notice_closed,
        "zone_name": timezone.get_current_timezone_name(),
        "slots_url": _with_query(reverse("book-slots", args=[doctor.pk]), week=week),
    }
    status = 200 if not form.errors else BAD_REQUEST
    return render(request, "appointments/book_confirm.html", context, status=status)


# --- a patient's appointments and one appointment -------------------------------------------


@role_required("patient", "doctor")
@require_safe
def appointment_list_page(request: HttpRequest) -> HttpResponse:
    """A patient's upcoming appointments, and the past and cancelled ones a page at a time.
    A doctor's appointments are their agenda."""
    if is_doctor(request.user):
        return redirect("agenda")
    now = timezone.now()
    visible = selectors.appointment_list(actor=request.user)
    upcoming = list(visible.filter(status__in=HOLDING, end__gt=now))
    past = visible.exclude(status__in=HOLDING, end__gt=now).order_by("-start", "-id")
    page = Paginator(past, PAST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "appointments/appointment_list.html", {"upcoming": upcoming, "page": page}
    )


@role_required("patient", "doctor")
@require_safe
def appointment_page(request: HttpRequest, appointment_id) -> HttpResponse:
    appointment = _appointment(request, appointment_id)
    moved_to = (
        selectors.appointment_list(actor=request.user, access=Access.ACT)
        .filter(rescheduled_from=appointment)
        .values_list("pk", flat=True)
        .first()
    )
    as_doctor = is_doctor(request.user)
    moves = _moves(appointment.status, DOCTOR_MOVE_NAMES if as_doctor else PATIENT_MOVE_NAMES)
    # Inside the cancellation notice a patient is told to call instead of being offered moves
    # the service would refuse.
    notice_closed = ""
    if moves and not as_doctor:
        notice_closed = services.patient_notice_closed(request.user, appointment, "changed")
        if notice_closed:
            moves = tuple(move for move in moves if move not in ("cancel", "reschedule"))
    context = {
        "appointment": appointment,
        "as_doctor": as_doctor,
        "moves": moves,
        "notice_closed": notice_closed,
        "moved_to": moved_to,
        "cancel_form": CancelForm(auto_id="id_cancel_%s"),
        "zone_name": timezone.get_current_timezone_name(),
    }
    return render(request, "appointments/appointment_page.html", context)


@require_POST
@role_required("patient", "doctor")
def appointment_action(request: HttpRequest, appointment_id, action: str) -> HttpResponse:
    """One status move, by the service the API's action calls; back to `next` (a path of this
    site) or to the appointment's page, with what happened as a message."""
    if action not in ACTIONS:
        raise Http404("No such action.")
    appointment = _appointment(request, appointment_id, Access.ACT)
    back = _local_path(request.POST.get("next")) or reverse(
        "appointment-page", args=[appointment.pk]
    )
    service, done = ACTIONS[action]
    values = {}
    if action == "cancel":
        form = CancelForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, f"Not cancelled: {error}")
            return redirect(back)
        values["reason"] = form.cleaned_data["reason"]
    try:
        service(actor=request.user, appointment=appointment, request=request, **values)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        other = (
            appointment.patient.user.full_name
            if is_doctor(request.user)
            else appointment.doctor.user.full_name
        )
        messages.success(
            request, done.format(other=other, patient=appointment.patient.user.full_name)
        )
    return redirect(back)


@role_required("patient", "doctor")
@require_http_methods(["GET", "POST"])
def appointment_reschedule(request: HttpRequest, appointment_id) -> HttpResponse:
    """A week of the same doctor's free slots; choosing one moves the appointment there (the
    old one is cancelled and linked, in one transaction, by the service)."""
    posted = request.method == "POST"
    appointment = _appointment(request, appointment_id, Access.ACT if posted else Access.VIEW)
    if not posted and not _moves(appointment.status, ("reschedule",)):
        # Nothing to choose for a visit that is over or cancelled (the service would refuse).
        messages.info(
            request,
            f"This appointment is {appointment.get_status_display().lower()}: "
            "it can no longer be moved.",
        )
        return redirect("appointment-page", appointment_id=appointment.pk)
    doctor = appointment.doctor
    form = RescheduleForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            new = services.appointment_reschedule(
                actor=request.user,
                appointment=appointment,
                start=form.cleaned_data["start"],
                request=request,
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"Moved to {_when(new.start)} with {new.doctor.user.full_name}. "
                "The old time is cancelled.",
            )
            return redirect("appointment-page", appointment_id=new.pk)
    week_form, first, week_valid = _week_start(request)
    here = reverse("appointment-reschedule", args=[appointment.pk])
    context = {
        "appointment": appointment,
        "doctor": doctor,
        "form": form,
        "week_form": week_form,
        "week": _week_of_slots(doctor, first, here),
        "action_url": request.get_full_path(),
    }
    status = 200 if week_valid and not form.errors else BAD_REQUEST
    return render(request, "appointments/reschedule.html", context, status=status)


@role_required("patient", "doctor")
@require_safe
def appointment_ics(request: HttpRequest, appointment_id) -> HttpResponse:
    """The appointment as an iCalendar file, as the API's ics action makes it."""
    appointment = _appointment(request, appointment_id)
    body = calendars.calendar_for([appointment], name="Clinic appointment")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="appointment-{appointment.pk}.ics"'
    return response


@role_required("patient", "doctor")
@require_http_methods(["GET", "POST"])
def calendar_links(request: HttpRequest) -> HttpResponse:
    """The secret calendar address (made on first visit, as the API makes it) and a button that
    replaces it, so that a leaked address stops working."""
    if request.method == "POST":
        calendars.feed_rotate(request.user)
        messages.success(
            request,
            "Your calendar address is new: the old one no longer works. "
            "Subscribe again with the address below.",
        )
        return redirect("calendar-links")
    feed: CalendarFeed = calendars.feed_for(request.user)
    return render(
        request, "appointments/calendar_links.html", {"feed_url": calendars.feed_url(feed)}
    )


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A user's appointments as a calendar subscription; the secret token is the key.
    Calendar clients ask with HEAD whether it is there: that answers without reading it."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar.")
    if request.method == "HEAD":
        return HttpResponse(content_type="text/calendar; charset=utf-8")
    appointments = calendars.feed_appointments(feed.user)  # audited as read by the owner
    body = calendars.calendar_for(appointments, name="Clinic appointments")
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# --- the doctor's agenda --------------------------------------------------------------------


def _visits_between(request: HttpRequest, first: date, last: date) -> list[Appointment]:
    return list(
        selectors.appointment_list(actor=request.user).filter(
            start__gte=_midnight(first), start__lt=_midnight(last + timedelta(days=1))
        )
    )


@doctor_required
@require_safe
def agenda(request: HttpRequest) -> HttpResponse:
    """The doctor's day on their clock, with the moves each visit may take next."""
    form = DayForm(request.GET or None)
    day = timezone.localdate()
    valid = not form.is_bound or form.is_valid()
    if valid and form.is_bound and form.cleaned_data["day"]:
        day = form.cleaned_data["day"]
    visits = _visits_between(request, day, day)
    context = {
        "form": form,
        "day": day,
        "today": timezone.localdate(),
        "visits": [visit for visit in visits if visit.status != Status.CANCELLED],
        "cancelled": [visit for visit in visits if visit.status == Status.CANCELLED],
        "previous_url": _with_query(reverse("agenda"), day=(day - timedelta(days=1)).isoformat()),
        "next_url": _with_query(reverse("agenda"), day=(day + timedelta(days=1)).isoformat()),
        "here": request.get_full_path(),
    }
    return render(
        request, "appointments/agenda.html", context, status=200 if valid else BAD_REQUEST
    )


@doctor_required
@require_safe
def agenda_week(request: HttpRequest) -> HttpResponse:
    """Monday to Sunday of the week of the given date (this week if none)."""
    form = WeekForm(request.GET or None)
    form.fields["week"].label = "Week of"
    chosen = timezone.localdate()
    valid = not form.is_bound or form.is_valid()
    if valid and form.is_bound and form.cleaned_data["week"]:
        chosen = form.cleaned_data["week"]
    monday = chosen - timedelta(days=chosen.weekday())
    days = [monday + timedelta(days=offset) for offset in range(WEEK_DAYS)]
    by_day: dict[date, list[Appointment]] = {day: [] for day in days}
    for visit in _visits_between(request, days[0], days[-1]):
        if visit.status == Status.CANCELLED:
            continue
        local_day = timezone.localtime(visit.start).date()
        if local_day in by_day:
            by_day[local_day].append(visit)
    context = {
        "form": form,
        "days": [{"date": day, "visits": by_day[day]} for day in days],
        "today": timezone.localdate(),
        "previous_url": _with_query(
            reverse("agenda-week"), week=(monday - timedelta(days=WEEK_DAYS)).isoformat()
        ),
        "next_url": _with_query(
            reverse("agenda-week"), week=(monday + timedelta(days=WEEK_DAYS)).isoformat()
        ),
    }
    return render(
        request, "appointments/agenda_week.html", context, status=200 if valid else BAD_REQUEST
    )


@doctor_required
@require_safe
def agenda_requests(request: HttpRequest) -> HttpResponse:
    """Patients' requests waiting for the doctor's confirmation, soonest first."""
    pending = selectors.appointment_list(actor=request.user).filter(
        status=Status.PENDING, end__gt=timezone.now()
    )
    page = Paginator(pending, REQUESTS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "here": request.get_full_path(),
    }
    return render(request, "appointments/agenda_requests.html", context)


# --- the waitlist ----------------------------------------------------------------------------

WAITLIST_DECISIONS = {
    "accept": (services.waitlist_offer_accept, "Booked: {doctor}, {when}."),
    "decline": (services.waitlist_offer_decline, "Declined; the slot goes to the next patient."),
}


def _waitlist_form(request: HttpRequest, data=None) -> WaitlistJoinForm:
    today = timezone.localdate()
    return WaitlistJoinForm(
        data,
        doctors=doctor_list().prefetch_related(None),
        specializations=specialization_list(),
        initial={"earliest_date": today, "latest_date": today + timedelta(days=30)},
    )


@role_required("patient", "doctor")
@require_http_methods(["GET", "POST"])
def waitlist_page(request: HttpRequest) -> HttpResponse:
    """A patient's offers (accept or decline while the slot is held), their entries, and a
    form to join; a doctor sees who is waiting for them."""
    form = None
    if not is_doctor(request.user):
        form = _waitlist_form(request, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            values = dict(form.cleaned_data)
            try:
                services.waitlist_join(
                    actor=request.user,
                    patient=own_patient_record(request.user),
                    request=request,
                    **values,
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request, "You are on the waitlist. We will tell you when a slot frees up."
                )
                return redirect("waitlist-page")
    now = timezone.now()
    offers = list(
        selectors.waitlist_offer_list(actor=request.user).filter(state="open", expires_at__gt=now)
    )
    entries = list(selectors.waitlist_entry_list(actor=request.user).filter(status="active"))
    return render(
        request,
        "appointments/waitlist.html",
        {"form": form, "offers": offers, "entries": entries, "as_doctor": is_doctor(request.user)},
        status=BAD_REQUEST if form is not None and form.errors else 200,
    )


@patient_required
@require_POST
def waitlist_offer_decide(request: HttpRequest, offer_id, decision: str) -> HttpResponse:
    """Accept or decline an offer, through the same services as the API."""
    if decision not in WAITLIST_DECISIONS:
        raise Http404("No such action.")
    offer = selectors.waitlist_offer_get(actor=request.user, offer_id=offer_id, access=Access.ACT)
    service, done = WAITLIST_DECISIONS[decision]
    try:
        result = service(actor=request.user, offer=offer, request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("waitlist-page")
    when = date_format(timezone.localtime(offer.start), "D j M Y, H:i")
    messages.success(request, done.format(doctor=offer.doctor.user.full_name, when=when))
    if decision == "accept":
        return redirect("appointment-page", result.pk)
    return redirect("waitlist-page")


@patient_required
@require_POST
def waitlist_leave(request: HttpRequest, entry_id) -> HttpResponse:
    entry = selectors.waitlist_entry_get(actor=request.user, entry_id=entry_id, access=Access.ACT)
    try:
        services.waitlist_leave(actor=request.user, entry=entry, request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "You have left this waitlist.")
    return redirect("waitlist-page")
