"""The caseworker's workspace: caseload, case, members, plan editor, publishing; the lead's audit view."""
from flask import Blueprint

bp = Blueprint("staff", __name__)

from portal.staff import audit_log, routes  # noqa: E402,F401
