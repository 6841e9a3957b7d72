"""Helpers for the workspace tests.

Arrange and assert inside a short `app.app_context()` of its own (`in_db`), never
around requests: a context held open across requests would share `flask.g`
(signed-in user, CSRF token) between test clients.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from portal.db import db
from portal.models import Case, PlanItem
from tests.conftest import csrf_token

T = TypeVar("T")


@pytest.fixture
def in_db(app: Flask) -> Callable[[Callable], object]:
    """`in_db(lambda s: ...)` runs in its own app context; `commit()` inside keeps the change for the test."""

    def run(work: Callable[..., T]) -> T:
        with app.app_context():
            return work(db.session)

    return run


@pytest.fixture
def sommer(in_db) -> dict:
    """Ids of the Sommer case and its members by username."""

    def collect(session):
        case = session.scalar(sa.select(Case).where(Case.title == "Familie Sommer"))
        return {"case": case.id, **{m.username: m.id for m in case.members}}

    return in_db(collect)


def item_id(in_db, text: str) -> int:
    return in_db(lambda s: s.scalar(sa.select(PlanItem.id).where(PlanItem.text == text)))


def token(client: FlaskClient, url: str = "/staff/") -> str:
    return csrf_token(client.get(url).text)


def item_form(in_db, text: str, **changes) -> dict:
    """The edit form of a draft item as the browser would send it back unchanged, plus `changes`."""

    def read(session):
        item = session.scalar(sa.select(PlanItem).where(PlanItem.text == text))
        return {
            "revision": str(item.revision), "kind": item.kind.value, "parent_id": str(item.parent_id or ""),
            "text": item.text, "simple_text": item.simple_text or "", "pictogram": item.pictogram or "",
            "owner": item.owner.value, "due_on": item.due_on.isoformat() if item.due_on else "",
            "status": item.status.value, "audience": item.audience.value,
            "people": [str(p.id) for p in item.people], "entrusted_by": str(item.entrusted_by_id or ""),
        }

    return {**in_db(read), **changes}

