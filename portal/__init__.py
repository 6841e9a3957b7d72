"""NeuStart Familienportal: the application factory."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, g, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

from config import Config, config_from_env
from portal.db import db as _db


def create_app(config: type[Config] | None = None) -> Flask:
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.config.from_object(config or config_from_env())
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set outside development and tests")
    refuse_sqlite_in_production(app)
    from portal.family.help import check_crisis_lines

    check_crisis_lines(app.config["OFFICE_CRISIS_LINES"])
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["OFFICE_TIMEZONE"])
    _db.init_app(app)
    register_id_converter(app)
    register_extensions(app)
    register_blueprints(app)
    register_error_pages(app)
    register_template_helpers(app)
    from portal import cli, logs, notifications, revisions, security, static_files  # noqa: F401 (revisions listens)
    from portal.family import page_cache

    page_cache.init_app(app)
    notifications.init_app(app)
    logs.init_app(app)
    security.init_app(app)
    static_files.init_app(app)
    cli.init_app(app)
    return app


def refuse_sqlite_in_production(app: Flask) -> None:
    """SQLite is the embedded default for one machine, never a silent fallback in production."""
    if (app.config["ENV_NAME"] == "production" and app.config["SQLALCHEMY_DATABASE_URL"].startswith("sqlite")
            and not app.config.get("ALLOW_SQLITE_IN_PRODUCTION")):
        raise RuntimeError(
            "PORTAL_ENV=production needs PostgreSQL: set DATABASE_URL=postgresql+psycopg://user@host/database "
            f"(now: {app.config['SQLALCHEMY_DATABASE_URL']}). To run production on an SQLite file all the same "
            "(one host, one server process), set ALLOW_SQLITE_IN_PRODUCTION=1."
        )


def register_extensions(app: Flask) -> None:
    from portal import i18n, sessions
    from portal.extensions import babel, csrf, limiter, login_manager

    babel.init_app(app, locale_selector=i18n.select_locale, default_timezone=app.config["OFFICE_TIMEZONE"])
    app.after_request(i18n.remember_page_choice)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.session_protection = None  # sessions are checked on the server (portal.sessions)

    @login_manager.user_loader
    def _load(principal_id: str):
        return sessions.load_principal(_db.session, principal_id)


class IdConverter(IntegerConverter):
    """`<int:…>` in every rule: ids are 32-bit integers in the schema, and a larger
    number makes PostgreSQL raise instead of miss. Such a URL matches no rule: 404,
    on every route, without each view checking."""

    def __init__(self, url_map, fixed_digits: int = 0, min: int | None = 0, max: int | None = 2**31 - 1,
                 signed: bool = False) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_id_converter(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter  # before any rule is added


def register_blueprints(app: Flask) -> None:
    from portal.auth import bp as auth_bp
    from portal.family import bp as family_bp
    from portal.staff import bp as staff_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(family_bp)
    app.register_blueprint(staff_bp, url_prefix="/staff")


def register_error_pages(app: Flask) -> None:
    from portal import sessions, sharing

    def reader():
        """Who reads the error page, from the signed cookie (no database): a child is spoken to as a child."""
        return sharing.Reader.of_cookie(sessions.reader())

    def page(status: int):
        def handler(_error):
            return render_template(f"errors/{status}.html", viewer=reader()), status

        return handler

    for status in (400, 403, 404, 405, 429, 500):
        app.register_error_handler(status, page(status))

    @app.errorhandler(sa.exc.OperationalError)
    def database_unreachable(_error):
        from portal.extensions import login_manager

        _db.session.rollback()
        g._login_user = login_manager.anonymous_user()  # nothing may query the database now
        return render_template("errors/503.html", viewer=reader()), 503, {"Retry-After": "60"}


def register_template_helpers(app: Flask) -> None:
    from portal import i18n, labels, pictograms

    app.context_processor(labels.template_labels)

    @app.context_processor
    def _globals():
        language = i18n.current_language()
        return {
            "locale": language,
            "direction": i18n.text_direction(language),
            "language_names": i18n.LANGUAGE_NAMES,
            "language_directions": {code: i18n.text_direction(code) for code in app.config["LANGUAGES"]},
            "languages": app.config["LANGUAGES"],
            "office_name": app.config["OFFICE_NAME"],
        }

    app.jinja_env.filters["datetime"] = i18n.local_datetime
    app.jinja_env.filters["dateformat"] = i18n.local_date  # Flask-Babel's, marked up as <time>
    app.jinja_env.filters["when"] = i18n.appointment_time
    app.jinja_env.filters["relative_day"] = i18n.relative_day
    app.jinja_env.filters["bdi"] = i18n.bdi
    app.jinja_env.filters["title_text"] = i18n.title_text
    app.jinja_env.filters["field_label"] = labels.field_label
    app.jinja_env.filters["changed_fields"] = labels.changed_fields
    app.jinja_env.filters["action_label"] = labels.action_label
    app.jinja_env.globals["localize"] = i18n.localize
    app.jinja_env.globals["voice"] = i18n.voice
    app.jinja_env.globals["pictogram"] = pictograms.svg
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


__all__ = ["create_app"]
