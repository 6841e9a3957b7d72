"""SECURITY.md properties 12–16: server-side sessions, revocation, timeouts, cookie flags."""
from __future__ import annotations

import time
from datetime import timedelta

import sqlalchemy as sa
from flask.testing import FlaskClient

from portal import sessions
from portal.db import utcnow
from portal.models import LoginSession
from tests.messages import page_text, translated
from tests.conftest import csrf_token, https_headers, member, production_app, staff

COOKIE = "session"


def cookie_value(client: FlaskClient) -> str:
    return client.get_cookie(COOKIE).value


def cookie_contents(client: FlaskClient) -> dict:
    app = client.application
    return dict(app.session_interface.get_signing_serializer(app).loads(cookie_value(client)))


def with_cookie(app, contents: dict) -> FlaskClient:
    """A new client carrying a cookie signed by the app's own session serializer."""
    client = app.test_client()
    client.set_cookie(COOKIE, app.session_interface.get_signing_serializer(app).dumps(contents))
    return client


def copy_of(client: FlaskClient) -> FlaskClient:
    copy = client.application.test_client()
    copy.set_cookie(COOKIE, cookie_value(client))
    return copy


def signed_in_family(client: FlaskClient) -> bool:
    return client.get("/plan").status_code == 200


def signed_in_staff(client: FlaskClient) -> bool:
    return client.get("/staff/").status_code == 200


def login_row(session, client: FlaskClient) -> LoginSession:
    token = cookie_contents(client)["sid"]
    return session.scalar(sa.select(LoginSession).where(LoginSession.token_hash == sessions.token_hash(token)))


# --- 12: the identifier rotates at sign-in -------------------------------------

def test_sign_in_issues_a_new_identifier_and_the_cookie_from_before_is_not_signed_in(app, client_for):
    client = app.test_client()
    page = client.get("/login")
    before = cookie_value(client)
    client.post("/login", data={"csrf_token": csrf_token(page.text), "username": "demo.parent",
                                "password": "neustart-demo"})
    after = cookie_value(client)
    assert after != before and "sid" in cookie_contents(client)
    assert signed_in_family(client)
    stale = app.test_client()
    stale.set_cookie(COOKIE, before)
    assert not signed_in_family(stale)


def test_a_planted_session_token_is_replaced_at_sign_in(app, client_for):
    """Session fixation: a token an attacker put into the victim's cookie does not survive sign-in."""
    planted = "attacker-chosen-token"
    client = with_cookie(app, {"sid": planted, "seen": int(time.time())})
    page = client.get("/login")
    client.post("/login", data={"csrf_token": csrf_token(page.text), "username": "demo.parent",
                                "password": "neustart-demo"})
    assert cookie_contents(client)["sid"] != planted
    assert not signed_in_family(with_cookie(app, {"sid": planted, "seen": int(time.time())}))


def test_staff_identifier_rotates_again_after_the_second_factor(app, client_for):
    from tests.conftest import second_factor, sign_in

    client = app.test_client()
    sign_in(client, "demo.caseworker", staff=True)
    pending = copy_of(client)
    assert second_factor(client, "demo.caseworker").status_code == 302
    assert signed_in_staff(client)
    assert cookie_contents(client)["sid"] != cookie_contents(pending)["sid"]
    assert not signed_in_staff(pending)


# --- 13: sign-out is server-side ------------------------------------------------

def sign_out(client: FlaskClient, page: str) -> None:
    token = csrf_token(client.get(page).text)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def test_family_cookie_copied_before_sign_out_does_not_work_after_it(client_for):
    client = client_for("demo.parent")
    thief = copy_of(client)
    assert signed_in_family(thief)
    sign_out(client, "/plan")
    assert not signed_in_family(thief)
    assert thief.get("/plan").headers["Location"].startswith("/login")


def test_staff_cookie_copied_before_sign_out_does_not_work_after_it(client_for):
    client = client_for("demo.caseworker")
    thief = copy_of(client)
    sign_out(client, "/staff/")
    assert not signed_in_staff(thief)


# --- 14: password change and deactivation end the other sessions ---------------

def test_ending_all_sessions_of_a_member_keeps_only_the_one_named(client_for, session):
    """What a password change does (`sessions.end_all(..., keep=current)`)."""
    phone, laptop = client_for("demo.parent"), client_for("demo.parent")
    anna = member(session, "demo.parent")
    sessions.end_all(session, anna.principal_id, keep=login_row(session, phone))
    session.commit()
    assert signed_in_family(phone)
    assert not signed_in_family(laptop)


def test_ending_all_sessions_of_a_staff_member_leaves_other_people_signed_in(client_for, session):
    petra, tobias = client_for("demo.caseworker"), client_for("demo.other")
    sessions.end_all(session, staff(session, "demo.caseworker").principal_id)
    session.commit()
    assert not signed_in_staff(petra)
    assert signed_in_staff(tobias)


def test_a_deactivated_member_is_signed_out_on_the_next_request(client_for, session):
    client = client_for("demo.youth")
    member(session, "demo.youth").active = False
    session.commit()
    assert not signed_in_family(client)


def test_a_deactivated_staff_member_is_signed_out_on_the_next_request(client_for, session):
    client = client_for("demo.other")
    staff(session, "demo.other").active = False
    session.commit()
    assert not signed_in_staff(client)


# --- 15: idle and absolute timeouts (no sleeping: the clock is moved in the cookie and the DB)

