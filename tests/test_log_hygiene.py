"""Log hygiene (SECURITY.md property 24): no secrets in logs, control characters escaped.

The autouse fixture `log_records` in conftest.py checks every test's log output
for the demo password, the demo plan texts and whatever a test registers with
`secret()`; these tests check that the check itself bites and that input cannot
forge log lines.
"""
from __future__ import annotations

import logging

from portal.demo import PASSWORD
from tests.conftest import csrf_token, leaked, secret


def test_secret_check_finds_a_registered_code_and_the_demo_password(log_records, demo_secrets):
    code = secret("ABCD-EFGH-IJKL-MNOP")
    logging.getLogger("portal.test").warning("redeemed %s", code)
    logging.getLogger("portal.test").warning("password was %s", PASSWORD)
    found = leaked(log_records, demo_secrets | {code})
    assert len(found) == 2
    log_records.clear()  # the check worked; do not fail this test for it


def test_secret_check_finds_plan_text_in_a_traceback(log_records, demo_secrets):
    plan_text = "Anna spricht mit der Suchtberatung"
    assert plan_text in demo_secrets
    try:
        raise ValueError(plan_text)
    except ValueError:
        logging.getLogger("portal.test").exception("publishing failed")
    assert leaked(log_records, demo_secrets)
    log_records.clear()


def test_failed_sign_in_logs_no_username_and_no_password(app, log_records):
    client = app.test_client()
    page = client.get("/login")
    username = "mallory\r\n2026-11-25 INFO portal.audit: audit signin outcome=ok"
    client.post("/login", data={"csrf_token": csrf_token(page.text), "username": username,
                                "password": secret("hunter2-correct-horse")})
    lines = [record.getMessage() for record in log_records]
    assert any("signin.failure" in line for line in lines)
    assert not any("mallory" in line for line in lines)
    assert not any("\n" in line or "\r" in line for line in lines)


def test_control_characters_in_any_log_message_are_escaped(log_records):
    logging.getLogger("portal.test").warning("name=%s", "eve\nFORGED line\x1b[31m\u2028\u202egnp.exe")
    [record] = [r for r in log_records if r.name == "portal.test"]
    assert record.getMessage() == "name=eve\\nFORGED line\\x1b[31m\\u2028\\u202egnp.exe"


def test_request_lines_lose_their_query_string(log_records):
    logging.getLogger("werkzeug").warning('%s - - "%s" %s -', "127.0.0.1", "GET /start?code=ABCD-EFGH HTTP/1.1", 200)
    [record] = [r for r in log_records if r.name == "werkzeug"]
    assert record.getMessage() == '127.0.0.1 - - "GET /start HTTP/1.1" 200 -'


def test_database_errors_in_logs_carry_no_row_values(session, log_records, demo_secrets):
    import sqlalchemy as sa

    from portal.models import Case

    try:
        with session.begin_nested():
            session.execute(sa.insert(Case).values(team_id=None, reference="X", phase="planning", revision=1,
                                                   title="Anna spricht mit der Suchtberatung",
                                                   created_at=sa.func.now()))
    except sa.exc.IntegrityError:
        logging.getLogger("portal.test").exception("saving failed")
    [record] = [r for r in log_records if r.name == "portal.test"]
    line = logging.Formatter().format(record)
    assert "IntegrityError" in line and 'INSERT INTO "case"' in line
    assert leaked(log_records, demo_secrets) == []


def test_a_failing_calendar_feed_logs_its_path_without_the_token(app, monkeypatch, log_records):
    """Flask logs "Exception on <path>": the feed's path holds the member's calendar secret."""
    from portal import calendar

    token = secret("feedtoken-that-must-stay-out-of-logs")

    def broken(_session, _token):
        raise RuntimeError("the feed broke")

    monkeypatch.setattr(calendar, "member_for_token", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    assert app.test_client().get(f"/calendar/{token}.ics").status_code == 500
    messages = [record.getMessage() for record in log_records]
    assert any("/calendar/[redacted].ics" in message for message in messages), messages
