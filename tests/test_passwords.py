"""SECURITY.md property 19: password policy per NIST SP 800-63B, argon2id, rehashing."""
from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type

from portal import invitations
from portal.models import Member, MemberKind
from portal.passwords import (
    FAMILY_MINIMUM,
    STAFF_MINIMUM,
    _common_passwords,
    hash_password,
    password_problem,
    verify_password,
)
from tests.messages import page_text, translated
from tests.conftest import case_titled, csrf_token, member, staff

TOO_COMMON = "This password is too common and easy to guess. Please choose another one."


@pytest.mark.parametrize(
    "password",
    [
        "Wolkenbruch",  # 11 characters, nothing but letters: no composition rules
        "a" * 7 + "b",  # exactly the minimum
        "x" * 64,
        "Im Garten blüht der Flieder neben dem alten Apfelbaum, und Mia lacht laut " * 3,  # > 200
        "🌻🏠🌻🏠🌻🏠🌻🏠",  # emoji
        "كلمة سر طويلة جدا",  # Arabic
        "пароль для семьи",  # Cyrillic
        "tab\tand spaces  inside",
    ],
)
def test_family_passwords_of_any_characters_from_the_minimum_up_are_accepted(app, password):
    with app.test_request_context():
        assert password_problem(password, "anna.s", FAMILY_MINIMUM) is None


def test_family_minimum_is_8_and_staff_minimum_is_12(app):
    with app.test_request_context():
        assert password_problem("Wolkenb", "anna.s", FAMILY_MINIMUM) is not None
        assert password_problem("Wolkenbr", "anna.s", FAMILY_MINIMUM) is None
        assert password_problem("Wolkenbruch", "p.lange", STAFF_MINIMUM) is not None
        assert password_problem("Wolkenbruch!", "p.lange", STAFF_MINIMUM) is None


def test_the_sign_in_name_is_refused_as_password_in_any_case(app):
    with app.test_request_context():
        assert password_problem("Anna.Sommer88", "anna.sommer88", FAMILY_MINIMUM) is not None


@pytest.mark.parametrize("password", ["Passwort123", "PASSWORD1", "1qay2wsx", "schalke04", "sommer2025",
                                      "ichliebedich", "qwertz123", "12345678", "galatasaray1", "jugendamt123"])
def test_common_passwords_are_refused_whatever_their_case(app, password):
    with app.test_request_context():
        assert str(password_problem(password, "anna.s", FAMILY_MINIMUM)) == translated(app, TOO_COMMON)


def test_the_bundled_blocklist_is_substantial_and_spares_the_demo_password():
    common = _common_passwords()
    assert len(common) >= 5000
    assert "neustart-demo" not in common


def test_passwords_are_stored_as_argon2id_with_rfc_9106_defaults_outside_tests():
    stored = hash_password("Wolkenbruch über Musterstadt")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_a_hash_with_old_parameters_is_replaced_at_the_next_sign_in(app, session):
    anna = member(session, "demo.parent")
    old = PasswordHasher(time_cost=1, memory_cost=4096, parallelism=1, type=Type.I).hash("neustart-demo")
    anna.password_hash = old
    session.commit()
    client = app.test_client()
    page = client.get("/login")
    response = client.post("/login", data={"csrf_token": csrf_token(page.text), "username": "demo.parent",
                                           "password": "neustart-demo"})
    assert response.status_code == 302
    session.refresh(anna)
    assert anna.password_hash != old and anna.password_hash.startswith("$argon2id$")
    with app.app_context():
        assert verify_password(anna.password_hash, "neustart-demo") == (True, None)


def test_a_wrong_password_and_an_unknown_user_are_both_refused(app):
    with app.app_context():
        assert verify_password(hash_password("richtig und lang"), "falsch") == (False, None)
        assert verify_password(None, "richtig und lang") == (False, None)


def test_account_set_up_refuses_a_common_password_with_a_clear_message_and_stores_nothing(app, session):
    case = case_titled(session, "Familie Sommer")
    newcomer = Member(case=case, display_name="Oma Sommer", kind=MemberKind.parent, language="de")
    session.add(newcomer)
    session.flush()
    _invitation, code = invitations.create_invitation(session, newcomer, staff(session, "demo.caseworker"))
    session.commit()
    client = app.test_client()
    page = client.get("/start")
    data = {"csrf_token": csrf_token(page.text), "code": code, "username": "oma.sommer",
            "password": "passwort123", "password_again": "passwort123"}
    response = client.post("/start", data=data)
    assert response.status_code == 200 and translated(app, TOO_COMMON) in page_text(response)
    session.refresh(newcomer)
    assert newcomer.username is None
    data.update(password="Oma backt sonntags Streuselkuchen", password_again="Oma backt sonntags Streuselkuchen")
    assert client.post("/start", data=data).status_code == 302
