from django.urls import path, re_path

from interop.errors import fhir_not_found
from interop.views import BaseView, EverythingView, MetadataView, ReadView, SearchView

# FHIR ids: letters, digits, '-' and '.', up to 64 characters.
FHIR_ID = r"(?P<resource_id>[A-Za-z0-9\-\.]{1,64})"
RESOURCE_TYPE = r"(?P<resource_type>[A-Z][A-Za-z]+)"

urlpatterns = [
    path("", BaseView.as_view(), name="fhir-base"),
    path("metadata", MetadataView.as_view(), name="fhir-metadata"),
    re_path(rf"^Patient/{FHIR_ID}/\$everything$", EverythingView.as_view(), name="fhir-everything"),
    re_path(rf"^{RESOURCE_TYPE}/{FHIR_ID}$", ReadView.as_view(), name="fhir-read"),
    re_path(rf"^{RESOURCE_TYPE}$", SearchView.as_view(), name="fhir-search"),
    re_path(r"^(?P<unmatched>.*)$", fhir_not_found),
]
