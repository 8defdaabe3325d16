"""The CapabilityStatement, generated from the resource table the views use."""

from interop.registry import RESOURCE_TYPES
from interop.search import DEFAULT_COUNT, MAX_COUNT

FHIR_VERSION = "4.0.1"


def capability_statement(base_url: str, software_date: str) -> dict:
    resources = []
    for kind in RESOURCE_TYPES.values():
        entry = {
            "type": kind.name,
            "documentation": kind.documentation
            + ("" if kind.public else " Signing in (a Bearer token) is required."),
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [
                {"name": param.name, "type": param.type, "documentation": param.documentation}
                for param in kind.params
            ],
        }
        if kind.name == "Patient":
            entry["operation"] = [
                {
                    "name": "everything",
                    "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                    "documentation": "Everything in the patient's record, in one Bundle: for "
                    "the patient and the doctors linked to them.",
                }
            ]
        resources.append(entry)
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": software_date,
        "kind": "instance",
        "software": {"name": "Clinic portal"},
        "implementation": {
            "description": "The clinic portal's FHIR R4 read API",
            "url": base_url,
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "documentation": (
                    "Read-only. Searches answer a Bundle of type searchset with its total and "
                    f"next/previous links; _count is {DEFAULT_COUNT} by default and at most "
                    f"{MAX_COUNT}, _offset pages. An unknown search parameter answers 400 unless "
                    "the request says Prefer: handling=lenient."
                ),
                "security": {
                    "cors": False,
                    "description": (
                        "A Bearer JWT from /api/v1/auth/token/, or the portal's session "
                        "(as the REST API)."
                    ),
                },
                "resource": resources,
            }
        ],
    }
