"""The clinical rows as FHIR R4 resources: every resource is checked against the R4B models of
`fhir.resources`, and the codes those models do not check (statuses, LOINC, UCUM, SNOMED) are
asserted here."""

import json
from datetime import timedelta

import pytest
from django.db.models import Prefetch
from django.utils import timezone

from doctors.tests.factories import make_doctor
from health_records.models import HealthRecord
from health_records.services import (
    health_record_amend,
    health_record_create,
    health_record_retract,
)
from interop.clinical import (
    RECORD_TYPE_RESOURCE,
    VITAL_SIGN_CODES,
    allergy_intolerance_of,
    condition_of,
    immunization_of,
    medication_requests_of,
    observation_codes,
    observation_id_parts,
    observations_of,
    resources_of_record,
    ucum_code,
    vital_sign_suffixes_with_code,
)
from interop.references import instant
from interop.tests.conftest import validated
from patients.services import care_assignment_create
from patients.tests.factories import make_patient
from prescriptions.models import MedicationLine, Prescription
from prescriptions.services import prescription_create, prescription_finish
from users.models import Role
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"


def _valid(resource: dict) -> dict:
    """The resource, once it is JSON as it is, a valid FHIR id and a valid R4B resource."""
    assert json.loads(json.dumps(resource)) == resource, "not plain JSON values"
    assert 1 <= len(resource["id"]) <= 64
    return validated(resource)


def _all_valid(resources: list[dict]) -> list[dict]:
    return [_valid(resource) for resource in resources]


# --- Rows, made by the portal's services and loaded as the API loads them ------------------


@pytest.fixture
def write_record(linked, patient):
    """write_record(record_type, data, **extra) -> a saved record of `patient`, written by
    the linked doctor and reloaded with its patient user and author's doctor profile."""

    def write(record_type: str, data: dict, **extra) -> HealthRecord:
        record = health_record_create(
            actor=linked,
            patient=patient.patient_profile,
            record_type=record_type,
            data=data,
            **extra,
        )
        return loaded_record(record)

    return write


def loaded_record(record: HealthRecord) -> HealthRecord:
    return HealthRecord.objects.select_related("patient__user", "author__doctor_profile").get(
        pk=record.pk
    )


def loaded_prescription(prescription: Prescription) -> Prescription:
    return (
        Prescription.objects.select_related("patient__user", "doctor__user")
        .prefetch_related(Prefetch("lines", queryset=MedicationLine.objects.order_by("position")))
        .get(pk=prescription.pk)
    )


def retracted(record: HealthRecord) -> HealthRecord:
    return loaded_record(
        health_record_retract(actor=record.author, record=record, reason="Wrong patient.")
    )


RECORDED_AT = (timezone.now() - timedelta(days=3)).replace(microsecond=0)
VITALS = {
    "systolic_mmhg": 128,
    "diastolic_mmhg": 82,
    "heart_rate_bpm": 71,
    "temperature_c": 37.2,
    "spo2_percent": 97,
    "weight_kg": 78.5,
    "height_cm": 180,
}
# field -> (suffix, LOINC codes, unit, UCUM code, profile)
SINGLE_SIGNS = {
    "heart_rate_bpm": ("heart-rate", ["8867-4"], "beats/minute", "/min", "heartrate"),
    "temperature_c": ("body-temperature", ["8310-5"], "°C", "Cel", "bodytemp"),
    "spo2_percent": ("oxygen-saturation", ["59408-5", "2708-6"], "%", "%", "oxygensat"),
    "weight_kg": ("body-weight", ["29463-7"], "kg", "kg", "bodyweight"),
    "height_cm": ("body-height", ["8302-2"], "cm", "cm", "bodyheight"),
}
LINE = {
    "drug_name": "Amoxicillin",
    "strength": "500 mg",
    "form": "capsule",
    "dose": "1 capsule",
    "route": "oral",
    "frequency": "three times a day",
    "duration_days": 7,
    "quantity": 21,
    "refills": 0,
    "instructions": "Take with water.",
}


def _codes(concept: dict) -> list[tuple[str, str]]:
    return [(found["system"], found["code"]) for found in concept.get("coding", [])]


