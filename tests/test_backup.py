"""`flask backup` while writes go on restores to a consistent database (SECURITY.md property 29)."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from config import TestConfig
from portal import create_app, demo, publishing
from portal.db import db, make_engine
from portal.models import Case, Plan, PlanItem, StaffUser
from tests.demo_portal import build_demo_app


def keep_publishing(url: str, stop: threading.Event, published: list[int]) -> None:
    """Another writer: publish the Winter plan again and again, each version in one transaction."""
    engine = make_engine(url)
    try:
        while not stop.is_set():
            with Session(engine) as session:
                plan = session.scalar(sa.select(Plan).join(Plan.case).where(Case.title == "Familie Winter"))
                author = session.scalar(sa.select(StaffUser).where(StaffUser.username == "demo.other"))
                latest = publishing.latest_version(session, plan)
                version = publishing.publish(session, plan, author, "Wieder veröffentlicht.", latest.number)
                session.commit()
                published.append(version.number)
    finally:
        engine.dispose()


def test_sqlite_backup_taken_while_another_thread_publishes_is_consistent(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    app = build_demo_app(type("Config", (TestConfig,), {"SQLALCHEMY_DATABASE_URL": url}))
    engine = app.extensions["database"].engine
    with app.app_context():
        items_per_version = db.session.scalar(
            sa.select(sa.func.count(PlanItem.id)).join(Plan).join(Plan.case).where(Case.title == "Familie Winter")
        )

    stop, published = threading.Event(), []
    writer = threading.Thread(target=keep_publishing, args=(url, stop, published))
    writer.start()
    copies = []
    try:
        while len(published) < 3:  # the writer is under way
            threading.Event().wait(0.01)
        for n in range(3):
            copy = tmp_path / f"copy-{n}.sqlite3"
            result = app.test_cli_runner().invoke(args=["backup", str(copy)])
            assert result.exit_code == 0, result.output
            copies.append(copy)
    finally:
        stop.set()
        writer.join()
    engine.dispose()
    assert len(published) > 3

    for copy in copies:
        restored = sqlite3.connect(copy)
        try:
            assert restored.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert restored.execute("PRAGMA foreign_key_check").fetchall() == []
            versions = restored.execute(
                "SELECT v.number, count(p.id) FROM plan_version v JOIN plan ON plan.id = v.plan_id "
                "JOIN \"case\" c ON c.id = plan.case_id LEFT JOIN published_item p ON p.version_id = v.id "
                "WHERE c.title = 'Familie Winter' GROUP BY v.number ORDER BY v.number"
            ).fetchall()
            numbers = [number for number, _ in versions]
            assert numbers == list(range(1, len(numbers) + 1))  # no gap, no torn version
            assert all(count == items_per_version for _, count in versions)
            assert restored.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            restored.close()

    # The restored copy serves the portal.
    restored_app = create_app(type("Config", (TestConfig,), {"SQLALCHEMY_DATABASE_URL": f"sqlite:///{copies[-1]}"}))
    client = restored_app.test_client()
    page = client.get("/login")
    from tests.conftest import csrf_token

    response = client.post("/login", data={"csrf_token": csrf_token(page.text), "username": "demo.parent",
                                           "password": demo.PASSWORD})
    assert response.status_code == 302
    restored_app.extensions["database"].engine.dispose()


def test_backup_refuses_to_overwrite_an_existing_file(app, tmp_path: Path):
    existing = tmp_path / "taken.sqlite3"
    existing.write_bytes(b"keep me")
    result = app.test_cli_runner().invoke(args=["backup", str(existing)])
    assert result.exit_code != 0 and existing.read_bytes() == b"keep me"


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="pg_dump needs the PostgreSQL test database")
def test_postgresql_backup_is_a_pg_dump_archive_that_pg_restore_reads(tmp_path: Path):
    url = os.environ["TEST_DATABASE_URL"]
    app = create_app(type("Config", (TestConfig,), {"SQLALCHEMY_DATABASE_URL": url}))
    archive = tmp_path / "portal.dump"
    result = app.test_cli_runner().invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    listing = subprocess.run(["pg_restore", "--list", str(archive)], capture_output=True, text=True, check=True)
    assert "TABLE DATA public audit_event" in listing.stdout
    assert "TRIGGER public audit_event audit_event_no_change" in listing.stdout
    app.extensions["database"].engine.dispose()
