"""The FHIR R4 read API: GET only, JSON only, the REST API's sign-in (a Bearer JWT, or the
session). Errors are OperationOutcome resources."""

from django.urls import reverse
from django.utils import timezone
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from interop.capability import capability_statement
from interop.errors import FHIR_JSON, FhirError, fhir_exception_handler
from interop.records import patient_everything
from interop.registry import RESOURCE_TYPES
from interop.resources import ResourceType, not_found
from interop.search import Page, SearchRequest, page_links, parse_search, uuid_or_none

JSON_FORMATS = ("json", "application/json", "application/fhir+json")
# Set once per process: the CapabilityStatement's date (when this server started).
STARTED = timezone.now().isoformat(timespec="seconds")


class FhirJSONRenderer(JSONRenderer):
    media_type = FHIR_JSON
    format = "json"


class PlainJSONRenderer(JSONRenderer):
    """For clients that ask for application/json: the same body."""


class LegacyFhirJSONRenderer(JSONRenderer):
    """The media type of FHIR DSTU2, which some clients still ask for: the same body."""

    media_type = "application/json+fhir"


class FhirView(APIView):
    http_method_names = ["get", "head", "options"]
    permission_classes = [AllowAny]  # each resource type says whether it needs a sign-in
    renderer_classes = [FhirJSONRenderer, PlainJSONRenderer, LegacyFhirJSONRenderer]
    # No schema in the REST API's OpenAPI document: FHIR describes itself (/metadata). No
    # OPTIONS description either (it would not be FHIR): OPTIONS answers 405.
    schema = None
    metadata_class = None

    def get_exception_handler(self):
        return fhir_exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Patients' data must not stay in a shared cache; the directory changes by the minute.
        response["Cache-Control"] = "no-store"
        return response

    def initial(self, request: Request, *args, **kwargs) -> None:
        requested = request.query_params.get("_format")
        if requested is not None and requested not in JSON_FORMATS:
            raise FhirError(406, "This server speaks JSON only (_format=json).")
        super().initial(request, *args, **kwargs)

    def kind(self, resource_type: str) -> ResourceType:
        kind = RESOURCE_TYPES.get(resource_type)
        if kind is None:
            raise FhirError(404, f"This server has no {resource_type} resources.")
        if not kind.public and not self.request.user.is_authenticated:
            raise NotAuthenticated()
        return kind

    def base_url(self) -> str:
        metadata = reverse("fhir-metadata")
        return self.request.build_absolute_uri(metadata.removesuffix("metadata"))

    def bundle(self, page: Page, links: list[dict]) -> dict:
        base = self.base_url()
        bundle = {
            "resourceType": "Bundle",
            "type": "searchset",
            "timestamp": timezone.now().isoformat(timespec="seconds"),
            "total": page.total,
            "link": links,
        }
        if page.resources:  # FHIR JSON has no empty arrays
            bundle["entry"] = [
                {
                    "fullUrl": f"{base}{resource['resourceType']}/{resource['id']}",
                    "resource": resource,
                    "search": {"mode": "match"},
                }
                for resource in page.resources
            ]
        return bundle

    def lenient(self) -> bool:
        prefer = self.request.headers.get("Prefer", "")
        return "handling=lenient" in prefer.replace(" ", "").lower()


class BaseView(FhirView):
    """The server's base: no system-wide search, and no batch or transaction (read-only)."""

    def get(self, request: Request) -> Response:
        raise FhirError(
            400, "Search one resource type at a time (see metadata).", issue_type="not-supported"
        )


class MetadataView(FhirView):
    def get(self, request: Request) -> Response:
        return Response(capability_statement(self.base_url(), STARTED))


class SearchView(FhirView):
    def get(self, request: Request, resource_type: str) -> Response:
        kind = self.kind(resource_type)
        query = [(name, value) for name, values in request.query_params.lists() for value in values]
        search = parse_search(query, kind.params, lenient=self.lenient())
        page = kind.search(request.user, search)
        url = request.build_absolute_uri(request.path)
        return Response(self.bundle(page, page_links(url, page)))


class ReadView(FhirView):
    def get(self, request: Request, resource_type: str, resource_id: str) -> Response:
        kind = self.kind(resource_type)
        return Response(kind.read(request.user, resource_id))


class EverythingView(FhirView):
    """Patient/{id}/$everything: the patient, their visits and their clinical record in one
    Bundle, for the patient themself and the doctors linked to them."""

    def get(self, request: Request, resource_id: str) -> Response:
        self.kind("Patient")
        query = [(name, value) for name, values in request.query_params.lists() for value in values]
        if any(name != "_format" for name, _ in query) and not self.lenient():
            raise FhirError(
                400, "$everything takes no parameters here: it returns the whole record."
            )
        patient_id = uuid_or_none(resource_id)
        if patient_id is None:
            raise not_found("Patient", resource_id)
        resources = patient_everything(actor=request.user, patient_id=patient_id)
        page = Page(resources, len(resources), SearchRequest(count=len(resources)))
        itself = {"relation": "self", "url": request.build_absolute_uri(request.path)}
        return Response(self.bundle(page, [itself]))
