"""Every page answers with the portal's browser security headers, and no template needs the CSP
loosened: no inline script, inline style or inline event handler anywhere."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PAGES = ["/", "/accounts/login/", "/blog/", "/api/docs/", "/api/redoc/", "/no-such-page/"]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in directives}


@pytest.mark.parametrize("path", PAGES)
def test_pages_send_a_strict_policy_and_the_other_headers(client, path):
    response = client.get(path)
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    for directive in ("script-src", "style-src"):
        assert "'self'" in policy[directive]
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(policy[directive])
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_a_signed_in_page_sends_the_same_policy(client, patient):
    client.force_login(patient)
    response = client.get("/patient/")
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert _policy(response)["frame-ancestors"] == ["'none'"]


def _templates() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += [path for path in Path(settings.BASE_DIR).glob("*/templates") if path.is_dir()]
    return [path for root in roots for path in root.rglob("*.html")]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>|\sstyle\s*=", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def test_no_template_needs_inline_script_or_style():
    templates = _templates()
    assert len(templates) > 10
    offending = {
        str(path.relative_to(settings.BASE_DIR)): pattern.pattern
        for path in templates
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, HANDLER)
        if pattern.search(path.read_text())
    }
    assert offending == {}
