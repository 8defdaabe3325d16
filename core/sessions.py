"""Sessions kept in the database and read through the cache, that keep working while the cache
is down: every cache call that fails falls back to the database (and is logged once per call)."""

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbStore

logger = logging.getLogger(__name__)


class SessionStore(CachedDbStore):
    def _cache_call(self, method: str, *args, default=None):
        try:
            return getattr(self._cache, method)(*args)
        except Exception as exc:  # any cache outage: the database still holds the session
            logger.warning("session cache unavailable", extra={"error": repr(exc)})
            return default

    def load(self):
        data = self._cache_call("get", self.cache_key)
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        self._cache_call(
            "set", self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date)
        )
        return data

    def exists(self, session_key):
        if session_key and self._cache_call(
            "has_key", self.cache_key_prefix + session_key, default=False
        ):
            return True
        return super(CachedDbStore, self).exists(session_key)

    def save(self, must_create=False):
        super(CachedDbStore, self).save(must_create)
        self._cache_call("set", self.cache_key, self._session, self.get_expiry_age())

    def delete(self, session_key=None):
        super(CachedDbStore, self).delete(session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self._cache_call("delete", self.cache_key_prefix + session_key)
