"""gunicorn's settings for production: `gunicorn -c python:portal.gunicorn_config wsgi:app`.

The access log shows who asked for what and how it went, and never a secret: no
query string (an invitation code from a QR link), and no secret path segment (the
private calendar feed's token in `/calendar/<token>.ics` becomes `[redacted]`),
whichever atoms a format uses — the path, the request line, the Referer, the raw
URI or any header or environ variable. Command-line options still override these
settings (`--bind`, `--workers`, `--threads`, `--access-logfile`, `--certfile`).
"""
from __future__ import annotations

import gc
import os
import re

from gunicorn import glogging

from portal.logs import redact_secrets

# Chosen by measurement on the 2-core machine (README "Performance", "Running in production"):
# the app is loaded once in the master and shared by the workers (copy-on-write: less memory,
# a worker starts at once); a worker per core, threads to overlap the database's answers.
preload_app = True
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"

accesslog = "-"  # to standard output, for the service manager's journal
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)s'
logger_class = "portal.gunicorn_config.RedactingLogger"

# Atoms that carry a query string, and those that are nothing but one.
_WITH_QUERY = ("r", "f", "{raw_uri}e", "{referer}i", "{http_referer}e")
_ONLY_QUERY = ("q", "{query_string}e")


_QUERY = re.compile(r"\?\S*")


def _without_query(value: str) -> str:
    """`GET /start?code=… HTTP/1.1` → `GET /start HTTP/1.1`; `https://…/start?code=…` → `https://…/start`."""
    return _QUERY.sub("", value)


def pre_fork(server, worker) -> None:
    """What the master built at start-up (the app, its templates, catalogs, mappers: about 200,000
    objects) lives as long as the worker: frozen out of the garbage collector's sight, a worker's
    collections scan only what its requests made (a fifth of the plan editor's time for a plan of
    1,000 items went to scanning them), and the memory pages stay shared with the master."""
    gc.freeze()


def post_fork(server, worker) -> None:
    """With `preload_app` the master built the app: a worker must not share the master's database
    connections (none is opened before the fork, but a pool that has one must not hand it on)."""
    app = getattr(server.app, "callable", None)
    database = getattr(app, "extensions", {}).get("database")
    if database is not None:
        database.engine.dispose(close=False)


class RedactingLogger(glogging.Logger):
    """gunicorn's logger whose access-log atoms hold no query string and no secret path segment."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in _ONLY_QUERY:
            if atoms.get(name):
                atoms[name] = "-"
        for name in _WITH_QUERY:
            if isinstance(atoms.get(name), str):
                atoms[name] = _without_query(atoms[name])
        return {name: redact_secrets(value) if isinstance(value, str) else value for name, value in atoms.items()}
