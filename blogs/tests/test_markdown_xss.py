import re

import pytest

from blogs.models import PostStatus
from blogs.services import comment_create, post_create
from blogs.tests.xss import PAGE_TAGS, PAYLOADS, dangers
from core.markdown import render_markdown
from users.tests.utils import client_for

assert len(PAYLOADS) >= 30


def test_the_checker_catches_what_it_should():
    assert dangers('<img src="x" onerror="alert(1)">')
    assert dangers('<a href="java&#x09;script:alert(1)">x</a>')
    assert dangers("<script>alert(1)</script>")
    assert not dangers('<p><a href="https://clinic.example" rel="nofollow">ok</a></p>')


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rendered_markdown_is_harmless(payload):
    assert dangers(render_markdown(payload)) == []


def test_markdown_still_renders_what_authors_need():
    html = render_markdown(
        "# Title\n\n**bold** _em_ ~~old~~\n\n* a\n* b\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "[site](https://clinic.example) ![x-ray](https://clinic.example/x.png)\n\n`code`"
    )
    expected = [
        "<h1>", "<strong>bold</strong>", "<em>em</em>", "<s>old</s>", "<li>a</li>", "<table>",
        "<td>1</td>", "<code>code</code>", 'src="https://clinic.example/x.png"',
    ]  # fmt: skip
    for fragment in expected:
        assert fragment in html, fragment
    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.django_db
def test_every_payload_is_harmless_in_the_api_and_on_the_page(api_client, client, doctor, patient):
    posts = [
        post_create(
            actor=doctor, title=f"Payload {index}", body=payload, status=PostStatus.PUBLISHED
        )
        for index, payload in enumerate(PAYLOADS)
    ]
    for payload, post in zip(PAYLOADS, posts, strict=True):
        comment_create(actor=patient, post=post, body=payload)

    rows = api_client.get("/api/v1/blogs/", {"page_size": 100}).json()["results"]
    assert len(rows) == len(PAYLOADS)
    for row in rows:
        assert dangers(row["body_html"]) == [], row["title"]

    for post in posts:
        page = client.get(f"/blog/{post.slug}/").content.decode()
        main = page[page.index("<main") : page.index("</main>") + len("</main>")]
        assert dangers(main, PAGE_TAGS) == [], post.title
        # The only scripts are the portal's own files, in the head.
        assert "<script" not in main.lower()
        assert re.findall(r"<script[^>]*>", page, re.IGNORECASE) == [
            f'<script src="/static/js/{name}" defer>' for name in ("htmx.min.js", "portal.js")
        ]
    comments = client_for(patient).get(f"/api/v1/blogs/{posts[0].pk}/comments/").json()["results"]
    assert comments[0]["body"] == PAYLOADS[0]  # kept as written; templates escape it
