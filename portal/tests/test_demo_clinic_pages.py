"""Every page a role can reach by following links from its dashboard, in the demo clinic: it
answers without an error, has data to show, and costs at most 8 queries."""

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from users.models import User

pytestmark = pytest.mark.django_db

DEMO_PATIENT = "maria.garcia@example.com"
DEMO_DOCTOR = "dr.weber@clinic.example"
MAX_QUERIES = 8
# Not pages: downloads and the documentation of the API.
SKIP_PREFIXES = ("/api/", "/static/", "/admin/", "/calendar/", "/blog/feed/")
SKIP_SUFFIXES = (".ics",)
INFERENCE_PAGES = ("/symptom-check/", "/risk/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def _local_pages(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.links:
        url = urlsplit(urljoin(base, href))
        if url.netloc not in ("", "testserver") or url.scheme not in ("", "http"):
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if path.startswith(SKIP_PREFIXES) or url.path.endswith(SKIP_SUFFIXES):
            continue
        found.append(path)
    return found


def _crawl(client, start: str, limit: int = 150) -> dict[str, tuple[int, int]]:
    """path -> (status, queries) for every page reached from `start` by following links (a page
    that differs only in its query string is visited twice at most)."""
    seen: dict[str, tuple[int, int]] = {}
    variants: Counter[str] = Counter()
    queue = deque([start])
    while queue and len(seen) < limit:
        path = queue.popleft()
        bare = path.split("?")[0]
        if path in seen or variants[bare] >= 2:
            continue
        variants[bare] += 1
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        seen[path] = (response.status_code, len(captured))
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            queue.extend(_local_pages(path, response.content.decode()))
    return seen


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True)


@pytest.mark.parametrize(
    ("email", "start"), [(DEMO_PATIENT, "/patient/"), (DEMO_DOCTOR, "/doctor/")]
)
def test_every_page_reached_from_the_dashboard_works_within_the_query_budget(
    client, demo, email, start
):
    client.force_login(User.objects.get(email=email))
    pages = _crawl(client, start)
    assert len(pages) >= 10, pages
    # The inference service does not run in these tests: its pages say so, with 503.
    broken = {
        path: status
        for path, (status, _) in pages.items()
        if status >= 400 and not (status == 503 and path.startswith(INFERENCE_PAGES))
    }
    assert broken == {}
    heavy = {path: queries for path, (status, queries) in pages.items() if queries > MAX_QUERIES}
    assert heavy == {}