def assert_common_observation(observation: dict, record: HealthRecord, category: str) -> None:
    assert observation["resourceType"] == "Observation"
    assert observation["status"] == "final"
    assert _codes(observation["category"][0]) == [
        ("http://terminology.hl7.org/CodeSystem/observation-category", category)
    ]
    assert observation["subject"] == {
        "reference": f"Patient/{record.patient.pk}",
        "display": record.patient.user.full_name,
    }
    assert observation["effectiveDateTime"] == instant(RECORDED_AT)
    assert observation["issued"] == instant(record.created_at)
    assert observation["performer"] == [
        {
            "reference": f"Practitioner/{record.author.doctor_profile.pk}",
            "display": record.author.full_name,
        }
    ]
    assert observation["meta"]["lastUpdated"] == instant(record.updated_at)


# --- Vital signs ------------------------------------------------------------------------------


@pytest.mark.parametrize("field", list(SINGLE_SIGNS))
def test_each_vital_sign_alone_is_one_observation(write_record, field):
    suffix, loinc, unit, ucum, profile = SINGLE_SIGNS[field]
    record = write_record("vital_signs", {field: VITALS[field]}, recorded_at=RECORDED_AT)

    (observation,) = _all_valid(observations_of(record))

    assert_common_observation(observation, record, "vital-signs")
    assert observation["id"] == f"{record.record_id}-{suffix}"
    assert _codes(observation["code"]) == [(LOINC, code) for code in loinc]
    assert observation["valueQuantity"] == {
        "value": VITALS[field],
        "unit": unit,
        "system": UCUM,
        "code": ucum,
    }
    assert observation["meta"]["profile"] == [f"http://hl7.org/fhir/StructureDefinition/{profile}"]
    assert "component" not in observation
    assert VITAL_SIGN_CODES[suffix] == loinc[0]
    assert observation_codes(observation) == set(loinc)


