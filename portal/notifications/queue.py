"""The worker's task queue: Huey, on SQLite in development, on Redis or PostgreSQL in production.

`HUEY_URL` picks the storage: `redis://…` (RedisHuey; `REDIS_URL` is taken when
`HUEY_URL` is unset), `postgresql://…` (PostgresHuey), `memory://` (tests), or
a file path (SqliteHuey, `instance/huey.sqlite3` by default: no extra server).

The outbox tables are the durable record; the queue only says "look now". A
request that wrote notifications nudges the worker after its commit
(`nudge_after_commit`); the consumer also runs the sweep every minute, so a
nudge lost with an unreachable queue only delays, never loses, a message.
Tasks: `sweep` (clock events, bundling, delivery: `worker.run_once`) — as a
periodic task every minute and on every nudge, with a nudge for the bundle
window's end.
"""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, MemoryHuey, PostgresHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("portal.notifications")


def make_huey(url: str) -> Huey:
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("neustart", url=url)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresHuey("neustart", dsn=url)
    if url == "memory://":
        return MemoryHuey("neustart")
    Path(url).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("neustart", filename=url)


def init_app(app: Flask) -> Huey:
    """Make the app's queue and register its tasks (`app.extensions["huey"]`)."""
    huey = make_huey(app.config["HUEY_URL"])
    huey.results = False

    @huey.task(name="notifications.sweep")
    def sweep() -> None:
        from portal.notifications import worker

        try:
            worker.run_once(app)
        except Exception as exc:  # noqa: BLE001 - database down, …: the next sweep tries again
            log.warning("notification sweep failed: %s", type(exc).__name__)

    @huey.periodic_task(crontab(), name="notifications.periodic_sweep")
    def periodic_sweep() -> None:
        sweep.call_local()

    app.extensions["huey"] = huey
    app.extensions["huey.sweep"] = sweep
    return huey


def nudge(app: Flask, delay: float = 0) -> None:
    """Ask the worker to sweep now (and again after `delay` seconds); never raises."""
    sweep = app.extensions["huey.sweep"]
    try:
        sweep()
        if delay:
            sweep.schedule(delay=delay)
    except Exception as exc:  # noqa: BLE001 - queue unreachable: the periodic sweep finds the rows
        log.warning("could not nudge the notification worker: %s", type(exc).__name__)


def nudge_after_commit(session: Session) -> None:
    """Once the session's transaction commits, nudge the worker; a rollback nudges nothing."""
    session.info["notifications.pending"] = True
    if session.info.get("notifications.listening"):
        return
    session.info["notifications.listening"] = True
    app = current_app._get_current_object()

    def after_commit(committed: Session) -> None:
        if committed.info.pop("notifications.pending", False):
            nudge(app, delay=app.config["NOTIFY_BUNDLE_SECONDS"] + 1)

    def after_rollback(rolled_back: Session, _previous_transaction) -> None:
        rolled_back.info.pop("notifications.pending", None)

    event.listen(session, "after_commit", after_commit)
    event.listen(session, "after_soft_rollback", after_rollback)
