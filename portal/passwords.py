"""Password hashing (argon2id) and the password policy (NIST SP 800-63B).

Policy: a minimum length (8 for families, 12 for staff), any characters, long
passphrases welcome (up to 256 characters), no composition rules, not the
sign-in name, and not on the bundled list of common passwords.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

FAMILY_MINIMUM = 8
STAFF_MINIMUM = 12
MAXIMUM = 256
BLOCKLIST = Path(__file__).parent / "data" / "common-passwords.txt"

@cache
def _hasher_for(parameters: tuple[tuple[str, int], ...]) -> tuple[PasswordHasher, str]:
    """A hasher and a dummy hash made with it: verifying against the dummy keeps
    the time of "unknown user" equal to "wrong password"."""
    hasher = PasswordHasher(**dict(parameters), type=Type.ID)
    return hasher, hasher.hash("not a real password")


def current_hasher() -> PasswordHasher:
    """The hasher new hashes are made with (and against which old ones are judged)."""
    return _hasher()[0]


def _hasher() -> tuple[PasswordHasher, str]:
    """argon2id with the library's RFC 9106 defaults, unless the configuration
    names other parameters (`PASSWORD_HASHING`; the tests use cheaper ones).
    Changing them makes every stored hash be rehashed at its next sign-in."""
    parameters = current_app.config.get("PASSWORD_HASHING") if has_app_context() else None
    return _hasher_for(tuple(sorted((parameters or {}).items())))


def hash_password(password: str) -> str:
    return _hasher()[0].hash(password)


def verify_password(stored_hash: str | None, password: str) -> tuple[bool, str | None]:
    """Check a password; returns (ok, new_hash) where new_hash is set when the
    stored hash used other parameters (or another argon2 variant) and should be replaced."""
    hasher, dummy = _hasher()
    try:
        hasher.verify(stored_hash or dummy, password)
    except (VerificationError, InvalidHashError):
        return False, None
    if stored_hash is None:
        return False, None
    return True, (hasher.hash(password) if hasher.check_needs_rehash(stored_hash) else None)


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(
        line.strip().casefold() for line in BLOCKLIST.read_text(encoding="utf-8").splitlines() if line.strip()
    )


def password_problem(password: str, username: str, minimum: int) -> str | None:
    """Why this password may not be used, in the user's language; None if fine."""
    if len(password) < minimum:
        return _l("Please use at least %(n)d characters.", n=minimum)
    if len(password) > MAXIMUM:
        return _l("Please use at most %(n)d characters.", n=MAXIMUM)
    folded = password.casefold()
    if username and folded == username.casefold():
        return _l("Your password must not be your sign-in name.")
    if folded in _common_passwords():
        return _l("This password is too common and easy to guess. Please choose another one.")
    return None


class PasswordChangeRefused(Exception):
    """Why a password change was refused: {form field name: message in the user's language}."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


def change_password(session, principal, current: str, new: str, minimum: int) -> None:
    """A signed-in person (staff or family) sets a new password.

    The current password must be right and the new one must pass the policy;
    then the hash is replaced, every *other* session of the person ends (a
    phone left somewhere is signed out), and the change is audited.
    """
    from portal import audit, sessions

    problems: dict[str, str] = {}
    if not verify_password(principal.password_hash, current)[0]:
        problems["current_password"] = str(_l("This is not your current password."))
    problem = password_problem(new, principal.username or "", minimum)
    if problem:
        problems["new_password"] = str(problem)
    if problems:
        raise PasswordChangeRefused(problems)
    principal.password_hash = hash_password(new)
    sessions.end_other_sessions(session, principal)
    audit.record(session, audit.Action.password_changed, obj=principal, actor=principal)
