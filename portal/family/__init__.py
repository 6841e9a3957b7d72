"""The family's pages: home, plan, path home, appointments, contacts, account."""
from flask import Blueprint

bp = Blueprint("family", __name__)

from portal.family import help, routes, wording  # noqa: E402,F401
