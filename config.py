"""Configuration, read from the environment.

`Config` is what production runs; `DevelopmentConfig` and `TestConfig` relax
only what must be relaxed to work on one machine. `create_app()` refuses to start
without a `SECRET_KEY` outside development and tests, so a forgotten variable
fails loudly instead of signing sessions with a known key.
"""
from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'portal.sqlite3'}"


def _crisis_lines(raw: str | None) -> tuple[dict, ...]:
    """`OFFICE_CRISIS_LINES`: a JSON list of {"name": …, "phone": …, "hours": …} (hours optional)."""
    return tuple(json.loads(raw)) if raw else ()


# The fictional demo office's crisis line (as in portal/demo.py), for `make run` and the tests.
DEMO_CRISIS_LINES = ({"name": "Kinder- und Jugendnotdienst Musterstadt", "phone": "030 5550 0000",
                      "hours": "24 Stunden, 7 Tage"},)


class Config:
    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URL = os.environ.get("DATABASE_URL") or _default_database_url()
    # Production runs on PostgreSQL; `create_app` refuses SQLite there unless this says
    # it is meant (one host, one server process, a backup of the file).
    ALLOW_SQLITE_IN_PRODUCTION = os.environ.get("ALLOW_SQLITE_IN_PRODUCTION") == "1"
    OFFICE_TIMEZONE = os.environ.get("OFFICE_TIMEZONE", "Europe/Berlin")
    OFFICE_NAME = os.environ.get("OFFICE_NAME", "Jugendamt")
    # The office's own crisis lines on "Help now", after the national numbers. Set in the
    # configuration, not the database: help now must answer while the database is down,
    # on every host alike (portal.family.help).
    OFFICE_CRISIS_LINES = _crisis_lines(os.environ.get("OFFICE_CRISIS_LINES"))

    # Languages the interface speaks; the first is the default and the binding one.
    LANGUAGES = ("de", "en", "ar", "uk", "ru", "tr", "fa")
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")

    INVITATION_VALID_FOR = timedelta(days=int(os.environ.get("INVITATION_VALID_DAYS", "14")))
    # How long a closed case is kept before `flask purge-expired` deletes it.
    RETENTION_PERIOD = timedelta(days=int(os.environ.get("RETENTION_DAYS", "730")))

    # Sessions live on the server (table login_session); the cookie only names one.
    STAFF_IDLE_TIMEOUT = timedelta(hours=1)
    STAFF_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    FAMILY_IDLE_TIMEOUT = timedelta(minutes=30)
    FAMILY_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    PENDING_SECOND_FACTOR_TIMEOUT = timedelta(minutes=10)  # password done, code not yet

    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PREFERRED_URL_SCHEME = "https"
    HSTS = True

    WTF_CSRF_TIME_LIMIT = None  # the token is bound to the session, which expires anyway
    # Flask-WTF's HTTPS check wants a Referer, which a browser may withhold; the
    # portal checks Origin (else Referer) on every scheme instead (portal.security).
    WTF_CSRF_SSL_STRICT = False

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_ENABLED = True
    # Redis unreachable: each worker keeps counting in its own memory (still throttled, no 500).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Failed sign-ins (portal.auth.throttle); fixed windows that expire: never a lock-out for good.
    SIGNIN_FAILURES_PER_NAME = "10 per 15 minutes"
    SIGNIN_FAILURES_PER_ADDRESS = "50 per 15 minutes"

    DEMO_ALLOWED = False
    # argon2id parameters; None = the library's RFC 9106 defaults (portal.passwords).
    PASSWORD_HASHING: dict | None = None


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"
    SESSION_COOKIE_NAME = "session"
    SESSION_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"
    HSTS = False
    DEMO_ALLOWED = True
    OFFICE_CRISIS_LINES = Config.OFFICE_CRISIS_LINES or DEMO_CRISIS_LINES


class TestConfig(DevelopmentConfig):
    ENV_NAME = "test"
    TESTING = True
    SQLALCHEMY_DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    RATELIMIT_STORAGE_URI = "memory://"
    # Still argon2id, but cheap: hundreds of sign-ins per run on two cores.
    PASSWORD_HASHING = {"time_cost": 2, "memory_cost": 4 * 1024, "parallelism": 1}


CONFIGS = {"production": Config, "development": DevelopmentConfig, "test": TestConfig}


def config_from_env() -> type[Config]:
    """`PORTAL_ENV` picks the configuration; production is the default on purpose."""
    return CONFIGS[os.environ.get("PORTAL_ENV", "production")]
