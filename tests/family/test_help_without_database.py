"""Help without the database (SECURITY.md property 33).

Help now and the offline page run no database statement at all, for anyone, and answer
with the database unreachable; so does the safety screen after "I don't feel safe",
which then says plainly that the message did not reach the caseworker (to a child in a
child's words) and still shows the numbers.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale, pgettext

from portal.models import SafetyAlert
from tests.conftest import csrf_token
from tests.messages import page_text, translated
from tests.test_database_down import UNREACHABLE, app_with

NUMBERS = ("tel:110", "tel:112", "tel:116111", "tel:08001110550")
CRISIS_LINE = "tel:03055500000"  # the demo office's, from OFFICE_CRISIS_LINES
NOT_REACHED = ("Your message did not reach your caseworker: the portal cannot store it right now. "
               "If you are in danger, call one of these numbers now.")
NOT_REACHED_CHILD = ("Your message did not get to your caseworker. The portal is not working right now. "
                     "Are you in danger? Call one of these numbers now.")


def for_a_child(app: Flask, msgid: str) -> str:
    with app.test_request_context(), force_locale("de"):
        return pgettext("child", msgid)


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement the app's engine runs meanwhile (the test's connection included)."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    engine = app.extensions["database"].engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_the_statement_counter_sees_a_page_that_reads(app, client_for):
    client = client_for("demo.parent")
    with statements(app) as seen:
        assert client.get("/contacts").status_code == 200
    assert seen


@pytest.mark.parametrize("who", [None, "demo.parent", "demo.youth", "demo.child", "demo.caseworker"])
@pytest.mark.parametrize("url", ["/help-now", "/offline"])
def test_help_now_and_offline_run_no_database_statement(app, client_for, who, url):
    client = client_for(who) if who else app.test_client()
    with statements(app) as seen:
        response = client.get(url)
    assert response.status_code == 200
    assert seen == []
    assert all(number in response.text for number in NUMBERS)


@pytest.mark.parametrize("kind", sorted(UNREACHABLE))
def test_help_now_and_offline_answer_with_the_database_unreachable(kind):
    down = app_with(UNREACHABLE[kind]).test_client()
    help_now = down.get("/help-now")
    assert help_now.status_code == 200
    assert all(number in help_now.text for number in NUMBERS) and CRISIS_LINE in help_now.text
    offline = down.get("/offline")
    assert offline.status_code == 200 and all(number in offline.text for number in NUMBERS)


@pytest.mark.parametrize("kind", sorted(UNREACHABLE))
def test_a_signed_in_child_reads_help_now_in_a_childs_words_with_the_database_unreachable(app, client_for, kind):
    working = client_for("demo.child")
    down = app_with(UNREACHABLE[kind]).test_client()
    down.set_cookie("session", working.get_cookie("session").value)
    page = down.get("/help-now")
    assert page.status_code == 200
    assert for_a_child(app, "Are you in danger? Call now.") in page_text(page)
    assert 'action="/not-safe"' in page.text and 'action="/logout"' in page.text


@pytest.mark.parametrize("kind", sorted(UNREACHABLE))
@pytest.mark.parametrize("username", ["demo.child", "demo.youth"])
def test_not_safe_with_the_database_down_says_the_message_did_not_arrive_and_shows_the_numbers(
        app, client_for, session, kind, username):
    working = client_for(username)
    down = app_with(UNREACHABLE[kind]).test_client()
    down.set_cookie("session", working.get_cookie("session").value)
    form = down.get("/help-now")

    response = down.post("/not-safe", data={"csrf_token": csrf_token(form.text)})

    assert response.status_code == 302 and response.headers["Location"] == "/help-now"
    screen = down.get("/help-now")
    assert screen.status_code == 200
    expected = for_a_child(app, NOT_REACHED_CHILD) if username == "demo.child" else translated(app, NOT_REACHED)
    assert expected in page_text(screen)
    assert translated(app, "Your caseworker has been told that you do not feel safe. "
                           "They may not read it at once, and this is not an emergency service: "
                           "if you are in danger now, call one of these numbers.") not in page_text(screen)
    assert all(number in screen.text for number in NUMBERS) and CRISIS_LINE in screen.text
    assert session.scalar(sa.select(sa.func.count()).select_from(SafetyAlert)) == 0
