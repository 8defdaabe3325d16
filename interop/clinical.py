"""The portal's clinical rows as FHIR R4 resources (JSON-ready dicts).

Pure mapping: every function reads only the row it is given and what was loaded with it (a
record's patient user and author's doctor profile, a prescription's doctor user and lines), so
that mapping a page of rows runs no query. A record is named by its `record_id`, the same for
all its versions; an edit keeps the id and changes the content."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from health_records.models import RecordStatus, RecordType
from health_records.schemas import lab_flag
from interop.references import (
    ALLERGY_CLINICAL,
    ALLERGY_VERIFICATION,
    CONDITION_CLINICAL,
    CONDITION_VERIFICATION,
    ICD10,
    INTERPRETATION,
    LOINC,
    OBSERVATION_CATEGORY,
    PORTAL,
    SNOMED,
    UCUM,
    coding,
    concept,
    fhir_date,
    instant,
    patient_reference,
    practitioner_reference,
    reference,
)
from prescriptions.models import Route

CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
PRESCRIPTION_SYSTEM = f"{PORTAL}:prescription"
ENTERED_IN_ERROR = "entered-in-error"
OBSERVATION_CATEGORIES = {"vital-signs": "Vital Signs", "laboratory": "Laboratory"}


# --- Observations: vital signs ------------------------------------------------------------


@dataclass(frozen=True)
class Measurement:
    """One number of a vital_signs record: where it is kept and how FHIR codes it."""

    field: str  # the key in the record's data
    text: str
    # The codes of its `code`, the most precise first.
    loinc: tuple[tuple[str, str], ...]
    unit: str  # as a person reads it
    ucum: str


@dataclass(frozen=True)
class VitalSign(Measurement):
    """A measurement that is an Observation of its own, conforming to an R4 vital signs
    profile."""

    suffix: str = ""  # the Observation's id is f"{record_id}-{suffix}"
    profile: str = ""


VITAL_SIGNS_PROFILE = "http://hl7.org/fhir/StructureDefinition/"
BLOOD_PRESSURE_SUFFIX = "blood-pressure"
BLOOD_PRESSURE_PANEL = ("85354-9", "Blood pressure panel with all children optional")
# Blood pressure is one Observation whose two numbers are components.
BLOOD_PRESSURE_COMPONENTS: tuple[Measurement, ...] = (
    Measurement(
        field="systolic_mmhg",
        text="Systolic blood pressure",
        loinc=(("8480-6", "Systolic blood pressure"),),
        unit="mmHg",
        ucum="mm[Hg]",
    ),
    Measurement(
        field="diastolic_mmhg",
        text="Diastolic blood pressure",
        loinc=(("8462-4", "Diastolic blood pressure"),),
        unit="mmHg",
        ucum="mm[Hg]",
    ),
)
SINGLE_VITAL_SIGNS: tuple[VitalSign, ...] = (
    VitalSign(
        field="heart_rate_bpm",
        text="Heart rate",
        loinc=(("8867-4", "Heart rate"),),
        unit="beats/minute",
        ucum="/min",
        suffix="heart-rate",
        profile="heartrate",
    ),
    VitalSign(
        field="temperature_c",
        text="Body temperature",
        loinc=(("8310-5", "Body temperature"),),
        unit="°C",
        ucum="Cel",
        suffix="body-temperature",
        profile="bodytemp",
    ),
    # SpO2 is by definition measured by pulse oximetry (59408-5); the R4 profile asks for
    # 2708-6 as well.
    VitalSign(
        field="spo2_percent",
        text="Oxygen saturation",
        loinc=(
            ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
            ("2708-6", "Oxygen saturation in Arterial blood"),
        ),
        unit="%",
        ucum="%",
        suffix="oxygen-saturation",
        profile="oxygensat",
    ),
    VitalSign(
        field="weight_kg",
        text="Body weight",
        loinc=(("29463-7", "Body weight"),),
        unit="kg",
        ucum="kg",
        suffix="body-weight",
        profile="bodyweight",
    ),
    VitalSign(
        field="height_cm",
        text="Body height",
        loinc=(("8302-2", "Body height"),),
        unit="cm",
        ucum="cm",
        suffix="body-height",
        profile="bodyheight",
    ),
)

# Suffix -> the LOINC code of each vital-sign Observation (what `code` searches match first).
VITAL_SIGN_CODES: dict[str, str] = {
    BLOOD_PRESSURE_SUFFIX: BLOOD_PRESSURE_PANEL[0],
    **{sign.suffix: sign.loinc[0][0] for sign in SINGLE_VITAL_SIGNS},
}
# Suffix -> every LOINC code on that Observation's `code` (oxygen saturation has two).
VITAL_SIGN_ALL_CODES: dict[str, frozenset[str]] = {
    BLOOD_PRESSURE_SUFFIX: frozenset({BLOOD_PRESSURE_PANEL[0]}),
    **{sign.suffix: frozenset(code for code, _ in sign.loinc) for sign in SINGLE_VITAL_SIGNS},
}
# Suffix -> the data keys of a vital_signs record that make that Observation exist.
VITAL_SIGN_FIELDS: dict[str, tuple[str, ...]] = {
    BLOOD_PRESSURE_SUFFIX: tuple(part.field for part in BLOOD_PRESSURE_COMPONENTS),
    **{sign.suffix: (sign.field,) for sign in SINGLE_VITAL_SIGNS},
}


def vital_sign_suffixes_with_code(code: str) -> list[str]:
    """The vital-sign Observations whose `code` carries this LOINC code."""
    return [suffix for suffix, codes in VITAL_SIGN_ALL_CODES.items() if code in codes]


def observation_id_parts(observation_id: str) -> tuple[str, str | None]:
    """(record id, vital-sign suffix) of an Observation id; the suffix is None for a lab
    result, whose id is its record id."""
    for suffix in VITAL_SIGN_CODES:
        if observation_id.endswith(f"-{suffix}"):
            return observation_id[: -len(suffix) - 1], suffix
    return observation_id, None


def observation_codes(observation: dict) -> set[str]:
    """The codes of an Observation's `code` (not of its components, which FHIR searches with
    `component-code`)."""
    return {found["code"] for found in observation.get("code", {}).get("coding", [])}


def _meta(*rows: Any) -> dict:
    """lastUpdated: the latest change of the rows the resource is made of. No versionId: a
    retraction changes a row in place, so the portal has no version number per change."""
    stamps = [row.updated_at for row in rows if getattr(row, "updated_at", None)]
    return {"lastUpdated": instant(max(stamps))} if stamps else {}


def _head(resource_type: str, resource_id: str, *rows: Any) -> dict:
    found: dict[str, Any] = {"resourceType": resource_type, "id": resource_id}
    meta = _meta(*rows)
    if meta:
        found["meta"] = meta
    return found


def _observation_status(record: Any) -> str:
    """A record changed after it was first written is FHIR's `amended`; a retracted one
    `entered-in-error`."""
    if record.status == RecordStatus.ENTERED_IN_ERROR:
        return ENTERED_IN_ERROR
    return "amended" if record.version > 1 else "final"


def _quantity(value: float, unit: str, ucum: str | None) -> dict:
    found: dict[str, Any] = {"value": value, "unit": unit}
    if ucum is not None:
        found["system"] = UCUM
        found["code"] = ucum
    return found


def _loinc_concept(codes: tuple[tuple[str, str], ...], text: str) -> dict:
    return concept(*(coding(LOINC, code, display) for code, display in codes), text=text)


def _observation(
    record: Any, observation_id: str, category: str, code: dict, profile: str | None = None
) -> dict:
    """What every Observation of a record has, in the order FHIR lists the elements."""
    found = _head("Observation", observation_id, record)
    if profile:
        found.setdefault("meta", {})["profile"] = [f"{VITAL_SIGNS_PROFILE}{profile}"]
    found.update(
        {
            "status": _observation_status(record),
            "category": [
                concept(
                    coding(OBSERVATION_CATEGORY, category, OBSERVATION_CATEGORIES[category]),
                    text=OBSERVATION_CATEGORIES[category],
                )
            ],
            "code": code,
            "subject": patient_reference(record.patient),
            "effectiveDateTime": instant(record.recorded_at),
            "issued": instant(record.created_at),
            "performer": [practitioner_reference(record.author)],
        }
    )
    return found


def _vital_signs(record: Any) -> list[dict]:
    data = record.data
    found: list[dict] = []
    if all(data.get(part.field) is not None for part in BLOOD_PRESSURE_COMPONENTS):
        pressure = _observation(
            record,
            f"{record.record_id}-{BLOOD_PRESSURE_SUFFIX}",
            "vital-signs",
            _loinc_concept((BLOOD_PRESSURE_PANEL,), "Blood pressure"),
            profile="bp",
        )
        pressure["component"] = [
            {
                "code": _loinc_concept(part.loinc, part.text),
                "valueQuantity": _quantity(data[part.field], part.unit, part.ucum),
            }
            for part in BLOOD_PRESSURE_COMPONENTS
        ]
        found.append(pressure)
    for sign in SINGLE_VITAL_SIGNS:
        value = data.get(sign.field)
        if value is None:
            continue
        observation = _observation(
            record,
            f"{record.record_id}-{sign.suffix}",
            "vital-signs",
            _loinc_concept(sign.loinc, sign.text),
            profile=sign.profile,
        )
        observation["valueQuantity"] = _quantity(value, sign.unit, sign.ucum)
        found.append(observation)
    return found


# --- Observations: lab results ------------------------------------------------------------

# Lab units whose UCUM code is certain. A unit written exactly as its UCUM code is taken as it
# is; other spellings (compared without spaces, case or "x" before a power of ten) are taken
# only from LAB_UNIT_SPELLINGS. Anything else keeps its text and gets no code.
UCUM_LAB_UNITS: frozenset[str] = frozenset(
    {
        "%", "g/dL", "g/L", "mg/dL", "mg/L", "ug/dL", "ug/L", "ng/dL", "ng/mL", "pg/mL",
        "mmol/L", "umol/L", "nmol/L", "pmol/L", "meq/L", "mmol/mol", "mg/mmol",
        "U/L", "[IU]/L", "m[IU]/L", "m[IU]/mL", "u[IU]/mL",
        "10*3/uL", "10*6/uL", "10*9/L", "10*12/L", "{cells}/uL",
        "fL", "pg", "mm/h", "s", "mL/min/{1.73_m2}",
    }
)  # fmt: skip
LAB_UNIT_SPELLINGS: dict[str, str] = {
    "mg/dl": "mg/dL",
    "mg/100ml": "mg/dL",
    "g/dl": "g/dL",
    "g/l": "g/L",
    "mg/l": "mg/L",
    "ug/dl": "ug/dL",
    "ug/l": "ug/L",
    "mcg/l": "ug/L",
    "ng/dl": "ng/dL",
    "ng/ml": "ng/mL",
    "pg/ml": "pg/mL",
    "mmol/l": "mmol/L",
    "mmol/litre": "mmol/L",
    "mmol/liter": "mmol/L",
    "umol/l": "umol/L",
    "nmol/l": "nmol/L",
    "pmol/l": "pmol/L",
    "meq/l": "meq/L",
    "mmol/mol": "mmol/mol",
    "mg/mmol": "mg/mmol",
    "u/l": "U/L",
    "iu/l": "[IU]/L",
    "miu/l": "m[IU]/L",
    "miu/ml": "m[IU]/mL",
    "uiu/ml": "u[IU]/mL",
    "10*3/ul": "10*3/uL",
    "k/ul": "10*3/uL",
    "10*6/ul": "10*6/uL",
    "10*9/l": "10*9/L",
    "10*12/l": "10*12/L",
    "cells/ul": "{cells}/uL",
    "fl": "fL",
    "pg": "pg",
    "mm/h": "mm/h",
    "mm/hr": "mm/h",
    "s": "s",
    "sec": "s",
    "ml/min/1.73m2": "mL/min/{1.73_m2}",
    "ml/min/1.73m*2": "mL/min/{1.73_m2}",
    "ml/min/{1.73_m2}": "mL/min/{1.73_m2}",
    "%": "%",
}
_TIMES_POWER_OF_TEN = re.compile(r"^[x\u00d7*](?=10)")


def ucum_code(unit: str) -> str | None:
    """The UCUM code of a lab unit as typed, or None when it is not certain."""
    spelled = unit.strip().replace(" ", "").replace("µ", "u").replace("μ", "u")
    spelled = _TIMES_POWER_OF_TEN.sub("", spelled).replace("^", "*")
    if spelled in UCUM_LAB_UNITS:
        return spelled
    if spelled[:1] in ("G", "T", "M"):
        return None  # G/L, T/L, M/uL: a prefix whose case carries the meaning (giga, not gram)
    return LAB_UNIT_SPELLINGS.get(spelled.lower())


LAB_FLAG_INTERPRETATION = {"high": ("H", "High"), "low": ("L", "Low"), "normal": ("N", "Normal")}


def _lab_result(record: Any) -> dict:
    data = record.data
    codings = (coding(LOINC, data["loinc_code"]),) if data.get("loinc_code") else ()
    observation = _observation(
        record, str(record.record_id), "laboratory", concept(*codings, text=data["test_name"])
    )
    unit = data["unit"]
    ucum = ucum_code(unit)
    observation["valueQuantity"] = _quantity(data["value"], unit, ucum)
    flag = lab_flag(data)
    if flag is not None:
        code, display = LAB_FLAG_INTERPRETATION[flag]
        observation["interpretation"] = [concept(coding(INTERPRETATION, code, display))]
    reference_range = {
        end: _quantity(data[f"reference_{end}"], unit, ucum)
        for end in ("low", "high")
        if data.get(f"reference_{end}") is not None
    }
    if reference_range:
        observation["referenceRange"] = [reference_range]
    return observation


def observations_of(record: Any) -> list[dict]:
    """A vital_signs record: one Observation per measurement (blood pressure is one, with two
    components), as the R4 vital signs profile asks. A lab_result record: one Observation."""
    if record.record_type == RecordType.VITAL_SIGNS:
        return _vital_signs(record)
    if record.record_type == RecordType.LAB_RESULT:
        return [_lab_result(record)]
    raise ValueError(f"A {record.record_type} record is not an Observation.")


# --- Condition, AllergyIntolerance, Immunization ------------------------------------------


def _retracted(record: Any) -> bool:
    return record.status == RecordStatus.ENTERED_IN_ERROR


def condition_of(record: Any) -> dict:
    """A diagnosis. A retracted one has no clinicalStatus (R4 invariant con-5)."""
    data = record.data
    condition = _head("Condition", str(record.record_id), record)
    if _retracted(record):
        verification = ENTERED_IN_ERROR
    else:
        verification = "confirmed"
        condition["clinicalStatus"] = concept(coding(CONDITION_CLINICAL, data["clinical_status"]))
    condition["verificationStatus"] = concept(coding(CONDITION_VERIFICATION, verification))
    condition["category"] = [
        concept(coding(CONDITION_CATEGORY, "encounter-diagnosis", "Encounter Diagnosis"))
    ]
    # The description is the clinician's wording, not ICD-10's display: it is the text.
    condition["code"] = concept(coding(ICD10, data["icd10_code"]), text=data["description"])
    condition["subject"] = patient_reference(record.patient)
    if data.get("onset_date"):
        condition["onsetDateTime"] = fhir_date(date.fromisoformat(data["onset_date"]))
    condition["recordedDate"] = instant(record.recorded_at)
    condition["recorder"] = practitioner_reference(record.author)
    return condition


# Criticality is the risk of a future severe reaction; the portal keeps only the severity of
# the reaction seen, and a severe one is the best sign of a high risk that it has.
SEVERITY_CRITICALITY = {"mild": "low", "moderate": "low", "severe": "high"}


def allergy_intolerance_of(record: Any) -> dict:
    """An allergy. A retracted one has no clinicalStatus (R4 invariant ait-2); a severity
    without a described reaction goes to criticality and a note, as a reaction needs a
    manifestation."""
    data = record.data
    allergy = _head("AllergyIntolerance", str(record.record_id), record)
    if _retracted(record):
        verification = ENTERED_IN_ERROR
    else:
        verification = "confirmed"
        allergy["clinicalStatus"] = concept(coding(ALLERGY_CLINICAL, "active"))
    allergy["verificationStatus"] = concept(coding(ALLERGY_VERIFICATION, verification))
    severity = data.get("severity")
    if severity in SEVERITY_CRITICALITY:
        allergy["criticality"] = SEVERITY_CRITICALITY[severity]
    allergy["code"] = concept(text=data["substance"])
    allergy["patient"] = patient_reference(record.patient)
    allergy["recordedDate"] = instant(record.recorded_at)
    allergy["recorder"] = practitioner_reference(record.author)
    reaction_text = (data.get("reaction") or "").strip()
    if reaction_text:
        reaction: dict[str, Any] = {"manifestation": [concept(text=reaction_text)]}
        if severity:
            reaction["severity"] = severity
        allergy["reaction"] = [reaction]
    elif severity:
        allergy["note"] = [{"text": f"Reaction severity: {severity} (no reaction described)."}]
    return allergy


def immunization_of(record: Any) -> dict:
    """A vaccination given. Its performer is the doctor who wrote it, when that doctor can be
    referred to (a bare name says too little to stand as the actor)."""
    data = record.data
    immunization = _head("Immunization", str(record.record_id), record)
    immunization["status"] = ENTERED_IN_ERROR if _retracted(record) else "completed"
    immunization["vaccineCode"] = concept(text=data["vaccine"])
    immunization["patient"] = patient_reference(record.patient)
    immunization["occurrenceDateTime"] = fhir_date(date.fromisoformat(data["date"]))
    immunization["recorded"] = instant(record.recorded_at)
    lot = (data.get("lot") or "").strip()
    if lot:
        immunization["lotNumber"] = lot
    author = practitioner_reference(record.author)
    if "reference" in author:
        immunization["performer"] = [{"actor": author}]
    immunization["protocolApplied"] = [{"doseNumberPositiveInt": data["dose_number"]}]
    return immunization


# --- MedicationRequest ----------------------------------------------------------------------

ROUTE_CODES: dict[str, tuple[str, str]] = {
    Route.ORAL: ("26643006", "Oral route"),
    Route.SUBLINGUAL: ("37839007", "Sublingual route"),
    Route.TOPICAL: ("6064005", "Topical route"),
    Route.INHALED: ("447694001", "Respiratory tract route"),
    Route.INTRAVENOUS: ("47625008", "Intravenous route"),
    Route.INTRAMUSCULAR: ("78421000", "Intramuscular route"),
    Route.SUBCUTANEOUS: ("34206005", "Subcutaneous route"),
    Route.RECTAL: ("37161004", "Rectal route"),
    Route.OPHTHALMIC: ("54485002", "Ophthalmic route"),
    Route.OTIC: ("10547007", "Otic route"),
    Route.NASAL: ("46713006", "Nasal route"),
}

# Frequencies written in full words that say exactly how often: (times, per period, unit).
# Anything else ("twice a day with meals", "up to 4 times a day") stays text only.
EXACT_FREQUENCIES: dict[str, tuple[int, int, str]] = {
    **dict.fromkeys(("once a day", "once daily", "daily", "every day"), (1, 1, "d")),
    **dict.fromkeys(("twice a day", "twice daily", "two times a day"), (2, 1, "d")),
    **dict.fromkeys(("three times a day", "three times daily", "3 times a day"), (3, 1, "d")),
    **dict.fromkeys(("four times a day", "four times daily", "4 times a day"), (4, 1, "d")),
    **dict.fromkeys(("once a week", "weekly", "every week"), (1, 1, "wk")),
}
_EVERY_N_HOURS = re.compile(r"^every (\d{1,2}) hours?$")
_AS_NEEDED = re.compile(r"\b(as needed|when needed|if needed|prn)\b")


def _days(count: int) -> dict:
    return {"value": count, "unit": "days", "system": UCUM, "code": "d"}


def _timing(frequency: str, duration_days: int) -> dict | None:
    """A Timing only when the frequency says exactly how often; None otherwise."""
    spelled = " ".join(frequency.lower().split())
    exact = EXACT_FREQUENCIES.get(spelled)
    every_hours = _EVERY_N_HOURS.match(spelled)
    if exact is None and every_hours and int(every_hours.group(1)) > 0:
        exact = (1, int(every_hours.group(1)), "h")
    if exact is None:
        return None
    times, period, unit = exact
    return {
        "repeat": {
            "boundsDuration": _days(duration_days),
            "frequency": times,
            "period": period,
            "periodUnit": unit,
        }
    }


def _dosage_text(line: Any) -> str:
    days = "day" if line.duration_days == 1 else "days"
    text = f"{line.dose}, {line.frequency}, for {line.duration_days} {days}"
    instructions = line.instructions.strip()
    return f"{text}. {instructions}" if instructions else text


def _dosage(line: Any) -> dict:
    dosage: dict[str, Any] = {"text": _dosage_text(line)}
    if line.instructions.strip():
        dosage["patientInstruction"] = line.instructions.strip()
    timing = _timing(line.frequency, line.duration_days)
    if timing is not None:
        dosage["timing"] = timing
    if _AS_NEEDED.search(line.frequency.lower()):
        dosage["asNeededBoolean"] = True
    route_code = ROUTE_CODES.get(line.route)
    route_text = str(Route(line.route).label) if line.route in Route.values else line.route
    codings = (coding(SNOMED, *route_code),) if route_code else ()
    dosage["route"] = concept(*codings, text=route_text)
    return dosage


def medication_requests_of(prescription: Any) -> list[dict]:
    """One MedicationRequest per medication line (FHIR has one medication per request); the
    lines of one prescription share its groupIdentifier. Lines are read from the prefetch."""
    doctor = prescription.doctor
    found = []
    for line in sorted(prescription.lines.all(), key=lambda line: line.position):
        request = _head("MedicationRequest", str(line.pk), prescription, line)
        request["groupIdentifier"] = {
            "system": PRESCRIPTION_SYSTEM,
            "value": str(prescription.pk),
        }
        request["status"] = prescription.status
        if prescription.status_reason.strip():
            request["statusReason"] = concept(text=prescription.status_reason.strip())
        request["intent"] = "order"
        request["medicationCodeableConcept"] = concept(
            text=" ".join(part for part in (line.drug_name, line.strength, line.form) if part)
        )
        request["subject"] = patient_reference(prescription.patient)
        request["authoredOn"] = instant(prescription.issued_at)
        request["requester"] = reference("Practitioner", doctor.pk, doctor.user.full_name)
        if prescription.notes.strip():
            request["note"] = [{"text": prescription.notes.strip()}]
        request["dosageInstruction"] = [_dosage(line)]
        request["dispenseRequest"] = {
            "numberOfRepeatsAllowed": line.refills,
            "quantity": {"value": line.quantity},
            "expectedSupplyDuration": _days(line.duration_days),
        }
        found.append(request)
    return found


# --- One entry point per record -------------------------------------------------------------

# Notes are not exposed: free text with no FHIR resource that the API serves.
RECORD_TYPE_RESOURCE: dict[str, str] = {
    RecordType.VITAL_SIGNS: "Observation",
    RecordType.LAB_RESULT: "Observation",
    RecordType.DIAGNOSIS: "Condition",
    RecordType.ALLERGY: "AllergyIntolerance",
    RecordType.IMMUNIZATION: "Immunization",
}


def resources_of_record(record: Any) -> list[dict]:
    """The FHIR resources a health record is shown as; none for a note."""
    if record.record_type in (RecordType.VITAL_SIGNS, RecordType.LAB_RESULT):
        return observations_of(record)
    if record.record_type == RecordType.DIAGNOSIS:
        return [condition_of(record)]
    if record.record_type == RecordType.ALLERGY:
        return [allergy_intolerance_of(record)]
    if record.record_type == RecordType.IMMUNIZATION:
        return [immunization_of(record)]
    return []
