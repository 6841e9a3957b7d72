"""Test fixtures: one migrated database per run, one rolled-back transaction per test.

The schema is built by the real Alembic migrations (not `create_all`), the
fictional demo data is loaded once, and every test runs inside a transaction
that is rolled back at its end, so tests see the demo family fresh and may
commit freely (commits become SAVEPOINT releases). `TEST_DATABASE_URL` selects
PostgreSQL; the default is an SQLite file in a temporary folder, opened like the
embedded default (WAL, busy timeout, foreign keys: `portal.db.make_engine`), so
the suite meets SQLite as `make run` does and not an in-memory stand-in.

Personas are the demo sign-ins (see README); `client_for(username)` signs one in
through the real sign-in form, CSRF token and all; staff also through the real
second-factor form with a code from the demo TOTP secret. Rate-limit counters
are reset before every test, so one test's failed sign-ins never throttle another.
"""
from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app, g, has_app_context, request_started
from flask.testing import FlaskClient

from config import TestConfig
from portal import create_app
from portal.db import Base, db
from portal.auth import two_factor
from portal.demo import PASSWORD
from portal.extensions import limiter
from portal.models import Case, Member, StaffUser

CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def migrate(connection: sa.Connection) -> None:
    config = AlembicConfig("alembic.ini")
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def reset_schema(connection: sa.Connection) -> None:
    Base.metadata.drop_all(connection)
    connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


def suite_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """`TEST_DATABASE_URL`, else a new SQLite file for this run."""
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('database') / 'portal.sqlite3'}"


def demo_portal(url: str) -> Flask:
    """A portal on the database at `url`, emptied, migrated and holding the demo office."""
    app = create_app(type("SuiteConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URL": url}))
    with app.extensions["database"].engine.begin() as connection:
        reset_schema(connection)
        migrate(connection)
    with app.app_context():
        from portal import demo

        demo.load(db.session)
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    url = suite_database_url(tmp_path_factory)
    app = demo_portal(url)
    engine = app.extensions["database"].engine
    if url.startswith("sqlite"):
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    yield app
    with engine.begin() as connection:
        reset_schema(connection)


@pytest.fixture(autouse=True)
def _transaction(app: Flask) -> Iterator[sa.Connection]:
    """Every test in its own outer transaction, rolled back at the end."""
    database = app.extensions["database"]
    connection = database.engine.connect()
    outer = connection.begin()
    database.sessionmaker.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield connection
    finally:
        database.sessionmaker.configure(bind=database.engine, join_transaction_mode="conservative_savepoint")
        outer.rollback()
        connection.close()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(app: Flask) -> None:
    limiter.reset()


@pytest.fixture
def session(app: Flask):
    """A database session for arranging and asserting, inside the test's transaction.

    While this app context is pushed, Flask reuses it for test-client requests,
    so they share `g` with the test and with each other. The database session is
    meant to be shared (requests see what the test arranged); everything else in
    `g` is per request (Flask-Login's current user, Flask-WTF's CSRF token) and
    is dropped when a request starts, as a real server would.
    """

    def fresh_request_globals(_sender, **_extra) -> None:
        for name in [name for name in g if name != "db_session"]:
            g.pop(name)

    with app.app_context():
        request_started.connect(fresh_request_globals, app)
        try:
            yield db.session
        finally:
            request_started.disconnect(fresh_request_globals, app)


def csrf_token(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD, staff: bool = False):
    url = "/staff/login" if staff else "/login"
    page = client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(page.text), "username": username, "password": password})


def unused_totp_code(app: Flask, username: str) -> str:
    """A code of the staff member's secret for the next 30-second step.

    The server accepts the previous, current and next step, each once. The
    newest one (next) stays acceptable even when a step boundary passes between
    making the code here and the server checking it; the previous step would be
    refused then, which made sign-ins fail at random now and then. Tests sign the
    same demo staff in many times a minute, so when that step is used up the
    harness forgets the last used step (a real person signs in rarely). The code
    itself still goes through the real form. Inside a test's own app context
    (the `session` fixture) the reset goes through the session the requests
    share, or the next request would still see the used step it has loaded."""
    import pyotp

    shared = has_app_context() and current_app._get_current_object() is app
    with nullcontext() if shared else app.app_context():
        person = staff(db.session, username)
        assert person.totp_secret, f"{username} has no second factor yet: give it totp_secret=DEMO_TOTP_SECRET"
        step = two_factor.current_step() + 1
        if person.totp_last_step is not None and person.totp_last_step >= step:
            person.totp_last_step = None
            db.session.commit()
        return pyotp.TOTP(person.totp_secret).generate_otp(step)


def second_factor(client: FlaskClient, username: str, code: str | None = None):
    """POST the code form of a pending staff sign-in (the page from `sign_in(staff=True)`)."""
    page = client.get("/staff/login/code")
    code = code if code is not None else unused_totp_code(client.application, username)
    return client.post("/staff/login/code", data={"csrf_token": csrf_token(page.text), "code": code})


