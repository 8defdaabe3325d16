"""Every resource type the FHIR API serves, in one table: the routes, the views and the
CapabilityStatement are all read from it."""

from interop.directory import PRACTITIONER, PRACTITIONER_ROLE, SCHEDULE, SLOT
from interop.people import APPOINTMENT, PATIENT
from interop.records import (
    ALLERGY_INTOLERANCE,
    CONDITION,
    IMMUNIZATION,
    MEDICATION_REQUEST,
    OBSERVATION,
)
from interop.resources import ResourceType

RESOURCE_TYPES: dict[str, ResourceType] = {
    kind.name: kind
    for kind in (
        PATIENT,
        PRACTITIONER,
        PRACTITIONER_ROLE,
        SCHEDULE,
        SLOT,
        APPOINTMENT,
        OBSERVATION,
        CONDITION,
        ALLERGY_INTOLERANCE,
        IMMUNIZATION,
        MEDICATION_REQUEST,
    )
}
