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
from portal.labels import ACTION_LABELS, ACTOR_LABELS, OUTCOME_LABELS
from portal.models import AuditEvent, Case, Role
from portal.staff import bp

PAGE_SIZE = 50


@bp.route("/audit")
@staff_required(Role.lead)
def audit_log():
    reference = request.args.get("case", "").strip()[:40]
    page = max(request.args.get("page", 1, type=int) or 1, 1)
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
