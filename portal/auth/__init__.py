"""Sign-in, sign-out, invitation redemption and the language switcher."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from portal.auth import routes  # noqa: E402,F401
