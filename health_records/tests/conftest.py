import pytest


@pytest.fixture
def write(as_user, linked, patient):
    """write(record_type, data, **extra) -> the response to the linked doctor's POST."""

    def post(record_type: str, data, **extra):
        body = {
            "patient": str(patient.patient_profile.pk),
            "record_type": record_type,
            "data": data,
            **extra,
        }
        return as_user(linked).post("/api/v1/health-records/", body, format="json")

    return post