def test_blood_pressure_is_one_observation_with_systolic_and_diastolic_components(write_record):
    record = write_record(
        "vital_signs", {"systolic_mmhg": 128, "diastolic_mmhg": 82}, recorded_at=RECORDED_AT
    )

    (pressure,) = _all_valid(observations_of(record))

    assert_common_observation(pressure, record, "vital-signs")
    assert pressure["id"] == f"{record.record_id}-blood-pressure"
    assert _codes(pressure["code"]) == [(LOINC, "85354-9")]
    assert pressure["meta"]["profile"] == ["http://hl7.org/fhir/StructureDefinition/bp"]
    assert "valueQuantity" not in pressure
    assert [(_codes(part["code"]), part["valueQuantity"]) for part in pressure["component"]] == [
        ([(LOINC, "8480-6")], {"value": 128, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"}),
        ([(LOINC, "8462-4")], {"value": 82, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"}),
    ]
    assert observation_codes(pressure) == {"85354-9"}  # components are not the code


def test_all_vital_signs_together_are_six_observations_with_ids_of_their_own(write_record):
    record = write_record("vital_signs", VITALS, recorded_at=RECORDED_AT)

    observations = _all_valid(observations_of(record))

    suffixes = [observation_id_parts(found["id"]) for found in observations]
    assert suffixes == [
        (str(record.record_id), suffix)
        for suffix in (
            "blood-pressure",
            "heart-rate",
            "body-temperature",
            "oxygen-saturation",
            "body-weight",
            "body-height",
        )
    ]
    assert list(VITAL_SIGN_CODES) == [suffix for _, suffix in suffixes]
    for observation in observations:
        assert_common_observation(observation, record, "vital-signs")
        assert VITAL_SIGN_CODES[observation_id_parts(observation["id"])[1]] in (
            observation_codes(observation)
        )
    assert resources_of_record(record) == observations


def test_a_vital_sign_is_found_by_each_of_its_codes():
    assert vital_sign_suffixes_with_code("59408-5") == ["oxygen-saturation"]
    assert vital_sign_suffixes_with_code("2708-6") == ["oxygen-saturation"]
    assert vital_sign_suffixes_with_code("85354-9") == ["blood-pressure"]
    assert vital_sign_suffixes_with_code("8480-6") == []  # a component, not an Observation
    assert observation_id_parts("3f0c7d0e-5b8e-4a57-9a52-2b1d9f1c8a10") == (
        "3f0c7d0e-5b8e-4a57-9a52-2b1d9f1c8a10",
        None,
    )


# --- Lab results ------------------------------------------------------------------------------


def test_a_lab_result_with_loinc_range_and_a_known_unit(write_record):
    record = write_record(
        "lab_result",
        {
            "test_name": "Glucose [Mass/volume] in Serum",
            "loinc_code": "2345-7",
            "value": 182,
            "unit": "mg/dL",
            "reference_low": 70,
            "reference_high": 99,
        },
        recorded_at=RECORDED_AT,
    )

    (observation,) = _all_valid(observations_of(record))

    assert_common_observation(observation, record, "laboratory")
    assert observation["id"] == str(record.record_id)
    assert observation["code"] == {
        "coding": [{"system": LOINC, "code": "2345-7"}],
        "text": "Glucose [Mass/volume] in Serum",
    }
    mg_dl = {"unit": "mg/dL", "system": UCUM, "code": "mg/dL"}
    assert observation["valueQuantity"] == {"value": 182, **mg_dl}
    assert observation["referenceRange"] == [
        {"low": {"value": 70, **mg_dl}, "high": {"value": 99, **mg_dl}}
    ]
    assert observation["interpretation"] == [
        {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                    "code": "H",
                    "display": "High",
                }
            ]
        }
    ]
    assert "profile" not in observation["meta"]


def test_a_lab_result_without_loinc_or_range_has_its_name_and_no_interpretation(write_record):
    record = write_record("lab_result", {"test_name": "Ferritin", "value": 45.5, "unit": "ng/mL"})

    (observation,) = _all_valid(observations_of(record))

    assert observation["code"] == {"text": "Ferritin"}
    assert observation["valueQuantity"] == {
        "value": 45.5,
        "unit": "ng/mL",
        "system": UCUM,
        "code": "ng/mL",
    }
    assert "referenceRange" not in observation
    assert "interpretation" not in observation


def test_a_unit_that_is_not_surely_ucum_keeps_its_text_only(write_record):
    record = write_record(
        "lab_result",
        {"test_name": "Urine sediment RBC", "value": 3, "unit": "cells/hpf", "reference_high": 2},
    )

    (observation,) = _all_valid(observations_of(record))

    assert observation["valueQuantity"] == {"value": 3, "unit": "cells/hpf"}
    assert observation["referenceRange"] == [{"high": {"value": 2, "unit": "cells/hpf"}}]
    assert _codes(observation["interpretation"][0]) == [
        ("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "H")
    ]


@pytest.mark.parametrize(
    ("low", "high", "value", "flag"),
    [(3.5, None, 3.1, "L"), (None, 5.0, 4.2, "N"), (3.5, 5.0, 3.5, "N"), (3.5, 5.0, 5.1, "H")],
)
def test_the_interpretation_follows_the_portal_flag_and_the_range_has_the_given_ends(
    write_record, low, high, value, flag
):
    data = {"test_name": "Potassium", "value": value, "unit": "mmol/l"}
    data |= {"reference_low": low} if low is not None else {}
    data |= {"reference_high": high} if high is not None else {}
    record = write_record("lab_result", data)

    (observation,) = _all_valid(observations_of(record))

    assert observation["interpretation"][0]["coding"][0]["code"] == flag
    mmol = {"unit": "mmol/l", "system": UCUM, "code": "mmol/L"}
    expected_range = {}
    if low is not None:
        expected_range["low"] = {"value": low, **mmol}
    if high is not None:
        expected_range["high"] = {"value": high, **mmol}
    assert observation["referenceRange"] == [expected_range]


@pytest.mark.django_db(False)
@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("mg/dL", "mg/dL"),
        ("mg/dl", "mg/dL"),
        ("MG/DL", None),  # uppercase M is mega: not guessed
        ("mmol/l", "mmol/L"),
        (" mmol / L ", "mmol/L"),
        ("µmol/L", "umol/L"),
        ("g/dl", "g/dL"),
        ("g/L", "g/L"),
        ("G/L", None),  # giga per litre, not grams
        ("%", "%"),
        ("10*9/L", "10*9/L"),
        ("x10^9/l", "10*9/L"),
        ("10^12/L", "10*12/L"),
        ("K/uL", "10*3/uL"),
        ("U/L", "U/L"),
        ("IU/L", "[IU]/L"),
        ("mEq/L", "meq/L"),
        ("mIU/L", "m[IU]/L"),
        ("ng/mL", "ng/mL"),
        ("mL/min/1.73m2", "mL/min/{1.73_m2}"),
        ("cells/hpf", None),
        ("copies/mL", None),
        ("", None),
    ],
)
def test_lab_units_get_a_ucum_code_only_when_it_is_certain(typed, code):
    assert ucum_code(typed) == code


# --- Condition ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", ["active", "recurrence", "relapse", "inactive", "remission", "resolved"]
)
def test_a_diagnosis_is_a_confirmed_encounter_diagnosis_with_its_status(write_record, status):
    record = write_record(
        "diagnosis",
        {"icd10_code": "e119", "description": "Type 2 diabetes", "clinical_status": status},
        recorded_at=RECORDED_AT,
    )

    condition = _valid(condition_of(record))

    assert condition["id"] == str(record.record_id)
    assert condition["clinicalStatus"]["coding"] == [
        {"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": status}
    ]
    assert _codes(condition["verificationStatus"]) == [
        ("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed")
    ]
    assert _codes(condition["category"][0]) == [
        ("http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis")
    ]
    assert _codes(condition["code"]) == [("http://hl7.org/fhir/sid/icd-10", "E11.9")]
    assert condition["code"]["text"] == "Type 2 diabetes"
    assert condition["subject"]["reference"] == f"Patient/{record.patient.pk}"
    assert condition["recordedDate"] == instant(RECORDED_AT)
    assert condition["recorder"]["reference"] == f"Practitioner/{record.author.doctor_profile.pk}"
    assert "onsetDateTime" not in condition
    assert resources_of_record(record) == [condition]


