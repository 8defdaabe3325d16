"""Settings of the benchmark suite: production's, with what one machine running it needs.

`bench/run.py` sets the environment production asks for (DATABASE_URL, REDIS_URL, a secret
key, a fresh encryption key, the allowed hosts) and the high throttle rates (THROTTLE_*),
then serves these settings with gunicorn. Requests arrive over plain HTTP from the load runner
with `X-Forwarded-Proto: https`, as from a proxy that ends TLS, so the HTTPS redirect and the
secure cookies stay as in production.
"""

from pathlib import Path

from config.settings.production import *  # noqa: F403
from config.settings.production import CELERY_BROKER_TRANSPORT_OPTIONS, env

# Hashed static files are served from a manifest that `collectstatic` writes; the suite
# collects them into a temporary directory, never into the work tree.
STATIC_ROOT = Path(env("BENCH_STATIC_ROOT"))
PRIVATE_MEDIA_ROOT = Path(env("BENCH_PRIVATE_MEDIA_ROOT"))

# Nothing leaves the machine: no worker sends the queued messages anyway.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

# Messages that bookings queue wait in Redis under the run's own prefix (no worker runs), so
# that the suite can remove them afterwards without touching anyone else's keys.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "global_keyprefix": f"{env('BENCH_KEY_PREFIX')}:",
}

# Without a reachable Redis (BENCH_CACHE=locmem) each worker keeps its own cache, and tasks
# run in the web process as in the embedded mode; the report says which of the two ran.
if env("BENCH_CACHE", default="redis") == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
