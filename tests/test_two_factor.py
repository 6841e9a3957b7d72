"""SECURITY.md property 20: staff need a second factor (TOTP); a code works once;
recovery codes are single-use; an admin can reset a lost second factor."""
from __future__ import annotations

import re

import pyotp
import sqlalchemy as sa

from portal.auth import two_factor
from portal.demo import DEMO_TOTP_SECRET
from portal.models import LoginSession, RecoveryCode
from tests.messages import page_text, translated
from tests.conftest import csrf_token, post_form, second_factor, sign_in, staff, unused_totp_code

SECRET_PATTERN = re.compile(r'<code [^>]*class="code-text">([A-Z2-7]+)</code>')
RECOVERY_PATTERN = re.compile(r'<code class="code-text">([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>')


def test_password_alone_does_not_sign_staff_in(app):
    client = app.test_client()
    response = sign_in(client, "demo.caseworker", staff=True)
    assert response.headers["Location"].startswith("/staff/login/code")
    for url in ("/staff/", "/plan"):
        answer = client.get(url)
        assert answer.status_code == 302 and "/login" in answer.headers["Location"], url


def test_the_code_step_without_a_password_step_goes_back_to_sign_in(app):
    response = app.test_client().get("/staff/login/code")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/login"


def test_a_wrong_code_is_refused_with_a_message(app):
    client = app.test_client()
    sign_in(client, "demo.caseworker", staff=True)
    response = second_factor(client, "demo.caseworker", code="000000")
    assert response.status_code == 200 and translated(app, "This code did not work. Please enter the current code from your app.") in page_text(response)
    assert client.get("/staff/").status_code == 302


def test_a_totp_code_is_accepted_only_once(app):
    code = unused_totp_code(app, "demo.caseworker")
    first, second = app.test_client(), app.test_client()
    sign_in(first, "demo.caseworker", staff=True)
    assert second_factor(first, "demo.caseworker", code=code).status_code == 302
    assert first.get("/staff/").status_code == 200
    sign_in(second, "demo.caseworker", staff=True)
    replay = second_factor(second, "demo.caseworker", code=code)
    assert replay.status_code == 200 and translated(app, "This code did not work. Please enter the current code from your app.") in page_text(replay)
    assert second.get("/staff/").status_code == 302


def test_an_older_code_than_the_last_used_one_is_refused(session):
    person = staff(session, "demo.caseworker")
    now = two_factor.current_step()
    person.totp_last_step = now
    assert not two_factor.use_totp(person, pyotp.TOTP(DEMO_TOTP_SECRET).generate_otp(now - 1))
    assert two_factor.use_totp(person, pyotp.TOTP(DEMO_TOTP_SECRET).generate_otp(now + 1))
    assert not two_factor.use_totp(person, pyotp.TOTP(DEMO_TOTP_SECRET).generate_otp(now + 1))


def test_codes_outside_the_drift_window_are_refused():
    now = two_factor.current_step()
    totp = pyotp.TOTP(DEMO_TOTP_SECRET)
    assert two_factor.matching_step(DEMO_TOTP_SECRET, totp.generate_otp(now - 2), None) is None
    assert two_factor.matching_step(DEMO_TOTP_SECRET, totp.generate_otp(now + 2), None) is None


def enrol(app, session, username: str = "demo.other"):
    """Reset the person's second factor, sign in, enrol through the real pages."""
    person = staff(session, username)
    two_factor.reset(session, person)
    session.commit()
    client = app.test_client()
    response = sign_in(client, username, staff=True)
    assert response.headers["Location"].startswith("/staff/login/enrol")
    page = client.get("/staff/login/enrol")
    assert page.status_code == 200 and "<svg" in page.text and 'class="qr"' in page.text
    secret = SECRET_PATTERN.search(page.text).group(1)
    code = pyotp.TOTP(secret).now()
    done = client.post("/staff/login/enrol", data={"csrf_token": csrf_token(page.text), "code": code})
    return client, secret, done


def test_first_sign_in_enrols_with_a_qr_code_and_shows_recovery_codes_once(app, session):
    client, secret, done = enrol(app, session)
    assert done.status_code == 200
    codes = RECOVERY_PATTERN.findall(done.text)
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT and len(set(codes)) == len(codes)
    assert done.headers["Cache-Control"] == "no-store"
    assert client.get("/staff/").status_code == 200
    person = staff(session, "demo.other")
    session.refresh(person)
    assert person.totp_secret == secret
    stored = session.scalars(sa.select(RecoveryCode.code_hash).where(RecoveryCode.staff_id == person.id)).all()
    assert len(stored) == len(codes) and not set(stored) & set(codes)
    # The codes are not shown again: a later sign-in asks for a code, not for enrolment.
    later = app.test_client()
    assert sign_in(later, "demo.other", staff=True).headers["Location"].startswith("/staff/login/code")


