"""Notifications for appointment events, the outbox, SMS and reminders."""

import json
import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from time import monotonic

import pytest
import redis
import time_machine
from celery import current_app as celery_app
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections

from appointments import services
from appointments.notifications import AppointmentKind as NotificationKind
from appointments.tests.conftest import TUESDAY_9
from core import sms
from core.models import Channel, Delivery, DeliveryStatus, Notification
from core.notifications import notification_kinds, preferences_set
from core.outbox import MAX_ATTEMPTS, deliveries_sweep
from core.testing import assert_error
from doctors.tests.factories import make_doctor
from patients.tests.factories import make_patient
from users.models import Role
from users.tests.factories import UserFactory
from users.tests.utils import client_for

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "/api/v1/notifications/"


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def book(actor, doctor, patient_user, start=TUESDAY_9):
    return services.appointment_book(
        actor=actor,
        doctor=doctor,
        patient=patient_user.patient_profile,
        start=start,
        reason="Cough",
    )


def test_the_other_party_is_told_in_their_own_time_zone(
    clinic_doctor, patient, django_capture_on_commit_callbacks
):
    clinic_doctor.user.timezone = "America/New_York"
    clinic_doctor.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        book(patient, clinic_doctor, patient)
    [notice] = Notification.objects.filter(user=clinic_doctor.user)
    assert notice.kind == NotificationKind.APPOINTMENT_BOOKED
    assert "03:00" in notice.title  # 07:00 UTC is 03:00 in New York
    assert patient.full_name in notice.body
    [message] = [message for message in mail.outbox if message.to == [clinic_doctor.user.email]]
    assert "Tuesday 2 June 2026, 03:00" in message.body
    assert "&#x27;" not in message.body and "&amp;" not in message.body


def test_staff_bookings_tell_both_patient_and_doctor(clinic_doctor, patient, staff):
    book(staff, clinic_doctor, patient)
    assert set(Notification.objects.values_list("user", flat=True)) == {
        patient.pk,
        clinic_doctor.user.pk,
    }


def test_cancel_confirm_and_reschedule_tell_the_other_party(frozen, patient):
    doctor = make_doctor(weekly={1: (time(9), time(12))}, requires_confirmation=True)
    appointment = book(patient, doctor, patient)
    services.appointment_confirm(actor=doctor.user, appointment=appointment)
    moved = services.appointment_reschedule(
        actor=doctor.user, appointment=appointment, start=TUESDAY_9 + timedelta(hours=1)
    )
    services.appointment_cancel(actor=patient, appointment=moved, reason="Better now")
    told = sorted(Notification.objects.values_list("user", "kind"), key=str)
    own = "appointment_own_action"  # each one who acted gets a receipt of their own
    assert told == sorted(
        [
            (doctor.user.pk, "appointment_booked"), (patient.pk, own),
            (patient.pk, "appointment_confirmed"), (doctor.user.pk, own),
            (patient.pk, "appointment_rescheduled"), (doctor.user.pk, own),
            (doctor.user.pk, "appointment_cancelled"), (patient.pk, own),
        ],
        key=str,
    )  # fmt: skip
    cancelled = Notification.objects.get(kind="appointment_cancelled")
    assert "Better now" in cancelled.body


