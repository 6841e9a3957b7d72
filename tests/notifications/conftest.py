"""A portal of its own for the notification worker, a real SMTP server, a real push endpoint.

The worker runs outside any request and commits as it goes, so these tests use a
portal with its own committed database (a copy of a migrated demo SQLite file
per test; PostgreSQL in a schema of its own where a test asks for it), never
the rolled-back per-test transaction of the main suite. Mail goes over SMTP to
an aiosmtpd server on a free port of 127.0.0.1 in this process.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import Flask

from config import TestConfig
from portal import create_app
from portal.db import db
from tests.conftest import migrate, second_factor, sign_in, csrf_token
from tests.demo_portal import build_demo_app

DEMO_ADDRESSES = ("anna.sommer@example.org", "daniel.sommer@example.org", "jonas.sommer@example.org",
                  "mia.sommer@example.org", "petra.lange@example.org", "sabine.koch@example.org")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Mailbox:
    """What the SMTP server received; `mode` makes it refuse (550), defer (451) or stall."""

    received: list[EmailMessage] = field(default_factory=list)
    mode: str = "accept"
    stall_seconds: float = 0
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        if self.mode == "refuse":
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.mode == "defer":
            return "451 4.3.0 try again later"
        if self.stall_seconds:
            await asyncio.sleep(self.stall_seconds)
            if server.transport is None or server.transport.is_closing():
                return "421 gone"  # the client gave up waiting: nothing was delivered
        with self.arrived:
            self.received.append(message_from_bytes(envelope.content, policy=policy.default))
            self.arrived.notify_all()
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if m["To"] == address]

    def wait_for(self, count: int, timeout: float = 30) -> bool:
        """Until `count` messages arrived (a bound for a broken worker, not a timing assertion)."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.received) >= count, timeout=timeout)


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    """A migrated SQLite file with the demo loaded, copied for each test that needs a portal."""
    path = tmp_path_factory.mktemp("notify-template") / "portal.sqlite3"
    app = build_demo_app(type("TemplateConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URL": f"sqlite:///{path}"}))
    app.extensions["database"].engine.dispose()
    return path


def worker_config(url: str, smtp_port: int, **settings) -> type:
    return type("WorkerConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URL": url, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_port,
        "SMTP_STARTTLS": False, "SMTP_TIMEOUT": 5, "MAIL_FROM": "NeuStart <neustart@jugendamt.example.org>",
        "NOTIFY_BUNDLE_SECONDS": 0, "NOTIFY_QUIET_HOURS": "", "NOTIFY_RETRY_SECONDS": 0,
        "PORTAL_URL": "https://portal.example.org",
        # The demo family is asked check-ins; their reminders would make these tests depend on the day
        # and hour they run. The check-in reminder's own test switches it on at a fixed moment.
        "CHECKIN_REMINDER_AT": "", **settings,
    })


@pytest.fixture
def make_portal(demo_database, tmp_path, smtp):
    """`make_portal(**settings)` → a demo portal on a fresh copy of the demo database, mail to `smtp`."""
    made: list[Flask] = []

    def make(**settings) -> Flask:
        copy = tmp_path / f"portal-{len(made)}.sqlite3"
        shutil.copy(demo_database, copy)
        app = create_app(worker_config(f"sqlite:///{copy}", smtp.port, **settings))
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["database"].engine.dispose()


def portal_on(app: Flask, **settings) -> Flask:
    """Another app (another worker) on the same database as `app`, with other settings."""
    config = worker_config(app.config["SQLALCHEMY_DATABASE_URL"], app.config["SMTP_PORT"], **settings)
    return create_app(config)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The PostgreSQL test database, in a schema of its own with the demo loaded (skipped on SQLite)."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        pytest.skip("needs TEST_DATABASE_URL=postgresql+psycopg://…")
    schema = "notify_worker_tests"
    admin = sa.create_engine(base)
    with admin.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    app = create_app(type("PgTemplate", (TestConfig,), {"SQLALCHEMY_DATABASE_URL": url}))
    with app.app_context():
        with db.engine.begin() as connection:
            migrate(connection)
        from portal import demo

        demo.load(db.session)
        db.session.commit()
    app.extensions["database"].engine.dispose()
    yield url
    with admin.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


# --- HTTP as the demo people ------------------------------------------------------------

def family_client(app: Flask, username: str):
    client = app.test_client()
    assert sign_in(client, username).status_code == 302
    return client


def staff_client(app: Flask, username: str = "demo.caseworker"):
    client = app.test_client()
    assert sign_in(client, username, staff=True).status_code == 302
    assert second_factor(client, username).status_code == 302
    return client


def post(client, url: str, data: dict | None = None, form_page: str | None = None):
    page = client.get(form_page or url)
    return client.post(url, data={"csrf_token": csrf_token(page.text), **(data or {})})


__all__ = ["DEMO_ADDRESSES", "family_client", "portal_on", "post", "staff_client", "worker_config"]
