from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.models import AuditAction, AuditEvent
from core.testing import assert_error
from doctors.tests.factories import make_doctor
from patients import services
from patients.models import CareAssignment, Patient
from patients.tests.factories import make_patient
from users.models import Role, User
from users.tests.factories import PASSWORD, UserFactory, system_admin
from users.tests.utils import client_for

pytestmark = pytest.mark.django_db

PATIENTS = "/api/v1/patients/"
CARE = "/api/v1/care-assignments/"


def test_self_registration_opens_a_patient_record(api_client):
    response = api_client.post(
        "/api/v1/auth/register/",
        {"email": "ana@example.com", "password": "Lantern-river-93", "full_name": "Ana Lima"},
    )
    assert response.status_code == 201
    patient = Patient.objects.get(user__email="ana@example.com")
    assert patient.user.has_perm("patients.view_patient", patient)
    assert patient.user.has_perm("patients.change_patient", patient)


def test_self_registration_takes_a_date_of_birth_and_sex(api_client):
    response = api_client.post(
        "/api/v1/auth/register/",
        {
            "email": "bjorn@example.com",
            "password": "Lantern-river-93",
            "full_name": "Björn Åberg",
            "date_of_birth": "1971-02-28",
            "sex": "male",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    patient = Patient.objects.get(user__email="bjorn@example.com")
    assert (patient.date_of_birth, patient.sex) == (date(1971, 2, 28), "male")


IMPOSSIBLE_BIRTH_DATES = ["9999-12-31", "0001-01-01", "1850-06-01"]


@pytest.mark.parametrize("born", [*IMPOSSIBLE_BIRTH_DATES, "tomorrow"])
def test_every_door_refuses_the_same_dates_of_birth(api_client, patient, staff, born):
    """Self-registration, the desk and the patient's own profile share one validator."""
    if born == "tomorrow":
        born = (timezone.localdate() + timedelta(days=1)).isoformat()
    registered = api_client.post(
        "/api/v1/auth/register/",
        {"email": "new@example.com", "password": "Lantern-river-93", "full_name": "New",
         "date_of_birth": born},
        format="json",
    )  # fmt: skip
    at_the_desk = client_for(staff).post(
        PATIENTS,
        {"email": "desk@example.com", "full_name": "Desk", "date_of_birth": born},
        format="json",
    )
    own_profile = client_for(patient).patch(
        f"{PATIENTS}me/", {"date_of_birth": born}, format="json"
    )
    for response in (registered, at_the_desk, own_profile):
        assert "date_of_birth" in assert_error(response, 400)["fields"]
    assert not User.objects.filter(email__in=["new@example.com", "desk@example.com"]).exists()


def test_patient_reads_and_changes_their_record(patient):
    client = client_for(patient)
    body = {
        "date_of_birth": "1985-04-12",
        "sex": "female",
        "blood_group": "AB-",
        "allergies": "Penicillin",
        "emergency_contact_name": "José Núñez",
        "emergency_contact_phone": "+34612345678",
        "insurance": {"provider": "AOK", "member_id": "A123", "group_number": "G9"},
    }
    response = client.patch(f"{PATIENTS}me/", body, format="json")
    assert response.status_code == 200, response.content
    again = client.get(f"{PATIENTS}me/").json()
    assert again["insurance"] == body["insurance"]
    assert again["emergency_contact_name"] == "José Núñez"
    assert again["email"] == patient.email
    actions = set(AuditEvent.objects.filter(patient=patient).values_list("action", flat=True))
    assert {AuditAction.UPDATE, AuditAction.VIEW} <= actions


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date_of_birth": "tomorrow"}, "date_of_birth"),  # resolved when the test runs
        ({"date_of_birth": "12/04/1985"}, "date_of_birth"),
        ({"blood_group": "C+"}, "blood_group"),
        ({"sex": "robot"}, "sex"),
        ({"emergency_contact_phone": "call me"}, "emergency_contact_phone"),
        ({"insurance": {"provider": "x" * 101}}, "insurance"),
        ({"insurance": {"colour": "blue"}}, "insurance"),
        ({"insurance": "AOK"}, "insurance"),
        ({"user": "00000000-0000-0000-0000-000000000000"}, "user"),
        ({"allergies": "x" * 3000}, "allergies"),
    ],
)
def test_patient_record_bad_input(patient, body, field):
    if body.get("date_of_birth") == "tomorrow":  # not at collection, which may be before midnight
        body = {"date_of_birth": (timezone.localdate() + timedelta(days=1)).isoformat()}
    response = client_for(patient).patch(f"{PATIENTS}me/", body, format="json")
    assert field in assert_error(response, 400)["fields"], response.json()
    record = Patient.objects.get(user=patient)
    assert record.date_of_birth is None and record.insurance == {}


