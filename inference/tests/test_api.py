"""The service's HTTP surface, driven through the real ASGI app."""

import pytest
from fastapi.testclient import TestClient

from inference.app import app

KEY = "test-inference-key"


@pytest.fixture
def client(monkeypatch):
    monkeypatch.setenv("INFERENCE_API_KEY", KEY)
    with TestClient(app) as test_client:
        test_client.headers["X-API-Key"] = KEY
        yield test_client


def test_health_reports_the_version(client):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["version"]


def test_the_api_key_is_required(client):
    body = {"weight_kg": 70, "height_cm": 175}
    assert client.post("/v1/risk/bmi", json=body, headers={"X-API-Key": "wrong"}).status_code == 401
    del client.headers["X-API-Key"]
    response = client.post("/v1/risk/bmi", json=body)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_ascvd_names_its_score_and_source(client):
    response = client.post(
        "/v1/risk/ascvd",
        json={
            "age": 55,
            "sex": "male",
            "race": "african_american",
            "total_cholesterol": 213,
            "hdl": 50,
            "systolic": 120,
            "on_blood_pressure_treatment": False,
            "smoker": False,
            "diabetic": False,
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["value"] == 6.1 and body["category"] == "borderline"
    assert "pooled cohort" in body["score"] and "Goff" in body["source"]


def test_out_of_range_is_422_with_a_clear_message(client):
    response = client.post(
        "/v1/risk/ascvd",
        json={
            "age": 35,
            "sex": "male",
            "race": "white",
            "total_cholesterol": 213,
            "hdl": 50,
            "systolic": 120,
            "on_blood_pressure_treatment": False,
            "smoker": False,
            "diabetic": False,
        },
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "out_of_range"
    assert "age must be between 40 and 79" in error["message"]


@pytest.mark.parametrize(
    "body",
    [{}, {"weight_kg": "heavy", "height_cm": 175}, {"weight_kg": -70, "height_cm": 175}, [1, 2]],
)
def test_bad_input_is_422_in_the_error_shape(client, body):
    response = client.post("/v1/risk/bmi", json=body)
    assert response.status_code == 422
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_findrisc_and_blood_pressure_over_http(client):
    findrisc = client.post(
        "/v1/risk/findrisc",
        json={
            "age": 58,
            "sex": "female",
            "bmi": 27,
            "waist_cm": 85,
            "physically_active": False,
            "eats_vegetables_daily": True,
            "takes_blood_pressure_medication": False,
            "history_of_high_glucose": False,
            "family_history": "none",
        },
    ).json()
    assert (findrisc["value"], findrisc["category"]) == (9, "slightly elevated")
    pressure = client.post("/v1/risk/blood-pressure", json={"systolic": 135, "diastolic": 85})
    assert pressure.json()["category"] == "stage 1 hypertension"


def test_unknown_routes_and_methods_answer_in_the_error_shape(client):
    missing = client.get("/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    wrong = client.get("/v1/risk/bmi")
    assert wrong.status_code == 405
    assert wrong.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/risk/bmi", '{"weight_kg": NaN, "height_cm": 170}'),
        ("/v1/risk/bmi", '{"weight_kg": Infinity, "height_cm": 170}'),
        ("/v1/risk/findrisc", '{"age": 1' + "0" * 400 + "}"),
        ("/v1/symptoms/analyze", '{"symptoms": ["cough"], "age": 1' + "0" * 400 + "}"),
    ],
    ids=["nan", "infinity", "huge-age", "huge-age-triage"],
)
def test_numbers_no_score_is_defined_for_are_422(client, path, body):
    response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"


def test_deeply_nested_json_is_refused_in_the_error_shape(client):
    body = '{"symptoms": ' + "[" * 5000 + "]" * 5000 + "}"
    response = client.post(
        "/v1/symptoms/analyze", content=body, headers={"Content-Type": "application/json"}
    )
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"error"}