def test_each_partys_notification_and_email_open_the_appointments_page(
    clinic_doctor, patient, staff, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(staff, clinic_doctor, patient)
    page = f"/appointments/{appointment.pk}/"
    for user in (patient, clinic_doctor.user):
        notification = Notification.objects.get(user=user)
        assert notification.link == page
        client.force_login(user)
        opened = client.get(notification.link)
        assert opened.status_code == 200
        assert clinic_doctor.user.full_name in opened.content.decode()
    email = next(message for message in mail.outbox if message.to == [patient.email])
    assert email.body.endswith(f"Open it in the portal: {django_settings.PORTAL_BASE_URL}{page}")


def test_the_notification_is_written_with_the_event_or_not_at_all(
    clinic_doctor, patient, other_patient
):
    book(patient, clinic_doctor, patient)
    with pytest.raises(Exception, match="no longer free"):
        book(other_patient, clinic_doctor, other_patient)
    assert Notification.objects.count() == 2  # the doctor's, and the patient's receipt


# --- API ----------------------------------------------------------------------------------------


def test_notifications_api_lists_own_with_unread_count_and_marks_read(
    clinic_doctor, patient, staff, django_assert_max_num_queries
):
    for hour in range(3):
        book(staff, clinic_doctor, patient, TUESDAY_9 + timedelta(hours=hour))
    client = client_for(patient)
    with django_assert_max_num_queries(5):
        body = client.get(NOTIFICATIONS, {"page_size": 100}).json()
    assert body["unread_count"] == 3 and len(body["results"]) == 3
    first = body["results"][0]["id"]
    assert client.post(f"{NOTIFICATIONS}{first}/read/").json()["is_read"] is True
    assert client.get(NOTIFICATIONS).json()["unread_count"] == 2
    assert client.post(f"{NOTIFICATIONS}read-all/").json() == {"marked": 2}
    assert client.get(NOTIFICATIONS, {"is_read": "false"}).json()["results"] == []
    doctor_note = Notification.objects.filter(user=clinic_doctor.user).first()
    assert_error(client.post(f"{NOTIFICATIONS}{doctor_note.pk}/read/"), 404)
    assert_error(client.post(f"{NOTIFICATIONS}not-an-id/read/"), 404)


def test_notifications_need_a_sign_in(api_client):
    assert_error(api_client.get(NOTIFICATIONS), 401)


def test_preferences_default_to_email_and_sms_needs_a_phone(patient):
    client = client_for(patient)
    defaults = client.get(f"{NOTIFICATIONS}preferences/").json()
    assert {(p["channel"], p["enabled"]) for p in defaults} == {("email", True), ("sms", False)}
    want_sms = [{"kind": "appointment_reminder", "channel": "sms", "enabled": True}]
    assert_error(
        client.put(f"{NOTIFICATIONS}preferences/", want_sms, format="json"), 400, "phone_required"
    )
    patient.phone = "+4915123456789"
    patient.save()
    chosen = client.put(f"{NOTIFICATIONS}preferences/", want_sms, format="json").json()
    assert {
        "kind": "appointment_reminder", "channel": "sms", "enabled": True, "available": True
    } in chosen  # fmt: skip
    bad = [{"kind": "birthday", "channel": "pigeon", "enabled": "maybe"}]
    error = assert_error(client.put(f"{NOTIFICATIONS}preferences/", bad, format="json"), 400)
    assert error["fields"]


def test_staff_can_read_the_templates(staff, patient):
    rows = client_for(staff).get(f"{NOTIFICATIONS}templates/").json()
    # Every kind each app registered, the appointments' among them.
    assert {row["kind"] for row in rows} == set(notification_kinds())
    assert set(NotificationKind.values) < set(notification_kinds())
    assert any("{{ appointment.start" in row["source"] for row in rows)
    assert_error(client_for(patient).get(f"{NOTIFICATIONS}templates/"), 403)


# --- outbox -------------------------------------------------------------------------------------


@pytest.fixture
def broker(settings):
    """Send tasks through a real broker (not eagerly): unreachable unless a test says otherwise."""
    previous = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)

    def use(url: str) -> None:
        celery_app.conf.task_always_eager = False
        celery_app.conf.broker_url = url
        celery_app._pool = None  # connect to the new URL

    use("redis://127.0.0.1:1/0")  # nothing listens on port 1
    yield use
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous
    celery_app._pool = None


