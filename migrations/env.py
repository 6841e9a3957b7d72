"""Alembic environment: the models' metadata and the portal's database URL.

A caller may hand in a connection (`config.attributes["connection"]`), which the
tests do to migrate the very database they then use.
"""
from __future__ import annotations

from alembic import context

import portal.models  # noqa: F401 - registers every table on Base.metadata
from config import config_from_env
from portal.db import Base, make_engine

target_metadata = Base.metadata


def _url() -> str:
    return context.config.attributes.get("url") or config_from_env().SQLALCHEMY_DATABASE_URL


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, render_as_batch=True, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER through table copies
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
