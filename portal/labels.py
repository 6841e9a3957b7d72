"""Plain-words labels for the domain's vocabularies, in the reader's language."""
from __future__ import annotations

from flask import g
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from portal.audit import Action
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

# What the audit log's actions mean: one label for every action of `portal.audit.Action`
# (the lead's audit page and the case's recent activity; tests/test_audit_vocabulary.py).
ACTION_LABELS = {
    Action.case_read: _l("opened the case"),
    Action.case_denied: _l("was refused access to the case"),
    Action.caseload_read: _l("opened the caseload"),
    Action.inbox_read: _l("opened the inbox across cases"),
    Action.plan_preview: _l("previewed the plan as a family member"),
    Action.translation_export: _l("exported texts for the interpreters"),
    Action.case_create: _l("created the case"),
    Action.case_phase: _l("changed the phase"),
    Action.case_assign: _l("changed who carries the case"),
    Action.case_handover: _l("handed the case over to another caseworker"),
    Action.case_close: _l("closed the case"),
    Action.member_create: _l("added a family member"),
    Action.member_update: _l("changed a family member"),
    Action.member_deactivate: _l("deactivated a family member"),
    Action.invitation_create: _l("created an invitation letter"),
    Action.plan_item_create: _l("added a plan item"),
    Action.plan_item_update: _l("changed a plan item"),
    Action.plan_item_move: _l("changed the order of the plan"),
    Action.plan_item_remove: _l("removed a plan item from the draft"),
    Action.plan_item_duplicate: _l("duplicated a plan item"),
    Action.consent_record: _l("recorded a consent"),
    Action.consent_withdraw: _l("recorded a withdrawn consent"),
    Action.translation_update: _l("changed a translation"),
    Action.translation_import: _l("imported checked translations"),
    Action.plan_publish: _l("published a plan version"),
    Action.appointment_create: _l("added an appointment"),
    Action.appointment_update: _l("changed an appointment"),
    Action.appointment_cancel: _l("cancelled an appointment"),
    Action.contact_create: _l("added a contact"),
    Action.contact_update: _l("changed a contact"),
    Action.contact_remove: _l("removed a contact"),
    Action.question_reply: _l("replied to a question"),
    Action.answer_handled: _l("marked an answer to an appointment as handled"),
    Action.response_handled: _l("marked an answer to the plan as handled"),
    Action.alert_acknowledge: _l("acknowledged an alert"),
    Action.checkin_schedule: _l("set how often check-ins are asked"),
    Action.checkin_on: _l("switched check-ins on for a family member"),
    Action.checkin_off: _l("switched check-ins off for a family member"),
    Action.checkin_warning_seen: _l("marked a check-in warning as seen"),
    Action.staff_create: _l("created a staff account"),
    Action.staff_update: _l("changed a staff account"),
    Action.staff_deactivate: _l("deactivated a staff account"),
    Action.two_factor_enrolled: _l("set up the second sign-in step"),
    Action.two_factor_reset: _l("reset the second sign-in step"),
    Action.signin: _l("signed in"),
    Action.signin_failure: _l("failed to sign in"),
    Action.signin_second_factor_failure: _l("entered a wrong second-step code"),
    Action.password_changed: _l("changed their password"),
    Action.invitation_redeemed: _l("set up their account with the invitation"),
    Action.invitation_failure: _l("entered an invalid invitation code"),
    Action.care_update: _l("changed a child's care facts"),
    Action.evaluation_read: _l("opened the evaluation"),
    Action.evaluation_export: _l("exported the evaluation"),
}
OUTCOME_LABELS = {"ok": _l("done"), "denied": _l("refused")}
# Who acted, by the role stored with the event (staff roles and family members' kinds).
ACTOR_LABELS = {
    "caseworker": _l("Caseworker"),
    "lead": _l("Team lead"),
    "admin": _l("Administrator"),
    "parent": _l("Parent"),
    "youth": _l("Youth"),
    "child": _l("Child"),
}

# What a child wants to tell the caseworker about in a check-in (portal.checkins.TOPICS), as staff read it.
CHECKIN_TOPIC_LABELS = {"school": _l("School"), "friends": _l("Friends"), "family": _l("Family"),
                        "feelings": _l("Feelings"), "other": _l("Something else")}

# The inbox: kinds of what the family sent, and its filters.
INBOX_KIND_LABELS = {
    "alert": _l("“I don't feel safe”"),
    "question": _l("Question"),
    "answer": _l("Answer to an appointment"),
    "response": _l("Answer to the plan"),
}
INBOX_STATUS_LABELS = {"open": _l("Waiting"), "handled": _l("Handled"), "all": _l("All")}
CARRIED_LABELS = {"all": _l("All my cases"), "mine": _l("Cases I carry"), "deputy": _l("Cases I deputise")}

# How the caseload can be sorted.
SORT_LABELS = {
    "attention": _l("Needs attention first"),
    "appointment": _l("Next appointment"),
    "activity": _l("Last activity of the family"),
    "phase": _l("Phase"),
    "name": _l("Name"),
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


def changed_fields(fields: tuple[str, ...]) -> str:
    """"changed: text, due date" for an item's changed fields (staff pages' lists of changes).
    Said once per request for each combination: a large plan's changes repeat a few of them."""
    said = g.setdefault("_changed_fields", {})
    if fields not in said:
        said[fields] = gettext("changed: %(fields)s", fields=", ".join(field_label(name) for name in fields))
    return said[fields]


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
        "inbox_kind_labels": INBOX_KIND_LABELS,
        "inbox_status_labels": INBOX_STATUS_LABELS,
        "carried_labels": CARRIED_LABELS,
        "sort_labels": SORT_LABELS,
        "checkin_topic_labels": CHECKIN_TOPIC_LABELS,
    }


def action_label(action: str) -> str:
    """An action in words; one recorded before the vocabulary knew it shows as its code."""
    return str(ACTION_LABELS.get(action, action))
