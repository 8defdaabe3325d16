from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from appointments.selectors import held_spans
from core.errors import api_not_found
from doctors.api.urls import doctor_urls

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
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    re_path(r"^api/(?P<unmatched>.*)$", api_not_found),
    path("", include("core.urls")),
    path("", include("users.urls")),
    path("", include("blogs.urls")),
    path("", include("appointments.urls")),
]

handler400 = "core.errors.handler400"
handler403 = "core.errors.handler403"
handler404 = "core.errors.handler404"
handler500 = "core.errors.handler500"
