"""Reads of health records, through the door (patients.access): the patient and the doctors
linked to them; every row shown is audited as it is fetched."""

from uuid import UUID

from django.db.models import QuerySet

from core.lookups import get_visible_or_404
from health_records.models import Attachment, HealthRecord, RecordStatus, RecordType
from patients.access import Access, clinical_rows_visible_to
from users.models import User

NO_SUCH_RECORD = "No such health record."


def health_record_list(
    *, actor: User, access: Access = Access.VIEW, current_only: bool = True
) -> QuerySet[HealthRecord]:
    """The current version of each record the actor may see (amended versions are history)."""
    rows = HealthRecord.objects.select_related("patient__user", "author")
    if current_only:
        rows = rows.exclude(status=RecordStatus.AMENDED)
    return clinical_rows_visible_to(rows, actor, access=access).order_by("-recorded_at", "id")


def health_record_get(*, actor: User, record_id: UUID | str, access: Access = Access.VIEW):
    """The current version of a record, by its record id; anyone else's answers 404."""
    return get_visible_or_404(
        health_record_list(actor=actor, access=access), NO_SUCH_RECORD, record_id=record_id
    )


def health_record_history(*, actor: User, record_id: UUID | str) -> list[HealthRecord]:
    """Every version of a record, oldest first; each version shown is audited."""
    current = health_record_get(actor=actor, record_id=record_id, access=Access.ACT)
    return list(
        health_record_list(actor=actor, current_only=False)
        .filter(record_id=current.record_id)
        .order_by("version")
    )


# Lab tests a score reads, by LOINC code or by the words of the test's name.
TOTAL_CHOLESTEROL = ("2093-3", ("total cholesterol", "cholesterol, total", "cholesterol total"))
HDL = ("2085-9", ("hdl",))
MG_PER_DL_PER_MMOL_PER_L = 38.67  # cholesterol


def _is_test(data: dict, test: tuple[str, tuple[str, ...]]) -> bool:
    code, words = test
    name = str(data.get("test_name", "")).lower()
    return data.get("loinc_code") == code or any(word in name for word in words)


def _cholesterol_mg_dl(data: dict) -> float | None:
    unit = str(data.get("unit", "")).lower().replace(" ", "")
    if unit in ("mg/dl", "mg/100ml"):
        return float(data["value"])
    if unit in ("mmol/l", "mmol/litre"):
        return round(float(data["value"]) * MG_PER_DL_PER_MMOL_PER_L, 1)
    return None  # a unit we cannot convert is not guessed at


def chart_facts(patient) -> dict:
    """What the chart says that a risk score can use, newest first: the latest weight, height
    and blood pressure, total and HDL cholesterol (mg/dL), and active diagnoses of tobacco use
    (ICD-10 F17, Z72.0) and diabetes (E10-E14). One query, whatever the history size."""
    rows = (
        HealthRecord.objects.filter(
            patient=patient,
            status=RecordStatus.FINAL,
            record_type__in=[RecordType.VITAL_SIGNS, RecordType.LAB_RESULT, RecordType.DIAGNOSIS],
        )
        .order_by("-recorded_at", "-version")
        .values_list("record_type", "data")
    )
    facts: dict = {}
    for record_type, data in rows:
        if record_type == RecordType.VITAL_SIGNS:
            for field, fact in (
                ("weight_kg", "weight_kg"),
                ("height_cm", "height_cm"),
                ("systolic_mmhg", "systolic"),
                ("diastolic_mmhg", "diastolic"),
            ):
                if field in data:
                    facts.setdefault(fact, data[field])
        elif record_type == RecordType.LAB_RESULT:
            for fact, test in (("total_cholesterol", TOTAL_CHOLESTEROL), ("hdl", HDL)):
                if fact not in facts and _is_test(data, test):
                    value = _cholesterol_mg_dl(data)
                    if value is not None:
                        facts[fact] = value
        elif data.get("clinical_status") in ("active", "recurrence", "relapse"):
            code = str(data.get("icd10_code", ""))
            if code.startswith("F17") or code.startswith("Z72.0"):
                facts["smoker"] = True
            if code[:3] in ("E10", "E11", "E12", "E13", "E14"):
                facts["diabetic"] = True
    if "weight_kg" in facts and "height_cm" in facts:
        facts["bmi"] = round(facts["weight_kg"] / (facts["height_cm"] / 100) ** 2, 1)
    return facts


def recorded_allergies(patient) -> list[str]:
    """The substances of the patient's current allergy records (one query)."""
    rows = HealthRecord.objects.filter(
        patient=patient, record_type=RecordType.ALLERGY, status=RecordStatus.FINAL
    ).values_list("data", flat=True)
    return [str(data.get("substance", "")) for data in rows if data.get("substance")]


def attachment_list(*, actor: User, record_id: UUID | str, access: Access = Access.VIEW):
    """The files of a record the actor may see; each one listed is audited."""
    record = health_record_get(actor=actor, record_id=record_id, access=Access.ACT)
    rows = Attachment.objects.select_related("patient__user").filter(record_id=record.record_id)
    return clinical_rows_visible_to(rows, actor, access=access).order_by("created_at", "id")


def attachment_get(*, actor: User, record_id: UUID | str, attachment_id: UUID | str):
    return get_visible_or_404(
        attachment_list(actor=actor, record_id=record_id), "No such attachment.", pk=attachment_id
    )