@pytest.mark.parametrize("encoding", ["multipart", "json"])
def test_insurance_null_is_refused_in_any_encoding(patient, staff, encoding):
    # A form's "null" reaches the service as None, which full_clean lets past (the field may be
    # blank); the column may not be NULL. It was a 500 before.
    body = {"insurance": "null" if encoding == "multipart" else None}
    response = client_for(patient).patch(f"{PATIENTS}me/", body, format=encoding)
    assert "insurance" in assert_error(response, 400)["fields"]
    assert Patient.objects.get(user=patient).insurance == {}
    desk = {"email": "null.insurance@example.com", "full_name": "Null Insurance", **body}
    response = client_for(staff).post(PATIENTS, desk, format=encoding)
    assert "insurance" in assert_error(response, 400)["fields"]
    assert not User.objects.filter(email="null.insurance@example.com").exists()


def test_staff_register_a_patient_at_the_desk(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            PATIENTS,
            {"email": "Walk.In@Example.com", "full_name": "Walk In", "date_of_birth": "1990-01-02"},
            format="json",
        )
    assert response.status_code == 201, response.content
    patient = Patient.objects.get(user__email="walk.in@example.com")
    assert patient.date_of_birth == date(1990, 1, 2)
    assert patient.user.role == Role.PATIENT
    assert mail.outbox and "/accounts/reset/" in mail.outbox[0].body


def test_desk_registration_with_bad_profile_creates_no_account(staff):
    response = client_for(staff).post(
        PATIENTS,
        {"email": "bad@example.com", "full_name": "Bad", "date_of_birth": "2999-01-01"},
        format="json",
    )
    assert "date_of_birth" in assert_error(response, 400)["fields"]
    assert not User.objects.filter(email="bad@example.com").exists()


def test_list_is_scoped_per_actor(staff, django_assert_max_num_queries):
    first, second, third = make_patient(), make_patient(), make_patient()
    doctor = make_doctor()
    services.care_assignment_create(actor=staff, doctor=doctor, patient=second)

    def ids(user):
        return {row["id"] for row in client_for(user).get(PATIENTS).json()["results"]}

    assert ids(staff) == {str(p.pk) for p in (first, second, third)}
    assert ids(doctor.user) == {str(second.pk)}
    assert ids(first.user) == {str(first.pk)}
    assert ids(UserFactory(role=Role.DOCTOR)) == set()


def test_patient_list_audits_every_patient_shown_in_constant_queries(
    staff, django_assert_max_num_queries
):
    patients = [make_patient() for _ in range(15)]
    client = client_for(staff)
    with django_assert_max_num_queries(5):
        client.get(PATIENTS, {"page_size": 3})
    with django_assert_max_num_queries(5):
        client.get(PATIENTS, {"page_size": 100})
    viewed = AuditEvent.objects.filter(action=AuditAction.VIEW, resource_type="patient")
    assert viewed.count() == 3 + 15
    assert set(viewed.values_list("patient", flat=True)) == {p.user_id for p in patients}


def test_doctor_list_of_patients_stays_constant(django_assert_max_num_queries):
    doctor = make_doctor()
    admin = system_admin()
    for _ in range(12):
        services.care_assignment_create(actor=admin, doctor=doctor, patient=make_patient())
    client = client_for(doctor.user)
    with django_assert_max_num_queries(5):
        small = client.get(PATIENTS, {"page_size": 2})
    with django_assert_max_num_queries(5):
        large = client.get(PATIENTS, {"page_size": 100})
    assert len(small.json()["results"]) == 2 and len(large.json()["results"]) == 12


