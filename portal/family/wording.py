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

# Readable headings for the fields of the self-export's HTML version (the JSON keeps the keys).
EXPORT_FIELD_LABELS = {
    "name": _l("Name"), "kind": _l("Kind"), "sign_in_name": _l("Sign-in name"), "birth_year": _l("Year of birth"),
    "language": _l("Language"), "easy_read": _l("Easy-read"), "calendar_address_active": _l("Calendar address active"),
    "calendar_details": _l("Place and kind of appointment in my calendar"),
    "last_seen_plan_version": _l("Plan version last seen"), "account_created_at": _l("Account created"),
    "text": _l("Text"), "simple_text": _l("Simple text"), "owner": _l("Who does it"), "due_on": _l("Due by"),
    "status": _l("Status"), "version": _l("Plan version"), "agrees": _l("Agrees"), "comment": _l("Comment"),
    "answered_at": _l("Answered"), "type": _l("Type"), "starts_at": _l("Starts"), "ends_at": _l("Ends"),
    "place": _l("Place"), "bring": _l("Please bring"), "note": _l("Note"), "my_answer": _l("My answer"),
    "coming": _l("Coming"), "reason": _l("Reason"), "role": _l("Role"), "phone": _l("Phone"), "email": _l("E-mail"),
    "opening_hours": _l("Opening hours"), "asked_by_me": _l("Asked by me"), "asked_at": _l("Asked"),
    "reply": _l("Reply"), "replied_at": _l("Replied"), "raised_at": _l("Sent"), "at": _l("When"),
    "week_of": _l("Week of"), "face": _l("Face (1 to 5)"), "home": _l("At home (1 to 10)"),
    "together": _l("Getting on with each other (1 to 10)"), "help": _l("The help we need (1 to 10)"),
    "sentence": _l("Sentence"), "topic": _l("Wants to talk about"), "replaced_at": _l("Replaced by a later answer"),
}


@bp.app_template_filter("export_label")
def export_label(key: str) -> str:
    return str(EXPORT_FIELD_LABELS.get(key, key))


@bp.app_context_processor
def _family_wording() -> dict:
    return {
        "appointment_type_labels": APPOINTMENT_TYPE_LABELS,
        "contact_group_labels": CONTACT_GROUP_LABELS,
        "child_contact_group_labels": CHILD_CONTACT_GROUP_LABELS,
        "audit_role_labels": AUDIT_ROLE_LABELS,
    }
