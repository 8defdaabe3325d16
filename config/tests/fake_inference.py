"""The inference service's answers, in-process, for the API-wide tests (schema conformance,
the route matrix) that walk the AI routes through to their answers."""

import httpx


def inference_answer(request: httpx.Request) -> httpx.Response:
    """Answers as the inference service does (ai_client's contract tests hold the two to these
    shapes): the AI routes are walked through to their answers, without the real service."""
    path = request.url.path
    if path == "/v1/symptoms":
        return httpx.Response(200, json=[{"code": "cough", "name": "Cough"}])
    if path == "/v1/symptoms/analyze":
        return httpx.Response(
            200,
            json={
                "urgency": "routine",
                "advice": "Book a routine visit with a doctor.",
                "specialty": "general-practice",
                "booking_offered": True,
                "red_flags": [],
                "conditions": [],
                "model_version": "triage-test",
                "disclaimer": "This is not a diagnosis.",
            },
        )
    if path.startswith("/v1/risk/"):
        score = path.rsplit("/", 1)[-1]
        return httpx.Response(
            200, json={"version": "0.1.0", "score": score, "value": 24.2, "category": "normal"}
        )
    return httpx.Response(404, json={"detail": "Not Found"})