def test_with_the_broker_down_booking_works_and_the_sweep_sends_exactly_once(
    broker, clinic_doctor, patient, django_capture_on_commit_callbacks
):
    started = monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(patient).post(
            "/api/v1/appointments/",
            {"doctor": str(clinic_doctor.pk), "start": TUESDAY_9.isoformat()},
            format="json",
        )
    answered_in = monotonic() - started
    assert response.status_code == 201
    # Celery's own connection retries held this for about 6 s; the request path tries once.
    assert answered_in < 1.0, f"booking took {answered_in:.1f} s with the broker away"
    deliveries = Delivery.objects.all()  # to the doctor, and the patient's receipt
    assert [d.status for d in deliveries] == [DeliveryStatus.PENDING] * 2
    assert mail.outbox == []

    assert deliveries_sweep() == 2
    assert deliveries_sweep() == 0
    assert len(mail.outbox) == 2
    for delivery in deliveries.all():
        assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1


@pytest.mark.redis
def test_deliveries_are_queued_on_the_real_broker(
    broker, clinic_doctor, patient, django_capture_on_commit_callbacks
):
    queue = redis.Redis.from_url(django_settings.REDIS_URL)
    queue.delete("celery", "email", "sms")
    patient.phone = "+4915123456789"
    patient.save()
    preferences_set(
        user=patient,
        choices=[{"kind": "appointment_own_action", "channel": "sms", "enabled": True}],
    )
    broker(django_settings.REDIS_URL)
    with django_capture_on_commit_callbacks(execute=True):
        book(patient, clinic_doctor, patient)
    try:
        # E-mail and SMS wait on queues of their own: a slow gateway cannot starve the other.
        assert (queue.llen("email"), queue.llen("sms"), queue.llen("celery")) == (2, 1, 0)
        message = json.loads(queue.lpop("sms"))
        assert message["headers"]["task"] == "core.tasks.deliver"
    finally:
        queue.delete("celery", "email", "sms")
    assert deliveries_sweep() == 3  # what the workers' tasks do, run here


def test_a_failing_sender_is_retried_then_given_up(clinic_doctor, patient, settings, frozen):
    settings.EMAIL_BACKEND = "appointments.tests.test_notifications.BrokenMail"
    book(patient, clinic_doctor, patient)
    delivery = Delivery.objects.get(to=clinic_doctor.user.email)
    for _ in range(MAX_ATTEMPTS):
        frozen.shift(timedelta(hours=2))
        deliveries_sweep()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == MAX_ATTEMPTS
    assert "SMTP down" in delivery.last_error


class BrokenMail:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("SMTP down")


def texting_patient(phone: str, kind: str):
    """A patient with a mobile number who chose SMS for `kind`."""
    user = make_patient().user
    user.phone = phone
    user.save()
    preferences_set(user=user, choices=[{"kind": kind, "channel": "sms", "enabled": True}])
    return user


class QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass


