from django.urls import path, re_path

from appointments import views

urlpatterns = [
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{20,64})\.ics$",
        views.calendar_feed,
        name="calendar-feed",
    ),
    path("calendar/", views.calendar_links, name="calendar-links"),
    # Booking (patients).
    path("book/", views.book_start, name="book-start"),
    path("book/<uuid:doctor_id>/", views.book_slots, name="book-slots"),
    path("book/<uuid:doctor_id>/confirm/", views.book_confirm, name="book-confirm"),
    # Appointments (the patient and the doctor of each).
    path("appointments/", views.appointment_list_page, name="appointment-list"),
    path("appointments/<uuid:appointment_id>/", views.appointment_page, name="appointment-page"),
    path(
        "appointments/<uuid:appointment_id>/reschedule/",
        views.appointment_reschedule,
        name="appointment-reschedule",
    ),
    path(
        "appointments/<uuid:appointment_id>/calendar.ics",
        views.appointment_ics,
        name="appointment-ics",
    ),
    path(
        "appointments/<uuid:appointment_id>/<slug:action>/",
        views.appointment_action,
        name="appointment-action",
    ),
    # The waitlist (patients; a doctor sees who waits for them).
    path("waitlist/", views.waitlist_page, name="waitlist-page"),
    path("waitlist/<uuid:entry_id>/leave/", views.waitlist_leave, name="waitlist-leave"),
    path(
        "waitlist/offers/<uuid:offer_id>/<slug:decision>/",
        views.waitlist_offer_decide,
        name="waitlist-offer-decide",
    ),
    # The doctor's agenda.
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/week/", views.agenda_week, name="agenda-week"),
    path("agenda/requests/", views.agenda_requests, name="agenda-requests"),
]
