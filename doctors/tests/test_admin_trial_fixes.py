"""The doctor admin as the front desk meets it: whom it offers for a new profile, every field
mistake of a submit at once, and time off on the reader's clock."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import timezone

from doctors import services
from doctors.models import Doctor, TimeOff
from doctors.tests.factories import make_doctor
from users.models import Role, User
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/doctors/doctor/add/"
NOW = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)  # Europe/Berlin
    return client


def change_url(doctor: Doctor) -> str:
    return f"/admin/doctors/doctor/{doctor.pk}/change/"


def profile_form(**fields) -> dict:
    return {
        "license_number": "LIC-NEW-1",
        "years_of_experience": 4,
        "timezone": "Europe/Berlin",
        "accepting_new_patients": "on",
        "default_visit_minutes": 30,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "min_booking_notice_minutes": 60,
        "booking_horizon_days": 90,
        **fields,
    }


def offered_accounts(response) -> set[str]:
    field = response.context["adminform"].form.fields["user"]
    return {str(value) for value, _ in field.choices if value}


def test_the_account_picker_offers_only_active_doctor_accounts_without_a_profile(
    staff_client, staff, admin_user
):
    free = UserFactory(role=Role.DOCTOR, full_name="Dr Free Account")
    deactivated = UserFactory(role=Role.DOCTOR, full_name="Dr Gone")
    User.objects.filter(pk=deactivated.pk).update(is_active=False)
    with_profile = make_doctor().user
    patient = UserFactory(role=Role.PATIENT)

    page = staff_client.get(ADD)

    assert page.status_code == 200
    assert offered_accounts(page) == {str(free.pk)}
    shown = page.content.decode()
    assert "Dr Free Account" in shown
    for other in (deactivated, with_profile, patient, staff, admin_user):
        assert other.email not in shown


def test_an_account_sent_anyway_is_refused_by_the_service_with_its_reason(staff_client):
    taken = make_doctor().user  # e.g. given its profile at another desk meanwhile
    refused = staff_client.post(ADD, profile_form(user=str(taken.pk)))
    assert refused.status_code == 200
    assert b"This doctor already has a profile." in refused.content


def test_one_add_submit_lists_every_field_mistake_then_the_services(staff_client):
    account = UserFactory(role=Role.DOCTOR)
    other = make_doctor()
    form = profile_form(
        user=str(account.pk),
        license_number=other.license_number,  # the service's rule
        years_of_experience="ten",  # the form field's
        timezone="Mars/Olympus",  # the model fields' validators
        default_visit_minutes=2,
    )

    first = staff_client.post(ADD, form)

    assert first.status_code == 200
    errors = first.context["adminform"].form.errors
    assert set(errors) == {"years_of_experience", "timezone", "default_visit_minutes"}
    assert "'Mars/Olympus' is not a known IANA time zone." in errors["timezone"]
    assert not Doctor.objects.filter(user=account).exists()

    fixed = {**form, "years_of_experience": 4, "timezone": "Europe/Berlin"}
    second = staff_client.post(ADD, {**fixed, "default_visit_minutes": 30})
    assert second.context["adminform"].form.errors == {
        "license_number": ["Another doctor has this license number."]
    }

    added = staff_client.post(ADD, {**fixed, "default_visit_minutes": 30, "license_number": "L-9"})
    assert added.status_code == 302
    assert Doctor.objects.get(user=account).license_number == "L-9"


def test_one_change_submit_lists_every_field_mistake(staff_client):
    doctor = make_doctor()
    form = {
        **profile_form(
            license_number=doctor.license_number,
            years_of_experience=-1,  # the form field's rule
            timezone="Nowhere",  # the model fields' validators
            booking_horizon_days=0,
        ),
        "availability-TOTAL_FORMS": 0,
        "availability-INITIAL_FORMS": 0,
        "time_off-TOTAL_FORMS": 0,
        "time_off-INITIAL_FORMS": 0,
    }

    response = staff_client.post(change_url(doctor), form)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"years_of_experience", "timezone", "booking_horizon_days"}
    doctor.refresh_from_db()
    assert doctor.timezone == "Europe/Berlin" and doctor.years_of_experience == 0

    good = staff_client.post(change_url(doctor), {**form, **profile_form(
        license_number=doctor.license_number, years_of_experience=12, bio="Cardiologist."
    )})  # fmt: skip
    assert good.status_code == 302, good.content[:3000]
    doctor.refresh_from_db()
    assert (doctor.years_of_experience, doctor.bio) == (12, "Cardiologist.")


def test_time_off_reads_on_the_signed_in_users_clock(staff_client, staff):
    doctor = make_doctor()
    with time_machine.travel(NOW, tick=False):
        time_off = services.time_off_create(
            actor=staff,
            doctor=doctor,
            start=datetime(2026, 12, 16, 8, 0, tzinfo=UTC),  # 09:00 in Berlin (winter)
            end=datetime(2026, 12, 16, 16, 0, tzinfo=UTC),
            reason="Congress",
        )
        page = staff_client.get(change_url(doctor)).content.decode()

    assert "2026-12-16 09:00 - 2026-12-16 17:00" in page
    assert "2026-12-16 08:00 - 2026-12-16 16:00" not in page
    with timezone.override("America/New_York"):
        assert str(time_off) == "2026-12-16 03:00 - 2026-12-16 11:00"
    assert str(TimeOff()) == "Time off"


def test_the_time_off_inline_is_headed_time_off(staff_client):
    page = staff_client.get(change_url(make_doctor())).content.decode()
    assert re.search(r'id="time_off-heading"[^>]*>\s*Time off\s*</h2>', page)
    assert "Time offs" not in page
