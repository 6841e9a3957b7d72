"""Forms under the production configuration, behind the TLS proxy, as a browser sends them.

A browser sends no `Referer` where the portal's Referrer-Policy forbids it, and it
sends `Origin` on every POST. So the requests here carry what a browser carries
under the portal's own policy: `Origin` (the portal's own, or a foreign one for an
attack) and no `Referer` unless a case is about it. SECURITY.md properties 11 and 22;
`tests/production/` drives real Chromium through the same forms over real TLS.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.db import db
from portal.demo import PASSWORD
from portal.models import LoginSession
from tests.conftest import csrf_token, https_headers, production_app

OWN_ORIGIN = "https://localhost"


@pytest.fixture
def production(app, tmp_path):
    with production_app(tmp_path / "prod.sqlite3", demo=True,
                        PASSWORD_HASHING=app.config["PASSWORD_HASHING"]) as production:
        yield production


def sessions_stored(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(LoginSession))


def post_sign_in(client, headers: dict[str, str]):
    page = client.get("/login", headers=https_headers())
    assert page.status_code == 200
    return client.post("/login", headers={**https_headers(), **headers}, data={
        "csrf_token": csrf_token(page.text), "username": "demo.parent", "password": PASSWORD})


def test_the_referrer_policy_lets_the_portal_see_its_own_origin_and_tells_no_other_site(production):
    response = production.test_client().get("/login", headers=https_headers())
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_sign_in_and_sign_out_over_https_work_as_a_browser_sends_them(production):
    client = production.test_client()
    signed_in = post_sign_in(client, {"Origin": OWN_ORIGIN})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"
    home = client.get("/", headers=https_headers())
    assert home.status_code == 200
    signed_out = client.post("/logout", headers={**https_headers(), "Origin": OWN_ORIGIN},
                             data={"csrf_token": csrf_token(home.text)})
    assert signed_out.status_code == 302 and signed_out.headers["Location"] == "/login"
    assert sessions_stored(production) == 0


def test_a_client_that_sends_neither_origin_nor_referer_still_signs_in_with_the_token(production):
    """Not a browser (every browser sends Origin on a POST): the session-bound token and the
    SameSite cookie are the protection, as on plain HTTP."""
    assert post_sign_in(production.test_client(), {}).status_code == 302


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {"Origin": "null"},  # a sandboxed frame, or a page that hides where it is
    {"Origin": "http://localhost"},  # the portal's host, but not over TLS
    {"Referer": "https://evil.example/form"},
    {"Origin": "https://evil.example", "Referer": f"{OWN_ORIGIN}/login"},
], ids=["foreign-origin", "null-origin", "plain-http-origin", "foreign-referer", "origin-wins"])
def test_a_post_from_another_origin_is_refused_and_stores_nothing(production, headers):
    response = post_sign_in(production.test_client(), headers)
    assert response.status_code == 400
    assert sessions_stored(production) == 0
