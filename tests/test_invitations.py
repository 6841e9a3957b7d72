"""Invitations: a random, single-use, expiring code, stored only as a hash."""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
import segno
import sqlalchemy as sa

from portal import invitations
from portal.db import Base, utcnow
from portal.models import AuditEvent, Invitation, LoginSession, Member, MemberKind
from tests.conftest import case_titled, csrf_token, member, staff
from tests.factories import make_member
from tests.flows import code_from_letter, invitation_letter, redeem
from tests.messages import page_text, translated

NEW_PASSWORD = "Sonnenblume im Garten"
UNKNOWN = "We could not find this code. Please check it letter by letter, or ask your caseworker for a new letter."
USED = ("This code has already been used. If you set up your account already, please sign in. "
        "Otherwise ask your caseworker for a new letter.")
EXPIRED = "This code is no longer valid. Please ask your caseworker for a new letter."


@pytest.fixture
def newcomer(session) -> Member:
    """A member of the Sommer case without an account yet."""
    return make_member(session, case_titled(session, "Familie Sommer"), MemberKind.parent, display_name="Lea",
                       username=None, password_hash=None)


@pytest.fixture
def letter(client_for, newcomer):
    """The letter a caseworker prints for the newcomer, created through the staff page."""
    response = invitation_letter(client_for("demo.caseworker"), newcomer.case_id, newcomer.id)
    assert response.status_code == 200
    return response


