"""Notification kinds come from the apps that send them; core keeps the registry, checks
their templates, and writes many notifications in a fixed number of queries."""

from copy import deepcopy
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import notifications
from core.exceptions import ValidationFailed
from core.models import Channel, Delivery, Notification
from core.notifications import (
    Notice,
    notification_kinds,
    notification_kinds_register,
    notify,
    notify_many,
    preferences_for,
    preferences_set,
)
from core.testing import assert_error

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "/api/v1/notifications/"
KIND = "core_test_notice"
MOMENT = datetime(2026, 6, 2, 7, 0, tzinfo=UTC)  # 09:00 in Berlin, 03:00 in New York

TEMPLATES = {
    "title.txt": '{% load clock %}Hello {{ user.full_name }}: {{ what }} at {{ at|clock:"H:i" }}',
    "body.txt": '{% load clock %}{{ what }} on {{ at|clock:"l j F Y, H:i" }} for {{ user.email }}',
    "sms.txt": '{% load clock %}Clinic: {{ what }} {{ at|clock:"D j M H:i" }}',
}


@pytest.fixture
def registry(monkeypatch):
    """A copy of the registry for the test, so what it registers does not outlive it."""
    monkeypatch.setattr(notifications, "_kinds", dict(notifications._kinds))


@pytest.fixture
def template_dir(settings, tmp_path) -> Path:
    """A directory the "text" engine searches, for the templates of the test's kinds."""
    engines = deepcopy(settings.TEMPLATES)
    [text] = [engine for engine in engines if engine.get("NAME") == "text"]
    text["DIRS"] = [tmp_path, *text["DIRS"]]
    settings.TEMPLATES = engines
    return tmp_path


def write_templates(root: Path, kind: str, names=tuple(TEMPLATES)) -> None:
    (root / "notifications" / kind).mkdir(parents=True)
    for name in names:
        (root / "notifications" / kind / name).write_text(TEMPLATES[name])


@pytest.fixture
def test_kind(registry, template_dir) -> str:
    write_templates(template_dir, KIND)
    notification_kinds_register([(KIND, "Test notice")])
    return KIND


def notice(user, **fields) -> Notice:
    return Notice(
        user=user,
        kind=fields.pop("kind", KIND),
        context={"what": "Check-up", "at": MOMENT},
        link=f"/somewhere/{user.pk}/",
        subject_id=str(user.pk),
        subject_state="booked",
        **fields,
    )


def texting(user):
    """The user has a phone and wants texts as well as e-mail."""
    user.phone = "+4915123456789"
    user.save()
    preferences_set(user=user, choices=[{"kind": KIND, "channel": "sms", "enabled": True}])
    return user


# --- the registry ------------------------------------------------------------------------------


def test_the_apps_register_their_kinds_in_order():
    kinds = notification_kinds()
    assert kinds, "the installed apps register the kinds they send"
    assert list(kinds) == list(dict.fromkeys(kinds))
    assert all(isinstance(label, str) and label for label in kinds.values())


def test_a_kind_without_templates_is_refused_at_registration(registry, template_dir):
    before = notification_kinds()
    with pytest.raises(ImproperlyConfigured, match=r"core_test_missing.*title\.txt"):
        notification_kinds_register([("core_test_missing", "Missing")])
    assert notification_kinds() == before


def test_a_kind_missing_one_template_is_refused_and_nothing_of_the_batch_is_kept(
    registry, template_dir
):
    write_templates(template_dir, KIND)
    write_templates(template_dir, "core_test_no_sms", names=("title.txt", "body.txt"))
    before = notification_kinds()
    with pytest.raises(ImproperlyConfigured) as refused:
        notification_kinds_register([(KIND, "Test notice"), ("core_test_no_sms", "No SMS")])
    assert "notifications/core_test_no_sms/sms.txt" in str(refused.value)
    assert "title.txt" not in str(refused.value)
    assert notification_kinds() == before


def test_a_kind_is_registered_once(test_kind):
    notification_kinds_register([(test_kind, "Test notice")])  # the same again: no change
    assert list(notification_kinds()).count(test_kind) == 1
    with pytest.raises(ImproperlyConfigured, match="already registered"):
        notification_kinds_register([(test_kind, "Another label")])
    with pytest.raises(ImproperlyConfigured, match="1 to 40 characters"):
        notification_kinds_register([("k" * 41, "Too long")])


def test_registered_kinds_are_offered_as_preferences_and_templates(test_kind, staff, client_for):
    shown = preferences_for(staff)
    assert [(row["kind"], row["channel"]) for row in shown] == [
        (kind, channel) for kind in notification_kinds() for channel in Channel.values
    ]
    rows = client_for(staff).get(f"{NOTIFICATIONS}templates/").json()
    assert {row["kind"] for row in rows} == set(notification_kinds())
    assert {(row["name"], row["source"]) for row in rows if row["kind"] == test_kind} == set(
        TEMPLATES.items()
    )


def test_an_unknown_kind_is_a_400_through_the_preferences_api(patient, client_for):
    unknown = [{"kind": "core_no_such_kind", "channel": "email", "enabled": False}]
    response = client_for(patient).put(f"{NOTIFICATIONS}preferences/", unknown, format="json")
    error = assert_error(response, 400)
    assert "core_no_such_kind" in str(error["fields"])