def gateway_at(settings, handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """Serve `handler` on a free local port: the portal's SMS gateway for this test."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SMS_BACKEND = "core.sms.HttpSmsBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_address[1]}/messages"
    return server


# --- SMS through an HTTP gateway, and reminders ---------------------------------------------------


@pytest.fixture
def sms_gateway(settings):
    """A local stand-in for the SMS provider, speaking HTTP on a free port."""
    received: list[dict] = []

    class Handler(QuietHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append(
                {"auth": self.headers["Authorization"], **json.loads(self.rfile.read(length))}
            )
            self.send_response(202)
            self.end_headers()

    server = gateway_at(settings, Handler)
    settings.SMS_GATEWAY_KEY = "test-key"
    yield received
    server.shutdown()


def test_an_sms_reminder_reaches_the_gateway_exactly_once(clinic_doctor, frozen, sms_gateway):
    texter = texting_patient("+4915123456789", "appointment_reminder")
    quiet = make_patient().user
    quiet.phone = "+4915199999999"
    quiet.save()  # has a phone, but never opted in to SMS
    book(texter, clinic_doctor, texter)
    book(quiet, clinic_doctor, quiet, TUESDAY_9 + timedelta(hours=1))

    frozen.move_to(TUESDAY_9 - timedelta(hours=23))
    assert services.reminders_send() == 2
    assert services.reminders_send() == 0
    deliveries_sweep()
    assert [(m["to"], m["auth"]) for m in sms_gateway] == [("+4915123456789", "Bearer test-key")]
    assert "Clinic reminder" in sms_gateway[0]["body"]
    assert Notification.objects.filter(kind="appointment_reminder").count() == 2
    assert not Delivery.objects.filter(channel=Channel.SMS, to="+4915199999999").exists()


def test_a_gateway_that_refuses_keeps_the_sms_pending(clinic_doctor, frozen, settings):
    settings.SMS_BACKEND = "core.sms.HttpSmsBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:1/messages"
    texter = texting_patient("+4915123456789", "appointment_booked")
    book(UserFactory(role=Role.STAFF), clinic_doctor, texter)
    deliveries_sweep()
    sms_delivery = Delivery.objects.get(channel=Channel.SMS)
    assert sms_delivery.status == DeliveryStatus.PENDING
    assert "unreachable" in sms_delivery.last_error
    assert sms_delivery.attempts == 1


def test_reminders_are_not_sent_early_late_or_for_cancelled_visits(clinic_doctor, patient, frozen):
    appointment = book(patient, clinic_doctor, patient)
    frozen.move_to(TUESDAY_9 - timedelta(hours=50))
    assert services.reminders_send() == 0  # more than 48 h ahead (notice 24 h + margin 24 h)
    services.appointment_cancel(actor=clinic_doctor.user, appointment=appointment, reason="Away")
    frozen.move_to(TUESDAY_9 - timedelta(hours=2))
    assert services.reminders_send() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_remind_once():
    assert connection.vendor == "postgresql"
    with time_machine.travel(datetime(2026, 6, 1, 6, 0, tzinfo=UTC), tick=False):
        doctor = make_doctor(weekly={1: (time(9), time(17))}, min_booking_notice_minutes=0)
        for hour in range(8):
            patient = make_patient().user
            book(patient, doctor, patient, TUESDAY_9 + timedelta(hours=hour))
    barrier = threading.Barrier(2)
    counts: list[int | str] = []
    moment = TUESDAY_9 - timedelta(hours=16)  # all eight visits fall within the next 24 h

    def worker():
        try:
            barrier.wait()
            counts.append(services.reminders_send(now=moment))
        except Exception as exc:  # reported in the assertion
            counts.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(counts) == 8, counts
    assert Notification.objects.filter(kind="appointment_reminder").count() == 8
    reminded = Notification.objects.filter(kind="appointment_reminder").values_list(
        "user", flat=True
    )
    assert len(set(reminded)) == 8


def test_run_periodic_sends_due_reminders_and_pending_deliveries(
    clinic_doctor, patient, frozen, broker
):
    book(patient, clinic_doctor, patient)  # the broker is down: the delivery waits
    frozen.move_to(TUESDAY_9 - timedelta(hours=2))
    out = StringIO()
    call_command("run_periodic", "--once", stdout=out)
    assert "reminders queued: 1, deliveries sent: 3" in out.getvalue()  # booked, receipt, reminder
    assert {m.to[0] for m in mail.outbox} == {patient.email, clinic_doctor.user.email}


def test_sms_choices_show_as_unavailable_once_the_phone_is_removed(patient):
    patient.phone = "+4915123456789"
    patient.save()
    client = client_for(patient)
    want_sms = [{"kind": "appointment_reminder", "channel": "sms", "enabled": True}]
    assert client.put(f"{NOTIFICATIONS}preferences/", want_sms, format="json").status_code == 200
    removed = client.patch("/api/v1/users/me/", {"phone": ""}, format="json")
    assert removed.status_code == 200, removed.content
    shown = client.get(f"{NOTIFICATIONS}preferences/").json()
    [reminder_sms] = [
        p for p in shown if (p["kind"], p["channel"]) == ("appointment_reminder", "sms")
    ]
    assert reminder_sms == {
        "kind": "appointment_reminder", "channel": "sms", "enabled": True, "available": False
    }  # the choice is kept for when a number is added again, but no text will come  # fmt: skip
    assert all(p["available"] for p in shown if p["channel"] == "email")


def test_putting_the_preferences_back_is_one_write(patient, django_assert_max_num_queries):
    client = client_for(patient)
    current = client.get(f"{NOTIFICATIONS}preferences/").json()
    with django_assert_max_num_queries(5):
        response = client.put(f"{NOTIFICATIONS}preferences/", current, format="json")
    assert response.status_code == 200
    twice = [current[0], current[0]]
    assert_error(
        client.put(f"{NOTIFICATIONS}preferences/", twice, format="json"), 400, "duplicate_choice"
    )


def test_is_read_filter_refuses_junk(patient):
    assert_error(client_for(patient).get(NOTIFICATIONS, {"is_read": "perhaps"}), 400)


@pytest.fixture
def failing_gateway(settings):
    """A local SMS gateway that answers 500 until told to recover."""
    state = {"failing": True, "received": []}

    class Handler(QuietHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if state["failing"]:
                self.send_response(500)
            else:
                state["received"].append(body)
                self.send_response(202)
            self.end_headers()

    server = gateway_at(settings, Handler)
    yield state
    server.shutdown()


def test_a_reminder_waiting_for_its_retry_is_dropped_once_the_visit_is_cancelled(
    clinic_doctor, frozen, failing_gateway, settings, django_capture_on_commit_callbacks
):
    texter = texting_patient("+4915123456789", "appointment_reminder")
    appointment = book(texter, clinic_doctor, texter)
    frozen.move_to(TUESDAY_9 - timedelta(hours=23))
    settings.EMAIL_BACKEND = "appointments.tests.test_notifications.BrokenMail"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 1  # e-mail and SMS both fail and wait for a retry
    reminders = Delivery.objects.filter(notification__kind=NotificationKind.APPOINTMENT_REMINDER)
    assert {d.status for d in reminders} == {DeliveryStatus.PENDING} and reminders.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = client_for(clinic_doctor.user).post(
            f"/api/v1/appointments/{appointment.pk}/cancel/",
            {"reason": "Doctor ill"},
            format="json",
        )
    assert cancelled.status_code == 200, cancelled.content

    failing_gateway["failing"] = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    frozen.move_to(TUESDAY_9 - timedelta(hours=22))  # every retry is due
    deliveries_sweep()
    assert failing_gateway["received"] == []  # no "Clinic reminder" for a cancelled visit
    assert [m.subject for m in mail.outbox if "reminder" in m.subject.lower()] == []
    assert any("cancel" in m.subject.lower() for m in mail.outbox)  # what holds now is said
    assert {d.status for d in reminders.all()} == {DeliveryStatus.SUPERSEDED}


def test_a_reminder_comes_while_the_patient_can_still_cancel_online(
    clinic_doctor, frozen, sms_gateway, django_capture_on_commit_callbacks
):
    texter = texting_patient("+4915123456789", "appointment_reminder")
    appointment = book(texter, clinic_doctor, texter, TUESDAY_9 + timedelta(days=3))
    frozen.move_to(appointment.start - timedelta(hours=47))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 1
    [sms] = sms_gateway
    assert "Cancel in the portal by Thu 4 Jun 09:00" in sms["body"]  # Berlin, 24 h ahead
    [email] = [m for m in mail.outbox if m.subject.startswith("Reminder")]
    assert "cancel it in the clinic portal before Thursday 4 June, 09:00" in email.body
    # ...and the portal agrees: the patient can act on it.
    cancelled = client_for(texter).post(
        f"/api/v1/appointments/{appointment.pk}/cancel/", {"reason": "Away"}, format="json"
    )
    assert cancelled.status_code == 200, cancelled.content


def test_a_reminder_inside_the_notice_says_to_call_the_clinic(
    clinic_doctor, frozen, settings, django_capture_on_commit_callbacks
):
    settings.CLINIC_PHONE = "+49 30 1234567"
    frozen.move_to(TUESDAY_9 - timedelta(hours=5))
    patient = make_patient().user
    with django_capture_on_commit_callbacks(execute=True):
        book(patient, clinic_doctor, patient)  # booked 5 h ahead, inside the 24 h notice
        assert services.reminders_send() == 1
    [email] = [m for m in mail.outbox if m.subject.startswith("Reminder")]
    assert "call the clinic on +49 30 1234567" in email.body
    assert "cancel it in the clinic portal" not in email.body


def test_reminders_that_would_come_after_the_notice_refuse_to_start(tmp_path):
    """A margin under an hour would send reminders when online cancelling has closed."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("APPOINTMENT_")
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings.local",
             "APPOINTMENT_REMINDER_MARGIN_HOURS": "0"},
        cwd=django_settings.BASE_DIR, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "APPOINTMENT_REMINDER_MARGIN_HOURS" in result.stderr