def test_ending_the_assignment_takes_the_doctor_s_access_away_at_once(staff):
    patient = make_patient()
    doctor = make_doctor()
    response = client_for(staff).post(
        CARE, {"doctor": str(doctor.pk), "patient": str(patient.pk), "note": "Cardiology follow-up"}
    )
    assert response.status_code == 201
    doctor_client = client_for(doctor.user)
    assert doctor_client.get(f"{PATIENTS}{patient.pk}/").status_code == 200

    ended = client_for(staff).post(f"{CARE}{response.json()['id']}/end/")
    assert ended.status_code == 200
    assert ended.json()["active"] is False and ended.json()["ended_at"]
    assert_error(doctor_client.get(f"{PATIENTS}{patient.pk}/"), 404)
    assert doctor_client.get(PATIENTS).json()["results"] == []
    # The history stays visible to the doctor; ending twice is a conflict.
    assert doctor_client.get(f"{CARE}{response.json()['id']}/").status_code == 200
    assert_error(
        client_for(staff).post(f"{CARE}{response.json()['id']}/end/"), 409, "already_ended"
    )


def test_a_second_active_link_of_the_same_pair_is_a_conflict(staff):
    patient, doctor = make_patient(), make_doctor()
    body = {"doctor": str(doctor.pk), "patient": str(patient.pk)}
    client = client_for(staff)
    first = client.post(CARE, body)
    assert first.status_code == 201
    assert_error(client.post(CARE, body), 409, "already_assigned")
    client.post(f"{CARE}{first.json()['id']}/end/")
    assert client.post(CARE, body).status_code == 201  # a new link after the old one ended
    assert CareAssignment.objects.filter(doctor=doctor, patient=patient).count() == 2


def test_one_active_pair_is_a_database_constraint():
    patient, doctor = make_patient(), make_doctor()
    CareAssignment.objects.create(doctor=doctor, patient=patient)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CareAssignment.objects.create(doctor=doctor, patient=patient)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"doctor": "00000000-0000-0000-0000-000000000000"}, "doctor"),
        ({"patient": "00000000-0000-0000-0000-000000000000"}, "patient"),
        ({"doctor": "not-a-uuid"}, "doctor"),
        ({"note": "n" * 501}, "note"),
    ],
)
def test_care_assignment_bad_input(staff, body, field):
    patient, doctor = make_patient(), make_doctor()
    full = {"doctor": str(doctor.pk), "patient": str(patient.pk), **body}
    assert field in assert_error(client_for(staff).post(CARE, full), 400)["fields"]
    assert not CareAssignment.objects.exists()


def test_someone_else_s_ids_answer_404(patient, other_patient):
    record = Patient.objects.get(user=other_patient)
    client = client_for(patient)
    assert_error(client.get(f"{PATIENTS}{record.pk}/"), 404)
    assert_error(client.patch(f"{PATIENTS}{record.pk}/", {"allergies": "x"}), 404)
    assert_error(client.get(f"{PATIENTS}not-a-uuid/"), 404)


def test_care_assignment_lists_are_scoped_and_constant(staff, django_assert_max_num_queries):
    doctor = make_doctor()
    for _ in range(8):
        services.care_assignment_create(actor=staff, doctor=doctor, patient=make_patient())
    other = make_doctor()
    services.care_assignment_create(actor=staff, doctor=other, patient=make_patient())
    doctor_client = client_for(doctor.user)
    with django_assert_max_num_queries(3):
        rows = doctor_client.get(CARE, {"page_size": 100}).json()["results"]
    assert len(rows) == 8
    assert {row["doctor"] for row in rows} == {str(doctor.pk)}
    assert len(client_for(staff).get(CARE, {"active": "true"}).json()["results"]) == 9
    assert_error(client_for(staff).get(CARE, {"active": "sometimes"}), 400)


def test_deactivated_patient_token_stops_working(patient, admin_user):
    client = client_for(patient)
    client_for(admin_user).post(f"/api/v1/users/{patient.pk}/deactivate/")
    assert_error(client.get(f"{PATIENTS}me/"), 401)


def test_login_still_works_for_desk_registered_patient_after_setting_a_password(api_client, staff):
    patient = services.patient_register(
        actor=staff, email="desk@example.com", full_name="Desk", password=PASSWORD
    )
    response = api_client.post(
        "/api/v1/auth/token/", {"email": patient.user.email, "password": PASSWORD}
    )
    assert response.status_code == 200