def test_a_diagnosis_onset_date_is_its_onset(write_record):
    record = write_record(
        "diagnosis",
        {
            "icd10_code": "I10",
            "description": "Essential hypertension",
            "clinical_status": "active",
            "onset_date": "2019-04-02",
        },
    )

    condition = _valid(condition_of(record))

    assert condition["onsetDateTime"] == "2019-04-02"


# --- AllergyIntolerance ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "criticality"), [("mild", "low"), ("moderate", "low"), ("severe", "high")]
)
def test_an_allergy_with_a_reaction(write_record, severity, criticality):
    record = write_record(
        "allergy",
        {"substance": "Penicillin", "reaction": "Hives", "severity": severity},
        recorded_at=RECORDED_AT,
    )

    allergy = _valid(allergy_intolerance_of(record))

    assert allergy["id"] == str(record.record_id)
    assert _codes(allergy["clinicalStatus"]) == [
        ("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active")
    ]
    assert _codes(allergy["verificationStatus"]) == [
        ("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed")
    ]
    assert allergy["code"] == {"text": "Penicillin"}
    assert allergy["criticality"] == criticality
    assert allergy["reaction"] == [{"manifestation": [{"text": "Hives"}], "severity": severity}]
    assert allergy["patient"]["reference"] == f"Patient/{record.patient.pk}"
    assert allergy["recordedDate"] == instant(RECORDED_AT)
    assert allergy["recorder"]["reference"] == f"Practitioner/{record.author.doctor_profile.pk}"
    assert "note" not in allergy


@pytest.mark.parametrize("reaction", [None, ""])
def test_an_allergy_without_a_reaction_keeps_its_severity_outside_reaction(write_record, reaction):
    data = {"substance": "Latex", "severity": "severe"}
    if reaction is not None:
        data["reaction"] = reaction
    record = write_record("allergy", data)

    allergy = _valid(allergy_intolerance_of(record))

    assert "reaction" not in allergy  # a reaction needs a manifestation
    assert allergy["criticality"] == "high"
    assert allergy["note"] == [{"text": "Reaction severity: severe (no reaction described)."}]


# --- Immunization ------------------------------------------------------------------------------


