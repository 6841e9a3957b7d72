"""Server-side sign-in sessions.

The cookie (Flask's signed session) carries a random token `sid` and the time
of the last request; the server keeps a `LoginSession` row with the token's
hash. A session is valid only while its row exists, so sign-out, a password
change or deactivation end it on the very next request, even for a copied
cookie. The idle time is tracked in the signed cookie so that reading a page
writes nothing to the database.

A staff session is created "pending" after the password and becomes a full
session only after the second factor; the pending row names nobody to
Flask-Login, so no page can mistake it for a signed-in person.

For a family member the cookie also says how to speak to them (`Reader`: kind,
easy-read, language), for the pages that must work without the database (help
now, the safety screen). It decides wording only, never access.
"""
from __future__ import annotations

import functools
import hashlib
import secrets
import time
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, g, session as cookie
from sqlalchemy.orm import Session, joinedload

from portal.db import utcnow
from portal.models import Case, LoginSession, Member, MemberKind, StaffUser

Principal = StaffUser | Member


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(db: Session, principal: Principal, second_factor_done: bool = False) -> LoginSession:
    """Begin a fresh session: whatever the cookie held before is dropped."""
    cookie.clear()
    token = secrets.token_urlsafe(32)
    row = LoginSession(
        token_hash=token_hash(token), principal=principal.principal_id, second_factor_done=second_factor_done
    )
    db.add(row)
    db.flush()
    cookie["sid"] = token
    cookie["seen"] = int(time.time())
    remember_reader(principal)
    return row


@dataclass(frozen=True)
class Reader:
    """The signed-in person as their signed cookie describes them: enough to speak to them
    in their language and words where the database may be down (help now, the safety
    screen). Not proof of a valid session: only `load_principal` is that."""

    kind: MemberKind | None  # None: staff
    easy_read: bool
    language: str | None  # None: not chosen yet


def remember_reader(principal: Principal) -> None:
    """At sign-in and on every request that loads the person (a change of language or
    easy-read, by them or their caseworker, reaches the cookie on the next page)."""
    family = isinstance(principal, Member)
    remembered = {"kind": principal.kind.value if family else None, "easy_read": family and principal.easy_read,
                  "language": getattr(principal, "language", None)}
    if cookie.get("reader") != remembered:
        cookie["reader"] = remembered


def reader() -> Reader | None:
    """The person the cookie describes, if any (a cookie is signed, so it is ours)."""
    saved = cookie.get("reader")
    try:
        kind = MemberKind(saved["kind"]) if saved["kind"] is not None else None
        return Reader(kind, bool(saved["easy_read"]), saved.get("language"))
    except (KeyError, TypeError, ValueError):
        return None


def current(db: Session) -> LoginSession | None:
    """The valid server session named by the cookie, or None."""
    token = cookie.get("sid")
    if not token:
        return None
    return _still_valid(db.scalar(sa.select(LoginSession).where(LoginSession.token_hash == token_hash(token))))


def _still_valid(row: LoginSession | None) -> LoginSession | None:
    """The session, unless it is gone or has been idle or open too long (then the cookie is cleared)."""
    if row is None:
        return None
    is_staff = row.principal.startswith("staff:")
    config = current_app.config
    idle = config["STAFF_IDLE_TIMEOUT" if is_staff else "FAMILY_IDLE_TIMEOUT"]
    absolute = config["STAFF_ABSOLUTE_TIMEOUT" if is_staff else "FAMILY_ABSOLUTE_TIMEOUT"]
    now = time.time()
    if now - cookie.get("seen", 0) > idle.total_seconds() or utcnow() - row.created_at > absolute:
        # Expired rows are left for `flask purge-expired`: reading writes nothing.
        cookie.clear()
        return None
    cookie["seen"] = int(now)
    return row


@functools.cache
def _session_and_principal(model: type) -> sa.Select:
    """The session named by the cookie and its principal, in one statement (built once): a member
    with their case and team (whether the account is open, and the viewer's office), staff alone."""
    statement = (
        sa.select(LoginSession, model)
        .outerjoin(model, model.id == sa.bindparam("principal_row", type_=sa.Integer))
        .where(LoginSession.token_hash == sa.bindparam("token_hash"),
               LoginSession.principal == sa.bindparam("principal"))
    )
    if model is Member:
        # Fresh from the row even where the member is already loaded: the case's family
        # revision read here, first, decides whether a kept page is still true. With the
        # family (a few rows), which the plan's "who sees it" and the account pages name.
        case = joinedload(Member.case)
        statement = (statement.options(case.joinedload(Case.team), case.joinedload(Case.members))
                     .execution_options(populate_existing=True))
    return statement


def load_principal(db: Session, principal_id: str) -> Principal | None:
    """Flask-Login's user loader: the principal of a valid session, if still active.

    A staff session whose second factor is still missing loads nobody."""
    token = cookie.get("sid")
    kind, _, raw_id = principal_id.partition(":")
    if not token or kind not in ("staff", "member") or not raw_id.isdigit() or len(raw_id) > 9:
        return None
    model = StaffUser if kind == "staff" else Member
    found = db.execute(_session_and_principal(model), {
        "token_hash": token_hash(token), "principal": principal_id, "principal_row": int(raw_id)}).unique().first()
    row = _still_valid(found[0] if found else None)
    if row is None:
        return None
    if kind == "staff" and not row.second_factor_done:
        return None
    principal = found[1]
    if principal is None or not principal.is_active:
        cookie.clear()
        return None
    g.login_session = row
    remember_reader(principal)
    return principal


def pending_staff(db: Session) -> tuple[LoginSession, StaffUser] | None:
    """The session and staff member between password and second factor, if any.
    The second step must follow the first within PENDING_SECOND_FACTOR_TIMEOUT."""
    row = current(db)
    if row is None or not row.principal.startswith("staff:") or row.second_factor_done:
        return None
    if utcnow() - row.created_at > current_app.config["PENDING_SECOND_FACTOR_TIMEOUT"]:
        return None
    staff = db.get(StaffUser, int(row.principal.partition(":")[2]))
    if staff is None or not staff.is_active:
        return None
    return row, staff


def end_current(db: Session) -> None:
    token = cookie.get("sid")
    if token:
        db.execute(sa.delete(LoginSession).where(LoginSession.token_hash == token_hash(token)))
    cookie.clear()


def end_other_sessions(db: Session, principal: Principal) -> None:
    """After a password change: every other session of this person ends, this one stays."""
    end_all(db, principal.principal_id, keep=g.get("login_session"))


def end_all(db: Session, principal_id: str, keep: LoginSession | None = None) -> None:
    """End every session of a principal (password change, deactivation), except `keep`."""
    query = sa.delete(LoginSession).where(LoginSession.principal == principal_id)
    if keep is not None:
        query = query.where(LoginSession.id != keep.id)
    db.execute(query)
