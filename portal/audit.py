"""Writing the audit log (who did what to which case; never content).

`record` adds an event to the request's session, so it commits with the work
it describes; `record_now` is for refusals (sign-in failures, denials): it ends
the refused request's transaction and commits the event alone, so the event
outlives the refusal and the refused request keeps nothing of its own.

Staff events carry the staff member's role and display name: the family's
"who opened our file" page and the lead's audit view show them as they were at
the time, even after the account changes. Family events carry the member's
case, so a lead sees them with the case.

Rows are append-only: an ORM guard below refuses updates and deletes, and on
PostgreSQL a trigger (migration `audit_append_only`) refuses them in the
database itself.

What can be recorded is one vocabulary, `Action`: `record` and `record_now`
refuse anything else, and `portal.labels.ACTION_LABELS` says each action in
words (the lead's audit page, the case's recent activity). A new action is a new
member here and a label there; `tests/test_audit_vocabulary.py` fails otherwise.
"""
from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.orm import Session

from portal.db import db, utcnow
from portal.models import AuditEvent, Member, StaffUser

log = logging.getLogger("portal.audit")


class Action(StrEnum):
    """Everything the audit log records, by who does it."""

    # staff reading
    case_read = "case.read"
    case_denied = "case.denied"
    caseload_read = "caseload.read"
    inbox_read = "inbox.read"
    plan_preview = "plan.preview"
    translation_export = "translation.export"
    # staff changing a case
    case_create = "case.create"
    case_phase = "case.phase"
    case_assign = "case.assign"
    case_handover = "case.handover"
    case_close = "case.close"
    member_create = "member.create"
    member_update = "member.update"
    member_deactivate = "member.deactivate"
    invitation_create = "invitation.create"
    plan_item_create = "plan_item.create"
    plan_item_update = "plan_item.update"
    plan_item_move = "plan_item.move"
    plan_item_remove = "plan_item.remove"
    plan_item_duplicate = "plan_item.duplicate"
    consent_record = "consent.record"
    consent_withdraw = "consent.withdraw"
    translation_update = "translation.update"
    translation_import = "translation.import"
    plan_publish = "plan.publish"
    appointment_create = "appointment.create"
    appointment_update = "appointment.update"
    appointment_cancel = "appointment.cancel"
    contact_create = "contact.create"
    contact_update = "contact.update"
    contact_remove = "contact.remove"
    question_reply = "question.reply"
    answer_handled = "answer.handled"
    response_handled = "response.handled"
    alert_acknowledge = "alert.acknowledge"
    checkin_schedule = "checkin.schedule"
    checkin_on = "checkin.on"
    checkin_off = "checkin.off"
    checkin_warning_seen = "checkin.warning_seen"
    # administration
    staff_create = "staff.create"
    staff_update = "staff.update"
    staff_deactivate = "staff.deactivate"
    two_factor_enrolled = "two_factor.enrolled"
    two_factor_reset = "two_factor.reset"
    # signing in, for staff and families
    signin = "signin"
    signin_failure = "signin.failure"
    signin_second_factor_failure = "signin.second_factor.failure"
    password_changed = "password.changed"
    invitation_redeemed = "invitation.redeemed"
    invitation_failure = "invitation.failure"
    # the programme's evaluation (aggregates; a child's care facts are case data)
    care_update = "care.update"
    evaluation_read = "evaluation.read"
    evaluation_export = "evaluation.export"


def _actor_fields(actor) -> dict:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_role": None, "actor_name": None}
    if isinstance(actor, StaffUser):
        return {"actor": actor.principal_id, "actor_role": actor.role.value, "actor_name": actor.display_name}
    return {"actor": actor.principal_id, "actor_role": actor.kind.value, "actor_name": None}


def record(
    session: Session,
    action: Action | str,
    *,
    case_id: int | None = None,
    obj=None,
    outcome: str = "ok",
    actor=None,
) -> AuditEvent:
    event = AuditEvent(**_event_fields(action, case_id, obj, outcome, actor))
    session.add(event)
    return event


def record_now(
    action: Action | str, *, case_id: int | None = None, obj=None, outcome: str = "ok", actor=None
) -> None:
    """Record a refusal (failed sign-in, denied case) so that it outlives the refused request.

    The request's transaction is rolled back first (a refused request keeps
    nothing of its own), then the event alone is committed on the request's own
    session and connection. Not on a second connection: that one would wait for
    the request's open transaction, which on an SQLite file is a lock until the
    busy timeout (a 503, and the event lost), and on any database a second
    connection per refused request. These events also go to the operations
    log: ids and outcome only, never a name or what was typed.
    """
    fields = _event_fields(action, case_id, obj, outcome, actor)  # before the rollback expires the actor
    session = db.session
    session.rollback()
    session.add(AuditEvent(**fields))
    session.commit()
    log.warning("audit %s outcome=%s actor=%s case=%s", action, outcome, fields["actor"] or "-",
                "-" if fields["case_id"] is None else fields["case_id"])


def _event_fields(action: Action | str, case_id: int | None, obj, outcome: str, actor) -> dict:
    action = Action(action)  # an action outside the vocabulary is a bug: ValueError
    if actor is None:
        actor = current_user._get_current_object() if current_user else None
    if case_id is None and isinstance(actor, Member):
        case_id = actor.case_id
    return {
        "action": action.value,
        "at": utcnow(),
        "case_id": case_id,
        "object_type": getattr(obj, "__tablename__", None),
        "object_id": getattr(obj, "id", None),
        "outcome": outcome,
        **_actor_fields(actor),
    }


def record_case_reads(session: Session, staff: StaffUser, case_ids: set[int], since: datetime) -> int:
    """`case.read` for each of `case_ids` this staff member has no read of since `since`.

    For pages that show content of many cases at once (the inbox across cases):
    the family's "who opened our file" still names the reader, once a day rather
    than once per page view. Returns how many events were written.
    """
    if not case_ids:
        return 0
    already = set(session.scalars(sa.select(AuditEvent.case_id).where(
        AuditEvent.actor == staff.principal_id, AuditEvent.action == Action.case_read.value,
        AuditEvent.at >= since, AuditEvent.case_id.in_(case_ids))))
    missing = sorted(case_ids - already)
    for case_id in missing:
        record(session, Action.case_read, case_id=case_id, actor=staff)
    return len(missing)


@sa.event.listens_for(AuditEvent, "before_update")
@sa.event.listens_for(AuditEvent, "before_delete")
def _append_only(_mapper, _connection, _target) -> None:
    raise RuntimeError("the audit log is append-only")