def idled(client: FlaskClient, seconds: float) -> FlaskClient:
    contents = cookie_contents(client)
    contents["seen"] = int(time.time() - seconds)
    return with_cookie(client.application, contents)


def test_family_session_ends_after_30_minutes_idle(client_for):
    client = client_for("demo.parent")
    assert signed_in_family(idled(client, 29 * 60))
    assert not signed_in_family(idled(client, 31 * 60))


def test_staff_session_ends_after_one_hour_idle(client_for):
    client = client_for("demo.caseworker")
    assert signed_in_staff(idled(client, 59 * 60))
    assert not signed_in_staff(idled(client, 61 * 60))


def test_staff_session_ends_12_hours_after_sign_in_even_when_active(client_for, session):
    client = client_for("demo.caseworker")
    row = login_row(session, client)
    row.created_at = utcnow() - timedelta(hours=11, minutes=58)
    session.commit()
    assert signed_in_staff(client)
    row.created_at = utcnow() - timedelta(hours=12, minutes=1)
    session.commit()
    assert not signed_in_staff(client)


def test_family_session_ends_12_hours_after_sign_in_even_when_active(client_for, session):
    client = client_for("demo.parent")
    row = login_row(session, client)
    row.created_at = utcnow() - timedelta(hours=12, minutes=1)
    session.commit()
    assert not signed_in_family(client)


def test_reading_a_page_writes_nothing_but_moves_the_idle_clock_in_the_cookie(client_for, session):
    client = client_for("demo.parent")
    stale = idled(client, 20 * 60)
    assert signed_in_family(stale)
    assert time.time() - cookie_contents(stale)["seen"] < 60


# --- 16: cookie flags -----------------------------------------------------------

def test_session_cookie_is_httponly_and_samesite_in_every_configuration(app):
    client = app.test_client()
    client.get("/login")
    set_cookie = client.get("/login").headers.get("Set-Cookie") or ""
    cookie = client.get_cookie(COOKIE)
    assert cookie.http_only and cookie.same_site == "Lax", set_cookie


def test_production_session_cookie_is_secure_host_prefixed_and_httponly(tmp_path):
    with production_app(tmp_path / "prod.sqlite3") as app:
        client = app.test_client()
        response = client.get("/login", headers=https_headers())
        assert response.status_code == 200
        header = response.headers["Set-Cookie"]
        assert header.startswith("__Host-session=")
        attributes = {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}
        assert {"secure", "httponly", "samesite", "path"} <= attributes
        assert "domain" not in attributes  # the __Host- prefix forbids it
        assert "; Path=/" in header and "SameSite=Lax" in header
        # Plain HTTP is sent to HTTPS before anything is served.
        plain = client.get("/login", base_url="http://localhost", headers={"X-Forwarded-For": "203.0.113.7"})
        assert plain.status_code in (301, 302) and plain.headers["Location"].startswith("https://")


def test_production_refuses_to_start_without_a_secret_key():
    import pytest

    from config import Config
    from portal import create_app

    with pytest.raises(RuntimeError):
        create_app(type("NoKey", (Config,), {"SECRET_KEY": None}))


# --- 14 through real HTTP: a staff member changes their password ----------------

def change_password(client: FlaskClient, current: str, new: str):
    page = client.get("/staff/password")
    return client.post("/staff/password", data={"csrf_token": csrf_token(page.text), "current_password": current,
                                                "new_password": new, "new_password_again": new})


def test_a_staff_password_change_ends_the_other_sessions_and_keeps_this_one(client_for, session):
    desk, laptop = client_for("demo.caseworker"), client_for("demo.caseworker")
    colleague = client_for("demo.other")
    response = change_password(desk, "neustart-demo", "Kaffeepause im Jugendamt Nord")
    assert response.status_code == 302
    assert signed_in_staff(desk)
    assert not signed_in_staff(laptop)
    assert signed_in_staff(colleague)
    from portal.passwords import verify_password

    assert verify_password(staff(session, "demo.caseworker").password_hash, "Kaffeepause im Jugendamt Nord")[0]


def test_a_staff_password_change_needs_the_current_password_and_12_characters(app, client_for, session):
    desk, laptop = client_for("demo.caseworker"), client_for("demo.caseworker")
    before = staff(session, "demo.caseworker").password_hash
    wrong = change_password(desk, "not my password", "Kaffeepause im Jugendamt Nord")
    assert wrong.status_code == 200 and translated(app, "This is not your current password.") in page_text(wrong)
    short = change_password(desk, "neustart-demo", "Kurz123456")
    assert short.status_code == 200 and translated(app, "Please use at least %(n)d characters.", n=12) in page_text(short)
    session.expire_all()
    assert staff(session, "demo.caseworker").password_hash == before
    assert signed_in_staff(laptop)


def test_the_session_and_the_signed_in_member_are_read_in_one_statement(app, client_for):
    """Issue 14: the login session, the member, their case (is the account open?) and team (the
    viewer's office) in one joined statement; nothing else reads them again on a page."""
    client = client_for("demo.parent")
    engine = app.extensions["database"].engine
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get("/contacts").status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    sessions_read = [s for s in statements if "FROM login_session" in s]
    assert len(sessions_read) == 1
    assert all(f" {table}" in sessions_read[0] for table in ("JOIN member", '"case"', "team"))
    assert not [s for s in statements if s.startswith("SELECT member.") and "FROM member WHERE member.id =" in s]
