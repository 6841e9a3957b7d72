"""Invitations: how a family member gets an account.

A caseworker creates an invitation for a member; it yields a random code of 130
bits, shown once on a printable letter (as text and QR code) and stored only as
a SHA-256 hash (the code's entropy makes a slow hash unnecessary). The member
redeems it at /start by choosing a sign-in name and a password. A code works
once and expires (default 14 days); creating a new one revokes older ones.
"""
from __future__ import annotations

import base64
import hashlib
import re
import secrets
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from portal import sessions
from portal.db import utcnow
from portal.models import Invitation, Member, StaffUser
from portal.passwords import FAMILY_MINIMUM, hash_password, password_problem

CODE_BYTES = 17  # 136 bits; 27 base32 characters
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
# Characters people confuse when typing a printed code.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B", "9": "G"})


class InvitationProblem(StrEnum):
    unknown = "unknown"
    used = "used"
    expired = "expired"


class InvitationError(Exception):
    def __init__(self, problem: InvitationProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def new_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode().rstrip("=")
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalize_code(code: str) -> str:
    return re.sub(r"[^A-Z2-7]", "", code.upper().translate(_LOOKALIKES))


def code_hash(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def create_invitation(session: Session, member: Member, created_by: StaffUser) -> tuple[Invitation, str]:
    """Create a fresh invitation; returns it with the plain code, which is never stored.

    A new letter is how a caseworker recovers an account someone else may know:
    the member's sessions end everywhere, their password and calendar address
    stop working, and only the new letter lets them in again.
    """
    now = utcnow()
    if member.has_account:
        sessions.end_all(session, member.principal_id)
        member.password_hash = None
        member.calendar_token_hash = None
    session.execute(
        sa.update(Invitation)
        .where(Invitation.member_id == member.id, Invitation.used_at.is_(None), Invitation.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    code = new_code()
    invitation = Invitation(
        member=member,
        code_hash=code_hash(code),
        created_by=created_by,
        created_at=now,
        expires_at=now + current_app.config["INVITATION_VALID_FOR"],
    )
    session.add(invitation)
    session.flush()
    return invitation, code


def find_invitation(session: Session, code: str, now: datetime | None = None) -> Invitation:
    """The open invitation for `code`, or an InvitationError saying why not."""
    invitation = session.scalar(sa.select(Invitation).where(Invitation.code_hash == code_hash(code)))
    now = now or utcnow()
    if invitation is None or not invitation.member.is_active:
        raise InvitationError(InvitationProblem.unknown)
    if invitation.used_at is not None:
        raise InvitationError(InvitationProblem.used)
    if invitation.revoked_at is not None or invitation.expires_at <= now:
        raise InvitationError(InvitationProblem.expired)
    return invitation


def username_problem(session: Session, username: str, member: Member | None = None) -> str | None:
    """Returns a short key for what is wrong with a wished-for sign-in name."""
    if not USERNAME_PATTERN.match(username):
        return "format"
    taken = session.scalar(sa.select(Member.id).where(sa.func.lower(Member.username) == username))
    if taken is not None and (member is None or taken != member.id):
        return "taken"
    return None


def redeem_invitation(session: Session, code: str, username: str, password: str) -> Member:
    """Give the member their sign-in name and password and use up the code.

    Callers validate `username` and `password` first (forms do); this checks
    again so that no path can skip it.
    """
    invitation = find_invitation(session, code)
    member = invitation.member
    username = username.strip().lower()
    if username_problem(session, username, member) or password_problem(password, username, FAMILY_MINIMUM):
        raise ValueError("invalid username or password")
    # Conditional update: of two simultaneous redemptions only one can win.
    claimed = session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise InvitationError(InvitationProblem.used)
    member.username = username
    member.password_hash = hash_password(password)
    session.flush()
    return member


def open_invitation(session: Session, member: Member) -> Invitation | None:
    return session.scalar(
        sa.select(Invitation)
        .where(
            Invitation.member_id == member.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.id.desc())
        .limit(1)
    )
