"""Settings shared by every environment, driven by environment variables.

The embedded default needs nothing but Python: SQLite, a local-memory cache and eager Celery.
`DATABASE_URL` and `REDIS_URL` scale it out to PostgreSQL and Redis with the same code.
"""

import zoneinfo
from datetime import timedelta
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A `.env` file is read only when asked for, so that a stray file never configures production.
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    environ.Env.read_env(
        env("DJANGO_DOT_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False
    )

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Django's admin, on a site that asks for the second sign-in step (users.admin_site).
    "users.admin_apps.ClinicAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_htmx",
    "core",
    "users",
    "doctors",
    "patients",
    "appointments",
    "health_records",
    "prescriptions",
    "blogs",
    "ai_client",
    "portal",
    "interop",
    "config",
]

MIDDLEWARE = [
    "core.middleware.MetricsMiddleware",
    "core.middleware.RequestContextMiddleware",
    "core.middleware.RequestBodyLimitMiddleware",
    "core.middleware.ApiDebugErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.PageNotFoundMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the lockout flag set during authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "core.context_processors.unread_notifications",
            ],
        },
    },
    {
        # Plain-text messages (e-mail, SMS): nothing to escape.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,  # each app keeps the messages it sends (templates/notifications/)
        "OPTIONS": {"autoescape": False},
    },
]

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = env("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3"))
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": SQLITE_PATH}}
SQLITE_OPTIONS = {
    # Writers take the lock when the transaction starts, so two bookings never interleave;
    # WAL lets readers go on while one writes.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}
for _database in DATABASES.values():
    # However SQLite is configured (default or DATABASE_URL=sqlite:///...), it gets the options.
    if _database["ENGINE"].endswith("sqlite3"):
        _database["OPTIONS"] = {**SQLITE_OPTIONS, **_database.get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery --------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="clinic"),
            # A cache that does not answer fails fast: the throttles then let requests through.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "clinic-portal",
        }
    }
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
# Cached schedules and message choices (core.caching) need a cache that every process shares:
# with local memory, `run_periodic` would keep what the web process has since changed.
VERSIONED_CACHE = bool(REDIS_URL)
# Without a broker, e-mail and SMS are sent by a background thread, never in the request;
# `run_periodic` sweeps what it could not send.
DELIVERIES_IN_BACKGROUND = env.bool("DELIVERIES_IN_BACKGROUND", default=True)
# How long a slot offered from the waitlist is held for the patient it was offered to.
WAITLIST_OFFER_HOLD_MINUTES = env.int("WAITLIST_OFFER_HOLD_MINUTES", default=15)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 5}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {
    "sweep-deliveries": {"task": "core.tasks.sweep_deliveries", "schedule": 60.0},
    "appointment-reminders": {"task": "appointments.tasks.send_reminders", "schedule": 300.0},
    "waitlist-sweep": {"task": "appointments.tasks.sweep_waitlist", "schedule": 60.0},
}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
# Each role lands on its own dashboard (portal.views.dashboard).
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/accounts/signed-out/"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Lockout (django-axes): five failures for one account within the cool-off lock it for that long,
# on the JWT endpoint, the session login page and the admin alike.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "users.lockout.username_from_credentials"
AXES_LOCKOUT_CALLABLE = "users.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
# Kept out of the failed-attempt records, as passwords are.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "challenge"]

# Two-step sign-in (django-otp, TOTP): the roles that may enrol an authenticator app, and the
# roles that must (asked to enrol at their next sign-in). Production requires admin and staff.
OTP_ALLOWED_ROLES = env.list("OTP_ALLOWED_ROLES", default=["doctor", "staff", "admin"])
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=[])
# How long the password step of a sign-in waits for its code (or for the enrolment it needs).
OTP_CHALLENGE_SECONDS = env.int("OTP_CHALLENGE_SECONDS", default=300)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Clinic portal")
# Wrong codes count toward the account lockout above, with wrong passwords. django-otp's own
# growing delay per device is off: it would also refuse a right code typed just after a wrong one.
OTP_TOTP_THROTTLE_FACTOR = 0

SILENCED_SYSTEM_CHECKS = [
    # Lockout is per account, so that patients behind one clinic or carrier address are not
    # locked out together; per-address rates are the API throttles' job.
    "axes.W006",
    # E-mail is unique without regard to case through a functional constraint
    # (users_user_email_ci_unique), which this check cannot see.
    "auth.W004",
]

