"""Configuration and the demo command: production refuses what is only safe on one machine."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from config import Config, DevelopmentConfig, TestConfig
from portal import create_app
from tests.conftest import migrate


def _config(base: type[Config], **settings) -> type[Config]:
    return type(f"{base.__name__}ForTest", (base,), settings)


@pytest.mark.parametrize("secret", [None, ""])
def test_production_refuses_to_start_without_a_secret_key(secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(_config(Config, SECRET_KEY=secret, SQLALCHEMY_DATABASE_URL="postgresql+psycopg://portal@db/portal"))


def start_wsgi(**environment: str) -> subprocess.CompletedProcess:
    """`import wsgi` as gunicorn does, with exactly these variables (and PATH)."""
    return subprocess.run([sys.executable, "-c", "import wsgi"], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parent.parent,
                          env={"PATH": os.environ["PATH"], **environment})


def test_production_refuses_to_start_on_sqlite_without_being_told_and_says_what_to_set(tmp_path):
    """SECURITY.md property 36: no silent fallback to the embedded default (here: no DATABASE_URL)."""
    started = start_wsgi(PORTAL_ENV="production", SECRET_KEY="a-real-secret-for-this-test")
    assert started.returncode != 0
    assert "PORTAL_ENV=production needs PostgreSQL" in started.stderr
    assert "DATABASE_URL=postgresql+psycopg://" in started.stderr and "ALLOW_SQLITE_IN_PRODUCTION=1" in started.stderr
    told = start_wsgi(PORTAL_ENV="production", SECRET_KEY="a-real-secret-for-this-test",
                      DATABASE_URL=f"sqlite:///{tmp_path / 'one-host.sqlite3'}", ALLOW_SQLITE_IN_PRODUCTION="1")
    assert told.returncode == 0, told.stderr


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:////srv/portal/portal.sqlite3"])
def test_production_configuration_refuses_any_sqlite_url(url):
    with pytest.raises(RuntimeError, match="ALLOW_SQLITE_IN_PRODUCTION=1"):
        create_app(_config(Config, SECRET_KEY="a-real-secret-for-this-test", SQLALCHEMY_DATABASE_URL=url))


def test_production_configuration_starts_on_postgresql():
    app = create_app(_config(Config, SECRET_KEY="a-real-secret-for-this-test",
                             SQLALCHEMY_DATABASE_URL="postgresql+psycopg://portal@127.0.0.1:1/portal"))
    assert app.config["ENV_NAME"] == "production"


def test_development_starts_without_a_secret_key_from_the_environment():
    app = create_app(_config(DevelopmentConfig, SQLALCHEMY_DATABASE_URL="sqlite://"))
    assert app.config["SECRET_KEY"]


def test_demo_is_refused_under_production_configuration(tmp_path):
    url = f"sqlite:///{tmp_path / 'production.sqlite3'}"
    app = create_app(_config(Config, SECRET_KEY="a-real-secret-for-this-test", SQLALCHEMY_DATABASE_URL=url,
                             ALLOW_SQLITE_IN_PRODUCTION=True))
    engine = app.extensions["database"].engine
    with engine.begin() as connection:
        migrate(connection)

    result = app.test_cli_runner().invoke(args=["demo"])

    assert result.exit_code != 0
    assert "refused under production configuration" in result.output
    with engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM office")) == 0
        assert connection.scalar(sa.text("SELECT count(*) FROM member")) == 0


@pytest.fixture
def empty_app(tmp_path):
    """An app on its own new, migrated SQLite file (the test database is not touched)."""
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    app = create_app(_config(TestConfig, SQLALCHEMY_DATABASE_URL=url))
    with app.extensions["database"].engine.begin() as connection:
        migrate(connection)
    yield app
    app.extensions["database"].engine.dispose()


def test_demo_if_empty_loads_once(empty_app):
    runner = empty_app.test_cli_runner()
    first = runner.invoke(args=["demo", "--if-empty"])
    second = runner.invoke(args=["demo", "--if-empty"])

    assert first.exit_code == 0 and "Demo data loaded." in first.output
    assert second.exit_code == 0 and "not loaded" in second.output
    with empty_app.extensions["database"].engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM office")) == 1
        assert connection.scalar(sa.text("SELECT count(*) FROM member WHERE username = 'demo.parent'")) == 1


def test_create_staff_refuses_a_weak_password_with_a_message(empty_app):
    result = empty_app.test_cli_runner().invoke(
        args=["create-staff", "erika.muster", "--name", "Erika Muster", "--role", "admin"],
        input="kurz\nkurz\n",
    )
    assert result.exit_code != 0
    assert "12" in result.output
    with empty_app.extensions["database"].engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM staff_user")) == 0


@pytest.mark.parametrize("lines", [({"name": "Notdienst", "phone": "Zentrale"},), ({"phone": "030 5550 0000"},),
                                   ("030 5550 0000",)])
def test_a_crisis_line_that_cannot_be_dialled_stops_the_start(lines):
    with pytest.raises(RuntimeError, match="OFFICE_CRISIS_LINES"):
        create_app(_config(DevelopmentConfig, SQLALCHEMY_DATABASE_URL="sqlite://", OFFICE_CRISIS_LINES=lines))


def test_the_crisis_lines_come_from_the_environment_as_json(tmp_path):
    started = subprocess.run(
        [sys.executable, "-c", "import wsgi; print(wsgi.app.test_client().get('/help-now').text)"],
        capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parent.parent,
        env={"PATH": os.environ["PATH"], "PORTAL_ENV": "production", "SECRET_KEY": "a-real-secret-for-this-test",
             "DATABASE_URL": "postgresql+psycopg://portal@127.0.0.1:1/portal",
             "OFFICE_CRISIS_LINES": '[{"name": "Notdienst Nord", "phone": "0551 400 400", "hours": "rund um die Uhr"}]'})
    assert started.returncode == 0, started.stderr
    assert 'href="tel:0551400400"' in started.stdout and "Notdienst Nord" in started.stdout
