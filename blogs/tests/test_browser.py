"""A reader finds a post by searching, signs in and comments, in a real browser."""

import pytest

from blogs.models import PostStatus
from blogs.services import post_create
from users.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_searches_and_comments_in_chromium(page, live_server, doctor, patient):
    post_create(
        actor=doctor,
        title="Allergy season survival guide",
        body="Pollen counts peak **early**.",
        tags=["allergy"],
        status=PostStatus.PUBLISHED,
    )
    post_create(
        actor=doctor,
        title="Knee pain after running",
        body="Rest first.",
        status=PostStatus.PUBLISHED,
    )
    page.goto(f"{live_server.url}/blog/")
    page.get_by_label("Search").fill("pollen")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_role("article")
    assert results.count() == 1
    results.get_by_role("link", name="Allergy season survival guide").click()

    page.get_by_role("link", name="Sign in").last.click()
    page.get_by_label("E-mail").fill(patient.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/blog/allergy-season-survival-guide/")

    page.get_by_label("Your comment").fill("Helpful, thank you!")
    page.get_by_role("button", name="Post comment").click()
    assert page.get_by_role("status").inner_text() == "Thank you, your comment is published."
    assert "Helpful, thank you!" in page.locator(".comments").inner_text()
