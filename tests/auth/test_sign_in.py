"""Sign-in: families at /login, staff at /staff/login; one generic answer for every failure."""
from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher

from portal.demo import PASSWORD
from portal.passwords import current_hasher
from tests.conftest import csrf_token, member, sign_in, staff
from tests.messages import page_text, translated

GENERIC = "That did not work. Please check your sign-in name and password."


def _normalized(response, username: str) -> str:
    """The body without what legitimately differs: the CSRF token and the echoed sign-in name."""
    body = re.sub(r'(name="csrf_token"[^>]*value=")[^"]+"', r'\1TOKEN"', response.get_data(as_text=True))
    body = re.sub(r'(<input[^>]*value=")[^"]*("[^>]*name="username"|[^>]*id="username")', r"\1TYPED\2", body)
    return body.replace(username, "TYPED")


def _signed_in_as_family(client) -> bool:
    return client.get("/plan").status_code == 200


@pytest.mark.parametrize(
    ("url", "username"),
    [("/staff/login", "demo.parent"), ("/staff/login", "demo.youth"), ("/login", "demo.caseworker"), ("/login", "demo.admin")],
)
def test_family_and_staff_sign_in_are_separate(app, anonymous, url, username):
    response = sign_in(anonymous, username, staff=url == "/staff/login")
    assert response.status_code == 200
    assert translated(app, GENERIC) in page_text(response)
    assert anonymous.get("/plan").status_code == 302
    assert anonymous.get("/staff/").status_code == 302


def test_unknown_user_wrong_password_and_deactivated_account_get_the_same_page(app, anonymous, session):
    member(session, "demo.parent2").active = False
    session.commit()
    unknown = sign_in(anonymous, "demo.nobody")
    wrong = sign_in(anonymous, "demo.parent", "not-the-password")
    deactivated = sign_in(anonymous, "demo.parent2")
    assert unknown.status_code == wrong.status_code == deactivated.status_code == 200
    assert translated(app, GENERIC) in page_text(unknown)
    assert _normalized(unknown, "demo.nobody") == _normalized(wrong, "demo.parent")
    assert _normalized(wrong, "demo.parent") == _normalized(deactivated, "demo.parent2")


def test_staff_unknown_user_and_wrong_password_get_the_same_page(anonymous):
    unknown = sign_in(anonymous, "demo.nobody", staff=True)
    wrong = sign_in(anonymous, "demo.caseworker", "not-the-password", staff=True)
    assert _normalized(unknown, "demo.nobody") == _normalized(wrong, "demo.caseworker")


def test_sign_in_name_is_not_case_sensitive(anonymous):
    response = sign_in(anonymous, "  Demo.Parent ")
    assert response.status_code == 302
    assert _signed_in_as_family(anonymous)


def test_stored_hashes_are_argon2id(session):
    assert member(session, "demo.parent").password_hash.startswith("$argon2id$")
    assert staff(session, "demo.caseworker").password_hash.startswith("$argon2id$")


def test_a_hash_with_old_parameters_is_replaced_on_sign_in(anonymous, session):
    old_hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    old_hash = old_hasher.hash(PASSWORD)
    member(session, "demo.youth").password_hash = old_hash
    session.commit()

    assert sign_in(anonymous, "demo.youth").status_code == 302

    session.expire_all()
    new_hash = member(session, "demo.youth").password_hash
    assert new_hash != old_hash
    assert new_hash.startswith("$argon2id$")
    with anonymous.application.app_context():
        current = current_hasher()  # the configured argon2id parameters (cheaper under TestConfig)
    assert not current.check_needs_rehash(new_hash)
    assert current.verify(new_hash, PASSWORD)


def test_a_current_hash_is_left_alone_on_sign_in(anonymous, session):
    before = member(session, "demo.child").password_hash
    sign_in(anonymous, "demo.child")
    session.expire_all()
    assert member(session, "demo.child").password_hash == before


def test_sign_out_is_post_only(client_for):
    client = client_for("demo.parent")
    assert client.get("/logout").status_code == 405
    assert _signed_in_as_family(client)


def test_sign_out_ends_the_session_even_for_a_copied_cookie(app, client_for):
    client = client_for("demo.parent")
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    copied = client.get_cookie(cookie_name).value
    page = client.get("/plan")
    response = client.post("/logout", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
    assert client.get("/plan").status_code == 302

    replay = app.test_client()
    replay.set_cookie(cookie_name, copied)
    assert replay.get("/plan").status_code == 302


def test_staff_sign_out_ends_the_staff_session(client_for):
    client = client_for("demo.caseworker")
    assert client.get("/staff/").status_code == 200
    page = client.get("/staff/")
    response = client.post("/logout", data={"csrf_token": csrf_token(page.text)})
    assert response.headers["Location"].endswith("/staff/login")
    assert client.get("/staff/").status_code == 302


def test_sign_out_without_csrf_token_changes_nothing(client_for):
    client = client_for("demo.parent")
    client.post("/logout", data={})
    assert _signed_in_as_family(client)


OFFSITE = [
    "https://evil.example/plan",
    "//evil.example/plan",
    "/\\evil.example/plan",
    "\\\\evil.example/plan",
    "/\t/evil.example/plan",
    "javascript:alert(1)",
    "http:/evil.example",
]


@pytest.mark.parametrize("target", OFFSITE)
def test_next_never_leads_off_site(anonymous, target):
    page = anonymous.get("/login", query_string={"next": target})
    response = anonymous.post(
        "/login", query_string={"next": target},
        data={"csrf_token": csrf_token(page.text), "username": "demo.parent", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", OFFSITE)
def test_staff_next_never_leads_off_site(anonymous, target):
    page = anonymous.get("/staff/login", query_string={"next": target})
    response = anonymous.post(
        "/staff/login", query_string={"next": target},
        data={"csrf_token": csrf_token(page.text), "username": "demo.caseworker", "password": PASSWORD},
    )
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert "evil" not in location


def test_next_within_the_portal_is_followed(anonymous):
    page = anonymous.get("/login?next=/plan")
    response = anonymous.post(
        "/login?next=/plan",
        data={"csrf_token": csrf_token(page.text), "username": "demo.parent", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/plan"


def test_a_signed_in_member_is_not_a_staff_member(client_for):
    client = client_for("demo.parent")
    assert client.get("/staff/").status_code == 404


@pytest.mark.parametrize("url", ["/login", "/staff/login"])
@pytest.mark.parametrize("username", ["demo.pa\x00rent", "\x00demo\x1b.parent\x7f"])
def test_control_characters_in_the_sign_in_name_get_the_ordinary_answer(app, anonymous, url, username):
    """PostgreSQL cannot hold NUL in a query's text: a 500 there, once (issue 9)."""
    response = sign_in(anonymous, username, "wrong password", staff=url == "/staff/login")
    assert response.status_code == 200
    assert translated(app, GENERIC) in page_text(response)
