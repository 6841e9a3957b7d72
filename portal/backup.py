"""Consistent copies of the database while the portal keeps running.

SQLite: the online backup API copies the database page by page under a read
lock and starts over if a writer changes it meanwhile, so the copy is always a
state some transaction committed. PostgreSQL: `pg_dump` reads everything in one
snapshot transaction; the custom format is restored with `pg_restore`.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa


def backup(engine: sa.Engine, destination: Path) -> None:
    """Write a consistent copy of the database behind `engine` to `destination`."""
    match engine.dialect.name:
        case "sqlite":
            _sqlite_backup(engine, destination)
        case "postgresql":
            _pg_dump(engine.url, destination)
        case other:
            raise ValueError(f"no backup method for {other}")


def _sqlite_backup(engine: sa.Engine, destination: Path) -> None:
    source = engine.raw_connection()
    try:
        target = sqlite3.connect(destination)
        try:
            source.driver_connection.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _pg_dump(url: sa.URL, destination: Path) -> None:
    # The password travels in the environment, not on the command line (ps).
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    libpq_url = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(destination), "--dbname", libpq_url],
        check=True, env=env,
    )
