import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import metrics
from core.errors import error_json_response

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def health_live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def run_health_checks() -> tuple[str, dict[str, Any]]:
    """Run the configured checks; the overall status is ok, degraded or unavailable."""
    checks: dict[str, Any] = {}
    overall = "ok"
    for name, (path, critical) in settings.HEALTH_CHECKS.items():
        try:
            import_string(path)()
            checks[name] = {"status": "ok"}
        except Exception as exc:  # any failure of a dependency is a report, not a crash
            logger.warning("health check failed", extra={"check": name, "error": repr(exc)})
            checks[name] = {"status": "down", "error": type(exc).__name__}
            if critical:
                overall = "unavailable"
            elif overall == "ok":
                overall = "degraded"
    return overall, checks


@never_cache
@require_GET
def health_ready(request: HttpRequest) -> JsonResponse:
    overall, checks = run_health_checks()
    return JsonResponse(
        {"status": overall, "checks": checks}, status=503 if overall == "unavailable" else 200
    )


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus' scrape target: for clinic staff signed in, or for the addresses in
    METRICS_ALLOWED_IPS (the scraper, talking to the workers directly). Anyone else is told
    there is nothing here."""
    user = getattr(request, "user", None)
    is_staff = bool(user and user.is_authenticated and getattr(user, "is_clinic_staff", False))
    if not is_staff and request.META.get("REMOTE_ADDR") not in settings.METRICS_ALLOWED_IPS:
        return error_json_response(404, "not_found")
    return HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)
