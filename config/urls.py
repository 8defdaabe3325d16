from csp.constants import SELF
from csp.decorators import csp_update
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.decorators import method_decorator
from django.utils.functional import lazy
from django.views.generic import RedirectView
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from appointments.selectors import held_spans
from core.errors import api_not_found
from doctors.api.urls import doctor_urls
from doctors.urls import doctor_page_urls
from interop.errors import fhir_not_found
from patients.services import patient_register
from users.urls import account_page_urls

# Styles the Redoc bundle injects as it loads, before any nonce can reach them: the
# perfect-scrollbar stylesheet, and an empty style element.
REDOC_BUNDLE_STYLE_HASHES = [
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
]


class RedocView(SpectacularRedocView):
    """Redoc under the portal's CSP. Its styles carry the page's nonce (static/js/redoc-init.js),
    apart from those its bundle injects as it loads, before any nonce can reach them: those are
    allowed by their hashes, and a browser test fails if a new bundle changes them. Its search
    runs in a worker made from a blob."""

    @extend_schema(exclude=True)
    @method_decorator(
        csp_update({"style-src": REDOC_BUNDLE_STYLE_HASHES, "worker-src": [SELF, "blob:"]})
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


api_v1 = [
    path("", include("users.api.urls")),
    path("", include(doctor_urls(busy=held_spans))),
    path("", include("patients.api.urls")),
    path("", include("appointments.api.urls")),
    path("", include("health_records.api.urls")),
    path("", include("prescriptions.api.urls")),
    path("", include("blogs.api.urls")),
    path("", include("ai_client.api.urls")),
    path("", include("core.api.urls")),
]

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says; the file is a static file. The URL is
    # looked up per request, so that hashed names (manifest storage) need no collectstatic first.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico"))),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    re_path(r"^api/(?P<unmatched>.*)$", api_not_found),
    path("fhir/R4/", include("interop.urls")),
    re_path(r"^fhir/(?P<unmatched>.*)$", fhir_not_found),
    # Server-rendered pages: each app's own, and the portal's dashboards that compose them.
    path("", include("core.urls")),
    path("", include("portal.urls")),
    path("", include(account_page_urls(register_patient=patient_register))),
    path("", include(doctor_page_urls(busy=held_spans))),
    path("", include("doctors.schedule_urls")),
    path("", include("patients.urls")),
    path("", include("appointments.urls")),
    path("", include("health_records.urls")),
    path("", include("prescriptions.urls")),
    path("", include("blogs.urls")),
    path("", include("ai_client.urls")),
]

handler400 = "core.errors.handler400"
handler403 = "core.errors.handler403"
handler404 = "core.errors.handler404"
handler500 = "core.errors.handler500"
