"""Time off added in the doctor admin lists the bookings it overlaps, as the API does."""

from datetime import timedelta

import pytest
from django.contrib.messages import WARNING

from appointments import services
from appointments.models import Appointment, Status
from appointments.tests.conftest import TUESDAY_9
from patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db


def test_time_off_over_a_booking_is_saved_and_the_booking_is_listed_not_cancelled(
    client, staff, clinic_doctor
):
    patient = make_patient(full_name="Zoë Ångström").user
    booked = services.appointment_book(
        actor=patient, doctor=clinic_doctor, patient=patient.patient_profile, start=TUESDAY_9
    )
    client.force_login(staff)  # Europe/Berlin, like the doctor
    url = f"/admin/doctors/doctor/{clinic_doctor.pk}/change/"
    form = {
        "license_number": clinic_doctor.license_number,
        "specializations": [str(item.pk) for item in clinic_doctor.specializations.all()],
        "timezone": clinic_doctor.timezone,
        "accepting_new_patients": "on",
        "years_of_experience": 0,
        "default_visit_minutes": 30,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "min_booking_notice_minutes": 60,
        "booking_horizon_days": 30,
        "availability-TOTAL_FORMS": 0,
        "availability-INITIAL_FORMS": 0,
        "time_off-TOTAL_FORMS": 1,
        "time_off-INITIAL_FORMS": 0,
        "time_off-0-start_0": "2026-06-02",
        "time_off-0-start_1": "08:00",
        "time_off-0-end_0": "2026-06-02",
        "time_off-0-end_1": "12:00",
        "time_off-0-reason": "Sick",
    }
    response = client.post(url, form, follow=True)
    assert response.redirect_chain, response.content[:3000]

    time_off = clinic_doctor.time_off.get()
    assert (time_off.start, time_off.end) == (
        TUESDAY_9 - timedelta(hours=1),
        TUESDAY_9 + timedelta(hours=3),
    )
    assert Appointment.objects.get(pk=booked.pk).status == Status.BOOKED
    (warning,) = [m for m in response.context["messages"] if m.level == WARNING]
    text = str(warning)
    assert "2026-06-02 09:00 Zoë Ångström" in text  # the booking on the receptionist's clock
    assert "not cancelled" in text and "resolved" in text
    assert "Zoë Ångström" in response.content.decode()