def test_code_has_at_least_128_bits_of_randomness():
    codes = {invitations.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        significant = invitations.normalize_code(code)
        assert re.fullmatch(r"[A-Z2-7]+", significant)
        assert len(significant) * 5 >= 128  # base32: 5 bits per character
    assert invitations.CODE_BYTES * 8 >= 128


def test_code_is_stored_nowhere_in_clear_only_as_its_hash(session, letter, newcomer):
    code = code_from_letter(letter.text)
    plain = invitations.normalize_code(code)
    session.expire_all()
    invitation = session.scalar(sa.select(Invitation).where(Invitation.member_id == newcomer.id))
    assert invitation.code_hash == hashlib.sha256(plain.encode()).hexdigest()
    forms = {code, plain, code.lower(), plain.lower()} | {part for part in code.split("-") if len(part) == 4}
    connection = session.connection()
    for table in Base.metadata.sorted_tables:
        for row in connection.execute(sa.select(table)):
            for value in row:
                text = str(value)
                assert not any(form in text for form in forms if len(form) > 4), f"code found in {table.name}"
                assert plain not in text.upper().replace("-", ""), f"code found in {table.name}"


def test_redeeming_signs_the_member_in_and_sets_up_the_account(anonymous, session, letter, newcomer):
    response = redeem(anonymous, code_from_letter(letter.text), "lea.sommer", NEW_PASSWORD)
    assert response.status_code == 302
    assert anonymous.get("/plan").status_code == 200
    session.expire_all()
    lea = session.get(Member, newcomer.id)
    assert lea.username == "lea.sommer"
    assert lea.password_hash.startswith("$argon2id$")
    assert session.scalar(sa.select(Invitation.used_at).where(Invitation.member_id == newcomer.id)) is not None


def test_a_code_works_only_once(app, anonymous, session, letter):
    code = code_from_letter(letter.text)
    assert redeem(anonymous, code, "lea.sommer", NEW_PASSWORD).status_code == 302
    second = redeem(app.test_client(), code, "lea.zweite", NEW_PASSWORD)
    assert second.status_code == 200
    assert translated(app, USED) in page_text(second)
    assert session.scalar(sa.select(Member.id).where(Member.username == "lea.zweite")) is None


def test_an_expired_code_is_refused_with_a_message(app, anonymous, session, letter, newcomer):
    session.execute(sa.update(Invitation).where(Invitation.member_id == newcomer.id)
                    .values(expires_at=utcnow() - timedelta(minutes=1)))
    session.commit()
    response = redeem(anonymous, code_from_letter(letter.text), "lea.sommer", NEW_PASSWORD)
    assert translated(app, EXPIRED) in page_text(response)
    assert anonymous.get("/plan").status_code == 302


def test_a_newer_invitation_revokes_the_older_code(app, client_for, anonymous, newcomer, letter):
    older = code_from_letter(letter.text)
    newer = code_from_letter(invitation_letter(client_for("demo.caseworker"), newcomer.case_id, newcomer.id).text)
    assert older != newer
    assert translated(app, EXPIRED) in page_text(redeem(anonymous, older, "lea.sommer", NEW_PASSWORD))
    assert redeem(anonymous, newer, "lea.sommer", NEW_PASSWORD).status_code == 302


def test_a_mistyped_code_is_refused_with_a_message(app, anonymous, letter):
    code = code_from_letter(letter.text)
    wrong = ("B" if code[0] != "B" else "C") + code[1:]
    response = redeem(anonymous, wrong, "lea.sommer", NEW_PASSWORD)
    assert response.status_code == 200
    assert translated(app, UNKNOWN) in page_text(response)
    assert 'value="lea.sommer"' in response.text  # the input is kept


def test_lookalike_characters_lowercase_dashes_and_spaces_are_tolerated(session, anonymous, client_for, newcomer):
    caseworker = client_for("demo.caseworker")
    for _ in range(20):  # until a code contains a letter people mistype as a digit
        code = code_from_letter(invitation_letter(caseworker, newcomer.case_id, newcomer.id).text)
        if set(code) & set("OIBG"):
            break
    typed = code.translate(str.maketrans("OIBG", "0189")).lower().replace("-", " ")
    typed = " " + typed[:5] + "-" + typed[5:] + " "
    assert typed != code
    assert redeem(anonymous, typed, "lea.sommer", NEW_PASSWORD).status_code == 302


def _state(session, member_id: int) -> tuple:
    session.expire_all()
    return (
        session.execute(sa.select(Invitation.used_at, Invitation.revoked_at, Invitation.expires_at)
                        .where(Invitation.member_id == member_id)).all(),
        session.execute(sa.select(Member.username, Member.password_hash).where(Member.id == member_id)).one(),
        session.scalar(sa.select(sa.func.count(LoginSession.id))),
        session.scalar(sa.select(sa.func.count(AuditEvent.id))),
    )


def test_start_link_prefills_the_code_and_changes_nothing(session, anonymous, letter, newcomer):
    code = code_from_letter(letter.text)
    before = _state(session, newcomer.id)
    page = anonymous.get("/start", query_string={"code": code})
    assert page.status_code == 200
    code_input = re.search(r'<input[^>]*name="code"[^>]*>', page.text).group(0)
    assert f'value="{code}"' in code_input
    assert _state(session, newcomer.id) == before
    assert anonymous.get("/plan").status_code == 302


@pytest.mark.parametrize(
    ("username", "password", "field", "message"),
    [
        ("demo.parent", NEW_PASSWORD, "username", "This sign-in name is already taken. Please choose another one."),
        ("Lea Sommer!", NEW_PASSWORD, "username",
         "Please use 3 to 40 characters: small Latin letters a–z, digits, dot, dash or underscore; start with a letter or digit."),
        ("lea.sommer", "kurz", "password", None),
        ("lea.sommer", "password", "password", None),
        ("lea.sommer", "lea.sommer", "password", None),
    ],
)
def test_bad_sign_in_name_or_weak_password_get_a_field_message_and_keep_the_input(
    app, session, anonymous, letter, newcomer, username, password, field, message
):
    code = code_from_letter(letter.text)
    response = redeem(anonymous, code, username, password)
    assert response.status_code == 200
    error = re.search(rf'<p class="error" id="{field}-error">([^<]+)</p>', response.text)
    assert error, f"no message at the {field} field"
    if message:
        assert translated(app, message) in page_text(response)
    assert f'value="{code}"' in response.text
    assert f'value="{username}"' in page_text(response)
    session.expire_all()
    assert session.get(Member, newcomer.id).password_hash is None
    assert session.scalar(sa.select(Invitation.used_at).where(Invitation.member_id == newcomer.id)) is None


def test_the_two_passwords_must_match(session, anonymous, letter, newcomer):
    response = redeem(anonymous, code_from_letter(letter.text), "lea.sommer", NEW_PASSWORD, again="Sonnenblume")
    assert re.search(r'<p class="error" id="password_again-error">', response.text)
    session.expire_all()
    assert session.get(Member, newcomer.id).password_hash is None


def _svg_paths(svg: str) -> list[str]:
    return re.findall(r'<path[^>]* d="([^"]+)"', svg)


def test_letter_shows_the_code_as_text_and_a_qr_code_of_the_start_link(letter):
    code = code_from_letter(letter.text)
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{1,4})+", code)
    svg = re.search(r'<svg[^>]*role="img".*?</svg>', letter.text, re.S).group(0)
    expected_link = f"http://localhost/start?code={code}"
    expected = segno.make(expected_link, error="m").svg_inline(scale=5)
    assert _svg_paths(svg) and _svg_paths(svg) == _svg_paths(expected)
    assert 'role="img"' in svg and "<title" in svg


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr"), ("de", "ltr")])
def test_letter_is_in_the_members_language(client_for, session, newcomer, language, direction):
    newcomer.language = language
    session.commit()
    response = invitation_letter(client_for("demo.caseworker"), newcomer.case_id, newcomer.id)
    assert f'<html lang="{language}" dir="{direction}">' in response.text


