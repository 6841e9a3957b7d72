"""Words the family's pages use for the domain's vocabularies, in the reader's language.

Registered app-wide (not only for this blueprint) because the caseworker's
"preview as" renders the family's templates from the staff side.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.family import bp
from portal.models import AppointmentType

APPOINTMENT_TYPE_LABELS = {
    AppointmentType.plan_conference: _l("Plan meeting (Hilfeplangespräch)"),
    AppointmentType.visit: _l("Visit"),
    AppointmentType.overnight: _l("Overnight stay at home"),
    AppointmentType.court: _l("Family court"),
    AppointmentType.therapy: _l("Therapy"),
    AppointmentType.school: _l("School"),
    AppointmentType.other: _l("Appointment"),
}

CONTACT_GROUP_LABELS = {
    "caseworker": _l("Your caseworker"),
    "network": _l("The people around you"),
    "services": _l("Services"),
    "emergency": _l("Help in a crisis"),
}

# For a child, in a child's words.
CHILD_CONTACT_GROUP_LABELS = {
    "caseworker": _l("Your person at the youth office"),
    "network": _l("People who help you"),
    "services": _l("Places that help"),
    "emergency": _l("Help, day and night"),
}

AUDIT_ROLE_LABELS = {
    "caseworker": _l("Caseworker"),
    "lead": _l("Team lead"),
    "admin": _l("Administrator"),
}


@bp.app_context_processor
def _family_wording() -> dict:
    return {
        "appointment_type_labels": APPOINTMENT_TYPE_LABELS,
        "contact_group_labels": CONTACT_GROUP_LABELS,
        "child_contact_group_labels": CHILD_CONTACT_GROUP_LABELS,
        "audit_role_labels": AUDIT_ROLE_LABELS,
    }
