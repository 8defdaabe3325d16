"""POST /api/v1/ai/risk-assessment/ and the history at /api/v1/ai/risk-assessments/, with the
inference service replaced by a handler (the contract tests use the real one)."""

from datetime import date

import httpx
import pytest

from ai_client.models import RiskAssessment
from core.testing import assert_error
from patients.models import Patient

RUN = "/api/v1/ai/risk-assessment/"
HISTORY = "/api/v1/ai/risk-assessments/"
FINDRISC = {
    "bmi": 27.1,
    "waist_cm": 95,
    "physically_active": True,
    "eats_vegetables_daily": True,
    "takes_blood_pressure_medication": False,
    "history_of_high_glucose": False,
    "family_history": "none",
}


@pytest.fixture
def risk_service(fake_inference):
    """Answers any score with a result naming it, as the service does."""

    def answer(request: httpx.Request) -> httpx.Response:
        score = request.url.path.rsplit("/", 1)[-1]
        return httpx.Response(
            200,
            json={
                "version": "0.1.0",
                "score": score,
                "source": "a publication",
                "value": 24.2,
                "category": "normal",
                "detail": {},
            },
        )

    fake_inference.handler = answer
    return fake_inference


def record(user) -> Patient:
    return Patient.objects.get(user=user)


def assess(client_for, user, body):
    return client_for(user).post(RUN, body, format="json")


def test_a_patient_assesses_themself(client_for, patient, risk_service):
    body = {"score": "bmi", "inputs": {"weight_kg": 70, "height_cm": 170}}
    response = assess(client_for, patient, body)
    assert response.status_code == 201, response.content
    result = response.json()
    assert result["score"] == "bmi" and result["output"]["category"] == "normal"
    assert risk_service.calls[0].url.path == "/v1/risk/bmi"
    assert risk_service.sent() == {"weight_kg": 70.0, "height_cm": 170.0}
    stored = RiskAssessment.objects.get(pk=result["id"])
    assert stored.patient == record(patient) and stored.requested_by == patient


def test_age_and_sex_come_from_the_record_and_the_caller_wins(client_for, patient, risk_service):
    Patient.objects.filter(user=patient).update(date_of_birth=date(1960, 1, 1), sex="male")
    assess(client_for, patient, {"score": "findrisc", "inputs": FINDRISC})
    sent = risk_service.sent()
    assert sent["sex"] == "male" and 65 <= sent["age"] <= 67
    stored = RiskAssessment.objects.get()
    assert stored.input["prefilled"] == ["age", "sex"]

    assess(client_for, patient, {"score": "findrisc", "inputs": {**FINDRISC, "age": 50}})
    assert risk_service.sent()["age"] == 50


def test_a_linked_doctor_assesses_their_patient(client_for, doctor, patient, risk_service, link):
    link(doctor, patient)
    body = {
        "score": "blood-pressure",
        "patient": str(record(patient).pk),
        "inputs": {"systolic": 128, "diastolic": 79},
    }
    response = assess(client_for, doctor, body)
    assert response.status_code == 201, response.content
    assert RiskAssessment.objects.get().requested_by == doctor
    history = client_for(patient).get(HISTORY).json()["results"]
    assert [item["id"] for item in history] == [response.json()["id"]]


def test_an_unlinked_doctor_gets_404(client_for, doctor, patient, risk_service):
    body = {"score": "bmi", "patient": str(record(patient).pk), "inputs": {"weight_kg": 70}}
    assert_error(assess(client_for, doctor, body), 404)
    assert risk_service.calls == []


def test_a_doctor_must_say_which_patient(client_for, doctor, risk_service):
    error = assert_error(assess(client_for, doctor, {"score": "bmi"}), 400)
    assert "patient" in error["fields"]


def test_another_patients_id_answers_404(client_for, patient, other_patient, risk_service):
    body = {"score": "bmi", "patient": str(record(other_patient).pk), "inputs": {}}
    assert_error(assess(client_for, patient, body), 404)
    assert not RiskAssessment.objects.exists()


@pytest.mark.parametrize("role", ["staff", "admin_user"])
def test_staff_cannot_assess(client_for, patient, request, role, risk_service):
    user = request.getfixturevalue(role)
    body = {"score": "bmi", "patient": str(record(patient).pk), "inputs": {}}
    assert_error(assess(client_for, user, body), 403)
    assert_error(client_for(user).get(HISTORY), 403)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"score": "horoscope"}, "score"),
        ({"score": "bmi", "inputs": {"weight_kg": "heavy"}}, "inputs"),
        ({"score": "bmi", "inputs": {"weight_kg": 70, "shoe_size": 44}}, "inputs"),
        ({"score": "bmi", "inputs": [70, 170]}, "inputs"),
        ({"score": "ascvd", "inputs": {"smoker": "yes"}}, "inputs"),
        ({"score": "ascvd", "inputs": {"race": "martian"}}, "inputs"),
        ({"score": "bmi", "patient": "not-a-uuid"}, "patient"),
    ],
    ids=["score", "type", "unknown-input", "list", "loose-boolean", "choice", "patient-id"],
)
def test_bad_input_is_refused_before_the_service_is_asked(
    client_for, patient, risk_service, body, field
):
    error = assert_error(assess(client_for, patient, body), 400, "validation_error")
    assert field in error["fields"]
    assert risk_service.calls == []


