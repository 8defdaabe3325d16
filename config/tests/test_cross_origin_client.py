"""A single-page client served from another origin signs in with a JWT through CORS, lists the
patient's appointments and books one: the API works for the SPA as configured."""

import functools
import threading
from datetime import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from appointments.models import Appointment
from doctors.tests.factories import make_doctor
from users.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPA = Path(__file__).parent / "spa"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def spa_origin():
    """The client's files on a server of their own: another port and host name, so another
    origin than the portal's live server (which answers on localhost)."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(SPA))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _sign_in(page, origin: str, api: str, email: str) -> None:
    page.goto(f"{origin}/index.html?api={api}")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_spa_signs_in_lists_and_books_across_origins(
    page, live_server, spa_origin, settings, patient
):
    settings.CORS_ALLOWED_ORIGINS = [spa_origin]
    doctor = make_doctor(weekly={day: (time(8), time(18)) for day in range(7)}, slot_minutes=30)
    assert not live_server.url.startswith(spa_origin)

    _sign_in(page, spa_origin, live_server.url, patient.email)
    status = page.get_by_role("status")
    status.filter(has_text="0 appointments").wait_for()

    page.get_by_label("Doctor id").fill(str(doctor.pk))
    page.get_by_role("button", name="Book the first free slot").click()
    status.filter(has_text="1 appointments").wait_for()
    booked = Appointment.objects.get(patient__user=patient)
    assert (booked.doctor_id, booked.reason) == (doctor.pk, "Booked from the SPA")
    assert page.locator("#appointments li").count() == 1


def test_an_origin_the_settings_do_not_name_is_refused_by_the_browser(
    page, live_server, spa_origin, settings, patient
):
    settings.CORS_ALLOWED_ORIGINS = ["https://spa.clinic.example"]
    _sign_in(page, spa_origin, live_server.url, patient.email)
    page.get_by_role("status").filter(has_text="Error").wait_for()
    assert "Failed to fetch" in page.get_by_role("status").inner_text()
