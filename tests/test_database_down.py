"""With the database unreachable: a friendly 503 with Retry-After, nothing half-written
(SECURITY.md property 28)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from config import TestConfig
from portal import create_app, demo
from portal.db import db
from portal.models import AuditEvent, LoginSession, PlanItem
from tests.conftest import case_titled, csrf_token, migrate, second_factor, sign_in

UNREACHABLE = {
    "postgresql": "postgresql+psycopg://portal@127.0.0.1:1/portal",
    "sqlite": "sqlite:////nonexistent-directory/portal.sqlite3",
}


def app_with(url: str) -> Flask:
    config = type("Config", (TestConfig,), {"SQLALCHEMY_DATABASE_URL": url})
    return create_app(config)


def assert_friendly_503(response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert "<h1>" in response.text and "Traceback" not in response.text
    assert 'href="/help-now"' in response.text  # the way to urgent help stays visible
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize("kind", sorted(UNREACHABLE))
def test_signed_in_page_answers_503_when_the_database_is_unreachable(kind, client_for):
    working = client_for("demo.parent")
    down = app_with(UNREACHABLE[kind]).test_client()
    down.set_cookie("session", working.get_cookie("session").value)
    assert_friendly_503(down.get("/plan"))


@pytest.mark.parametrize("kind", sorted(UNREACHABLE))
def test_sign_in_answers_503_when_the_database_is_unreachable(kind):
    down = app_with(UNREACHABLE[kind]).test_client()
    page = down.get("/login")  # needs no database
    assert page.status_code == 200
    response = down.post("/login", data={"csrf_token": csrf_token(page.text), "username": "demo.parent",
                                         "password": demo.PASSWORD})
    assert_friendly_503(response)


@pytest.fixture
def file_app(tmp_path: Path) -> Iterator[tuple[Flask, dict]]:
    """A portal on its own SQLite file whose database can be switched to refuse writes."""
    app = app_with(f"sqlite:///{tmp_path / 'portal.sqlite3'}")
    engine = app.extensions["database"].engine
    state = {"read_only": False}

    @sa.event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection, _record, _proxy):
        dbapi_connection.execute(f"PRAGMA query_only = {int(state['read_only'])}")

    with engine.begin() as connection:
        migrate(connection)
    with app.app_context():
        demo.load(db.session)
        db.session.commit()
    yield app, state
    engine.dispose()


def test_post_while_the_database_refuses_writes_answers_503_and_writes_nothing(file_app):
    app, state = file_app
    client = app.test_client()
    assert sign_in(client, "demo.caseworker", staff=True).status_code == 302
    assert second_factor(client, "demo.caseworker").status_code == 302
    with app.app_context():
        sommer_id = case_titled(db.session, "Familie Sommer").id
        url = f"/staff/cases/{sommer_id}/plan"
    page = client.get(url)

    def table_counts() -> tuple[int, ...]:
        with app.app_context():
            return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in
                         (PlanItem, AuditEvent, LoginSession))

    before = table_counts()
    state["read_only"] = True
    response = client.post(url, data={
        "csrf_token": csrf_token(page.text), "kind": "goal", "parent_id": "", "text": "Neues Ziel",
        "owner": "family", "status": "open", "audience": "family",
    })
    assert_friendly_503(response)
    state["read_only"] = False
    assert table_counts() == before
    # Once the database is back, the same form works.
    page = client.get(url)
    assert page.status_code == 200