def test_the_services_range_errors_come_back_under_inputs(client_for, patient, fake_inference):
    fake_inference.handler = lambda request: httpx.Response(
        422,
        json={
            "error": {
                "code": "out_of_range",
                "message": "Weight must be 20-350 kg.",
                "fields": {"weight_kg": ["Weight must be 20-350 kg."]},
            }
        },
    )
    body = {"score": "bmi", "inputs": {"weight_kg": -70, "height_cm": 170}}
    error = assert_error(assess(client_for, patient, body), 400, "out_of_range")
    assert error["fields"] == {"inputs": {"weight_kg": ["Weight must be 20-350 kg."]}}
    assert not RiskAssessment.objects.exists()


def test_a_service_that_is_down_gives_a_503(client_for, patient, dead_inference):
    body = {"score": "bmi", "inputs": {"weight_kg": 70, "height_cm": 170}}
    assert_error(assess(client_for, patient, body), 503, "ai_unavailable")


def test_the_history_is_scoped_and_constant_in_queries(
    client_for, patient, other_patient, risk_service, django_assert_max_num_queries
):
    for weight in range(60, 70):
        assess(client_for, patient, {"score": "bmi", "inputs": {"weight_kg": weight}})
    theirs = assess(client_for, other_patient, {"score": "bmi", "inputs": {}}).json()["id"]
    api = client_for(patient)
    with django_assert_max_num_queries(8):
        page = api.get(HISTORY, {"page_size": 3}).json()
    with django_assert_max_num_queries(8):
        everything = api.get(HISTORY, {"page_size": 50}).json()
    assert len(page["results"]) == 3 and everything["count"] == 10
    assert theirs not in {item["id"] for item in everything["results"]}
    assert_error(api.get(f"{HISTORY}{theirs}/"), 404)


def test_the_history_filters_by_score_and_refuses_bad_filters(client_for, patient, risk_service):
    assess(client_for, patient, {"score": "bmi", "inputs": {"weight_kg": 70}})
    assess(client_for, patient, {"score": "blood-pressure", "inputs": {"systolic": 120}})
    api = client_for(patient)
    scores = [item["score"] for item in api.get(HISTORY, {"score": "bmi"}).json()["results"]]
    assert scores == ["bmi"]
    assert_error(api.get(HISTORY, {"score": "horoscope"}), 400)
    assert_error(api.get(HISTORY, {"patient": "not-a-uuid"}), 404)


def test_the_chart_fills_in_what_it_records_and_the_caller_still_wins(
    client_for, doctor, patient, risk_service, link
):
    from datetime import timedelta

    from django.utils import timezone

    from health_records.services import health_record_create

    link(doctor, patient)
    chart = record(patient)
    Patient.objects.filter(pk=chart.pk).update(date_of_birth=date(1961, 3, 1), sex="female")
    chart.refresh_from_db()
    earlier = timezone.now() - timedelta(days=30)
    write = {"actor": doctor, "patient": chart}
    health_record_create(
        **write, record_type="vital_signs", recorded_at=earlier,
        data={"systolic_mmhg": 150, "diastolic_mmhg": 95, "weight_kg": 90, "height_cm": 170},
    )  # fmt: skip
    health_record_create(
        **write, record_type="vital_signs", data={"systolic_mmhg": 138, "diastolic_mmhg": 85}
    )
    health_record_create(
        **write, record_type="lab_result",
        data={"test_name": "Cholesterol, total", "value": 5.2, "unit": "mmol/L"},
    )  # fmt: skip
    health_record_create(
        **write, record_type="lab_result",
        data={"test_name": "HDL cholesterol", "loinc_code": "2085-9", "value": 48, "unit": "mg/dL"},
    )  # fmt: skip
    health_record_create(
        **write, record_type="diagnosis",
        data={"icd10_code": "E11.9", "description": "Type 2 diabetes", "clinical_status": "active"},
    )  # fmt: skip
    inputs = {"on_blood_pressure_treatment": False, "smoker": False, "race": "white"}
    response = assess(
        client_for, doctor, {"score": "ascvd", "patient": str(chart.pk), "inputs": inputs}
    )
    assert response.status_code == 201, response.content
    sent = risk_service.sent()
    assert sent["systolic"] == 138  # the latest reading, not the older one
    assert sent["total_cholesterol"] == pytest.approx(201.1)  # converted from mmol/L
    assert (sent["hdl"], sent["diabetic"], sent["smoker"]) == (48, True, False)  # caller wins
    assert sent["sex"] == "female"
    assert RiskAssessment.objects.get().input["prefilled"] == [
        "age", "diabetic", "hdl", "sex", "systolic", "total_cholesterol"
    ]  # fmt: skip

    assess(client_for, doctor, {"score": "bmi", "patient": str(chart.pk), "inputs": {}})
    assert risk_service.sent() == {"weight_kg": 90, "height_cm": 170}
