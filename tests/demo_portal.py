"""A complete demo portal outside the per-test transaction: migrated, demo loaded.

Used where a test or tool needs a portal of its own (the live server of the
browser tests, backups, benchmarks, the page-weight table).
"""
from __future__ import annotations

from flask import Flask

from config import Config
from portal import create_app
from portal.db import db
from tests.conftest import migrate


def build_demo_app(config: type[Config]) -> Flask:
    app = create_app(config)
    with app.app_context():
        with db.engine.begin() as connection:
            migrate(connection)
        from portal import demo

        demo.load(db.session)
        db.session.commit()
    return app
