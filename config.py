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


def _flag(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


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
    # PostgreSQL connections of one server process (a gunicorn worker): one per thread, a few more
    # at a peak; every process has its own pool, so workers x (size + overflow) stay below the
    # server's max_connections (README "Running in production").
    DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "4"))
    DATABASE_MAX_OVERFLOW = int(os.environ.get("DATABASE_MAX_OVERFLOW", "4"))
    DATABASE_POOL_RECYCLE = int(os.environ.get("DATABASE_POOL_RECYCLE", "1800"))  # seconds
    # Each server process keeps the family pages it rendered while nothing they show has changed
    # (portal.family.page_cache), up to this many bytes of HTML; 0 renders every page anew.
    FAMILY_PAGE_CACHE_BYTES = int(os.environ.get("FAMILY_PAGE_CACHE_BYTES", str(32 * 2**20)))
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

    # The programme's evaluation (portal.evaluation): counts from 1 to this minus one are
    # shown as "fewer than N"; public child-welfare statistics mask up to 10.
    EVALUATION_MIN_COUNT = int(os.environ.get("EVALUATION_MIN_COUNT", "5"))
    # The office's default daily rate per kind of placement, in euros; a child's own rate
    # (on the case page) overrides it. Care days not incurred are valued with these.
    DAILY_RATES = {
        "residential": float(os.environ.get("DAILY_RATE_RESIDENTIAL", "230")),
        "foster": float(os.environ.get("DAILY_RATE_FOSTER", "45")),
        "custody": float(os.environ.get("DAILY_RATE_CUSTODY", "280")),
        "other": float(os.environ.get("DAILY_RATE_OTHER", "150")),
    }

    DEMO_ALLOWED = False
    # argon2id parameters; None = the library's RFC 9106 defaults (portal.passwords).
    PASSWORD_HASHING: dict | None = None

    # --- notifications (portal.notifications, README "Notifications") -------------------
    # Links in mails and pushes point here (the worker has no request to take it from).
    PORTAL_URL = os.environ.get("PORTAL_URL", "https://localhost")
    # Mail: over SMTP when SMTP_HOST is set; otherwise written as .eml files to MAIL_DIR.
    SMTP_HOST = os.environ.get("SMTP_HOST") or None
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
    SMTP_USER = os.environ.get("SMTP_USER") or None
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD") or None
    SMTP_STARTTLS = _flag("SMTP_STARTTLS", "true")
    SMTP_TIMEOUT = float(os.environ.get("SMTP_TIMEOUT", "30"))
    MAIL_FROM = os.environ.get("MAIL_FROM", "NeuStart <neustart@localhost>")
    MAIL_DIR = os.environ.get("MAIL_DIR", str(INSTANCE_DIR / "mail"))
    # Web Push (VAPID, RFC 8292): `flask vapid-keys` makes a pair.
    VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY") or None
    VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY") or None
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:neustart@localhost")
    PUSH_TIMEOUT = float(os.environ.get("PUSH_TIMEOUT", "15"))
    # The task queue the notification worker consumes: redis://…, postgresql://… or a SQLite file.
    HUEY_URL = os.environ.get("HUEY_URL") or os.environ.get("REDIS_URL") or str(INSTANCE_DIR / "huey.sqlite3")
    HUEY_WORKERS = int(os.environ.get("HUEY_WORKERS", "2"))
    HUEY_POLL_SECONDS = float(os.environ.get("HUEY_POLL_SECONDS", "2"))  # the queue's longest polling pause
    # Events for one person within this window go out as one message.
    NOTIFY_BUNDLE_SECONDS = int(os.environ.get("NOTIFY_BUNDLE_SECONDS", "120"))
    # No messages to families (and no staff digests) in these hours, office time; safety alerts go at once.
    NOTIFY_QUIET_HOURS = os.environ.get("NOTIFY_QUIET_HOURS", "21:00-07:00")
    # Reminders, office time: the day before an appointment, and on its morning.
    REMINDER_DAY_BEFORE_AT = os.environ.get("REMINDER_DAY_BEFORE_AT", "18:00")
    REMINDER_MORNING_AT = os.environ.get("REMINDER_MORNING_AT", "07:00")
    # Check-ins (portal.checkins): a neutral reminder on the first day of each period, office time
    # (empty: no check-in reminders).
    CHECKIN_REMINDER_AT = os.environ.get("CHECKIN_REMINDER_AT", "17:00")
    # An unacknowledged safety alert goes to the team lead after this many minutes.
    ALERT_ESCALATION_MINUTES = int(os.environ.get("ALERT_ESCALATION_MINUTES", "30"))
    # At most one digest per caseworker in this many minutes.
    STAFF_DIGEST_MINUTES = int(os.environ.get("STAFF_DIGEST_MINUTES", "60"))
    # Retries: first after NOTIFY_RETRY_SECONDS, doubling up to an hour; failed after NOTIFY_GIVE_UP_HOURS.
    NOTIFY_RETRY_SECONDS = float(os.environ.get("NOTIFY_RETRY_SECONDS", "60"))
    NOTIFY_GIVE_UP_HOURS = float(os.environ.get("NOTIFY_GIVE_UP_HOURS", "24"))
    # A worker that claimed a message and died: another takes it over after this lease.
    NOTIFY_LEASE_SECONDS = float(os.environ.get("NOTIFY_LEASE_SECONDS", "300"))


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"
    SESSION_COOKIE_NAME = "session"
    SESSION_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"
    HSTS = False
    DEMO_ALLOWED = True
    PORTAL_URL = os.environ.get("PORTAL_URL", f"http://127.0.0.1:{os.environ.get('PORT', '5000')}")
    OFFICE_CRISIS_LINES = Config.OFFICE_CRISIS_LINES or DEMO_CRISIS_LINES


class TestConfig(DevelopmentConfig):
    ENV_NAME = "test"
    TESTING = True
    SQLALCHEMY_DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    RATELIMIT_STORAGE_URI = "memory://"
    # Still argon2id, but cheap: hundreds of sign-ins per run on two cores.
    PASSWORD_HASHING = {"time_cost": 2, "memory_cost": 4 * 1024, "parallelism": 1}
    # Requests enqueue into memory; tests that need a worker run one on a queue of their own.
    HUEY_URL = "memory://"
    PORTAL_URL = "http://localhost"
    SMTP_HOST = None
    MAIL_DIR = None  # a test that writes mail files says where
    VAPID_PRIVATE_KEY = VAPID_PUBLIC_KEY = None


CONFIGS = {"production": Config, "development": DevelopmentConfig, "test": TestConfig}


def config_from_env() -> type[Config]:
    """`PORTAL_ENV` picks the configuration; production is the default on purpose."""
    return CONFIGS[os.environ.get("PORTAL_ENV", "production")]
