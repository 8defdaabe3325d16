"""AI reads: a patient's history of checks and assessments, and the doctors to see next."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import QuerySet

from ai_client.models import RiskAssessment, SymptomCheck
from appointments.selectors import held_spans
from doctors.models import Doctor
from doctors.selectors import doctor_list, next_free_slots, specialization_list
from doctors.slots import Slot
from patients.access import patient_owned_visible_to
from users.models import User

FALLBACK_SPECIALTY = "family-medicine"
RECOMMENDED_DOCTORS = 3
# How far ahead a recommended slot may be: "see a doctor today" offers only today's slots.
SLOT_WITHIN = {
    "urgent": timedelta(hours=24),
    "soon": timedelta(days=2),
    "routine": timedelta(days=30),
    "self_care": timedelta(days=30),
}


def symptom_check_list(*, actor: User) -> QuerySet[SymptomCheck]:
    """The checks of the patients the actor may see (patients.access); every row shown is
    audited."""
    return patient_owned_visible_to(SymptomCheck.objects.select_related("patient__user"), actor)


def risk_assessment_list(*, actor: User) -> QuerySet[RiskAssessment]:
    return patient_owned_visible_to(RiskAssessment.objects.select_related("patient__user"), actor)


@dataclass
class Recommendation:
    specialty: str  # the specialty asked for
    specialty_name: str
    searched: str  # the specialty whose doctors are listed
    doctors: list[tuple[Doctor, Slot]] = field(default_factory=list)

    @property
    def fallback(self) -> bool:
        return self.searched != self.specialty


def doctors_recommend(*, specialty: str, urgency: str, now: datetime) -> Recommendation:
    """Doctors of the specialty who take new patients, each with their next free slot, soonest
    first, within the time the urgency allows. With none free, family doctors are offered."""
    name = specialization_list().filter(slug=specialty).values_list("name", flat=True).first()
    latest = now + SLOT_WITHIN[urgency]
    first_day = (now - timedelta(days=1)).date()  # zones behind UTC are still on yesterday
    last_day = latest.date() + timedelta(days=1)
    searched, found = specialty, []
    for slug in dict.fromkeys([specialty, FALLBACK_SPECIALTY]):
        searched = slug
        doctors = list(  # a recommendation names the doctor, not their specialties
            doctor_list()
            .filter(specializations__slug=slug, accepting_new_patients=True)
            .prefetch_related(None)
        )
        found = [
            (doctor, slot)
            for doctor, slot in next_free_slots(
                doctors=doctors, first_day=first_day, last_day=last_day, now=now, busy=held_spans
            )
            if slot.start <= latest
        ]
        if found:
            break
    return Recommendation(
        specialty=specialty,
        specialty_name=name or specialty.replace("-", " ").capitalize(),
        searched=searched,
        doctors=found[:RECOMMENDED_DOCTORS],
    )
