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
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.orm import Session

from portal.db import db, utcnow
from portal.models import AuditEvent, Member, StaffUser

log = logging.getLogger("portal.audit")


def _actor_fields(actor) -> dict:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_role": None, "actor_name": None}
    if isinstance(actor, StaffUser):
        return {"actor": actor.principal_id, "actor_role": actor.role.value, "actor_name": actor.display_name}
    return {"actor": actor.principal_id, "actor_role": actor.kind.value, "actor_name": None}


def record(
    session: Session,
    action: str,
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
    action: str, *, case_id: int | None = None, obj=None, outcome: str = "ok", actor=None
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


def _event_fields(action: str, case_id: int | None, obj, outcome: str, actor) -> dict:
    if actor is None:
        actor = current_user._get_current_object() if current_user else None
    if case_id is None and isinstance(actor, Member):
        case_id = actor.case_id
    return {
        "action": action,
        "at": utcnow(),
        "case_id": case_id,
        "object_type": getattr(obj, "__tablename__", None),
        "object_id": getattr(obj, "id", None),
        "outcome": outcome,
        **_actor_fields(actor),
    }


@sa.event.listens_for(AuditEvent, "before_update")
@sa.event.listens_for(AuditEvent, "before_delete")
def _append_only(_mapper, _connection, _target) -> None:
    raise RuntimeError("the audit log is append-only")
