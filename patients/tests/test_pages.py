"""The doctor's patient list and the patient's access log, as pages."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.models import AuditAction, AuditEvent
from patients.services import care_assignment_create
from patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

MY_PATIENTS = "/patients/"
ACCESS_LOG = "/account/access-log/"


def link(staff, doctor, patient_profile) -> None:
    care_assignment_create(actor=staff, doctor=doctor.doctor_profile, patient=patient_profile)


def queries(client, url: str) -> int:
    """The queries of one GET, once the process's caches (content types) are warm."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, response.content[:500]
    return len(captured)


# --- my-patients -------------------------------------------------------------------------


def test_a_doctor_sees_linked_patients_each_opening_the_chart(
    client, linked, patient, other_patient
):
    client.force_login(linked)
    response = client.get(MY_PATIENTS)
    assert response.status_code == 200
    body = response.content.decode()
    assert patient.full_name in body
    assert f'href="/patients/{patient.patient_profile.pk}/"' in body
    assert other_patient.full_name not in body  # not linked


def test_each_patient_listed_is_audited_as_viewed(client, linked, patient):
    client.force_login(linked)
    client.get(MY_PATIENTS)
    event = AuditEvent.objects.get(actor=linked, action=AuditAction.VIEW, resource_type="patient")
    assert event.patient == patient


def test_search_by_name_with_unicode(client, doctor, staff):
    zoe = make_patient(full_name="Zoë Ångström")
    bob = make_patient(full_name="Bob Builder")
    for profile in (zoe, bob):
        link(staff, doctor, profile)
    client.force_login(doctor)
    body = client.get(MY_PATIENTS, {"q": "Ångström"}).content.decode()
    assert "Zoë Ångström" in body and "Bob Builder" not in body
    assert 'value="Ångström"' in body  # the search stays in the box
    none = client.get(MY_PATIENTS, {"q": "nobody-like-this"}).content.decode()
    assert "No patient of yours matches" in none


def test_a_huge_search_is_refused_next_to_the_field(client, linked):
    client.force_login(linked)
    response = client.get(MY_PATIENTS, {"q": "x" * 5000})
    assert response.status_code == 400
    assert b"at most 150 characters" in response.content


def test_a_bad_page_number_shows_a_page(client, linked, patient):
    client.force_login(linked)
    for page in ("abc", "-1", "999999"):
        response = client.get(MY_PATIENTS, {"page": page})
        assert response.status_code == 200
        assert patient.full_name.encode() in response.content


def test_my_patients_refuses_other_roles(client, patient, staff, admin_user):
    response = client.get(MY_PATIENTS)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for user in (patient, staff, admin_user):
        client.force_login(user)
        assert client.get(MY_PATIENTS).status_code == 404


def test_my_patients_queries_do_not_grow_with_the_list(
    client, doctor, staff, django_assert_max_num_queries
):
    for _ in range(2):
        link(staff, doctor, make_patient())
    client.force_login(doctor)
    few = queries(client, MY_PATIENTS)
    for _ in range(18):
        link(staff, doctor, make_patient())
    with django_assert_max_num_queries(8):
        response = client.get(MY_PATIENTS)
    assert response.content.count(b'<th scope="row"><a href="/patients/') == 20
    assert queries(client, MY_PATIENTS) == few


# --- access-log --------------------------------------------------------------------------


def read_by(doctor, copies: int = 1) -> None:
    """The doctor opens their patient list: each patient shown is in that patient's log."""
    reader = Client()
    reader.force_login(doctor)
    for _ in range(copies):
        assert reader.get(MY_PATIENTS).status_code == 200


def test_the_patient_sees_who_read_their_data(client, linked, patient):
    read_by(linked)
    client.force_login(patient)
    response = client.get(ACCESS_LOG)
    assert response.status_code == 200
    body = response.content.decode()
    assert linked.full_name in body
    assert "<td>Doctor</td>" in body and "<td>View</td>" in body and "<td>Patient</td>" in body


def test_own_views_only_when_asked(client, linked, patient):
    read_by(linked)
    own = APIClient()
    own.force_authenticate(patient)
    assert own.get("/api/v1/patients/me/").status_code == 200  # the patient reads their own
    client.force_login(patient)
    hidden = client.get(ACCESS_LOG).content.decode()
    shown = client.get(ACCESS_LOG, {"include_own": "1"}).content.decode()
    own_row = f'<th scope="row">{patient.full_name}</th>'
    assert own_row not in hidden
    assert own_row in shown
    assert "checked" in shown


def test_the_newest_access_comes_first(client, linked, patient):
    read_by(linked, copies=2)
    client.force_login(patient)
    client.get(ACCESS_LOG)
    body = client.get(ACCESS_LOG).content.decode()
    times = [chunk.split('"')[0] for chunk in body.split('<time datetime="')[1:]]
    assert times == sorted(times, reverse=True)


def test_the_access_log_is_the_patients_only(client, linked, patient, other_patient, staff):
    read_by(linked)
    client.force_login(other_patient)
    body = client.get(ACCESS_LOG).content.decode()
    assert linked.full_name not in body
    for user in (linked, staff):
        client.force_login(user)
        assert client.get(ACCESS_LOG).status_code == 404
    client.logout()
    response = client.get(ACCESS_LOG)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_bad_access_log_input_never_breaks(client, patient):
    client.force_login(patient)
    for query in ({"include_own": "maybe"}, {"page": "x"}, {"include_own": "1" * 500}):
        assert client.get(ACCESS_LOG, query).status_code == 200


def test_the_access_log_queries_do_not_grow(client, linked, patient, django_assert_max_num_queries):
    read_by(linked, copies=1)  # the care link and a view: 2 rows
    client.force_login(patient)
    few = queries(client, ACCESS_LOG)
    read_by(linked, copies=18)  # 20 rows
    with django_assert_max_num_queries(8):
        response = client.get(ACCESS_LOG)
    assert response.content.count(b"<time datetime=") == 20
    assert queries(client, ACCESS_LOG) == few
