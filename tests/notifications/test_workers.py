"""Several workers at once, a database that restarts, the real Huey consumer, and Web Push (RFC 8291)."""
from __future__ import annotations

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import http_ece
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from portal import create_app
from portal.db import db
from portal.models import Appointment, Audience, Case, Delivery, DeliveryState, Member, PushSubscription
from portal.notifications import events, preferences, recipients, worker
from tests.notifications.conftest import (
    DEMO_ADDRESSES,
    family_client,
    portal_on,
    post,
    worker_config,
)

PETRA = DEMO_ADDRESSES[4]


def _many_events(app, rounds: int = 6) -> int:
    """Appointment changes for the whole family, each its own transaction; how many mails to expect."""
    with app.app_context():
        sommer = db.session.scalar(sa.select(Case.id).where(Case.title == "Familie Sommer"))  # the family with addresses
        appointments = db.session.scalars(sa.select(Appointment).where(
            Appointment.case_id == sommer, Appointment.audience == Audience.family)).all()
        for appointment in appointments[:rounds]:
            events.appointment_saved(db.session, appointment, created=False)
            db.session.commit()
        return len({m.id for a in appointments[:rounds] for m in recipients.members_for_appointment(db.session, a)})


def _two_workers_at_once(first, second) -> None:
    start = threading.Barrier(2)
    errors = []

    def run(app) -> None:
        try:
            start.wait()
            for _ in range(3):
                worker.run_once(app)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(app,)) for app in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def test_two_workers_on_a_sqlite_file_send_each_message_once(make_portal, smtp):
    app = make_portal()
    other = portal_on(app)
    expected = _many_events(app)
    _two_workers_at_once(app, other)
    recipients = [m["To"] for m in smtp.mailbox.received]
    assert len(recipients) == expected and len(set(recipients)) == expected  # one bundle each, none twice
    assert len({m["Message-ID"] for m in smtp.mailbox.received}) == expected
    other.extensions["database"].engine.dispose()


def test_two_workers_on_postgresql_send_each_message_once_and_survive_a_restart(postgres_url, smtp):
    app = create_app(worker_config(postgres_url, smtp.port))
    other = create_app(worker_config(postgres_url, smtp.port))
    made = [app, other]
    try:
        with app.app_context():  # fresh outbox for this test (the schema is shared by the module)
            for table in ("delivery", "notification", "message"):
                db.session.execute(sa.text(f"DELETE FROM {table}"))
            db.session.commit()
        expected = _many_events(app)
        _two_workers_at_once(app, other)
        recipients = [m["To"] for m in smtp.mailbox.received]
        assert len(recipients) == expected and len(set(recipients)) == expected

        # "Restart": every connection of a worker's pool is cut by the server (only that worker's:
        # they carry an application name of their own).
        restarted = create_app(worker_config(f"{postgres_url}&application_name=notify_restart", smtp.port))
        made.append(restarted)
        with restarted.app_context():
            db.session.execute(sa.text("SELECT 1"))
            db.session.commit()
        killer = sa.create_engine(os.environ["TEST_DATABASE_URL"])
        with killer.begin() as connection:
            cut = connection.execute(sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = 'notify_restart'")).scalar()
        killer.dispose()
        assert cut >= 1
        smtp.mailbox.received.clear()
        expected = _many_events(app, rounds=1)
        worker.run_once(restarted)  # the pool notices the dead connections and reconnects
        assert len(smtp.mailbox.received) == expected
    finally:
        for each in made:
            each.extensions["database"].engine.dispose()


def test_the_safety_alert_end_to_end_through_the_huey_consumer(make_portal, smtp, tmp_path):
    """Mia presses the button over HTTP; a real Huey consumer (threads, SQLite queue) delivers."""
    app = make_portal(HUEY_URL=str(tmp_path / "huey.sqlite3"), HUEY_POLL_SECONDS=0.2)
    huey = app.extensions["huey"]
    consumer = huey.create_consumer(workers=2, worker_type="thread", periodic=False, initial_delay=0.05,
                                    max_delay=0.2, check_worker_health=False)
    consumer._set_signal_handlers = lambda: None  # pytest keeps its own Ctrl-C handler
    consumer.start()  # worker threads; returns at once
    try:
        mia = family_client(app, "demo.child")
        assert post(mia, "/not-safe", form_page="/help-now").status_code == 302
        assert smtp.mailbox.wait_for(1), "no alert arrived"
        assert [m["To"] for m in smtp.mailbox.received] == [PETRA]
    finally:
        consumer.stop(graceful=True)


class PushEndpoint(BaseHTTPRequestHandler):
    """A push service on 127.0.0.1: keeps what it receives, answers `status`."""

    received: list = []
    status = 201

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        PushEndpoint.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(PushEndpoint.status)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def push_endpoint():
    PushEndpoint.received, PushEndpoint.status = [], 201
    server = HTTPServer(("127.0.0.1", 0), PushEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/push/anna-phone"
    server.shutdown()


def _vapid_keys() -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    encode = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")  # noqa: E731
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return encode(key.private_numbers().private_value.to_bytes(32, "big")), encode(public)


def test_web_push_is_encrypted_for_the_subscription_and_gone_removes_it(make_portal, smtp, push_endpoint):
    private, public = _vapid_keys()
    app = make_portal(VAPID_PRIVATE_KEY=private, VAPID_PUBLIC_KEY=public, VAPID_SUBJECT="mailto:it@example.org")
    browser_key = ec.generate_private_key(ec.SECP256R1())  # what the browser keeps
    auth_secret = os.urandom(16)
    encode = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")  # noqa: E731
    p256dh = encode(browser_key.public_key().public_bytes(serialization.Encoding.X962,
                                                          serialization.PublicFormat.UncompressedPoint))
    with app.app_context():
        anna = db.session.scalar(sa.select(Member).where(Member.username == "demo.parent"))
        anna.email = None
        preferences.add_push_subscription(db.session, anna, push_endpoint, p256dh, encode(auth_secret))
        appointment = db.session.scalar(sa.select(Appointment).where(Appointment.audience == Audience.family))
        events.appointment_saved(db.session, appointment, created=False)
        db.session.commit()
    worker.run_once(app)

    assert len(PushEndpoint.received) == 1
    headers, body = PushEndpoint.received[0]
    assert headers["content-encoding"] == "aes128gcm" and headers["authorization"].startswith("vapid ")
    payload = json.loads(http_ece.decrypt(body, private_key=browser_key, auth_secret=auth_secret,
                                          version="aes128gcm"))
    from tests.messages import translated

    assert payload["title"] == translated(app, "NeuStart", "de")
    assert payload["body"] == translated(app, "There is something new for you in NeuStart", "de")
    assert "Sommer" not in json.dumps(payload) and payload["url"].endswith("/")

    PushEndpoint.status = 410  # the browser dropped the subscription
    with app.app_context():
        events.appointment_saved(db.session, db.session.get(Appointment, appointment.id), created=False)
        db.session.commit()
    worker.run_once(app)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PushSubscription.id))) == 0
        assert db.session.scalar(sa.select(Delivery.error).where(Delivery.channel == "push")
                                 .order_by(Delivery.id.desc()).limit(1)) == "gone"
        assert DeliveryState.failed in set(db.session.scalars(sa.select(Delivery.state)))