@pytest.fixture
def slow_gateway(settings):
    """A gateway that takes the first message but answers too late, and drops repeats of a
    key it has seen (as gateways with idempotency keys do)."""
    state = {"posts": [], "delivered": {}, "slow": True}

    class Handler(QuietHandler):
        def do_POST(self):
            key = self.headers.get("Idempotency-Key", "")
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state["posts"].append(key)
            state["delivered"].setdefault(key, body)  # a repeated key is not sent again
            if state["slow"]:
                state["slow"] = False
                threading.Event().wait(1.5)  # longer than the portal waits
            self.send_response(202)
            self.end_headers()

    server = gateway_at(settings, Handler)
    settings.SMS_GATEWAY_READ_TIMEOUT = 0.5
    yield state
    server.shutdown()


def test_a_timed_out_sms_is_retried_under_the_same_key_and_reaches_the_phone_once(
    clinic_doctor, frozen, slow_gateway, django_capture_on_commit_callbacks
):
    texter = texting_patient("+4915123456789", "appointment_reminder")
    book(texter, clinic_doctor, texter)
    frozen.move_to(TUESDAY_9 - timedelta(hours=23))
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send()
    sms = Delivery.objects.get(channel=Channel.SMS)
    assert sms.status == DeliveryStatus.PENDING and "unknown" in sms.last_error
    frozen.move_to(TUESDAY_9 - timedelta(hours=22))
    deliveries_sweep()
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.SENT
    assert slow_gateway["posts"] == [str(sms.pk), str(sms.pk)]  # one key for both attempts
    assert list(slow_gateway["delivered"]) == [str(sms.pk)]  # and so one message


