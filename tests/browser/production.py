"""The portal as it runs in production, started for a test: gunicorn with
`PORTAL_ENV=production` over TLS, on a PostgreSQL database of its own, with Redis.

- PostgreSQL: a new, uniquely named database on the test server (the one
  `TEST_DATABASE_URL` names, else postgres@127.0.0.1:5432), dropped afterwards.
- Schema and data through the command line, as the README says: `alembic upgrade
  head`, then `flask demo`. Production refuses `flask demo` (no fictional family in
  a real office), so the demo is loaded with the development configuration into
  the same database before the production server starts; the server itself runs
  the production configuration only.
- TLS: a throw-away self-signed certificate for 127.0.0.1, made with openssl;
  gunicorn terminates TLS itself (`--certfile/--keyfile`), so the app sees https
  as behind the reverse proxy.
- Redis database 3 for the rate-limit counters.
- gunicorn reads its settings from `portal.gunicorn_config` (the redacting access
  log) and binds a free port (port 0; the port is read from its log).
"""
from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/3"
STARTUP_SECONDS = 60  # a bound for gunicorn to start, never a measurement


@dataclass(frozen=True)
class Server:
    url: str
    database_url: str
    access_log: Path
    error_log: Path


def postgres_server() -> sa.URL:
    """The PostgreSQL server of the test run, as a URL of its maintenance database."""
    configured = os.environ.get("TEST_DATABASE_URL", "")
    if configured.startswith("postgresql"):
        return sa.make_url(configured).set(database="postgres")
    return sa.make_url("postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@contextmanager
def own_database() -> Iterator[str]:
    """A new PostgreSQL database for this run only; its URL. Dropped afterwards."""
    server = postgres_server()
    name = f"portal_production_test_{secrets.token_hex(6)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as error:
        admin.dispose()
        raise RuntimeError(f"PostgreSQL at {server.host}:{server.port} is needed for the production test "
                           f"(.ci/run starts it): {error.orig}") from None
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate and key for 127.0.0.1, valid for a day."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def command(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"


def base_environment() -> dict[str, str]:
    """Only what the portal reads, and what Python and the tools need to run."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")
    return {name: os.environ[name] for name in keep if name in os.environ}


@contextmanager
def production_server(folder: Path) -> Iterator[Server]:
    with own_database() as database_url:
        cert, key = certificate(folder)
        env = {**base_environment(), "DATABASE_URL": database_url}
        command(["alembic", "upgrade", "head"], {**env, "PORTAL_ENV": "production"})
        command(["flask", "--app", "wsgi", "demo"], {**env, "PORTAL_ENV": "development"})
        access_log, error_log = folder / "access.log", folder / "error.log"
        production_env = {**env, "PORTAL_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
                          "RATELIMIT_STORAGE_URI": REDIS_URL}
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:portal.gunicorn_config", "--bind", "127.0.0.1:0",
             "--workers", "2", "--threads", "2", "--certfile", str(cert), "--keyfile", str(key),
             "--access-logfile", str(access_log), "--error-logfile", str(error_log), "wsgi:app"],
            cwd=ROOT, env=production_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            yield Server(_listening_at(gunicorn, error_log), database_url, access_log, error_log)
        finally:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)


def _listening_at(gunicorn: subprocess.Popen, error_log: Path) -> str:
    """The address gunicorn reports once its socket is bound (`Listening at: https://…`)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        text = error_log.read_text() if error_log.exists() else ""
        found = re.search(r"Listening at: (https://127\.0\.0\.1:\d+)", text)
        if found and "Booting worker" in text:
            return found.group(1)
        if gunicorn.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"gunicorn did not start:\n{error_log.read_text() if error_log.exists() else ''}")
