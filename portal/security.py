"""Security headers on every response (errors included) and caching rules.

Flask-Talisman sets the Content-Security-Policy, HSTS (production only),
X-Content-Type-Options, frame and referrer policies. Everything except static
files is sent with `Cache-Control: no-store`: nearly every page is personal,
and a shared family phone must not keep them in its cache.
"""
from __future__ import annotations

from flask import Flask, Response, g, request
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'none'",
    "connect-src": "'self'",
    "manifest-src": "'self'",
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# What extensions keep on `flask.g` for one request. A request normally gets a
# fresh `g`; but when an application context is already active (a script, or a
# test arranging data) requests share it, and a principal, a CSRF token or a
# locale from one request must never be carried into the next.
REQUEST_SCOPED = ("_login_user", "login_session", "csrf_token", "_flask_babel", "signin_failed")


def _forget_previous_request() -> None:
    for name in REQUEST_SCOPED:
        g.pop(name, None)


def init_app(app: Flask) -> None:
    # First of all hooks: who is signed in is decided afresh on every request.
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_previous_request)
    production = app.config["ENV_NAME"] == "production"
    if production:
        # Behind one reverse proxy that sets X-Forwarded-For and -Proto.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)
    # One Talisman per app: it keeps its options on itself, and tests run a
    # production-configured app next to the test app.
    app.extensions["talisman"] = Talisman(
        app,
        force_https=production,
        strict_transport_security=app.config["HSTS"],
        strict_transport_security_max_age=63072000,
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="no-referrer",
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )

    @app.after_request
    def _no_store(response: Response) -> Response:
        if not request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response
