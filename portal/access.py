"""View decorators: which kind of signed-in person a blueprint serves.

They decide only *who may use a page at all*; what a person may see on it is
decided by `portal.sharing`.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, g, redirect, request, url_for
from flask_login import current_user

from portal.extensions import login_manager
from portal.models import Member, Role, StaffUser


def _is(kind: type) -> bool:
    return current_user.is_authenticated and isinstance(current_user._get_current_object(), kind)


def family_required(view):
    """Signed-in family members only; anyone else is sent to the family sign-in."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if _is(Member):
            return view(*args, **kwargs)
        if current_user.is_authenticated:
            abort(404)
        return redirect(url_for("auth.login", next=request.full_path))

    return wrapped


def without_database(view):
    """A page that must answer while the database is down (help now, the offline page):
    nobody is loaded from the database, so the page runs no statement at all. Whoever
    reads it is anonymous to Flask-Login; `sessions.reader()` says how to speak to a
    signed-in family member."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        g._login_user = login_manager.anonymous_user()
        return view(*args, **kwargs)

    return wrapped


def staff_required(*roles: Role):
    """Signed-in staff (with their second factor), optionally of given roles."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not _is(StaffUser):
                if current_user.is_authenticated:
                    abort(404)
                return redirect(url_for("auth.staff_login", next=request.full_path))
            session = g.get("login_session")
            if session is None or not session.second_factor_done:
                # Only reachable if a loader ever admitted a half-done sign-in: refuse anyway.
                return redirect(url_for("auth.staff_login", next=request.full_path))
            if roles and current_user.role not in roles:
                abort(404)
            return view(*args, **kwargs)

        return wrapped

    return decorator
