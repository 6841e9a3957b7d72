"""Password hashing (argon2id) and the password policy (NIST SP 800-63B).

Policy: a minimum length (8 for families, 12 for staff), any characters, long
passphrases welcome (up to 256 characters), no composition rules, not the
sign-in name, and not on the bundled list of common passwords.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

FAMILY_MINIMUM = 8
STAFF_MINIMUM = 12
MAXIMUM = 256
BLOCKLIST = Path(__file__).parent / "data" / "common-passwords.txt"

_hasher = PasswordHasher()  # argon2id with the library's current RFC 9106 defaults
# Verifying against this keeps the time of "unknown user" equal to "wrong password".
_DUMMY_HASH = _hasher.hash("not a real password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> tuple[bool, str | None]:
    """Check a password; returns (ok, new_hash) where new_hash is set when the
    stored hash used older parameters and should be replaced."""
    try:
        _hasher.verify(stored_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False, None
    if stored_hash is None:
        return False, None
    return True, (_hasher.hash(password) if _hasher.check_needs_rehash(stored_hash) else None)


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