FAMILY_USERNAMES = {"demo.parent", "demo.parent2", "demo.youth", "demo.child", "demo.other.parent"}


@pytest.fixture
def client_for(app: Flask):
    """`client_for("demo.parent")` → a test client signed in as that persona
    (staff: password, then the second factor, both through the real forms)."""

    def make(username: str) -> FlaskClient:
        client = app.test_client()
        is_staff = username not in FAMILY_USERNAMES
        response = sign_in(client, username, staff=is_staff)
        assert response.status_code == 302, f"sign-in as {username} failed"
        if is_staff:
            response = second_factor(client, username)
            assert response.status_code == 302 and not response.headers["Location"].startswith("/staff/login"), (
                f"second factor of {username} failed")
        return client

    return make


@pytest.fixture
def anonymous(app: Flask) -> FlaskClient:
    return app.test_client()


def post_form(client: FlaskClient, url: str, data: dict, form_page: str | None = None):
    """POST like a browser: fetch the page with the form first for its CSRF token."""
    page = client.get(form_page or url)
    return client.post(url, data={"csrf_token": csrf_token(page.text), **data})


# --- persona lookups -----------------------------------------------------------

def member(session, username: str) -> Member:
    return session.scalar(sa.select(Member).where(Member.username == username))


def staff(session, username: str) -> StaffUser:
    return session.scalar(sa.select(StaffUser).where(StaffUser.username == username))


def case_titled(session, title: str) -> Case:
    return session.scalar(sa.select(Case).where(Case.title == title))


# --- a production-configured app (cookies, HSTS, Redis counters) ---------------

@contextmanager
def production_app(database_file, demo: bool = False, **settings) -> Iterator[Flask]:
    """An app under the production `Config` (with a secret key and its own
    migrated SQLite file, with the demo data if `demo`), as behind the TLS proxy:
    send `https_headers()`. Flask-Limiter is one object shared by all apps, so its
    storage is restored afterwards for the test app."""
    from config import Config

    overrides = {"SECRET_KEY": "test-only-production-key", "SQLALCHEMY_DATABASE_URL": f"sqlite:///{database_file}",
                 "ALLOW_SQLITE_IN_PRODUCTION": True, **settings}
    saved = {name: getattr(limiter, name) for name in (
        "_storage", "_limiter", "_key_prefix", "_in_memory_fallback_enabled", "_fallback_storage",
        "_fallback_limiter", "_storage_dead")}
    limiter._in_memory_fallback_enabled = None  # sticky once set: let this app's configuration decide
    try:
        app = create_app(type("ProductionTestConfig", (Config,), overrides))
        with app.extensions["database"].engine.begin() as connection:
            migrate(connection)
        if demo:
            with app.app_context():
                from portal import demo as demo_data

                demo_data.load(db.session)
                db.session.commit()
        yield app
    finally:
        for name, value in saved.items():
            setattr(limiter, name, value)


def https_headers(address: str = "203.0.113.7") -> dict[str, str]:
    """What the TLS-terminating reverse proxy adds in production; nothing a browser sends."""
    return {"X-Forwarded-Proto": "https", "X-Forwarded-For": address}
# --- log hygiene (SECURITY.md property 24) ------------------------------------

_secrets: set[str] = set()


def secret(value: str) -> str:
    """Register a value no log line may contain (a code, a token, a seed) for this test.

    Values under 8 characters (too-short passwords a test sends on purpose) are
    too common to look for and are skipped.
    """
    if value and len(value) >= 8:
        _secrets.add(value)
    return value


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def leaked(records: list[logging.LogRecord], secrets: set[str]) -> list[str]:
    """The log lines (message and traceback, as a handler writes them) that contain one of `secrets`."""
    formatter = logging.Formatter()
    return [line for line in map(formatter.format, records) if any(value in line for value in secrets)]


@pytest.fixture(scope="session")
def demo_secrets(app: Flask) -> frozenset[str]:
    """The demo password and every plan text of the demo (published and draft)."""
    from portal.models import PlanItem, PublishedItem

    with app.app_context():
        texts = set(db.session.scalars(sa.select(PublishedItem.text)))
        texts |= set(db.session.scalars(sa.select(PlanItem.text)))
        texts |= {t for t in db.session.scalars(sa.select(PublishedItem.simple_text)) if t}
    from portal.demo import DEMO_TOTP_SECRET

    return frozenset({PASSWORD, DEMO_TOTP_SECRET, *texts})


@pytest.fixture(autouse=True)
def log_records(demo_secrets: frozenset[str]) -> Iterator[list[logging.LogRecord]]:
    """Every log record a test produces; the test fails if one holds a secret."""
    capture = _Capture()
    root = logging.getLogger()
    root.addHandler(capture)
    _secrets.clear()
    try:
        yield capture.records
    finally:
        root.removeHandler(capture)
    found = leaked(capture.records, demo_secrets | _secrets)
    _secrets.clear()
    if found:
        pytest.fail(f"secret in log output: {found[:3]!r}")
