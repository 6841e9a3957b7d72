"""The lead's audit view: who did what in the team's cases, newest first.

What a lead may read is decided by `sharing.audit_events_for`; this module only
filters by file reference and pages. Events hold no content, so neither does
this page.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal import sharing
from portal.access import staff_required
from portal.db import db
from portal.forms import without_control_characters
from portal.models import AuditEvent, Case, Role
from portal.staff import bp

PAGE_SIZE = 50
# The offset stays a 32-bit number on every database; far beyond any office's log,
# and a page past the end simply shows no events.
LAST_PAGE = (2**31 - 1) // PAGE_SIZE

# Every action any `audit.record` writes (tests/staff/test_audit_labels.py checks it).
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
}
OUTCOME_LABELS = {"ok": _l("done"), "denied": _l("refused")}
ACTOR_LABELS = {
    "caseworker": _l("Caseworker"),
    "lead": _l("Team lead"),
    "admin": _l("Administrator"),
    "parent": _l("Parent"),
    "youth": _l("Youth"),
    "child": _l("Child"),
}


@bp.route("/audit")
@staff_required(Role.lead)
def audit_log():
    reference = without_control_characters(request.args.get("case", "")).strip()[:40]
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), LAST_PAGE)
    query = (
        sa.select(AuditEvent, Case.reference)
        .outerjoin(Case, Case.id == AuditEvent.case_id)
        .where(sharing.audit_events_for(current_user))
    )
    if reference:
        query = query.where(Case.reference == reference)
    rows = db.session.execute(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
    ).all()
    return render_template(
        "staff/audit_log.html",
        rows=rows[:PAGE_SIZE],
        reference=reference,
        page=page,
        has_next=len(rows) > PAGE_SIZE,
        action_labels=ACTION_LABELS,
        outcome_labels=OUTCOME_LABELS,
        actor_labels=ACTOR_LABELS,
    )
