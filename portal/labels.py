"""Plain-words labels for the domain's vocabularies, in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.models import (
    AppointmentStatus,
    AppointmentType,
    Audience,
    ContactType,
    ItemKind,
    ItemStatus,
    MemberKind,
    Owner,
    Phase,
    Placement,
    ReentryReason,
    Role,
)

AUDIENCE_LABELS = {
    Audience.family: _l("Whole family"),
    Audience.adults: _l("Parents only"),
    Audience.people: _l("Only the people chosen below"),
    Audience.staff: _l("Office only — not shown to the family"),
}
KIND_LABELS = {ItemKind.goal: _l("Goal"), ItemKind.step: _l("Step"), ItemKind.milestone: _l("Milestone")}
MEMBER_KIND_LABELS = {MemberKind.parent: _l("Parent"), MemberKind.youth: _l("Youth (12–17)"), MemberKind.child: _l("Child (under 12)")}
STATUS_LABELS = {ItemStatus.open: _l("Open"), ItemStatus.in_progress: _l("In progress"), ItemStatus.done: _l("Done")}
OWNER_LABELS = {
    Owner.family: _l("The family"),
    Owner.parents: _l("The parents"),
    Owner.child: _l("The child"),
    Owner.caseworker: _l("The caseworker"),
    Owner.provider: _l("The service provider"),
    Owner.network: _l("The family's network"),
}

PHASE_LABELS = {
    Phase.clarification: _l("Getting to know each other"),
    Phase.planning: _l("Planning together"),
    Phase.preparation: _l("Getting ready for the return"),
    Phase.return_: _l("Return home"),
    Phase.aftercare: _l("Support after the return"),
    Phase.closed: _l("Closed"),
}

APPOINTMENT_TYPE_LABELS = {
    AppointmentType.plan_conference: _l("Case plan conference"),
    AppointmentType.visit: _l("Visit"),
    AppointmentType.overnight: _l("Overnight stay at home"),
    AppointmentType.court: _l("Family court"),
    AppointmentType.therapy: _l("Therapy"),
    AppointmentType.school: _l("School"),
    AppointmentType.other: _l("Other appointment"),
}
APPOINTMENT_STATUS_LABELS = {
    AppointmentStatus.scheduled: _l("Planned"),
    AppointmentStatus.moved: _l("Moved"),
    AppointmentStatus.cancelled: _l("Cancelled"),
}
CONTACT_TYPE_LABELS = {
    ContactType.caseworker: _l("Caseworker"),
    ContactType.deputy: _l("Deputy caseworker"),
    ContactType.provider: _l("Service provider"),
    ContactType.network: _l("Family's network"),
    ContactType.service: _l("Counselling and services"),
    ContactType.emergency: _l("Help in an emergency"),
}
ROLE_LABELS = {Role.caseworker: _l("Caseworker"), Role.lead: _l("Team lead"), Role.admin: _l("Administrator"),
               Role.head: _l("Head of department")}
PLACEMENT_LABELS = {
    Placement.residential: _l("Residential care (§ 34)"),
    Placement.foster: _l("Foster care (§ 33)"),
    Placement.custody: _l("Taken into care (§ 42)"),
    Placement.other: _l("Other placement"),
}
REENTRY_REASON_LABELS = {
    ReentryReason.safety: _l("The child's safety was at risk"),
    ReentryReason.family_crisis: _l("A crisis of the parents"),
    ReentryReason.child_needs: _l("The child's needs could not be met at home"),
    ReentryReason.family_request: _l("The family asked for it"),
    ReentryReason.other: _l("Other reason"),
}

# What the audit log's actions mean, for the case page's "recent activity".
# Every action any `audit.record` writes, in words (tests/staff/test_audit_labels.py checks it).
ACTION_LABELS = {
    "case.read": _l("opened the case"),
    "case.create": _l("created the case"),
    "case.assign": _l("changed who carries the case"),
    "case.phase": _l("changed the phase of the case"),
    "case.close": _l("closed the case"),
    "case.denied": _l("was refused a case outside their scope"),
    "member.create": _l("added a family member"),
    "member.update": _l("changed a family member"),
    "member.deactivate": _l("deactivated a family member's account"),
    "invitation.create": _l("printed an invitation letter"),
    "invitation.redeemed": _l("set up their account"),
    "invitation.failure": _l("entered an invalid invitation code"),
    "plan_item.create": _l("added a plan item"),
    "plan_item.update": _l("changed a plan item"),
    "plan_item.move": _l("moved a plan item"),
    "consent.record": _l("recorded a consent"),
    "consent.withdraw": _l("withdrew a consent"),
    "translation.update": _l("changed a translation"),
    "plan.preview": _l("previewed the family's pages"),
    "plan.publish": _l("published the plan"),
    "appointment.create": _l("added an appointment"),
    "appointment.update": _l("changed an appointment"),
    "appointment.cancel": _l("cancelled an appointment"),
    "contact.create": _l("added a contact"),
    "contact.update": _l("changed a contact"),
    "question.reply": _l("answered a question"),
    "alert.acknowledge": _l("took care of an “I don't feel safe” alert"),
    "signin": _l("signed in"),
    "signin.failure": _l("failed to sign in"),
    "signin.second_factor.failure": _l("entered a wrong second-factor code"),
    "password.changed": _l("changed their password"),
    "two_factor.enrolled": _l("set up their second factor"),
    "two_factor.reset": _l("reset someone's second factor"),
    "staff.create": _l("created a staff account"),
    "staff.update": _l("changed a staff account"),
    "staff.deactivate": _l("deactivated a staff account"),
    "care.update": _l("changed a child's care facts"),
    "evaluation.read": _l("opened the evaluation"),
    "evaluation.export": _l("exported the evaluation"),
}

FIELD_LABELS = {
    "kind": _l("kind"),
    "parent_item_id": _l("goal"),
    "text": _l("text"),
    "simple_text": _l("simple text"),
    "pictogram": _l("picture"),
    "owner": _l("who does it"),
    "due_on": _l("due date"),
    "status": _l("status"),
    "position": _l("order"),
    "audience": _l("who sees it"),
    "people": _l("chosen people"),
    "entrusted_by_id": _l("entrusted by"),
    "consent_recipients": _l("consent"),
    "translations": _l("translations"),
}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def template_labels() -> dict:
    return {
        "audience_labels": AUDIENCE_LABELS,
        "kind_labels": KIND_LABELS,
        "member_kind_labels": MEMBER_KIND_LABELS,
        "status_labels": STATUS_LABELS,
        "owner_labels": OWNER_LABELS,
        "phase_labels": PHASE_LABELS,
        "appointment_type_labels": APPOINTMENT_TYPE_LABELS,
        "appointment_status_labels": APPOINTMENT_STATUS_LABELS,
        "contact_type_labels": CONTACT_TYPE_LABELS,
        "role_labels": ROLE_LABELS,
        "placement_labels": PLACEMENT_LABELS,
        "reentry_reason_labels": REENTRY_REASON_LABELS,
    }


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
