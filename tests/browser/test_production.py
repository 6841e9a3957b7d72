"""Production tested as it runs (SECURITY.md property 32): gunicorn, `PORTAL_ENV=production`,
TLS, PostgreSQL and Redis (`tests/browser/production.py`), driven by real Chromium.

A family member signs in, answers an appointment and signs out; a caseworker signs in
with the second factor, publishes a plan version and signs out — every form a POST over
HTTPS with the portal's own Referrer-Policy, as a browser sends it. The same server's
access log is then read for secrets.

It always runs on PostgreSQL, whichever database the rest of the suite uses, so CI
runs it on one leg only (marker `production`, see .ci/run).
"""
from __future__ import annotations

import secrets
import ssl
import time
import urllib.request
from collections.abc import Iterator

import pyotp
import pytest
import redis
import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import calendar
from portal.db import make_engine
from portal.demo import DEMO_TOTP_SECRET, PASSWORD
from portal.models import AppointmentAnswer, Case, Member, Plan, PlanVersion
from tests.browser.production import REDIS_URL, Server, production_server
from tests.conftest import secret
from tests.messages import translated

pytestmark = pytest.mark.production


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    with production_server(tmp_path_factory.mktemp("production")) as running:
        yield running


@pytest.fixture(scope="module")
def database(server: Server) -> Iterator[sa.Engine]:
    engine = make_engine(server.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def chromium(browser, server: Server):
    """A desktop-sized page in German, trusting the throw-away certificate."""
    context = browser.new_context(base_url=server.url, ignore_https_errors=True, locale="de-DE",
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def submit(page, form: str) -> None:
    page.locator(f"{form} button[type=submit]").first.click()
    page.wait_for_load_state()


def sign_in(page, url: str, username: str) -> None:
    page.goto(url)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    submit(page, "main form")


def sign_out(page) -> None:
    submit(page, 'form[action="/logout"]')


def test_family_and_caseworker_work_over_tls_on_postgresql_with_redis(app, chromium, database, server):
    page = chromium
    with Session(database) as session:
        sommer = session.scalar(sa.select(Case).where(Case.title == "Familie Sommer"))
        anna = session.scalar(sa.select(Member).where(Member.username == "demo.parent"))
        versions_before = session.scalar(sa.select(sa.func.count()).select_from(PlanVersion).join(Plan)
                                         .where(Plan.case_id == sommer.id))

    # A failed sign-in is counted in Redis (shared by every worker); then a parent signs
    # in, answers an appointment, signs out.
    counters = redis.Redis.from_url(REDIS_URL)

    def counted() -> dict[bytes, int]:
        return {key: int(counters.get(key) or 0) for key in counters.scan_iter("LIMITS*")}

    before = counted()
    page.goto("/login")
    page.fill("input[name=username]", f"nobody.{secrets.token_hex(4)}")  # a name of its own: runs never add up
    page.fill("input[name=password]", "not the password")
    submit(page, "main form")
    assert translated(app, "That did not work. Please check your sign-in name and password.") in page.content()
    assert any(count > before.get(key, 0) for key, count in counted().items()), "no Redis counter went up"
    sign_in(page, "/login", "demo.parent")
    assert page.url == f"{server.url}/"
    page.goto("/appointments")
    form = page.locator("form.answer-form", has=page.locator("button[name=coming][value=yes]")).first
    appointment_id = int(form.get_attribute("action").rsplit("/", 1)[1])
    with Session(database) as session:
        session.execute(sa.delete(AppointmentAnswer).where(AppointmentAnswer.appointment_id == appointment_id,
                                                           AppointmentAnswer.member_id == anna.id))
        session.commit()  # whatever the demo says Anna answered: the answer below is the only one
    form.locator("button[name=coming][value=yes]").click()
    page.wait_for_load_state()
    assert translated(app, "Thank you. Your answer was sent.") in page.content()
    with Session(database) as session:
        assert session.scalar(sa.select(AppointmentAnswer.coming).where(
            AppointmentAnswer.appointment_id == appointment_id, AppointmentAnswer.member_id == anna.id)) is True
    sign_out(page)
    assert page.url == f"{server.url}/login"
    assert page.goto("/plan").url.startswith(f"{server.url}/login")  # the session is over

    # A caseworker signs in with the second factor, publishes the draft, signs out.
    sign_in(page, "/staff/login", "demo.caseworker")
    assert page.url.split("?")[0] == f"{server.url}/staff/login/code"
    page.fill("input[name=code]", secret(pyotp.TOTP(DEMO_TOTP_SECRET).now()))
    submit(page, "main form")
    assert page.url == f"{server.url}/staff/"
    page.goto(f"/staff/cases/{sommer.id}/publish")
    page.fill("textarea[name=note]", "Die Ferien zu Hause sind jetzt im Plan.")
    submit(page, "main form")
    number = versions_before + 1
    assert translated(app, "Version %(number)d is published. The family sees it now.", number=number) in page.content()
    with Session(database) as session:
        assert session.scalar(sa.select(sa.func.max(PlanVersion.number)).join(Plan)
                              .where(Plan.case_id == sommer.id)) == number
    sign_out(page)
    assert page.url == f"{server.url}/staff/login"
    assert page.goto("/staff/").url.startswith(f"{server.url}/staff/login")


def https_get(url: str) -> tuple[int, dict[str, str], bytes]:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # the throw-away certificate
    with urllib.request.urlopen(url, context=context, timeout=30) as response:  # noqa: S310 - our own server
        return response.status, dict(response.headers), response.read()


def test_the_access_log_holds_no_calendar_token_and_no_invitation_code(database, server):
    with Session(database) as session:
        anna = session.scalar(sa.select(Member).where(Member.username == "demo.parent"))
        token = secret(calendar.renew_token(session, anna))
        session.commit()
    code = secret("QRCODEFROMALETTER1234")

    status, headers, body = https_get(f"{server.url}/calendar/{token}.ics")
    assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")
    assert "max-age=63072000" in headers["Strict-Transport-Security"]
    assert https_get(f"{server.url}/start?code={code}")[0] == 200

    logged = logged_once(server, '"GET /start" 200')  # written after the answer: wait for the line
    assert '"GET /calendar/[redacted].ics" 200' in logged
    assert token not in logged and code not in logged


def logged_once(server: Server, line: str) -> str:
    """Both of gunicorn's logs, as soon as `line` is in the access log (bounded wait)."""
    deadline = time.monotonic() + 30
    while line not in server.access_log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    return server.access_log.read_text() + server.error_log.read_text()