def test_every_attempt_at_an_email_has_one_message_id(
    clinic_doctor, patient, frozen, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "appointments.tests.test_notifications.BrokenMail"
    with django_capture_on_commit_callbacks(execute=True):
        book(UserFactory(role=Role.STAFF), clinic_doctor, patient)
    [delivery] = Delivery.objects.filter(to=patient.email)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    frozen.move_to(delivery.next_attempt_at + timedelta(seconds=1))
    deliveries_sweep()
    [sent] = [message for message in mail.outbox if message.to == [patient.email]]
    assert sent.extra_headers["Message-ID"] == f"<{delivery.pk}@clinic.example>"


def test_whoever_acts_gets_a_receipt_they_can_turn_off(
    clinic_doctor, patient, frozen, django_capture_on_commit_callbacks
):
    client = client_for(patient)
    with django_capture_on_commit_callbacks(execute=True):
        booked = client.post(
            "/api/v1/appointments/",
            {"doctor": str(clinic_doctor.pk), "start": TUESDAY_9.isoformat()},
            format="json",
        )
    assert booked.status_code == 201, booked.content
    [receipt] = [m for m in mail.outbox if m.to == [patient.email]]
    assert receipt.subject == "You booked: Tue 2 Jun, 09:00"  # Berlin
    assert "confirms what you did" in receipt.body

    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(
            f"/api/v1/appointments/{booked.json()['id']}/reschedule/",
            {"start": (TUESDAY_9 + timedelta(hours=1)).isoformat()},
            format="json",
        )
    assert moved.status_code in (200, 201), moved.content
    assert "You moved an appointment: Tue 2 Jun, 10:00" in [m.subject for m in mail.outbox]

    mail.outbox.clear()
    turned_off = client.put(
        f"{NOTIFICATIONS}preferences/",
        [{"kind": "appointment_own_action", "channel": "email", "enabled": False}],
        format="json",
    )
    assert turned_off.status_code == 200, turned_off.content
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = client.post(
            f"/api/v1/appointments/{moved.json()['id']}/cancel/",
            {"reason": "Better"},
            format="json",
        )
    assert cancelled.status_code == 200, cancelled.content
    assert [m.to for m in mail.outbox] == [[clinic_doctor.user.email]]  # no receipt now


def test_a_pending_request_is_acknowledged(patient, frozen, django_capture_on_commit_callbacks):
    doctor = make_doctor(weekly={1: (time(9), time(12))}, requires_confirmation=True)
    with django_capture_on_commit_callbacks(execute=True):
        book(patient, doctor, patient)
    [receipt] = [m for m in mail.outbox if m.to == [patient.email]]
    assert receipt.subject.startswith("Your request is received")
    assert "waits for the clinic's confirmation" in receipt.body


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_a_hanging_gateway_never_holds_up_a_booking(settings):
    """The embedded mode: a background thread sends, the request does not wait for it."""
    release = threading.Event()
    received: list[dict] = []

    class Hanging(QuietHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            release.wait(10)  # hangs until the test has its answer
            self.send_response(202)
            self.end_headers()

    server = gateway_at(settings, Hanging)
    settings.SMS_GATEWAY_READ_TIMEOUT = 10
    settings.DELIVERIES_IN_BACKGROUND = True
    try:
        with time_machine.travel(datetime(2026, 6, 1, 6, 0, tzinfo=UTC), tick=True):
            doctor = make_doctor(weekly={1: (time(9), time(17))})
            texter = make_patient().user
            texter.phone = "+4915123456789"
            texter.save()
            preferences_set(
                user=texter,
                choices=[{"kind": "appointment_own_action", "channel": "sms", "enabled": True}],
            )
            started = monotonic()
            response = client_for(texter).post(
                "/api/v1/appointments/",
                {"doctor": str(doctor.pk), "start": TUESDAY_9.isoformat()},
                format="json",
            )
            answered_in = monotonic() - started
            assert response.status_code == 201, response.content
            # The gateway hangs for 10 s; a booking that waited for it would take that long.
            assert answered_in < 5.0, f"booking took {answered_in:.1f} s with the gateway hanging"
            for _ in range(100):  # the thread reaches the gateway meanwhile
                if received:
                    break
                threading.Event().wait(0.05)
            assert [message["to"] for message in received] == ["+4915123456789"]
            release.set()
            sms = Delivery.objects.get(channel=Channel.SMS)
            for _ in range(100):
                sms.refresh_from_db()
                if sms.status == DeliveryStatus.SENT:
                    break
                threading.Event().wait(0.05)
            assert sms.status == DeliveryStatus.SENT
    finally:
        release.set()
        server.shutdown()


@pytest.mark.django_db(transaction=True)
def test_two_workers_and_a_failing_slow_hanging_gateway_send_each_sms_once_and_none_stale(settings):
    """Two sweeps race through rounds of retries against a gateway that fails, answers too late
    and hangs in turn, and that drops a key it has accepted. Each message must reach it under
    its own single key, and the one whose visit is cancelled meanwhile never."""
    modes = iter(["fail", "slow", "hang", "fail", "slow"])
    accepted: dict[str, str] = {}  # key -> phone number
    accepted_order: list[str] = []  # phone numbers, in the order the gateway took them
    posts: list[tuple[str, str]] = []
    lock = threading.Lock()

    class Gateway(QuietHandler):
        def do_POST(self):
            key = self.headers.get("Idempotency-Key", "")
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with lock:
                mode = next(modes, "ok")
                posts.append((key, body["to"]))
                if mode in ("slow", "ok") and key not in accepted:  # a repeated key is dropped
                    accepted[key] = body["to"]
                    accepted_order.append(body["to"])
            if mode == "fail":
                self.send_response(500)
                self.end_headers()
                return
            if mode in ("slow", "hang"):
                threading.Event().wait(0.6 if mode == "slow" else 1.2)  # past the read timeout
            self.send_response(202)
            self.end_headers()

    server = gateway_at(settings, Gateway)
    settings.SMS_GATEWAY_READ_TIMEOUT = 0.3
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    try:
        with time_machine.travel(datetime(2026, 6, 1, 6, 0, tzinfo=UTC), tick=False) as clock:
            doctor = make_doctor(weekly={1: (time(9), time(17))}, min_booking_notice_minutes=0)
            visits = []
            for hour in range(5):
                texter = make_patient().user
                texter.phone = f"+49151000000{hour:02d}"
                texter.save()
                preferences_set(
                    user=texter,
                    choices=[{"kind": "appointment_reminder", "channel": "sms", "enabled": True}],
                )
                visits.append(book(texter, doctor, texter, TUESDAY_9 + timedelta(hours=hour)))
            clock.move_to(TUESDAY_9 - timedelta(hours=20))
            services.reminders_send()  # the outbox rows; sending is the workers' job below
            Delivery.objects.filter(channel=Channel.EMAIL).delete()
            cancelled_visit = visits[-1]
            cancelled_sms = Delivery.objects.get(to="+4915100000004")

            def worker(errors: list) -> None:
                try:
                    deliveries_sweep()
                except Exception as exc:  # reported below, not lost in the thread
                    errors.append(repr(exc))
                finally:
                    connections.close_all()

            for round_number in range(8):
                if round_number == 1:  # the last visit is cancelled while its SMS waits
                    services.appointment_cancel(
                        actor=doctor.user, appointment=cancelled_visit, reason="Doctor ill"
                    )
                    taken_before_cancel = len(accepted_order)
                errors: list[str] = []
                workers = [threading.Thread(target=worker, args=(errors,)) for _ in range(2)]
                for thread in workers:
                    thread.start()
                for thread in workers:
                    thread.join(timeout=30)
                assert errors == []
                clock.shift(timedelta(minutes=40))  # every retry is due again
    finally:
        server.shutdown()

    sms = {d.to: d for d in Delivery.objects.filter(channel=Channel.SMS)}
    cancelled_sms.refresh_from_db()
    # Nothing about the cancelled visit reaches the gateway after the cancel. (A gateway that
    # took it before, and answered too late, is an outcome the portal could not know.)
    assert "+4915100000004" not in accepted_order[taken_before_cancel:]
    if cancelled_sms.status != DeliveryStatus.SENT:
        assert cancelled_sms.status == DeliveryStatus.SUPERSEDED
    for phone, delivery in sms.items():
        keys = {key for key, to in posts if to == phone}
        assert keys <= {str(delivery.pk)}, phone  # one key for every attempt at it
        if delivery.status == DeliveryStatus.SENT:
            assert list(accepted.values()).count(phone) == 1, phone
    assert {d.status for d in sms.values()} <= {DeliveryStatus.SENT, DeliveryStatus.SUPERSEDED}
    assert sum(d.status == DeliveryStatus.SENT for d in sms.values()) >= 4
