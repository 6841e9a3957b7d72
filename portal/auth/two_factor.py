"""The staff's second factor: TOTP (RFC 6238) and single-use recovery codes.

A TOTP code is accepted for the previous, current and next 30-second step (clock
drift of phones), but each step only once: `StaffUser.totp_last_step` remembers
the newest step used, so a code seen over a shoulder or replayed is refused.
Recovery codes carry 80 random bits, so a SHA-256 hash is enough to store them
(nobody can guess back from it); each works once.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import sessions
from portal.db import utcnow
from portal.models import RecoveryCode, StaffUser

STEP_SECONDS = 30
ACCEPTED_DRIFT = 1  # steps before and after the current one
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread on paper


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)


def current_step(now: float | None = None) -> int:
    return int(now if now is not None else time.time()) // STEP_SECONDS


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def matching_step(secret: str, code: str, after: int | None, now: float | None = None) -> int | None:
    """The time step whose code this is, if it is within the drift and newer than `after`."""
    code = _normalise(code)
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    step = current_step(now)
    for candidate in range(step - ACCEPTED_DRIFT, step + ACCEPTED_DRIFT + 1):
        if after is not None and candidate <= after:
            continue
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def use_totp(staff: StaffUser, code: str) -> bool:
    """Accept a TOTP code once; remembers the step so that it cannot be replayed."""
    if not staff.totp_secret:
        return False
    step = matching_step(staff.totp_secret, code, staff.totp_last_step)
    if step is None:
        return False
    staff.totp_last_step = step
    return True


def _recovery_hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def issue_recovery_codes(db: Session, staff: StaffUser) -> list[str]:
    """Replace the staff member's recovery codes; the plain codes are shown once, never stored."""
    db.execute(sa.delete(RecoveryCode).where(RecoveryCode.staff_id == staff.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(16))
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
    db.add_all(RecoveryCode(staff_id=staff.id, code_hash=_recovery_hash(code)) for code in codes)
    db.flush()
    return codes


def use_recovery_code(db: Session, staff: StaffUser, code: str) -> bool:
    """Accept an unused recovery code of this staff member and mark it used."""
    if len(_normalise(code)) != 16:
        return False
    row = db.scalar(
        sa.select(RecoveryCode).where(
            RecoveryCode.staff_id == staff.id,
            RecoveryCode.code_hash == _recovery_hash(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return False
    row.used_at = utcnow()
    db.flush()
    return True


def enrol(db: Session, staff: StaffUser, secret: str, code: str) -> list[str] | None:
    """Confirm a new secret with a first code; returns the new recovery codes."""
    step = matching_step(secret, code, None)
    if step is None:
        return None
    staff.totp_secret = secret
    staff.totp_last_step = step
    return issue_recovery_codes(db, staff)


def reset(db: Session, staff: StaffUser) -> None:
    """An admin's reset: the next sign-in enrols anew; every session of the person ends."""
    staff.totp_secret = None
    staff.totp_last_step = None
    db.execute(sa.delete(RecoveryCode).where(RecoveryCode.staff_id == staff.id))
    sessions.end_all(db, staff.principal_id)
    db.flush()
