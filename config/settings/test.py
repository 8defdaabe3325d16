"""Test settings: fast hashing, mail in memory, N+1 queries fail the test that causes them."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403
from .base import (
    BASE_DIR,
    CACHES,
    DATABASES,
    DEVELOPMENT_FIELD_ENCRYPTION_KEY,
    INSTALLED_APPS,
    MIDDLEWARE,
    REDIS_URL,
    REST_FRAMEWORK,
    env,
)

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "core.sms.LocmemSmsBackend"
# Tasks run in the test process; the broker tests switch this off to use a real broker.
CELERY_TASK_ALWAYS_EAGER = True
# Sent before the request returns, so that tests read the outbox at once; the embedded mode's
# background thread has its own tests.
DELIVERIES_IN_BACKGROUND = False
# One process: the local-memory cache is shared by all there is, so the cache is tested too.
VERSIONED_CACHE = True

INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]
MIDDLEWARE = [*MIDDLEWARE, "zeal.middleware.zeal_middleware"]
ZEAL_RAISE = True
# Two reads of one model per request are normal (the signed-in user, then the object asked
# for) and look alike to zeal when both come from library code; three is a loop.
ZEAL_NPLUSONE_THRESHOLD = 3

# Tests never depend on keys or files of the machine: the published development key, and private
# files outside the work tree.
FIELD_ENCRYPTION_KEYS = [DEVELOPMENT_FIELD_ENCRYPTION_KEY]
PRIVATE_MEDIA_ROOT = Path(tempfile.gettempdir()) / "clinic-portal-test-private-media"

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file (not :memory:) so that threads and the live server share one database.
    DATABASES["default"]["TEST"] = {
        "NAME": env("SQLITE_TEST_PATH", default=str(BASE_DIR / ".test-db.sqlite3"))
    }

REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "auth": "1000/minute",
        "password_reset": "1000/minute",
        "comments": "1000/minute",
        "ai": "1000/minute",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"handlers": [], "level": "WARNING"},
}

# Serve static files from the app folders, as in development, for the browser tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Parallel test workers (pytest-xdist) each flush their own Redis database: the first worker uses
# the one REDIS_URL names, the next the one below it, and so on. Subprocesses started by the tests
# inherit it through the environment.
_worker = env("PYTEST_XDIST_WORKER", default="")
if REDIS_URL and _worker.startswith("gw") and _worker[2:].isdigit():
    _url = urlsplit(REDIS_URL)
    _database = (int(_url.path.strip("/") or 0) - int(_worker[2:])) % 16
    REDIS_URL = urlunsplit(_url._replace(path=f"/{_database}"))
    os.environ["REDIS_URL"] = REDIS_URL
    CACHES = {"default": {**CACHES["default"], "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