def test_an_unknown_kind_is_refused_by_the_preferences_service(patient):
    unknown = [{"kind": "core_no_such_kind", "channel": "email", "enabled": False}]
    with pytest.raises(ValidationFailed) as refused:
        preferences_set(user=patient, choices=unknown)
    assert refused.value.code == "unknown_kind"


def test_a_kind_registered_after_start_up_is_accepted_by_the_api(test_kind, patient, client_for):
    client = client_for(patient)
    off = [{"kind": test_kind, "channel": "email", "enabled": False}]
    chosen = client.put(f"{NOTIFICATIONS}preferences/", off, format="json")
    assert chosen.status_code == 200, chosen.content
    assert {"kind": test_kind, "channel": "email", "enabled": False, "available": True} in (
        chosen.json()
    )
    notify_many([notice(patient)])
    listed = client.get(NOTIFICATIONS, {"kind": test_kind}).json()
    assert [row["kind"] for row in listed["results"]] == [test_kind]


def test_an_unknown_kind_is_a_400_in_the_notifications_filter(patient, client_for):
    response = client_for(patient).get(NOTIFICATIONS, {"kind": "core_no_such_kind"})
    error = assert_error(response, 400)
    assert "kind" in error["fields"]


def test_the_schema_lists_the_registered_kinds_as_an_enum():
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    kind_refs = {
        components[name]["properties"]["kind"]["$ref"]
        for name in ("Preference", "PreferenceRequest")
    }
    [ref] = kind_refs
    assert components[ref.rsplit("/", 1)[1]]["enum"] == list(notification_kinds())
    listed = schema["paths"]["/api/v1/notifications/"]["get"]["parameters"]
    [kind] = [p for p in listed if p["name"] == "kind"]
    assert set(kind["schema"]["enum"]) == set(notification_kinds())


# --- notify_many -------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 6])
def test_notify_many_takes_three_queries_whatever_the_number(
    test_kind, make_user, count, django_assert_max_num_queries
):
    users = [make_user() for _ in range(count)]
    texting(users[0])
    notices = [notice(user) for user in users]
    with django_assert_max_num_queries(3):
        written = notify_many(notices)
    assert len(written) == count
    assert Delivery.objects.filter(notification__in=written).count() == count + 1


def test_notify_many_takes_the_same_queries_for_two_users_as_for_six(test_kind, make_user):
    users = [texting(make_user()) for _ in range(6)]
    counted = []
    for group in (users[:2], users):
        with CaptureQueriesContext(connection) as queries:
            notify_many([notice(user) for user in group])
        counted.append(len(queries))
    assert counted[0] == counted[1] <= 3


def test_notify_many_with_nothing_to_say_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert notify_many([]) == []


def test_notify_many_refuses_a_kind_nobody_registered(patient):
    with pytest.raises(ValueError, match="core_no_such_kind"):
        notify_many([notice(patient, kind="core_no_such_kind")])
    assert not Notification.objects.exists()


def _written(notifications_: list[Notification]) -> list[tuple]:
    """What was stored, without the ids and stamps that differ between two runs."""
    rows = Notification.objects.filter(pk__in=[n.pk for n in notifications_])
    stored = {
        row.pk: (row.user_id, row.kind, row.title, row.body, row.link, row.subject_id,
                 row.subject_state, row.is_read)
        for row in rows
    }  # fmt: skip
    return [
        (
            stored[n.pk],
            sorted(
                (delivery.channel, delivery.to, delivery.subject, delivery.body, delivery.status)
                for delivery in Delivery.objects.filter(notification_id=n.pk)
            ),
        )
        for n in notifications_
    ]


def test_notify_many_writes_what_notify_writes_one_by_one(
    test_kind, make_user, monkeypatch, django_capture_on_commit_callbacks
):
    berlin = texting(make_user())
    new_york = make_user(timezone="America/New_York")
    quiet = make_user()
    preferences_set(user=quiet, choices=[{"kind": KIND, "channel": "email", "enabled": False}])
    phone_only = make_user()
    phone_only.phone = "+4915123456780"
    phone_only.save()  # a phone, but SMS not wanted: e-mail only, the default
    notices = [notice(berlin), notice(new_york), notice(quiet), notice(phone_only), notice(berlin)]
    queued: list[list[tuple]] = []  # what each run hands to the sender after commit
    monkeypatch.setattr(notifications, "queue_deliveries", queued.append)

    with django_capture_on_commit_callbacks(execute=True):
        one_by_one = [
            notify(
                user=n.user,
                kind=n.kind,
                context=n.context,
                link=n.link,
                subject_id=n.subject_id,
                subject_state=n.subject_state,
            )
            for n in notices
        ]
    queued_one_by_one = [pair for batch in queued for pair in batch]
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        together = notify_many(notices)

    assert len(queued) == 1  # one hand-over to the sender for the whole batch
    assert _written(together) == _written(one_by_one)
    assert [n.user_id for n in together] == [n.user.pk for n in notices]
    for sent, run in ((queued[0], together), (queued_one_by_one, one_by_one)):
        stored = Delivery.objects.filter(notification__in=run).values_list("pk", "channel")
        assert sorted(sent) == sorted(stored)
    by_user = {row[0][0]: row for row in _written(together)}
    assert "09:00" in by_user[berlin.pk][0][2] and "03:00" in by_user[new_york.pk][0][2]
    assert [d[0] for d in by_user[berlin.pk][1]] == [Channel.EMAIL, Channel.SMS]
    assert by_user[quiet.pk][1] == []
    assert [d[0] for d in by_user[phone_only.pk][1]] == [Channel.EMAIL]
