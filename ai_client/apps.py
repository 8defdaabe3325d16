from django.apps import AppConfig

BREAKER_STATES = ("closed", "half-open", "open")


class AiClientConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ai_client"
    verbose_name = "AI assistant"

    def ready(self) -> None:
        from core.metrics import register_scrape_gauge

        register_scrape_gauge(
            "portal_inference_breaker_state",
            "The inference service's circuit breaker: 1 for its current state, 0 for the others "
            "(shared by every worker through Redis when there is one).",
            _breaker_state,
            label="state",
        )


def _breaker_state() -> dict[str, float]:
    from ai_client.client import breaker

    current = breaker.current_state
    return {state: float(state == current) for state in BREAKER_STATES}
