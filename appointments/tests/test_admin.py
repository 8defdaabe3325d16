from datetime import timedelta

import pytest

from appointments import services
from appointments.models import Appointment, Status
from appointments.tests.conftest import TUESDAY_9
from patients.tests.factories import make_patient
from users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_admin_booking_goes_through_the_service_and_shows_a_clash(
    staff_client, clinic_doctor, patient, other_patient
):
    form = {
        "doctor": str(clinic_doctor.pk),
        "patient": str(patient.patient_profile.pk),
        "start_0": "2026-06-02",
        "start_1": "09:00:00",  # the receptionist (Europe/Berlin) types her own clock
        "reason": "Check-up",
    }
    response = staff_client.post("/admin/appointments/appointment/add/", form)
    assert response.status_code == 302, response.content[:3000]
    appointment = Appointment.objects.get()
    assert appointment.start == TUESDAY_9  # 07:00 UTC is 09:00 in Berlin in summer
    assert appointment.end == TUESDAY_9 + timedelta(minutes=30)
    listed = staff_client.get("/admin/appointments/appointment/")
    assert b"9 a.m." in listed.content and b"7 a.m." not in listed.content
    change = staff_client.get(f"/admin/appointments/appointment/{appointment.pk}/change/")
    assert b"at 2026-06-02 09:00" in change.content  # its title, on the same clock
    assert b"at 2026-06-02 07:00" not in change.content

    clash = staff_client.post(
        "/admin/appointments/appointment/add/",
        {**form, "patient": str(other_patient.patient_profile.pk)},
    )
    assert clash.status_code == 200
    assert b"no longer free" in clash.content
    assert Appointment.objects.count() == 1


def test_admin_actions_call_the_services(staff_client, clinic_doctor, patient, frozen):
    appointment = services.appointment_book(
        actor=patient, doctor=clinic_doctor, patient=patient.patient_profile, start=TUESDAY_9
    )
    url = "/admin/appointments/appointment/"
    staff_client.post(
        url, {"action": "no_show_selected", "_selected_action": [str(appointment.pk)]}
    )
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED  # too early: refused by the service
    frozen.move_to(TUESDAY_9 - timedelta(minutes=30))  # check-in opens on the day
    staff_client.post(
        url, {"action": "check_in_selected", "_selected_action": [str(appointment.pk)]}
    )
    appointment.refresh_from_db()
    assert appointment.status == Status.ARRIVED
    page = staff_client.get(url, {"status__exact": "arrived"})
    assert patient.full_name.encode() in page.content


CHANGELIST = "/admin/appointments/appointment/"


def book(patient_user, doctor, start, actor=None):
    return services.appointment_book(
        actor=actor or patient_user,
        doctor=doctor,
        patient=patient_user.patient_profile,
        start=start,
    )


def test_staff_confirm_pending_requests_from_the_list(staff_client, clinic_doctor, patient):
    clinic_doctor.requires_confirmation = True
    clinic_doctor.save(update_fields=["requires_confirmation"])
    request = book(patient, clinic_doctor, TUESDAY_9)
    assert request.status == Status.PENDING
    staff_client.post(
        CHANGELIST, {"action": "confirm_selected", "_selected_action": [str(request.pk)]}
    )
    request.refresh_from_db()
    assert request.status == Status.BOOKED


def test_staff_reschedule_through_the_service_and_a_clash_is_a_form_error(
    staff_client, clinic_doctor, patient, other_patient
):
    appointment = book(patient, clinic_doctor, TUESDAY_9)
    book(other_patient, clinic_doctor, TUESDAY_9 + timedelta(hours=1))  # 10:00 Berlin is taken
    chosen = staff_client.post(
        CHANGELIST, {"action": "reschedule_selected", "_selected_action": [str(appointment.pk)]}
    )
    url = f"{CHANGELIST}{appointment.pk}/reschedule/"
    assert chosen.status_code == 302 and chosen["Location"] == url
    assert b"Move the appointment" in staff_client.get(url).content

    taken = staff_client.post(url, {"start_0": "2026-06-02", "start_1": "10:00:00"})
    assert taken.status_code == 200 and b"no longer free" in taken.content
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED

    moved = staff_client.post(url, {"start_0": "2026-06-02", "start_1": "11:00:00"})  # Berlin
    assert moved.status_code == 302
    new = Appointment.objects.get(rescheduled_from=appointment)
    assert new.start == TUESDAY_9 + timedelta(hours=2) and new.status == Status.BOOKED
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED


def test_the_slot_picker_lists_a_days_free_slots_on_the_receptionists_clock(
    staff_client, clinic_doctor, patient
):
    book(patient, clinic_doctor, TUESDAY_9)
    answer = staff_client.get(
        f"{CHANGELIST}slots/", {"doctor": str(clinic_doctor.pk), "day": "2026-06-02"}
    )
    assert answer.status_code == 200
    times = [slot["time"] for slot in answer.json()["slots"]]
    assert times[0] == "09:30" and "09:00" not in times  # Berlin staff; 09:00 is booked
    assert len(times) == 16 - 1
    for params, status in [
        ({"doctor": str(clinic_doctor.pk), "day": "June 2"}, 400),
        ({"doctor": str(clinic_doctor.pk), "day": "9999-12-31"}, 400),
        ({"doctor": "not-a-uuid", "day": "2026-06-02"}, 404),
        ({"day": "2026-06-02"}, 404),
    ]:
        refused = staff_client.get(f"{CHANGELIST}slots/", params)
        assert refused.status_code == status, params
        assert set(refused.json()["error"]) == {"code", "message", "fields"}


def test_the_slot_picker_is_for_staff_only(client, clinic_doctor, patient):
    client.force_login(patient)
    answer = client.get(
        f"{CHANGELIST}slots/", {"doctor": str(clinic_doctor.pk), "day": "2026-06-02"}
    )
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]


def test_the_list_shows_what_comes_next_first(staff_client, clinic_doctor, patient, frozen):
    past = book(patient, clinic_doctor, TUESDAY_9)
    later = book(patient, clinic_doctor, TUESDAY_9 + timedelta(days=2))
    sooner = book(patient, clinic_doctor, TUESDAY_9 + timedelta(days=1))
    frozen.move_to(TUESDAY_9 + timedelta(hours=3))  # the first is over
    page = staff_client.get(CHANGELIST)
    rows = list(page.context["cl"].result_list)
    assert [row.pk for row in rows] == [sooner.pk, later.pk, past.pk]


@pytest.mark.parametrize("typed", ["maria", "MARIA munoz", "Muñoz", "jose"])
def test_search_ignores_accents_and_case(staff_client, clinic_doctor, typed):
    maria = make_patient(full_name="María José Muñoz").user
    other = make_patient(full_name="Mark Smith").user
    # The search reads the doctor's name too: one the random factory might make "Josefine".
    User.objects.filter(pk=clinic_doctor.user_id).update(full_name="Dr. Henrik Vale")
    book(maria, clinic_doctor, TUESDAY_9)
    book(other, clinic_doctor, TUESDAY_9 + timedelta(hours=1))
    rows = list(staff_client.get(CHANGELIST, {"q": typed}).context["cl"].result_list)
    assert [row.patient.user.full_name for row in rows] == ["María José Muñoz"]
