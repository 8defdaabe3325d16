import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
