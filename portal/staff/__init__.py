"""The caseworker's workspace: caseload, case, members, plan editor, publishing,
appointments, contacts, inbox, and the administrator's pages."""
from flask import Blueprint

bp = Blueprint("staff", __name__)

from portal.staff import (  # noqa: E402,F401
    admin,
    appointments,
    contacts,
    inbox,
    plan_editor,
    routes,
    versions,
)
