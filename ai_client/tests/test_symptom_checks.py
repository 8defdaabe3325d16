"""POST /api/v1/ai/symptom-check/ and the history at /api/v1/ai/symptom-checks/, with the
inference service replaced by a handler (the contract tests use the real one)."""

from datetime import date, time

import httpx
import pytest
from django.test import override_settings

from ai_client.models import SymptomCheck
from core.api import throttles
from core.models import AuditEvent
from core.testing import DEAD_REDIS_CACHES, assert_error
from doctors.tests.factories import make_doctor
from patients.models import Patient

RUN = "/api/v1/ai/symptom-check/"
HISTORY = "/api/v1/ai/symptom-checks/"
EVERY_DAY = {day: (time(8), time(18)) for day in range(7)}


@pytest.fixture
def dermatologist(db):
    return make_doctor(specialties=("Dermatology",), weekly=EVERY_DAY, timezone="UTC")


def run(client_for, user, body):
    return client_for(user).post(RUN, body, format="json")


def test_a_patient_checks_symptoms_and_is_offered_doctors_with_a_free_slot(
    client_for, patient, fake_inference, dermatologist
):
    Patient.objects.filter(user=patient).update(date_of_birth=date(1990, 5, 17), sex="female")
    response = run(client_for, patient, {"text": "itchy skin on my arms"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["urgency"] == "routine" and body["output"]["disclaimer"]
    assert fake_inference.sent() == {
        "symptoms": [],
        "text": "itchy skin on my arms",
        "sex": "female",
        "age": fake_inference.sent()["age"],
    }
    assert 35 <= fake_inference.sent()["age"] <= 37
    recommendation = body["recommendation"]
    assert recommendation["specialty"] == "dermatology" and not recommendation["fallback"]
    [offered] = recommendation["doctors"]
    assert offered["id"] == str(dermatologist.pk)
    assert offered["next_free_slot"]["start"]
    check = SymptomCheck.objects.get(pk=body["id"])
    assert check.patient.user == patient and check.model_version == "triage-test"
    assert AuditEvent.objects.filter(
        resource_type="symptom_check", resource_id=str(check.pk), action="create"
    ).exists()


def test_an_emergency_offers_no_booking(client_for, patient, fake_inference, dermatologist):
    fake_inference.handler = lambda request: fake_inference.analysis(
        request,
        urgency="emergency",
        specialty="emergency-medicine",
        booking_offered=False,
        red_flags=[{"code": "possible_heart_attack", "message": "Chest pain."}],
    )
    body = run(client_for, patient, {"text": "chest pain and I can't breathe"}).json()
    assert body["urgency"] == "emergency"
    assert body["recommendation"] is None


def test_a_cache_outage_does_not_stop_a_symptom_check(
    client_for, patient, fake_inference, dermatologist
):
    """The AI throttle's counters live in the cache; without it the check still runs."""
    throttles.outage.reset()
    with override_settings(CACHES=DEAD_REDIS_CACHES):
        response = run(client_for, patient, {"text": "itchy skin on my arms"})
    throttles.outage.reset()
    assert response.status_code == 201, response.content


def test_with_no_doctor_of_the_specialty_family_doctors_are_offered(
    client_for, patient, fake_inference
):
    family = make_doctor(specialties=("Family medicine",), weekly=EVERY_DAY, timezone="UTC")
    fake_inference.handler = lambda request: fake_inference.analysis(
        request, specialty="ophthalmology"
    )
    recommendation = run(client_for, patient, {"symptoms": ["eye_redness"]}).json()[
        "recommendation"
    ]
    assert recommendation["fallback"] is True and recommendation["searched"] == "family-medicine"
    assert [doctor["id"] for doctor in recommendation["doctors"]] == [str(family.pk)]


def test_a_doctor_who_takes_no_new_patients_is_not_offered(
    client_for, patient, fake_inference, dermatologist
):
    dermatologist.accepting_new_patients = False
    dermatologist.save()
    recommendation = run(client_for, patient, {"text": "itchy"}).json()["recommendation"]
    assert recommendation["doctors"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "symptoms"),
        ({"symptoms": [], "text": "   "}, "symptoms"),
        ({"text": "x" * 10_000}, "text"),
        ({"symptoms": "cough"}, "symptoms"),
        ({"symptoms": [{"code": "cough"}]}, "symptoms"),
        ({"symptoms": ["cough"] * 51}, "symptoms"),
        ({"symptoms": ["x" * 65]}, "symptoms"),
        ({"text": 12345}, "text"),
        ({"text": ["chest pain"]}, "text"),
    ],
    ids=[
        "nothing",
        "blank",
        "10-kB-text",
        "not-a-list",
        "objects",
        "too-many",
        "long-code",
        "number-as-text",
        "list-as-text",
    ],
)
def test_bad_input_is_refused_before_the_service_is_asked(
    client_for, patient, fake_inference, body, field
):
    error = assert_error(run(client_for, patient, body), 400, "validation_error")
    assert field in error["fields"]
    assert fake_inference.calls == []
    assert not SymptomCheck.objects.exists()


