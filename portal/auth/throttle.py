"""Throttling of sign-in failures (Flask-Limiter).

Only *failures* count (a view sets `g.signin_failed`), in two ways: per sign-in
name across all addresses (guessing one person's password from a botnet), and
per address across all names and sign-in steps (spraying one common password
over many names). Windows are fixed and expire, so a legitimate person is never
locked out for good, only asked to wait. Unknown and known names are counted
alike, so the throttle does not reveal which names exist. The counters live in
`RATELIMIT_STORAGE_URI`: Redis in production (shared by all workers), memory in
development and tests.
"""
from __future__ import annotations

import hashlib

from flask import current_app, g, request
from flask_limiter.util import get_remote_address

from portal.extensions import limiter


def failed() -> None:
    """Called by a sign-in view when this request counts as a failed attempt."""
    g.signin_failed = True


def _deduct(_response) -> bool:
    return bool(g.get("signin_failed"))


def _name_key() -> str:
    # Hashed: the counter store (Redis) never holds sign-in names.
    name = request.form.get("username", "").strip().lower()[:80]
    return "name:" + hashlib.sha256(name.encode()).hexdigest()[:32]


def _pending_staff_key() -> str:
    from portal import sessions
    from portal.db import db

    pending = sessions.pending_staff(db.session)
    return f"staff:{pending[1].id}" if pending else "staff:none"


def _per_name() -> str:
    return current_app.config["SIGNIN_FAILURES_PER_NAME"]


def _per_address() -> str:
    return current_app.config["SIGNIN_FAILURES_PER_ADDRESS"]


def _by_address(view):
    return limiter.shared_limit(
        _per_address, scope="signin-address", key_func=get_remote_address, methods=["POST"], deduct_when=_deduct
    )(view)


def by_name_and_address(view):
    """For the password forms and /start: failures per name and per address."""
    view = limiter.limit(_per_name, key_func=_name_key, methods=["POST"], deduct_when=_deduct)(view)
    return _by_address(view)


def by_staff_and_address(view):
    """For the second-factor step: failures per staff member and per address."""
    view = limiter.limit(_per_name, key_func=_pending_staff_key, methods=["POST"], deduct_when=_deduct)(view)
    return _by_address(view)


def _signed_in_key() -> str:
    from flask_login import current_user

    return current_user.principal_id if current_user.is_authenticated else "anonymous"


def by_signed_in_person(view):
    """For re-entering the current password (staff and families): failures per person."""
    return limiter.limit(_per_name, key_func=_signed_in_key, methods=["POST"], deduct_when=_deduct)(view)