# Roles decide the base group; these are the model permissions each group holds.
ROLE_GROUP_PERMISSIONS: dict[str, list[str]] = {
    "patient": [],
    "doctor": [],
    "staff": [
        "core.view_auditevent",  # read-only in the admin: nobody may change it
        "users.view_user",
        "users.add_user",
        "users.change_user",
        "users.view_staffprofile",
        "doctors.view_specialization",
        "doctors.add_specialization",
        "doctors.change_specialization",
        "doctors.view_doctor",
        "doctors.add_doctor",
        "doctors.change_doctor",
        "doctors.view_availabilitywindow",
        "doctors.add_availabilitywindow",
        "doctors.change_availabilitywindow",
        "doctors.delete_availabilitywindow",
        "doctors.view_timeoff",
        "doctors.add_timeoff",
        "doctors.change_timeoff",
        "doctors.delete_timeoff",
        "patients.view_patient",
        "patients.add_patient",
        "patients.change_patient",
        "patients.view_careassignment",
        "patients.add_careassignment",
        "patients.change_careassignment",
        "appointments.view_appointment",
        "appointments.add_appointment",
        "appointments.change_appointment",
        "appointments.view_appointmentseries",
        "appointments.view_waitlistentry",
        "appointments.view_waitlistoffer",
        "blogs.view_blogpost",
        "blogs.add_blogpost",
        "blogs.change_blogpost",
        "blogs.delete_blogpost",
        "blogs.view_comment",
        "blogs.change_comment",
        "blogs.view_tag",
        "blogs.add_tag",
        "blogs.change_tag",
    ],
    "admin": [],  # admins are superusers
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Proxies in front of the portal; 0 means the client address is REMOTE_ADDR, so that a
    # forged X-Forwarded-For cannot dodge the throttles.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.errors.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "auth": env("THROTTLE_AUTH", default="30/minute"),
        "password_reset": env("THROTTLE_PASSWORD_RESET", default="5/hour"),
        "comments": env("THROTTLE_COMMENTS", default="10/minute"),
        "ai": env("THROTTLE_AI", default="20/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=10)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,  # the login signal updates it
    "CHECK_REVOKE_TOKEN": True,  # a password change invalidates access tokens too
    "AUTH_HEADER_TYPES": ("Bearer",),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Clinic portal API",
    "DESCRIPTION": (
        "REST API of the clinic portal. Every error has the shape "
        '`{"error": {"code": "...", "message": "...", "fields": {...}}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from validator.swagger.io; Redoc in the portal's system fonts (no web fonts).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
                "headings": {"fontFamily": 'system-ui, -apple-system, "Segoe UI", sans-serif'},
            }
        }
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",  # tags follow the resource: auth, users, audit-logs...
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "users.models.Role",
        "RegistrationRoleEnum": [("patient", "Patient")],
        "StaffStatusEnum": "users.models.StaffStatus",
        "PostStatusEnum": "blogs.models.PostStatus",
    },
    # The error component, each operation's 4xx answers and each list's ordering choices.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.document_error_answers",
    ],
}

CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"

# Bodies above these sizes are refused with 413 before anything parses them.
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=2 * 1024 * 1024)
MAX_UPLOAD_BODY_BYTES = env.int("MAX_UPLOAD_BODY_BYTES", default=12 * 1024 * 1024)
HEALTH_RECORD_ATTACHMENT_MAX_BYTES = env.int(
    "HEALTH_RECORD_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024
)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY_BYTES

# Readiness checks: name -> (dotted path of a callable returning None or raising, critical).
# A non-critical failure reports "degraded" without failing readiness.
HEALTH_CHECKS: dict[str, tuple[str, bool]] = {
    "database": ("core.health.check_database", True),
    "cache": ("core.health.check_cache", True),
}
if REDIS_URL:
    HEALTH_CHECKS["broker"] = ("core.health.check_broker", True)

# Prometheus scrapes /metrics from these addresses (as the portal's workers see them, so the
# scraper should reach the workers directly, not through the proxy); clinic staff signed in may
# read it too. Empty: staff only.
METRICS_ALLOWED_IPS: list[str] = env.list("METRICS_ALLOWED_IPS", default=[])

# --- Encryption at rest ---------------------------------------------------------------------
# Fernet keys, comma-separated: the first encrypts, every one decrypts. To rotate, put a new key
# first, run `manage.py rotate_encryption_keys`, then drop the old key. New key:
#   python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
# The default below is published with the code and protects nothing (its bytes read
# "local-development-key-NOT-SECRET"): for development and tests only. Production refuses it.
DEVELOPMENT_FIELD_ENCRYPTION_KEY = "bG9jYWwtZGV2ZWxvcG1lbnQta2V5LU5PVC1TRUNSRVQ="
FIELD_ENCRYPTION_KEYS = [
    key.strip()
    for key in env.list("FIELD_ENCRYPTION_KEYS", default=[DEVELOPMENT_FIELD_ENCRYPTION_KEY])
    if key.strip()
]
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: give at least one Fernet key.")
for _position, _key in enumerate(FIELD_ENCRYPTION_KEYS, start=1):
    try:
        Fernet(_key)
    except ValueError:
        # Refused at start rather than at the first encrypted read; the key is never echoed.
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_KEYS: key {_position} is not a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from None