def test_malformed_json_is_a_400(client_for, patient, fake_inference):
    response = client_for(patient).post(RUN, "{not json", content_type="application/json")
    assert_error(response, 400)


def test_unknown_codes_come_back_as_a_400_naming_them(client_for, patient, fake_inference):
    fake_inference.handler = lambda request: httpx.Response(
        422,
        json={
            "error": {
                "code": "unknown_symptoms",
                "message": "Unknown symptom codes: elbow_wobble.",
                "fields": {"symptoms": ["Unknown symptom codes: elbow_wobble."]},
            }
        },
    )
    error = assert_error(
        run(client_for, patient, {"symptoms": ["elbow_wobble"]}), 400, "unknown_symptoms"
    )
    assert "elbow_wobble" in error["fields"]["symptoms"][0]
    assert not SymptomCheck.objects.exists()


@pytest.mark.parametrize("role", ["doctor", "staff", "admin_user"])
def test_only_patients_run_a_check(client_for, fake_inference, request, role):
    user = request.getfixturevalue(role)
    assert_error(run(client_for, user, {"text": "cough"}), 403)
    assert fake_inference.calls == []


def test_anonymous_callers_are_refused(api_client, fake_inference):
    assert_error(api_client.post(RUN, {"text": "cough"}, format="json"), 401)


def test_a_service_that_is_down_gives_a_503_and_stores_nothing(client_for, patient, dead_inference):
    error = assert_error(run(client_for, patient, {"text": "cough"}), 503, "ai_unavailable")
    assert "unavailable" in error["message"]
    assert not SymptomCheck.objects.exists()


# --- history ---------------------------------------------------------------------------------


@pytest.fixture
def checks(client_for, patient, other_patient, fake_inference):
    """Two checks of `patient`, one of `other_patient`."""
    mine = [run(client_for, patient, {"text": f"itchy {n}"}).json()["id"] for n in range(2)]
    theirs = run(client_for, other_patient, {"text": "itchy"}).json()["id"]
    return mine, theirs


def ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def test_a_patient_reads_only_their_own_checks(client_for, patient, checks):
    mine, theirs = checks
    assert ids(client_for(patient).get(HISTORY)) == set(mine)
    assert client_for(patient).get(f"{HISTORY}{mine[0]}/").json()["id"] == mine[0]
    assert_error(client_for(patient).get(f"{HISTORY}{theirs}/"), 404)


def test_a_linked_doctor_reads_their_patients_checks(
    client_for, doctor, patient, other_patient, checks, link
):
    mine, theirs = checks
    link(doctor, patient)
    patient_id = str(Patient.objects.get(user=patient).pk)
    api = client_for(doctor)
    assert ids(api.get(HISTORY)) == set(mine)
    assert ids(api.get(HISTORY, {"patient": patient_id})) == set(mine)
    assert api.get(f"{HISTORY}{mine[0]}/").status_code == 200
    assert AuditEvent.objects.filter(
        actor=doctor, action="view", resource_type="symptom_check", resource_id=mine[0]
    ).exists()
    other_id = str(Patient.objects.get(user=other_patient).pk)
    assert_error(api.get(f"{HISTORY}{theirs}/"), 404)
    assert_error(api.get(HISTORY, {"patient": other_id}), 404)


def test_an_unlinked_doctor_reads_nothing(client_for, doctor, patient, checks):
    mine, _ = checks
    assert ids(client_for(doctor).get(HISTORY)) == set()
    assert_error(client_for(doctor).get(f"{HISTORY}{mine[0]}/"), 404)
    patient_id = str(Patient.objects.get(user=patient).pk)
    assert_error(client_for(doctor).get(HISTORY, {"patient": patient_id}), 404)


@pytest.mark.parametrize("bad", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "a\x00"])
def test_unknown_ids_answer_404(client_for, patient, checks, bad):
    assert_error(client_for(patient).get(HISTORY, {"patient": bad}), 404)
    assert_error(client_for(patient).get(f"{HISTORY}{bad}/"), 404)


