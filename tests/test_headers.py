"""SECURITY.md property 22: security headers on every response, errors and static
files included; HSTS only under the production configuration."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token, https_headers, production_app


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {name: (value[0] if value else "") for name, *value in directives}


def assert_secure_headers(response, personal: bool = True) -> None:
    csp = policy(response)
    assert csp["default-src"] == "'self'"
    assert csp["object-src"] == "'none'" and csp["base-uri"] == "'none'" and csp["frame-ancestors"] == "'none'"
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header and "*" not in header
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    if personal:
        assert response.headers["Cache-Control"] == "no-store"


def _boom():
    raise RuntimeError("injected failure")


def _database_gone():
    raise sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))


def test_ordinary_pages_redirects_and_signed_in_pages_carry_the_headers(anonymous, client_for):
    assert_secure_headers(anonymous.get("/login"))
    assert_secure_headers(anonymous.get("/staff/login"))
    redirect = anonymous.get("/plan")
    assert redirect.status_code == 302
    assert_secure_headers(redirect)
    assert_secure_headers(client_for("demo.parent").get("/plan"))
    assert_secure_headers(client_for("demo.caseworker").get("/staff/"))


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [("GET", "/no-such-page", 404), ("POST", "/login", 400), ("GET", "/logout", 405)],
)
def test_error_responses_carry_the_headers(anonymous, method, url, status):
    response = anonymous.open(url, method=method)
    assert response.status_code == status
    assert_secure_headers(response)


def test_the_throttled_answer_carries_the_headers(app, anonymous, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNIN_FAILURES_PER_NAME", "1 per 15 minutes")
    for _ in range(2):
        page = anonymous.get("/login")
        response = anonymous.post("/login", data={"csrf_token": csrf_token(page.text), "username": "x.y",
                                                  "password": "wrong password"})
    assert response.status_code == 429
    assert_secure_headers(response)


def test_an_internal_error_carries_the_headers(app, anonymous, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setitem(app.view_functions, "family.help_now", _boom)
    response = anonymous.get("/help-now")
    assert response.status_code == 500
    assert "injected failure" not in response.text
    assert_secure_headers(response)


def test_the_database_unreachable_page_carries_the_headers(app, anonymous, monkeypatch):
    monkeypatch.setitem(app.view_functions, "family.help_now", _database_gone)
    response = anonymous.get("/help-now")
    assert response.status_code == 503
    assert_secure_headers(response)


def test_static_files_carry_the_headers_but_may_be_cached(anonymous):
    response = anonymous.get("/static/portal.css")
    assert response.status_code == 200
    assert_secure_headers(response, personal=False)
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


def test_no_hsts_outside_production(anonymous):
    assert "Strict-Transport-Security" not in anonymous.get("/login").headers


def test_production_sends_hsts_on_pages_errors_and_static_files(tmp_path):
    with production_app(tmp_path / "prod.sqlite3") as app:
        client = app.test_client()
        for url, status in (("/login", 200), ("/no-such-page", 404), ("/static/portal.css", 200)):
            response = client.get(url, headers=https_headers())
            assert response.status_code == status
            hsts = response.headers["Strict-Transport-Security"]
            assert "max-age=63072000" in hsts and "includeSubDomains" in hsts
            assert_secure_headers(response, personal=not url.startswith("/static/"))
            response.close()