# --- AI: the inference service, reached over HTTP only --------------------------------------
INFERENCE_URL = env("INFERENCE_URL", default="http://127.0.0.1:8001")
INFERENCE_API_KEY = env("INFERENCE_API_KEY", default="local-development-inference-key")
# Worst case 3 x 0.3 s connecting + 0.3 s of backoff + 1.5 s reading: an answer within 3 s.
INFERENCE_CONNECT_TIMEOUT = env.float("INFERENCE_CONNECT_TIMEOUT", default=0.3)
INFERENCE_READ_TIMEOUT = env.float("INFERENCE_READ_TIMEOUT", default=1.5)
INFERENCE_CONNECT_ATTEMPTS = env.int("INFERENCE_CONNECT_ATTEMPTS", default=3)
INFERENCE_BREAKER_FAILURES = env.int("INFERENCE_BREAKER_FAILURES", default=5)
INFERENCE_BREAKER_RESET_SECONDS = env.int("INFERENCE_BREAKER_RESET_SECONDS", default=30)
# Not critical: without it the AI endpoints answer 503 and everything else works.
HEALTH_CHECKS["inference"] = ("ai_client.client.check_inference", False)

# --- Appointments ---------------------------------------------------------------------------
APPOINTMENT_CANCELLATION_NOTICE_HOURS = env.int("APPOINTMENT_CANCELLATION_NOTICE_HOURS", default=24)
# Reminders go out this long before online cancelling closes, so that the patient can still
# act on them: the lead time is the notice plus the margin.
APPOINTMENT_REMINDER_MARGIN_HOURS = env.int("APPOINTMENT_REMINDER_MARGIN_HOURS", default=24)
if APPOINTMENT_CANCELLATION_NOTICE_HOURS < 0 or APPOINTMENT_REMINDER_MARGIN_HOURS < 1:
    raise ImproperlyConfigured(
        "APPOINTMENT_CANCELLATION_NOTICE_HOURS must be 0 or more and "
        "APPOINTMENT_REMINDER_MARGIN_HOURS at least 1, so that reminders come before the notice."
    )
APPOINTMENT_REMINDER_LEAD_HOURS = (
    APPOINTMENT_CANCELLATION_NOTICE_HOURS + APPOINTMENT_REMINDER_MARGIN_HOURS
)
# Told to patients who can no longer cancel online.
CLINIC_PHONE = env("CLINIC_PHONE", default="")
APPOINTMENT_CHECK_IN_EARLIEST_MINUTES = env.int(
    "APPOINTMENT_CHECK_IN_EARLIEST_MINUTES", default=120
)
# Check-in closes this long after the visit's end; then it is a no-show or a new booking.
APPOINTMENT_CHECK_IN_CLOSES_AFTER_END_MINUTES = env.int(
    "APPOINTMENT_CHECK_IN_CLOSES_AFTER_END_MINUTES", default=0
)

# --- Mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Well under the outbox's 10-minute stale limit, so a hung send is never sent twice.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Clinic portal <no-reply@clinic.example>")
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# SMS: the console in the embedded default; core.sms.HttpSmsBackend with a gateway in production.
SMS_BACKEND = env("SMS_BACKEND", default="core.sms.ConsoleSmsBackend")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_KEY = env("SMS_GATEWAY_KEY", default="")
SMS_GATEWAY_CONNECT_TIMEOUT = env.float("SMS_GATEWAY_CONNECT_TIMEOUT", default=2.0)
SMS_GATEWAY_READ_TIMEOUT = env.float("SMS_GATEWAY_READ_TIMEOUT", default=5.0)

# --- I18N, static ---------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# The clinic's own zone: pages for visitors, and accounts made without one (the admin,
# createsuperuser, a form that leaves it out). Each signed-in user sees their own zone.
CLINIC_TIMEZONE = env("CLINIC_TIMEZONE", default="UTC")
try:
    zoneinfo.ZoneInfo(CLINIC_TIMEZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
    raise ImproperlyConfigured(f"CLINIC_TIMEZONE {CLINIC_TIMEZONE!r} is no IANA zone.") from exc
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Encrypted files without a URL, in PRIVATE_MEDIA_ROOT (core.storage.private_storage).
    "private": {"BACKEND": "core.storage.EncryptedFileSystemStorage"},
}
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
# Files only the portal reads (core.storage.EncryptedFileSystemStorage): encrypted, without a URL,
# streamed by views that check access. Never inside a served directory.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
for _served in (STATIC_ROOT, MEDIA_ROOT, *STATICFILES_DIRS):
    _private, _public = PRIVATE_MEDIA_ROOT.resolve(), Path(_served).resolve()
    if _private.is_relative_to(_public) or _public.is_relative_to(_private):
        raise ImproperlyConfigured(
            f"PRIVATE_MEDIA_ROOT ({_private}) must lie apart from {_public}, which is served."
        )

# --- Browser security headers ----------------------------------------------------------------
# No inline script and no 'unsafe-inline': every script and stylesheet is a file served by the
# portal; the few inline blocks a page needs carry the request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions live in the database and are read through the cache: signing out ends them on the
# server, and a page costs no query to find its session. While the cache is down they are read
# from the database (core.sessions).
SESSION_ENGINE = "core.sessions"

# --- Logging --------------------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "core.logging.RequestContextFilter"}},
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # The request middleware writes the one access line; Django's own would repeat it.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
ANONYMOUS_USER_NAME = None  # django-guardian: no anonymous user row
