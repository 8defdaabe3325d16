"""Values kept in the Django cache (Redis in production, local memory otherwise), each valid
while the version of what it was read from holds.

Each object (a doctor's schedule, a user's message preferences) has a version number in the
cache. Whatever changes the object calls `Versions.changed`, which moves the number on once the
transaction commits; an entry remembers the version it was read under, so an entry read before a
change is never served after it. The version is read before the database, so an entry that raced
a change carries the old number and is simply not used.

Until the change commits, the connection that made it reads that object around the cache: its
own rows are not committed yet, so they may neither be cached for others nor hidden from itself.
(A rolled-back change moves nothing: the database is as the cache had it.)

The cache only saves queries: when it does not answer, the database is read as if it were empty.
Without a cache that every process shares (settings.VERSIONED_CACHE off: the embedded mode's
local memory), nothing is cached and every read goes to the database.
"""

import logging
import secrets
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _quietly(action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A cache call that may fail (Redis away): logged, answered with None."""
    try:
        return action(*args, **kwargs)
    except Exception as exc:  # the cache client raises several kinds
        logger.warning("cache unavailable", extra={"error": repr(exc)})
        return None


class _Bump:
    """Moves one object's version on; queued to run when the transaction commits."""

    def __init__(self, versions: "Versions", key: Hashable) -> None:
        self.versions = versions
        self.key = key

    def __call__(self) -> None:
        try:
            cache.incr(self.versions.key(self.key))
        except ValueError:
            pass  # no version yet: the next reader starts a new one, which no entry carries
        except Exception as exc:
            logger.warning("cache version not moved on", extra={"error": repr(exc)})


class Versions(Generic[K]):
    """The version numbers of one kind of object, by key (usually its primary key)."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def key(self, key: K) -> str:
        return f"{self.namespace}:version:{key}"

    def changed(self, key: K) -> None:
        """The object changed (or will, in the open transaction): move its version on once
        the transaction commits; until then this connection reads it around the cache."""
        transaction.on_commit(_Bump(self, key), robust=True)

    def changed_here(self) -> set[K]:
        """Keys changed by the transaction this thread's connection has open: those whose
        version moves are still waiting for its commit. Django drops them from the queue when
        the transaction (or the savepoint that queued them) rolls back, and runs them at the
        commit, so this is exactly what the open transaction changed."""
        waiting = getattr(transaction.get_connection(), "run_on_commit", ())
        return {
            func.key
            for _savepoints, func, *_robust in waiting
            if isinstance(func, _Bump) and func.versions is self
        }

    def start(self, key: K) -> int | None:
        """A first version for an object that has none: random, so that no entry left from
        before (the version evicted, the entry not) can carry it."""
        version = secrets.randbits(62)
        if _quietly(cache.add, self.key(key), version, timeout=None):
            return version
        return _quietly(cache.get, self.key(key))  # another process started it first


class VersionedCache(Generic[K, V]):
    """Entries of one kind, each stored with the version of its object (`versions`)."""

    def __init__(self, versions: Versions[K], name: str, *, timeout: int) -> None:
        self.versions = versions
        self.name = name
        self.timeout = timeout

    def key(self, key: K) -> str:
        return f"{self.versions.namespace}:{self.name}:{key}"

    def get_many(
        self,
        keys: Iterable[K],
        load: Callable[[list[K]], Mapping[K, V]],
        *,
        usable: Callable[[V], bool] | None = None,
    ) -> dict[K, V]:
        """The value of each key: from the cache (one round trip, versions and entries
        together), else from `load` (the database), which is then cached. A key that `load`
        does not answer is left out. `usable` may refuse an entry (one that holds too little)."""
        return cached_many(Ask(self, keys, load, usable))[0]


@dataclass
class Ask(Generic[K, V]):
    """One kind of entry to read with `cached_many`: as `VersionedCache.get_many` takes it."""

    entries: VersionedCache[K, V]
    keys: Iterable[K]
    load: Callable[[list[K]], Mapping[K, V]]
    usable: Callable[[V], bool] | None = None


def cached_many(*asks: Ask) -> list[dict]:
    """Several kinds of entry (`VersionedCache.get_many` each) in one round trip to the cache,
    and one more to store what had to be loaded. One dict of values per ask, in order."""
    if not settings.VERSIONED_CACHE:
        return [dict(ask.load(list(dict.fromkeys(ask.keys)))) for ask in asks]
    wanted = []
    for ask in asks:
        keys = list(dict.fromkeys(ask.keys))
        around = ask.entries.versions.changed_here()
        wanted.append((ask, keys, [key for key in keys if key not in around]))
    names = {
        name
        for ask, _keys, cached in wanted
        for key in cached
        for name in (ask.entries.versions.key(key), ask.entries.key(key))
    }
    got = (_quietly(cache.get_many, list(names)) or {}) if names else {}
    results: list[dict] = []
    fresh: dict[int, dict[str, tuple[int, Any]]] = {}  # by timeout
    for ask, keys, cached in wanted:
        versions_of = ask.entries.versions
        found: dict = {}
        versions: dict = {}
        for key in cached:
            version = got.get(versions_of.key(key))
            if version is None:
                # Before the database is read: a change that commits meanwhile moves it on.
                version = got[versions_of.key(key)] = versions_of.start(key)
            versions[key] = version
            entry = got.get(ask.entries.key(key))
            if (
                version is not None
                and entry is not None
                and entry[0] == version
                and (ask.usable is None or ask.usable(entry[1]))
            ):
                found[key] = entry[1]
        missing = [key for key in keys if key not in found]
        if missing:
            loaded = ask.load(missing)
            found.update(loaded)
            for key, value in loaded.items():
                if versions.get(key) is not None:  # not read around the cache
                    timeout = ask.entries.timeout
                    fresh.setdefault(timeout, {})[ask.entries.key(key)] = (versions[key], value)
        results.append(found)
    for timeout, entries in fresh.items():
        _quietly(cache.set_many, entries, timeout=timeout)
    return results
