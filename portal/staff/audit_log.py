"""The lead's audit view: who did what in the team's cases, newest first.

What a lead may read is decided by `sharing.audit_events_for`; this module only
filters by file reference and pages. Events hold no content, so neither does
this page.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, request
from flask_login import current_user

from portal import sharing
from portal.access import staff_required
from portal.db import db
from portal.forms import without_control_characters
from portal.labels import ACTOR_LABELS, OUTCOME_LABELS
from portal.models import AuditEvent, Case, Role
from portal.staff import bp

PAGE_SIZE = 50
# The offset stays a 32-bit number on every database; far beyond any office's log,
# and a page past the end simply shows no events.
LAST_PAGE = (2**31 - 1) // PAGE_SIZE


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
        outcome_labels=OUTCOME_LABELS,
        actor_labels=ACTOR_LABELS,
    )