def test_an_immunization_with_its_lot(write_record):
    record = write_record(
        "immunization",
        {"vaccine": "Tetanus", "dose_number": 2, "date": "2025-05-01", "lot": "X1-42"},
        recorded_at=RECORDED_AT,
    )

    immunization = _valid(immunization_of(record))

    assert immunization["id"] == str(record.record_id)
    assert immunization["status"] == "completed"
    assert immunization["vaccineCode"] == {"text": "Tetanus"}
    assert immunization["patient"]["reference"] == f"Patient/{record.patient.pk}"
    assert immunization["occurrenceDateTime"] == "2025-05-01"
    assert immunization["recorded"] == instant(RECORDED_AT)
    assert immunization["lotNumber"] == "X1-42"
    assert immunization["protocolApplied"] == [{"doseNumberPositiveInt": 2}]
    assert immunization["performer"] == [
        {
            "actor": {
                "reference": f"Practitioner/{record.author.doctor_profile.pk}",
                "display": record.author.full_name,
            }
        }
    ]


@pytest.mark.parametrize("lot", [None, ""])
def test_an_immunization_without_a_lot(write_record, lot):
    data = {"vaccine": "Influenza 2025/26", "dose_number": 1, "date": "2025-10-01"}
    if lot is not None:
        data["lot"] = lot
    record = write_record("immunization", data)

    immunization = _valid(immunization_of(record))

    assert "lotNumber" not in immunization
    assert immunization["protocolApplied"] == [{"doseNumberPositiveInt": 1}]


def test_an_immunization_names_no_performer_without_a_practitioner_to_refer_to(write_record):
    record = write_record(
        "immunization", {"vaccine": "MMR", "dose_number": 1, "date": "2020-01-01"}
    )
    # The author loaded without its doctor profile: only a name, not a reference.
    record = HealthRecord.objects.select_related("patient__user", "author").get(pk=record.pk)

    immunization = _valid(immunization_of(record))

    assert "performer" not in immunization


# --- Entered in error, and replaced versions -------------------------------------------------


RETRACTABLE = {
    "vital_signs": {"systolic_mmhg": 120, "diastolic_mmhg": 80, "heart_rate_bpm": 60},
    "lab_result": {"test_name": "HbA1c", "value": 7.9, "unit": "%", "reference_high": 5.6},
    "diagnosis": {"icd10_code": "J45", "description": "Asthma", "clinical_status": "active"},
    "allergy": {"substance": "Peanut", "reaction": "Anaphylaxis", "severity": "severe"},
    "immunization": {"vaccine": "Hepatitis B", "dose_number": 3, "date": "2024-02-03"},
}


@pytest.mark.parametrize("record_type", list(RETRACTABLE))
def test_a_retracted_record_is_entered_in_error_in_each_resource(write_record, record_type):
    record = retracted(write_record(record_type, RETRACTABLE[record_type]))

    resources = _all_valid(resources_of_record(record))

    assert resources, "a retracted record is still shown, as entered in error"
    for resource in resources:
        assert resource["resourceType"] == RECORD_TYPE_RESOURCE[record_type]
        assert resource["meta"]["lastUpdated"] == instant(record.updated_at)
        if resource["resourceType"] in ("Condition", "AllergyIntolerance"):
            # con-5 and ait-2: no clinical status on what was entered in error
            assert "clinicalStatus" not in resource
            assert resource["verificationStatus"]["coding"][0]["code"] == "entered-in-error"
        else:
            assert resource["status"] == "entered-in-error"


def test_a_replaced_version_and_its_successor_share_the_id(write_record):
    first = write_record("lab_result", {"test_name": "TSH", "value": 2.1, "unit": "mIU/L"})
    second = loaded_record(
        health_record_amend(
            actor=first.author, record=first, data={"value": 2.4}, reason="Typo in the value."
        )
    )
    first = loaded_record(first)

    (old,) = _all_valid(observations_of(first))
    (new,) = _all_valid(observations_of(second))

    assert first.status == "amended" and second.version == 2
    assert old["id"] == new["id"] == str(first.record_id)
    # The first version as it was, and the version that changed it: FHIR's `amended`.
    assert (old["status"], new["status"]) == ("final", "amended")
    assert (old["valueQuantity"]["value"], new["valueQuantity"]["value"]) == (2.1, 2.4)
    assert new["valueQuantity"]["code"] == "m[IU]/L"


def test_notes_are_not_exposed(write_record):
    record = write_record("note", {"text": "Feels better."})

    assert "note" not in RECORD_TYPE_RESOURCE
    assert resources_of_record(record) == []
    with pytest.raises(ValueError):
        observations_of(record)