def test_only_staff_of_the_case_may_create_an_invitation(client_for, newcomer):
    outsider = client_for("demo.other")
    page = outsider.get("/staff/")
    response = outsider.post(f"/staff/cases/{newcomer.case_id}/members/{newcomer.id}/invitation",
                             data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 404


def test_redeem_refuses_an_invitation_of_a_deactivated_member(app, session, anonymous, letter, newcomer):
    newcomer.active = False
    session.commit()
    response = redeem(anonymous, code_from_letter(letter.text), "lea.sommer", NEW_PASSWORD)
    assert translated(app, UNKNOWN) in page_text(response)


def test_domain_function_checks_the_password_again(session, newcomer):
    _invitation, code = invitations.create_invitation(session, newcomer, staff(session, "demo.caseworker"))
    with pytest.raises(ValueError):
        invitations.redeem_invitation(session, code, "lea.sommer", "kurz")


def test_a_new_letter_recovers_an_account_someone_else_knows(app, client_for, anonymous, session):
    """Issue 9, finding 3: the other phone is signed out, the old password and the calendar address
    stop working, and only the new letter lets the member in again."""
    from portal.demo import PASSWORD
    from tests.conftest import sign_in

    anna = member(session, "demo.parent")
    elsewhere = client_for("demo.parent")  # the phone someone else holds
    feed = elsewhere.post("/account/calendar", data={"csrf_token": csrf_token(elsewhere.get("/account").text)})
    feed_path = "/calendar/" + feed.text.split("/calendar/")[1].split(".ics")[0] + ".ics"
    assert anonymous.get(feed_path).status_code == 200
    caseworker = client_for("demo.caseworker")
    letter = invitation_letter(caseworker, anna.case_id, anna.id)
    assert letter.status_code == 200
    assert elsewhere.get("/plan").status_code == 302  # signed out on the very next request
    assert anonymous.get(feed_path).status_code == 404
    assert sign_in(app.test_client(), "demo.parent", PASSWORD).status_code != 302  # the old password is refused
    newcomer = app.test_client()
    assert redeem(newcomer, code_from_letter(letter.text), "anna.sommer", "ein neues Passwort für Anna").status_code == 302
    assert newcomer.get("/plan").status_code == 200
    session.expire_all()
    assert member(session, "anna.sommer").id == anna.id
