"""SECURITY.md properties 17 and 18: failed sign-ins are throttled per name and per
address, the window expires (no lock-out for good), counters are shared through
Redis in production, and known and unknown names get the same answer."""
from __future__ import annotations

import re
import time
import uuid

import limits.storage.memory
import pytest
import redis

from portal.demo import PASSWORD
from tests.messages import page_text, translated
from tests.conftest import csrf_token, https_headers, production_app, second_factor, sign_in

PER_NAME = 10  # config.SIGNIN_FAILURES_PER_NAME


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def attempt(app, username: str, password: str = "wrong password", address: str = "198.51.100.1",
            url: str = "/login"):
    """One sign-in from a fresh client at `address`."""
    client = client_at(app, address)
    page = client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(page.text), "username": username, "password": password})


class _ShiftedClock:
    """The memory storage's clock, moved forward: windows expire without sleeping."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def time(self) -> float:
        return time.time() + self.seconds


def test_failures_for_one_name_from_changing_addresses_are_throttled(app):
    for i in range(PER_NAME):
        assert attempt(app, "demo.parent", address=f"10.0.{i}.1").status_code == 200
    throttled = attempt(app, "demo.parent", PASSWORD, address="10.9.9.9")
    assert throttled.status_code == 429
    assert translated(app, "Too many tries") in page_text(throttled)
    # Other people are not affected.
    assert attempt(app, "demo.parent2", PASSWORD, address="10.9.9.9").status_code == 302


def test_the_throttle_window_expires_so_nobody_is_locked_out_for_good(app, monkeypatch):
    for i in range(PER_NAME):
        attempt(app, "demo.parent", address=f"10.1.{i}.1")
    assert attempt(app, "demo.parent", PASSWORD).status_code == 429
    monkeypatch.setattr(limits.storage.memory, "time", _ShiftedClock(15 * 60 + 1))
    assert attempt(app, "demo.parent", PASSWORD).status_code == 302


def test_successful_sign_ins_do_not_count_as_failures(app):
    for _ in range(PER_NAME + 2):
        assert attempt(app, "demo.parent", PASSWORD).status_code == 302


def test_spraying_many_names_from_one_address_is_throttled(app, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNIN_FAILURES_PER_ADDRESS", "12 per 15 minutes")
    for i in range(12):
        assert attempt(app, f"someone.{i}", address="192.0.2.50").status_code == 200
    assert attempt(app, "demo.parent", PASSWORD, address="192.0.2.50").status_code == 429
    # The address counts across both sign-in pages.
    assert attempt(app, "demo.caseworker", PASSWORD, address="192.0.2.50", url="/staff/login").status_code == 429
    assert attempt(app, "demo.parent", PASSWORD, address="192.0.2.51").status_code == 302


def test_staff_sign_in_is_throttled_per_name(app):
    for i in range(PER_NAME):
        assert attempt(app, "demo.caseworker", address=f"10.2.{i}.1", url="/staff/login").status_code == 200
    assert attempt(app, "demo.caseworker", PASSWORD, url="/staff/login").status_code == 429


def test_second_factor_failures_are_throttled_per_staff_member(app):
    client = client_at(app, "10.3.0.1")
    sign_in(client, "demo.caseworker", staff=True)
    for _ in range(PER_NAME):
        assert second_factor(client, "demo.caseworker", code="000000").status_code == 200
    elsewhere = client_at(app, "10.3.0.2")
    sign_in(elsewhere, "demo.caseworker", staff=True)
    assert second_factor(elsewhere, "demo.caseworker").status_code == 429


def test_invitation_code_guessing_is_throttled_per_address(app, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNIN_FAILURES_PER_ADDRESS", "5 per 15 minutes")
    client = client_at(app, "192.0.2.77")
    for i in range(5):
        page = client.get("/start")
        answer = client.post("/start", data={"csrf_token": csrf_token(page.text), "code": f"GUESS-{i}",
                                             "username": f"new.person{i}", "password": "ein langes passwort",
                                             "password_again": "ein langes passwort"})
        assert answer.status_code == 200
    page = client.get("/start")
    assert client.post("/start", data={"csrf_token": csrf_token(page.text), "code": "GUESS-9",
                                       "username": "new.person9"}).status_code == 429


def test_the_throttled_page_is_in_the_users_language(app):
    for i in range(PER_NAME):
        attempt(app, "demo.parent", address=f"10.4.{i}.1")
    client = app.test_client()
    client.set_cookie("lang", "ar")
    page = client.get("/login")
    answer = client.post("/login", data={"csrf_token": csrf_token(page.text), "username": "demo.parent",
                                         "password": PASSWORD})
    assert answer.status_code == 429
    assert '<html lang="ar" dir="rtl">' in answer.text
    assert translated(app, "Please wait a few minutes and try again.", "ar") in page_text(answer)


def normalised(html: str, username: str) -> str:
    return re.sub(r'value="[^"]*"', 'value=""', html).replace(username, "NAME")


@pytest.mark.parametrize(("url", "known"), [("/login", "demo.parent"), ("/staff/login", "demo.caseworker")])
def test_known_and_unknown_names_get_the_same_answer(app, url, known):
    unknown = "nobody.here"
    answers = {name: attempt(app, name, url=url, address=f"10.5.{i}.1") for i, name in enumerate((known, unknown))}
    assert answers[known].status_code == answers[unknown].status_code == 200
    assert normalised(answers[known].text, known) == normalised(answers[unknown].text, unknown)
    # ...and the throttle counts them alike.
    for i in range(PER_NAME - 1):
        attempt(app, known, url=url, address=f"10.6.{i}.1")
        attempt(app, unknown, url=url, address=f"10.7.{i}.1")
    assert attempt(app, known, url=url).status_code == attempt(app, unknown, url=url).status_code == 429


def test_production_counters_live_in_redis_and_are_shared_by_workers(app, tmp_path):
    """Two app instances (two workers) with fresh limiter storages: only Redis can carry the count."""
    app_hashing = app.config["PASSWORD_HASHING"]
    prefix = f"portal-test-{uuid.uuid4().hex}"
    settings = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379", "RATELIMIT_KEY_PREFIX": prefix,
                "PASSWORD_HASHING": app_hashing}
    database = tmp_path / "prod.sqlite3"
    store = redis.Redis.from_url("redis://127.0.0.1:6379")
    try:
        with production_app(database, **settings) as worker_a:
            for i in range(PER_NAME):
                client = worker_a.test_client()
                headers = https_headers(address=f"203.0.113.{i}")
                page = client.get("/login", headers=headers)
                answer = client.post("/login", headers=headers, data={
                    "csrf_token": csrf_token(page.text), "username": "someone", "password": "wrong password"})
                assert answer.status_code == 200
            keys = store.keys(f"*{prefix}*")
            assert keys and not any(b"someone" in key for key in keys)  # names are hashed
            with production_app(database, **settings) as worker_b:
                client = worker_b.test_client()
                headers = https_headers(address="203.0.113.200")
                page = client.get("/login", headers=headers)
                answer = client.post("/login", headers=headers, data={
                    "csrf_token": csrf_token(page.text), "username": "someone", "password": "wrong password"})
                assert answer.status_code == 429
    finally:
        for key in store.scan_iter(f"*{prefix}*"):
            store.delete(key)


def test_with_redis_unreachable_sign_in_still_works_and_is_still_throttled(app, tmp_path):
    settings = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1", "PASSWORD_HASHING": app.config["PASSWORD_HASHING"]}
    with production_app(tmp_path / "prod.sqlite3", **settings) as worker:
        statuses = []
        for i in range(PER_NAME + 1):
            client = worker.test_client()
            headers = https_headers(address=f"203.0.113.{i}")
            page = client.get("/login", headers=headers)
            statuses.append(client.post("/login", headers=headers, data={
                "csrf_token": csrf_token(page.text), "username": "someone", "password": "wrong password"}).status_code)
        assert statuses == [200] * PER_NAME + [429]


@pytest.mark.parametrize(("username", "url", "prefix"), [
    ("demo.parent", "/account/password", "password-"),
    ("demo.caseworker", "/staff/password", ""),
])
def test_guessing_the_current_password_in_a_signed_in_session_is_throttled(client_for, username, url, prefix):
    """A session left open on a shared phone must not let anyone try passwords without end."""
    client = client_for(username)
    form_page = "/account" if prefix else url

    def change(current: str):
        page = client.get(form_page)
        return client.post(url, data={
            "csrf_token": csrf_token(page.text), f"{prefix}current_password": current,
            f"{prefix}new_password": "ein langer neuer Satz zum Merken",
            f"{prefix}new_password_again": "ein langer neuer Satz zum Merken",
        })

    for i in range(PER_NAME):
        assert change(f"wrong guess {i}").status_code in (200, 400)
    assert change(PASSWORD).status_code == 429