@pytest.mark.parametrize("role", ["staff", "admin_user"])
def test_staff_do_not_read_symptom_checks_through_the_api(client_for, request, role, checks):
    mine, _ = checks
    user = request.getfixturevalue(role)
    assert_error(client_for(user).get(HISTORY), 403)
    assert_error(client_for(user).get(f"{HISTORY}{mine[0]}/"), 403)


def test_the_history_costs_the_same_queries_for_any_page_size(
    client_for, patient, fake_inference, django_assert_max_num_queries
):
    for n in range(12):
        run(client_for, patient, {"text": f"itchy {n}"})
    api = client_for(patient)
    with django_assert_max_num_queries(8):
        small = api.get(HISTORY, {"page_size": 2})
    with django_assert_max_num_queries(8):
        large = api.get(HISTORY, {"page_size": 12})
    assert len(small.json()["results"]) == 2 and len(large.json()["results"]) == 12


@pytest.mark.parametrize(
    "answer",
    [
        {"urgency": "whenever"},
        {"model_version": "x" * 65},
        {"booking_offered": "yes"},
        {"specialty": None},
    ],
    ids=["urgency", "long-version", "booking-flag", "specialty"],
)
def test_an_answer_of_the_wrong_shape_is_a_503_and_stores_nothing(
    client_for, patient, fake_inference, answer
):
    fake_inference.handler = lambda request: fake_inference.analysis(request, **answer)
    assert_error(run(client_for, patient, {"text": "itchy"}), 503, "ai_unavailable")
    assert not SymptomCheck.objects.exists()


def test_an_answer_that_recognised_nothing_offers_no_doctors(client_for, patient, fake_inference):
    fake_inference.handler = lambda request: fake_inference.analysis(
        request, booking_offered=False, conditions=[], symptoms_present=[]
    )
    body = run(client_for, patient, {"text": "my elbow feels wobbly"}).json()
    assert body["recommendation"] is None


def test_urgent_results_offer_only_slots_within_a_day(client_for, patient, fake_inference):
    later = {(date.today().weekday() + 4) % 7: (time(8), time(18))}
    make_doctor(specialties=("Dermatology",), weekly=later, timezone="UTC")
    make_doctor(specialties=("Family medicine",), weekly=later, timezone="UTC")
    fake_inference.handler = lambda request: fake_inference.analysis(request, urgency="urgent")
    urgent = run(client_for, patient, {"text": "spreading redness"}).json()["recommendation"]
    assert urgent["doctors"] == []
    fake_inference.handler = lambda request: fake_inference.analysis(request, urgency="routine")
    routine = run(client_for, patient, {"text": "itchy"}).json()["recommendation"]
    assert len(routine["doctors"]) == 1 and routine["fallback"] is False


def test_the_history_filters_by_urgency(client_for, patient, fake_inference):
    run(client_for, patient, {"text": "itchy"})
    fake_inference.handler = lambda request: fake_inference.analysis(
        request, urgency="emergency", booking_offered=False
    )
    run(client_for, patient, {"text": "chest pain, sweating"})
    api = client_for(patient)
    urgent = api.get(HISTORY, {"urgency": "emergency"}).json()["results"]
    assert [item["urgency"] for item in urgent] == ["emergency"]
    assert_error(api.get(HISTORY, {"urgency": "whenever"}), 400)
    oldest_first = api.get(HISTORY, {"ordering": "created_at"}).json()["results"]
    assert [item["urgency"] for item in oldest_first] == ["routine", "emergency"]


def test_reading_a_check_in_the_admin_is_audited(
    client, admin_user, patient, fake_inference, client_for
):
    check_id = run(client_for, patient, {"text": "itchy"}).json()["id"]
    client.force_login(admin_user)
    response = client.get(f"/admin/ai_client/symptomcheck/{check_id}/change/")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        actor=admin_user, action="view", resource_type="symptom_check", resource_id=check_id
    ).exists()


def test_the_symptom_list_is_for_patients_and_doctors(
    client_for, api_client, patient, doctor, staff, fake_inference
):
    fake_inference.handler = lambda request: httpx.Response(
        200, json=[{"code": "cough", "name": "Cough"}]
    )
    for user in (patient, doctor):
        assert client_for(user).get("/api/v1/ai/symptoms/").json() == [
            {"code": "cough", "name": "Cough"}
        ]
    assert_error(client_for(staff).get("/api/v1/ai/symptoms/"), 403)
    assert_error(api_client.get("/api/v1/ai/symptoms/"), 401)


def test_the_symptom_list_is_a_503_while_the_service_is_down(client_for, patient, dead_inference):
    assert_error(client_for(patient).get("/api/v1/ai/symptoms/"), 503, "ai_unavailable")
