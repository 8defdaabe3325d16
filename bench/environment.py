"""The suite's own world: a database it creates and drops, a Redis key prefix, temporary
directories and fresh keys, handed to every process it starts through the environment."""

import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
from cryptography.fernet import Fernet
from psycopg import sql

REPO_ROOT = Path(__file__).resolve().parent.parent
# The server the suite uses; the database name is its own. It connects to the maintenance
# database only to create and drop that one (never from template1, so that others creating
# databases at the same time are not blocked).
DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_DATABASE = "clinic_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/10"
# Databases of the machine that this suite must never create, drop or write to.
PROTECTED_DATABASES = {"postgres", "root", "test", "template0", "template1"}


def _setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


@dataclass
class BenchEnvironment:
    """BENCH_SERVER_URL (a PostgreSQL URL; its database is only connected to) and
    BENCH_REDIS_URL point the suite elsewhere."""

    server_url: str = field(
        default_factory=lambda: _setting("BENCH_SERVER_URL", DEFAULT_SERVER_URL)
    )
    database: str = DEFAULT_DATABASE
    redis_url: str = field(default_factory=lambda: _setting("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="clinic-bench-")))
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    fernet_key: str = field(default_factory=lambda: Fernet.generate_key().decode())
    key_prefix: str = field(default_factory=lambda: f"clinic-bench-{secrets.token_hex(4)}")
    redis_available: bool = False

    def __post_init__(self) -> None:
        if self.database in PROTECTED_DATABASES or self.database.startswith("test_"):
            raise SystemExit(f"refusing to use the database {self.database!r}")

    @property
    def database_url(self) -> str:
        return urlunsplit(urlsplit(self.server_url)._replace(path=f"/{self.database}"))

    def variables(self) -> dict[str, str]:
        """What bench/settings.py (production's settings) reads."""
        static_root = self.workdir / "static"
        private_root = self.workdir / "private"
        return {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": self.database_url,
            # Production requires a Redis URL even when the suite runs without one.
            "REDIS_URL": self.redis_url,
            "BENCH_CACHE": "redis" if self.redis_available else "locmem",
            "CACHE_KEY_PREFIX": self.key_prefix,
            "BENCH_KEY_PREFIX": self.key_prefix,
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "FIELD_ENCRYPTION_KEYS": self.fernet_key,
            "INFERENCE_API_KEY": secrets.token_urlsafe(16),
            "BENCH_STATIC_ROOT": str(static_root),
            "BENCH_PRIVATE_MEDIA_ROOT": str(private_root),
            # One run outlasts the default 10-minute access token.
            "JWT_ACCESS_MINUTES": "120",
            # The load comes from one address; throttles would measure themselves.
            "THROTTLE_AUTH": "100000/minute",
            "THROTTLE_PASSWORD_RESET": "100000/minute",
            "THROTTLE_COMMENTS": "100000/minute",
            "THROTTLE_AI": "100000/minute",
            "AXES_FAILURE_LIMIT": "1000",
            "LOG_LEVEL": "INFO",
            "PYTHONPATH": str(REPO_ROOT),
        }

    def apply(self) -> None:
        """Check Redis, then put the variables into this process's environment."""
        self.redis_available = redis_answers(self.redis_url)
        os.environ.update(self.variables())

    def create_database(self) -> None:
        with psycopg.connect(self.server_url, autocommit=True) as connection:
            name = sql.Identifier(self.database)
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            connection.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(name))

    def drop_database(self) -> None:
        with psycopg.connect(self.server_url, autocommit=True) as connection:
            name = sql.Identifier(self.database)
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))

    def clean_up(self) -> None:
        """Forget the run's cache entries and queued messages (all under its key prefix)
        and its temporary directory."""
        if self.redis_available:
            client = redis.Redis.from_url(self.redis_url, socket_timeout=5)
            for key in client.scan_iter(match=f"*{self.key_prefix}*", count=1000):
                client.delete(key)
        shutil.rmtree(self.workdir, ignore_errors=True)


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False