# --- MedicationRequest --------------------------------------------------------------------------


@pytest.fixture
def prescribe(linked, patient):
    """prescribe(*lines, notes="") -> a saved prescription, loaded as the API loads it."""

    def write(*lines: dict, notes: str = "", doctor=None, for_patient=None) -> Prescription:
        prescription = prescription_create(
            actor=doctor or linked,
            patient=(for_patient or patient).patient_profile,
            lines=list(lines),
            notes=notes,
        )
        return loaded_prescription(prescription)

    return write


@pytest.fixture
def unicode_pair(staff):
    """A patient and their doctor whose names are not ASCII."""
    patient = make_patient(full_name="Zoë Ångström-Łukasiewicz").user
    doctor = make_doctor(user=UserFactory(role=Role.DOCTOR, full_name="Dr. Øyvind Núñez 李")).user
    care_assignment_create(
        actor=staff, doctor=doctor.doctor_profile, patient=patient.patient_profile
    )
    return patient, doctor


def test_a_prescription_of_two_lines_is_two_medication_requests(prescribe, unicode_pair):
    patient, doctor = unicode_pair
    prescription = prescribe(
        LINE,
        {
            "drug_name": "Amoxicillin/Clavulansäure ß",
            "strength": "875/125 mg",
            "form": "Filmtablette",
            "dose": "½ Tablette",
            "route": "oral",
            "frequency": "twice a day with meals",
            "duration_days": 1,
            "quantity": 1,
            "refills": 3,
            "instructions": "Nach dem Essen — mit Wasser.",
        },
        notes="Rückfrage bei Ausschlag.",
        doctor=doctor,
        for_patient=patient,
    )
    first_line, second_line = prescription.lines.all()

    first, second = _all_valid(medication_requests_of(prescription))

    assert (first["id"], second["id"]) == (str(first_line.pk), str(second_line.pk))
    for request in (first, second):
        assert request["resourceType"] == "MedicationRequest"
        assert request["status"] == "active"
        assert request["intent"] == "order"
        assert request["groupIdentifier"] == {
            "system": "urn:clinic-portal:prescription",
            "value": str(prescription.pk),
        }
        assert request["subject"] == {
            "reference": f"Patient/{patient.patient_profile.pk}",
            "display": "Zoë Ångström-Łukasiewicz",
        }
        assert request["requester"] == {
            "reference": f"Practitioner/{doctor.doctor_profile.pk}",
            "display": "Dr. Øyvind Núñez 李",
        }
        assert request["authoredOn"] == instant(prescription.issued_at)
        assert request["note"] == [{"text": "Rückfrage bei Ausschlag."}]
        assert "statusReason" not in request
    assert first["medicationCodeableConcept"] == {"text": "Amoxicillin 500 mg capsule"}
    assert second["medicationCodeableConcept"] == {
        "text": "Amoxicillin/Clavulansäure ß 875/125 mg Filmtablette"
    }
    (first_dosage,) = first["dosageInstruction"]
    assert first_dosage["text"] == "1 capsule, three times a day, for 7 days. Take with water."
    assert first_dosage["patientInstruction"] == "Take with water."
    assert first_dosage["route"] == {
        "coding": [{"system": SNOMED, "code": "26643006", "display": "Oral route"}],
        "text": "Oral",
    }
    assert first_dosage["timing"] == {
        "repeat": {
            "boundsDuration": {"value": 7, "unit": "days", "system": UCUM, "code": "d"},
            "frequency": 3,
            "period": 1,
            "periodUnit": "d",
        }
    }
    (second_dosage,) = second["dosageInstruction"]
    assert second_dosage["text"] == (
        "½ Tablette, twice a day with meals, for 1 day. Nach dem Essen — mit Wasser."
    )
    assert "timing" not in second_dosage  # "with meals" is more than a frequency
    assert first["dispenseRequest"] == {
        "numberOfRepeatsAllowed": 0,
        "quantity": {"value": 21},
        "expectedSupplyDuration": {"value": 7, "unit": "days", "system": UCUM, "code": "d"},
    }
    assert second["dispenseRequest"]["numberOfRepeatsAllowed"] == 3
    assert second["meta"]["lastUpdated"] == instant(
        max(prescription.updated_at, second_line.updated_at)
    )


