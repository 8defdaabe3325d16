"""The appointment's change page: no internal bookkeeping, and the notes say who reads them."""

import pytest

from appointments import services
from appointments.models import Appointment
from appointments.tests.conftest import TUESDAY_9

pytestmark = pytest.mark.django_db


def test_the_change_page_hides_the_held_span_and_says_the_patient_reads_the_notes(
    client, staff, clinic_doctor, patient
):
    appointment = services.appointment_book(
        actor=patient, doctor=clinic_doctor, patient=patient.patient_profile, start=TUESDAY_9
    )
    client.force_login(staff)
    url = f"/admin/appointments/appointment/{appointment.pk}/change/"

    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Held start" not in page and "Held end" not in page
    assert "held_start" not in page and "held_end" not in page
    form = response.context["adminform"].form
    assert form.fields["notes"].help_text == "The patient can read these notes."
    assert "The patient can read these notes." in page
    assert Appointment._meta.get_field("notes").help_text == ""  # the model is unchanged

    saved = client.post(url, {"notes": "Bring your last lab results."})
    assert saved.status_code == 302
    appointment.refresh_from_db()
    assert appointment.notes == "Bring your last lab results."