def test_enrolment_with_a_wrong_code_stores_no_secret(app, session):
    person = staff(session, "demo.other")
    two_factor.reset(session, person)
    session.commit()
    client = app.test_client()
    sign_in(client, "demo.other", staff=True)
    page = client.get("/staff/login/enrol")
    response = client.post("/staff/login/enrol", data={"csrf_token": csrf_token(page.text), "code": "123456"})
    assert response.status_code == 200 and translated(app, "This code did not work. Please enter the current code from your app.") in page_text(response)
    session.refresh(person)
    assert person.totp_secret is None
    assert client.get("/staff/").status_code == 302


def test_a_recovery_code_signs_in_once(app, session):
    _client, _secret, done = enrol(app, session)
    code = RECOVERY_PATTERN.findall(done.text)[0]
    first = app.test_client()
    sign_in(first, "demo.other", staff=True)
    assert second_factor(first, "demo.other", code=code.upper().replace("-", " ")).status_code == 302
    assert first.get("/staff/").status_code == 200
    second = app.test_client()
    sign_in(second, "demo.other", staff=True)
    assert second_factor(second, "demo.other", code=code).status_code == 200
    assert second.get("/staff/").status_code == 302


def test_a_recovery_code_of_another_staff_member_does_not_work(app, session):
    other = staff(session, "demo.lead")
    code = two_factor.issue_recovery_codes(session, other)[0]
    session.commit()
    client = app.test_client()
    sign_in(client, "demo.caseworker", staff=True)
    assert second_factor(client, "demo.caseworker", code=code).status_code == 200


def test_admin_resets_a_second_factor_and_ends_that_persons_sessions(app, client_for, session):
    petra = client_for("demo.caseworker")
    person = staff(session, "demo.caseworker")
    two_factor.issue_recovery_codes(session, person)
    session.commit()
    admin = client_for("demo.admin")
    response = post_form(admin, f"/staff/{person.id}/reset-two-factor", {}, form_page="/staff/")
    assert response.status_code == 302
    session.refresh(person)
    assert person.totp_secret is None and person.totp_last_step is None
    assert not session.scalars(sa.select(RecoveryCode).where(RecoveryCode.staff_id == person.id)).all()
    assert not session.scalars(sa.select(LoginSession).where(LoginSession.principal == person.principal_id)).all()
    assert petra.get("/staff/").status_code == 302
    assert admin.get("/staff/").status_code == 200
    again = app.test_client()
    assert sign_in(again, "demo.caseworker", staff=True).headers["Location"].startswith("/staff/login/enrol")


def test_only_an_admin_may_reset_a_second_factor(client_for, session):
    target = staff(session, "demo.other")
    for username in ("demo.lead", "demo.caseworker"):
        client = client_for(username)
        assert post_form(client, f"/staff/{target.id}/reset-two-factor", {}, form_page="/staff/").status_code == 404
    family = client_for("demo.parent")
    assert post_form(family, f"/staff/{target.id}/reset-two-factor", {}, form_page="/plan").status_code == 404
    session.refresh(target)
    assert target.totp_secret == DEMO_TOTP_SECRET


def test_resetting_an_unknown_staff_member_is_404(client_for):
    admin = client_for("demo.admin")
    assert post_form(admin, "/staff/999999/reset-two-factor", {}, form_page="/staff/").status_code == 404


def test_demo_code_command_prints_the_current_code_of_a_demo_staff_member(app):
    result = app.test_cli_runner().invoke(args=["demo-code", "demo.caseworker"])
    assert result.exit_code == 0
    totp, now = pyotp.TOTP(DEMO_TOTP_SECRET), two_factor.current_step()
    assert result.output.strip() in {totp.generate_otp(step) for step in (now - 1, now, now + 1)}


def test_demo_code_command_refuses_other_accounts(app):
    assert app.test_cli_runner().invoke(args=["demo-code", "demo.parent"]).exit_code != 0


def test_the_code_step_must_follow_the_password_within_ten_minutes(app, session):
    from datetime import timedelta

    from portal.db import utcnow

    client = app.test_client()
    sign_in(client, "demo.caseworker", staff=True)
    person = staff(session, "demo.caseworker")
    row = session.scalar(sa.select(LoginSession).where(LoginSession.principal == person.principal_id))
    row.created_at = utcnow() - timedelta(minutes=11)
    session.commit()
    response = client.get("/staff/login/code")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/login"
