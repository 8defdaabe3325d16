"""The notification pages (list, mark as read, preferences), through Django's test client."""

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Channel, Notification, NotificationPreference
from core.notifications import notification_kinds

pytestmark = pytest.mark.django_db

LIST = "/notifications/"
READ_ALL = "/notifications/read-all/"
PREFERENCES = "/notifications/preferences/"


def read_url(notification) -> str:
    return f"/notifications/{notification.pk}/read/"


def a_kind() -> str:
    return next(iter(notification_kinds()))


def make_notifications(user, count: int, **fields) -> list[Notification]:
    """`count` notifications, the first one the newest."""
    now = timezone.now()
    rows = [
        Notification(
            user=user,
            kind=a_kind(),
            title=fields.get("title", f"Notice {n}"),
            body=fields.get("body", f"Body of notice {n}"),
            link=fields.get("link", ""),
            is_read=fields.get("is_read", False),
        )
        for n in range(count)
    ]
    Notification.objects.bulk_create(rows)
    for n, row in enumerate(rows):  # distinct times, newest first
        Notification.objects.filter(pk=row.pk).update(created_at=now - timedelta(minutes=n))
    return rows


def signed_in(client, user):
    client.force_login(user)
    return client


def items(html: str) -> list[str]:
    return re.findall(r'<li id="notification-[^"]+"[^>]*>.*?</li>', html, re.DOTALL)


# --- the list --------------------------------------------------------------------------------


def test_the_list_shows_own_notifications_newest_first_with_the_unread_count(
    client, patient, other_patient
):
    old, new = make_notifications(patient, 2)[::-1]
    Notification.objects.filter(pk=old.pk).update(is_read=True)
    make_notifications(other_patient, 1, title="Someone else's news")
    response = signed_in(client, patient).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "(1 unread)" in html
    shown = items(html)
    assert len(shown) == 2
    assert new.title in shown[0] and 'class="unread"' in shown[0]
    assert old.title in shown[1] and "unread" not in shown[1]
    assert new.body in shown[0]
    assert "<time" in shown[0]
    assert "Someone else" not in html
    assert 'aria-label="1 unread"' in html  # the navigation's badge


