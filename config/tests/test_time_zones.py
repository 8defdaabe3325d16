"""Times as each person's clock has them: the admin and pages in the signed-in user's zone,
the API's date filters in the caller's zone, the clinic's zone for visitors and for accounts
made without one."""

from datetime import UTC, datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from blogs.models import PostStatus
from blogs.services import post_create
from users.models import Role, User
from users.tests.factories import UserFactory
from users.tests.utils import client_for

pytestmark = pytest.mark.django_db

# 22:30 UTC on 2 June is already 3 June in Berlin (00:30), still 2 June in New York (18:30).
LATE_EVENING_UTC = datetime(2026, 6, 2, 22, 30, tzinfo=UTC)


@pytest.fixture
def late_post(doctor):
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        return post_create(
            actor=doctor, title="Night shift", body="Sleep matters.", status=PostStatus.PUBLISHED
        )


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [post["title"] for post in response.json()["results"]]


@pytest.mark.parametrize(
    ("zone", "on_3_june", "on_2_june"),
    [("Europe/Berlin", True, False), ("America/New_York", False, True), ("UTC", False, True)],
)
def test_the_api_date_filters_read_the_callers_calendar(late_post, zone, on_3_june, on_2_june):
    reader = UserFactory(role=Role.PATIENT, timezone=zone)
    client = client_for(reader)
    third = titles(client.get("/api/v1/blogs/", {"published_after": "2026-06-03"}))
    second = titles(
        client.get(
            "/api/v1/blogs/", {"published_after": "2026-06-02", "published_before": "2026-06-02"}
        )
    )
    assert ("Night shift" in third) is on_3_june
    assert ("Night shift" in second) is on_2_june
    # The answer itself stays in UTC, whoever asks.
    [post] = client.get("/api/v1/blogs/").json()["results"]
    assert post["published_at"].endswith("Z") or post["published_at"].endswith("+00:00")


def test_a_visitor_reads_dates_in_the_clinics_zone(late_post, settings):
    settings.CLINIC_TIMEZONE = "Europe/Berlin"
    assert "Night shift" in titles(
        APIClient().get("/api/v1/blogs/", {"published_after": "2026-06-03"})
    )
    settings.CLINIC_TIMEZONE = "UTC"
    assert "Night shift" not in titles(
        APIClient().get("/api/v1/blogs/", {"published_after": "2026-06-03"})
    )


def test_an_account_made_without_a_zone_gets_the_clinics(settings, admin_user):
    settings.CLINIC_TIMEZONE = "Europe/Lisbon"
    made_in_a_shell = User.objects.create_user(email="desk@example.com", password="x" * 12)
    assert made_in_a_shell.timezone == "Europe/Lisbon"
    response = client_for(admin_user).post(
        "/api/v1/users/",
        {"email": "nurse@example.com", "full_name": "Nurse", "role": Role.STAFF},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert User.objects.get(email="nurse@example.com").timezone == "Europe/Lisbon"


def test_the_admin_shows_times_on_the_signed_in_users_clock(client, late_post):
    for zone, shown in [
        ("Europe/Berlin", "June 3, 2026, 12:30 a.m."),
        ("UTC", "June 2, 2026, 10:30 p.m."),
    ]:
        client.force_login(UserFactory(role=Role.STAFF, timezone=zone))
        page = client.get(f"/admin/blogs/blogpost/{late_post.pk}/change/").content.decode()
        assert f'<div class="readonly">{shown}</div>' in page, zone