ROUTES = {
    "oral": "26643006",
    "sublingual": "37839007",
    "topical": "6064005",
    "inhaled": "447694001",
    "intravenous": "47625008",
    "intramuscular": "78421000",
    "subcutaneous": "34206005",
    "rectal": "37161004",
    "ophthalmic": "54485002",
    "otic": "10547007",
    "nasal": "46713006",
}


def test_each_route_is_its_snomed_route_with_its_text(prescribe):
    prescription = prescribe(
        *({**LINE, "drug_name": f"Drug {route}", "route": route} for route in ROUTES)
    )

    requests = _all_valid(medication_requests_of(prescription))

    assert [request["dosageInstruction"][0]["route"] for request in requests] == [
        {
            "coding": [{"system": SNOMED, "code": code, "display": display}],
            "text": route.capitalize(),
        }
        for (route, code), display in zip(
            ROUTES.items(),
            [
                "Oral route",
                "Sublingual route",
                "Topical route",
                "Respiratory tract route",
                "Intravenous route",
                "Intramuscular route",
                "Subcutaneous route",
                "Rectal route",
                "Ophthalmic route",
                "Otic route",
                "Nasal route",
            ],
            strict=True,
        )
    ]


@pytest.mark.parametrize(
    ("frequency", "repeat", "as_needed"),
    [
        ("once a day", (1, 1, "d"), False),
        ("Twice  daily", (2, 1, "d"), False),
        ("every 8 hours", (1, 8, "h"), False),
        ("once a week", (1, 1, "wk"), False),
        ("up to 4 times a day", None, False),
        ("when needed, up to 4 times a day", None, True),
        ("at night", None, False),
    ],
)
def test_a_timing_only_when_the_frequency_says_exactly_how_often(
    prescribe, frequency, repeat, as_needed
):
    prescription = prescribe({**LINE, "frequency": frequency, "instructions": ""})

    (request,) = _all_valid(medication_requests_of(prescription))

    dosage = request["dosageInstruction"][0]
    assert dosage["text"] == f"1 capsule, {frequency.strip()}, for 7 days"
    assert "patientInstruction" not in dosage
    if repeat is None:
        assert "timing" not in dosage
    else:
        found = dosage["timing"]["repeat"]
        assert (found["frequency"], found["period"], found["periodUnit"]) == repeat
    assert dosage.get("asNeededBoolean", False) is as_needed


@pytest.mark.parametrize("status", ["completed", "cancelled", "entered-in-error"])
def test_a_finished_prescription_gives_its_status_and_reason(prescribe, linked, status):
    prescription = prescribe(LINE)
    prescription_finish(
        actor=linked, prescription=prescription, status=status, reason="Course changed."
    )
    prescription = loaded_prescription(prescription)

    (request,) = _all_valid(medication_requests_of(prescription))

    assert request["status"] == status
    assert request["statusReason"] == {"text": "Course changed."}
    assert "note" not in request  # no notes were written


# --- No query -----------------------------------------------------------------------------------


def test_mapping_preloaded_rows_runs_no_query(write_record, prescribe, django_assert_num_queries):
    records = [
        write_record(record_type, data)
        for record_type, data in (
            ("vital_signs", VITALS),
            ("lab_result", RETRACTABLE["lab_result"]),
            ("diagnosis", RETRACTABLE["diagnosis"]),
            ("allergy", RETRACTABLE["allergy"]),
            ("allergy", {"substance": "Latex", "severity": "mild"}),
            ("immunization", RETRACTABLE["immunization"]),
            ("note", {"text": "Hidden."}),
        )
    ]
    records.append(retracted(write_record("diagnosis", RETRACTABLE["diagnosis"])))
    prescription = prescribe(LINE, {**LINE, "drug_name": "Ibuprofen", "route": "topical"})

    with django_assert_num_queries(0):
        resources = [found for record in records for found in resources_of_record(record)]
        requests = medication_requests_of(prescription)

    _all_valid(resources + requests)
    assert len(resources) == 6 + 1 + 1 + 2 + 1 + 1
    assert len(requests) == 2
    assert [record.record_type for record in records if not resources_of_record(record)] == ["note"]
