"""The caseworker's workspace: caseload, case, members, plan editor, publishing,
appointments, contacts, inbox, the lead's audit view, the evaluation (leads and the department
head), and the administrator's pages."""
from flask import Blueprint

bp = Blueprint("staff", __name__)

from portal.staff import (  # noqa: E402,F401
    admin,
    appointments,
    audit_log,
    care,
    checkins,
    contacts,
    evaluation,
    inbox,
    plan_editor,
    routes,
    translations,
    versions,
)
