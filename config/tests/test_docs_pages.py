"""The API docs, the favicon and every asset they use come from this server alone."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client

DOC_PAGES = ["/api/docs/", "/api/redoc/"]
# Attributes that make a browser fetch (or navigate to) a URL; `spec-url` is Redoc's.
URL_ATTRIBUTES = {"src", "href", "srcset", "poster", "data", "action", "spec-url"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        for name, value in attributes.items():
            if name == "srcset":
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]
            elif name in URL_ATTRIBUTES and value:
                self.urls.append(value.strip())


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _is_external(url: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.IGNORECASE))


def _fetch(client: Client, url: str):
    response = client.get(url, follow=True)
    if response.streaming:
        b"".join(response.streaming_content)
    response.close()
    return response


def _csp(page: _Page) -> dict[str, list[str]]:
    metas = [
        attrs["content"]
        for tag, attrs in page.tags
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "content-security-policy"
    ]
    assert len(metas) == 1, metas
    directives = (part.split() for part in metas[0].split(";") if part.strip())
    return {words[0]: words[1:] for words in directives}


def test_is_external_refuses_absolute_and_protocol_relative_urls():
    for url in ["https://fonts.googleapis.com/x", "http://cdn.example/x", "//cdn.example/x"]:
        assert _is_external(url), url
    for url in ["/static/x.js", "/api/schema/", "#top", "x.css"]:
        assert not _is_external(url), url


@pytest.mark.django_db
@pytest.mark.parametrize("path", DOC_PAGES)
def test_doc_pages_reference_only_this_server(client, path):
    # The docs are public (drf-spectacular's SERVE_PERMISSIONS is AllowAny), like the schema.
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    page = _parse(html)
    assert page.urls, "the page references its script and style"
    external = [url for url in page.urls if _is_external(url)]
    assert external == []
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    assert "cdn.jsdelivr.net" not in html

    static = [url for url in page.urls if url.startswith(settings.STATIC_URL)]
    assert static, "the page's assets come from /static/ (drf-spectacular-sidecar)"
    for url in page.urls:
        if url.startswith("/"):
            assert _fetch(client, url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("path", DOC_PAGES)
def test_doc_pages_forbid_remote_images_and_fonts(client, path):
    """Redoc's bundle always draws a logo from cdn.redoc.ly; only the page's CSP stops it."""
    directives = _csp(_parse(client.get(path).content.decode()))
    for name in ("img-src", "font-src"):
        assert directives[name], name
        assert set(directives[name]) <= {"'self'", "data:", "blob:"}, (name, directives[name])


@pytest.mark.django_db
def test_swagger_ui_has_no_online_validator(client):
    html = client.get("/api/docs/").content.decode()
    # The page's script is a file of its own (the CSP allows no inline script).
    assert "const swaggerSettings" not in html
    script = client.get("/api/docs/?script=").content.decode()
    found = re.search(r"const swaggerSettings = (\{.*?\});", script, re.DOTALL)
    assert found
    # Without `validatorUrl: null` Swagger UI may show a badge from validator.swagger.io.
    assert json.loads(found.group(1))["validatorUrl"] is None


@pytest.mark.django_db
def test_favicon_ico_is_an_image(client):
    response = _fetch(client, "/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    if response.redirect_chain:
        assert response.redirect_chain[-1][0].startswith(settings.STATIC_URL)


@pytest.mark.django_db
def test_home_page_links_the_favicon(client):
    page = _parse(client.get("/").content.decode())
    icons = [
        attrs["href"]
        for tag, attrs in page.tags
        if tag == "link" and "icon" in attrs.get("rel", "").split()
    ]
    assert icons
    for href in icons:
        assert not _is_external(href)
        response = _fetch(client, href)
        assert response.status_code == 200, href
        assert response["Content-Type"].startswith("image/"), href


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("path", "drawn"),
    [("/api/docs/", ".swagger-ui .info"), ("/api/redoc/", "[role=menu] >> nth=0")],
)
def test_doc_pages_request_nothing_from_another_host_in_chromium(page, live_server, path, drawn):
    requested: list[str] = []

    def record(route) -> None:
        url = route.request.url
        requested.append(url)
        if url.startswith(live_server.url):
            route.continue_()
        else:
            route.abort()

    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.route("**/*", record)
    page.goto(f"{live_server.url}{path}")
    page.wait_for_selector(drawn)
    page.wait_for_load_state("networkidle")
    remote = [url for url in requested if not url.startswith(live_server.url)]
    assert remote == []
    # The page works under the portal's CSP: nothing it needs was refused.
    assert errors == []