@pytest.mark.parametrize(
    ("link", "linked"),
    [
        ("/appointments/123/", True),
        ("//evil.example/", False),
        ("/\\evil.example/", False),
        ("https://evil.example/", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_only_local_links_are_followed(client, patient, link, linked):
    make_notifications(patient, 1, link=link, title="Linked notice")
    html = signed_in(client, patient).get(LIST).content.decode()
    [item] = items(html)
    anchor = re.search(r'<a href="([^"]*)">Linked notice</a>', item)
    assert bool(anchor) is linked
    if linked:
        assert anchor.group(1) == link
    assert "evil.example" not in item and "javascript:" not in item


def test_the_list_is_paginated(client, patient):
    make_notifications(patient, 25)
    page = signed_in(client, patient)
    first = page.get(LIST).content.decode()
    assert len(items(first)) == 20 and "Notice 0<" in first and 'href="?page=2"' in first
    second = page.get(LIST, {"page": 2}).content.decode()
    assert len(items(second)) == 5 and "Notice 24<" in second
    for bad in ("abc", "999", "-1", "0", "1\x00"):
        response = page.get(LIST, {"page": bad})
        assert response.status_code == 200


def test_an_empty_list_says_so(client, doctor):
    response = signed_in(client, doctor).get(LIST)
    assert response.status_code == 200
    assert "no notifications yet" in response.content.decode()


@pytest.mark.parametrize("rows", [2, 20])
def test_the_list_costs_at_most_8_queries(client, patient, rows, django_assert_max_num_queries):
    make_notifications(patient, rows, link="/appointments/")
    page = signed_in(client, patient)
    with django_assert_max_num_queries(8):
        response = page.get(LIST)
    assert len(items(response.content.decode())) == rows


@pytest.mark.parametrize("url", [LIST, PREFERENCES])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={url}")


@pytest.mark.parametrize("role", ["patient", "doctor", "staff", "admin_user"])
def test_every_signed_in_role_has_the_pages(client, request, role):
    page = signed_in(client, request.getfixturevalue(role))
    assert page.get(LIST).status_code == 200
    assert page.get(PREFERENCES).status_code == 200


# --- marking as read -------------------------------------------------------------------------


def test_mark_one_as_read(client, patient):
    first, second = make_notifications(patient, 2)
    page = signed_in(client, patient)
    response = page.post(read_url(first), follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert "Marked as read." in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_read and first.read_at is not None and not second.is_read
    assert "(1 unread)" in response.content.decode()


def test_mark_as_read_returns_to_the_same_page(client, patient):
    rows = make_notifications(patient, 25)
    response = signed_in(client, patient).post(read_url(rows[-1]), {"page": "2"})
    assert response["Location"] == f"{LIST}?page=2"
    bad = client.post(read_url(rows[-2]), {"page": "2; evil"})
    assert bad["Location"] == LIST


def test_mark_as_read_with_htmx_swaps_the_row(client, patient):
    [notification] = make_notifications(patient, 1)
    response = signed_in(client, patient).post(read_url(notification), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{notification.pk}"' in html and "unread" not in html.split(">")[0]
    assert 'hx-swap-oob="true"' in html and "(0 unread)" in html
    # The menu's badge is swapped too: nothing unread is left, so it is hidden.
    assert '<span id="nav-unread" class="badge empty"' in html
    assert "Mark as read" not in html
    notification.refresh_from_db()
    assert notification.is_read


def test_another_users_notification_is_404(client, patient, other_patient):
    [theirs] = make_notifications(other_patient, 1)
    page = signed_in(client, patient)
    assert page.post(read_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read
    assert page.post(f"/notifications/{uuid.uuid4()}/read/").status_code == 404
    assert page.post("/notifications/not-a-uuid/read/").status_code == 404


def test_marking_needs_a_post_and_a_signed_in_user(client, patient):
    [notification] = make_notifications(patient, 1)
    anonymous = client.post(read_url(notification))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert client.post(READ_ALL).status_code == 302
    page = signed_in(client, patient)
    assert page.get(read_url(notification)).status_code == 405
    assert page.get(READ_ALL).status_code == 405
    notification.refresh_from_db()
    assert not notification.is_read


def test_mark_all_as_read_marks_only_ones_own(client, patient, other_patient):
    make_notifications(patient, 3)
    make_notifications(other_patient, 2)
    response = signed_in(client, patient).post(READ_ALL, follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert "Marked 3 notifications as read." in response.content.decode()
    assert not Notification.objects.filter(user=patient, is_read=False).exists()
    assert Notification.objects.filter(user=other_patient, is_read=False).count() == 2
    again = client.post(READ_ALL, follow=True)
    assert "no unread notifications" in again.content.decode()


# --- preferences -----------------------------------------------------------------------------


def cell(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


def checked(html: str, name: str) -> bool:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag, name
    return "checked" in tag.group(0)


def test_preferences_show_every_kind_and_channel_with_the_defaults(client, patient):
    response = signed_in(client, patient).get(PREFERENCES)
    assert response.status_code == 200
    html = response.content.decode()
    for kind, label in notification_kinds().items():
        assert label in html
        assert checked(html, cell(kind, Channel.EMAIL))  # e-mail on by default
        assert not checked(html, cell(kind, Channel.SMS))
        assert re.search(rf'<label[^>]*for="id_{cell(kind, Channel.SMS)}"', html)
    assert '<th scope="col">SMS</th>' in html


def test_saving_preferences(client, patient):
    patient.phone = "+4915123456789"
    patient.save(update_fields=["phone"])
    kind = a_kind()
    body = {cell(k, Channel.EMAIL): "on" for k in notification_kinds() if k != kind}
    body[cell(kind, Channel.SMS)] = "on"
    response = signed_in(client, patient).post(PREFERENCES, body, follow=True)
    assert response.redirect_chain == [(PREFERENCES, 302)]
    html = response.content.decode()
    assert "Your notification settings are saved." in html
    chosen = {
        (row.kind, row.channel): row.enabled
        for row in NotificationPreference.objects.filter(user=patient)
    }
    assert chosen[(kind, Channel.EMAIL)] is False and chosen[(kind, Channel.SMS)] is True
    assert not checked(html, cell(kind, Channel.EMAIL)) and checked(html, cell(kind, Channel.SMS))


def test_sms_without_a_phone_number_is_refused_with_the_reason(client, patient):
    kind = a_kind()
    body = {cell(kind, Channel.EMAIL): "on", cell(kind, Channel.SMS): "on"}
    response = signed_in(client, patient).post(PREFERENCES, body)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Add a mobile number" in html and 'role="alert"' in html
    assert checked(html, cell(kind, Channel.SMS))  # what was ticked stays ticked
    assert not NotificationPreference.objects.exists()


def test_unchecking_everything_and_odd_input_never_fails(client, patient):
    page = signed_in(client, patient)
    body = {"unknown__email": "on", cell(a_kind(), Channel.EMAIL): "ja ✓\x00"}
    assert page.post(PREFERENCES, body).status_code == 302
    assert page.post(PREFERENCES, {}).status_code == 302
    assert not NotificationPreference.objects.filter(user=patient, enabled=True).exists()
    assert not NotificationPreference.objects.filter(kind="unknown").exists()


@pytest.mark.parametrize("rows", [2, 20])
def test_preferences_cost_at_most_8_queries(client, patient, rows, django_assert_max_num_queries):
    pairs = [(kind, channel) for kind in notification_kinds() for channel in Channel.values]
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user=patient, kind=kind, channel=channel, enabled=False)
            for kind, channel in pairs[:rows]
        ]
    )
    make_notifications(patient, rows)
    page = signed_in(client, patient)
    with django_assert_max_num_queries(8):
        response = page.get(PREFERENCES)
    assert response.status_code == 200
    kind, channel = pairs[0]
    assert not checked(response.content.decode(), cell(kind, channel))
