"""Engine, declarative base and the session per request.

Domain functions take a session, add and flush; a view commits once after a
successful POST. The session lives on `flask.g` and is closed at teardown, so an
exception anywhere rolls back everything the request wrote.
"""
from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


_clock: ContextVar[datetime | None] = ContextVar("clock", default=None)


def utcnow() -> datetime:
    """Now, in UTC; inside `backdated(at)` the moment `at` instead."""
    return _clock.get() or datetime.now(UTC)


@contextmanager
def backdated(at: datetime) -> Iterator[None]:
    """Run domain functions as if it were `at`: every timestamp they write (defaults
    included) is `at`. Only the demo office's history uses it, so that its past is made
    by the same functions as the present (`portal.evaluation.history`)."""
    if at.tzinfo is None:
        raise ValueError("naive datetime")
    token = _clock.set(at.astimezone(UTC))
    try:
        yield
    finally:
        _clock.reset(token)


class UTCDateTime(sa.types.TypeDecorator):
    """Stores aware datetimes as UTC and always returns them aware.

    SQLite drops the offset; without this, comparisons between a value read back
    and `utcnow()` would raise on SQLite and pass on PostgreSQL.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use portal.db.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        date: sa.Date(),
        str: sa.String(200),
        enum.Enum: sa.Enum(
            enum.Enum,
            native_enum=False,
            length=24,
            values_callable=lambda e: [m.value for m in e],
            validate_strings=True,
        ),
    }


class AppDatabase:
    """One app's engine and session factory (kept in `app.extensions["database"]`)."""

    def __init__(self, url: str, pool: dict | None = None) -> None:
        self.engine = make_engine(url, **(pool or {}))
        self.sessionmaker: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)


class Database:
    """Hands out one session per request for whichever app is current."""

    def init_app(self, app: Flask) -> None:
        pool = {"pool_size": app.config.get("DATABASE_POOL_SIZE", 5),
                "max_overflow": app.config.get("DATABASE_MAX_OVERFLOW", 10),
                "pool_recycle": app.config.get("DATABASE_POOL_RECYCLE", -1)}
        app.extensions["database"] = AppDatabase(app.config["SQLALCHEMY_DATABASE_URL"], pool)
        app.teardown_appcontext(_close_session)

    @property
    def engine(self) -> sa.Engine:
        return current_app.extensions["database"].engine

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            g.db_session = current_app.extensions["database"].sessionmaker()
        return g.db_session


def make_engine(url: str, pool_size: int = 5, max_overflow: int = 10, pool_recycle: int = -1) -> sa.Engine:
    """`hide_parameters`: a database error logged with its traceback must not carry
    the values of the statement (plan texts, names) into the log.

    PostgreSQL: each process keeps its own pool of `pool_size` connections (and up to
    `max_overflow` more at a peak), checked before use (`pool_pre_ping`: a restarted server
    costs no request) and renewed after `pool_recycle` seconds (README "Running in production")."""
    if url.startswith("sqlite"):
        kwargs = {}
        if url in ("sqlite://", "sqlite:///:memory:"):
            # One shared in-memory database for every connection of this engine.
            kwargs = {"poolclass": sa.pool.StaticPool}
        engine = sa.create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True, **kwargs)
        _sqlite_behave_like_postgres(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, hide_parameters=True, pool_size=pool_size,
                            max_overflow=max_overflow, pool_recycle=pool_recycle)


def _sqlite_behave_like_postgres(engine: sa.Engine) -> None:
    """Foreign keys on, SQLAlchemy's documented SAVEPOINT recipe for pysqlite, and
    WAL: readers and the one writer do not block each other, as on PostgreSQL
    (a file's journal mode persists; an in-memory database stays "memory")."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN")


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


db = Database()
