"""core.caching: values cached under a per-object version that moves on when a change commits,
and core.db.insert_together: the rows of one event in one statement on PostgreSQL. Both with
the cache and database the settings configure; these tests commit, as requests do."""

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core.caching import Ask, VersionedCache, Versions, cached_many
from core.db import insert_together
from core.models import Channel, Delivery, Notification
from core.notifications import _chosen_channels, preferences_set

pytestmark = pytest.mark.django_db(transaction=True)


class Source:
    """A stand-in database: counts its reads."""

    def __init__(self) -> None:
        self.values = {"a": 1, "b": 2}
        self.reads: list[list[str]] = []

    def load(self, keys: list[str]) -> dict[str, int]:
        self.reads.append(keys)
        return {key: self.values[key] for key in keys if key in self.values}


@pytest.fixture
def versions() -> Versions[str]:
    return Versions("test.caching")


@pytest.fixture
def source() -> Source:
    return Source()


def test_values_are_read_once_then_served_from_the_cache(versions, source):
    entries = VersionedCache(versions, "value", timeout=60)
    assert entries.get_many(["a", "b", "zz"], source.load) == {"a": 1, "b": 2}
    assert entries.get_many(["a", "b"], source.load) == {"a": 1, "b": 2}
    assert source.reads == [["a", "b", "zz"]]  # the unknown key is asked again, never cached


def test_without_a_shared_cache_every_read_goes_to_the_database(versions, source, settings):
    settings.VERSIONED_CACHE = False  # the embedded mode: each process has its own memory
    entries = VersionedCache(versions, "value", timeout=60)
    assert entries.get_many(["a", "zz"], source.load) == {"a": 1}
    assert entries.get_many(["a"], source.load) == {"a": 1}
    assert source.reads == [["a", "zz"], ["a"]]
    assert cache.get(entries.key("a")) is None


def test_a_committed_change_is_read_again(versions, source):
    entries = VersionedCache(versions, "value", timeout=60)
    entries.get_many(["a"], source.load)
    with transaction.atomic():
        source.values["a"] = 10
        versions.changed("a")
        # Until the commit, this connection reads around the cache.
        assert versions.changed_here() == {"a"}
        assert entries.get_many(["a"], source.load) == {"a": 10}
    assert versions.changed_here() == set()
    assert entries.get_many(["a"], source.load) == {"a": 10}
    assert source.reads == [["a"], ["a"], ["a"]]
    assert entries.get_many(["a"], source.load) == {"a": 10}
    assert len(source.reads) == 3


def test_a_rolled_back_change_leaves_the_cache_as_it_was(versions, source):
    entries = VersionedCache(versions, "value", timeout=60)
    entries.get_many(["a"], source.load)
    with transaction.atomic():
        versions.changed("a")
        with transaction.atomic():
            versions.changed("b")
            transaction.set_rollback(True)  # the savepoint
        assert versions.changed_here() == {"a"}
        transaction.set_rollback(True)
    assert versions.changed_here() == set()
    assert entries.get_many(["a"], source.load) == {"a": 1}
    assert source.reads == [["a"]]


def test_an_entry_that_raced_a_change_is_not_served(versions, source):
    entries = VersionedCache(versions, "value", timeout=60)
    entries.get_many(["a"], source.load)
    old_version = cache.get(versions.key("a"))
    versions.changed("a")  # committed at once: no transaction is open
    source.values["a"] = 10
    cache.set(entries.key("a"), (old_version, 1))  # a slow reader's late write
    assert entries.get_many(["a"], source.load) == {"a": 10}


def test_a_lost_version_starts_again_and_old_entries_are_not_served(versions, source):
    entries = VersionedCache(versions, "value", timeout=60)
    entries.get_many(["a"], source.load)
    cache.delete(versions.key("a"))  # evicted, the entry kept
    source.values["a"] = 10
    assert entries.get_many(["a"], source.load) == {"a": 10}


def test_an_entry_too_small_for_the_caller_is_read_again(versions, source):
    entries = VersionedCache(versions, "value", timeout=60)
    entries.get_many(["a"], source.load)
    assert entries.get_many(["a"], source.load, usable=lambda value: value > 5) == {"a": 1}
    assert len(source.reads) == 2


def test_a_cache_that_does_not_answer_reads_the_database(versions, source, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    for method in ("get_many", "set_many", "add", "get", "incr"):
        monkeypatch.setattr(cache, method, down)
    entries = VersionedCache(versions, "value", timeout=60)
    assert entries.get_many(["a"], source.load) == {"a": 1}
    assert entries.get_many(["a"], source.load) == {"a": 1}
    versions.changed("a")  # logged, not raised
    assert len(source.reads) == 2


def test_message_choices_are_cached_and_follow_every_change(make_user):
    user = make_user(phone="+4915123456789")
    assert _chosen_channels([user.pk]) == {user.pk: {}}
    with CaptureQueriesContext(connection) as queries:
        assert _chosen_channels([user.pk]) == {user.pk: {}}
    assert len(queries) == 0
    preferences_set(
        user=user, choices=[{"kind": "appointment_booked", "channel": Channel.SMS, "enabled": True}]
    )
    assert _chosen_channels([user.pk]) == {user.pk: {("appointment_booked", "sms"): True}}
    user.notification_preferences.get().delete()  # any other door: the signal
    assert _chosen_channels([user.pk]) == {user.pk: {}}


def _notification(user) -> Notification:
    return Notification(user=user, kind="appointment_booked", title="Booked", body="Booked.")


def test_rows_of_several_tables_go_in_together(make_user):
    user = make_user()
    notification = _notification(user)
    deliveries = [
        Delivery(notification=notification, channel=Channel.EMAIL, to=user.email, body="Hi")
    ]
    with CaptureQueriesContext(connection) as queries:
        insert_together([notification], deliveries)
    statements = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "WITH"))]
    assert len(statements) == (1 if connection.vendor == "postgresql" else 2)
    assert Delivery.objects.get().notification_id == notification.pk
    assert notification.created_at is not None and not notification._state.adding


def test_rows_that_break_a_constraint_are_none_of_them_written(make_user):
    user = make_user()
    notification = _notification(user)
    orphan = Delivery(notification=_notification(user), channel=Channel.EMAIL, to="x@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_together([notification], [orphan])  # its notification is never inserted
    assert not Notification.objects.exists()


def test_each_group_is_new_rows_of_one_model(make_user):
    user = make_user()
    with pytest.raises(ValueError):
        insert_together([_notification(user), Delivery(channel=Channel.EMAIL)])


def test_several_kinds_of_entry_are_read_in_one_round_trip(versions, source, monkeypatch):
    names = VersionedCache(versions, "name", timeout=60)
    values = VersionedCache(versions, "value", timeout=60)

    def load_names(keys: list[str]) -> dict[str, str]:
        return {key: key.upper() for key in keys}

    def asks() -> tuple[Ask, Ask]:
        return Ask(names, ["a"], load_names), Ask(values, ["a", "b"], source.load)

    assert cached_many(*asks()) == [{"a": "A"}, {"a": 1, "b": 2}]
    reads = []
    real_get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: reads.append(keys) or real_get_many(keys))
    assert cached_many(*asks()) == [{"a": "A"}, {"a": 1, "b": 2}]
    assert len(reads) == 1 and len(source.reads) == 1
    versions.changed("a")  # one version for both kinds
    source.values["a"] = 10
    assert cached_many(*asks()) == [{"a": "A"}, {"a": 10, "b": 2}]
    assert source.reads[-1] == ["a"]
