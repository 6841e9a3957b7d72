"""Security headers on every response (errors included), caching rules, and
where a state-changing request may come from.

Flask-Talisman sets the Content-Security-Policy, HSTS (production only),
X-Content-Type-Options, frame and referrer policies. Everything except static
files is sent with `Cache-Control: no-store`: nearly every page is personal,
and a shared family phone must not keep them in its cache.

Cross-site requests are refused in three layers: the CSRF token bound to the
session (Flask-WTF, every form), SameSite=Lax cookies, and `same_origin_only`
below. `Referrer-Policy: same-origin` tells no other site where a reader came
from, and still lets the browser name the portal's own origin to the portal
(with `no-referrer` a browser sends `Origin: null` on every form POST and no
`Referer`).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, abort, g, request
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


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin_only() -> None:
    """Refuse (400) a state-changing request that a browser says comes from another origin.

    Every browser sends `Origin` on a POST: it must be the portal's own (scheme and
    host as the proxy hands them on; `null` is refused). Without `Origin`, a `Referer`
    must be the portal's. A client that sends neither is no browser an attacker's
    page can drive; the session-bound token still applies to it. This replaces
    Flask-WTF's HTTPS check (`WTF_CSRF_SSL_STRICT`), which demands a `Referer` that
    a browser may withhold, and holds on plain HTTP as well.
    """
    if request.method not in UNSAFE_METHODS:
        return
    own = f"{request.scheme}://{request.host}".lower()
    origin = request.headers.get("Origin")
    if origin is not None:
        if origin.lower() != own:
            abort(400)
    elif request.referrer and _origin_of(request.referrer) != own:
        abort(400)


def init_app(app: Flask) -> None:
    # First of all hooks: who is signed in is decided afresh on every request.
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_previous_request)
    app.before_request_funcs[None].insert(1, same_origin_only)
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
        referrer_policy="same-origin",
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )

    @app.after_request
    def _no_store(response: Response) -> Response:
        if not request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response
