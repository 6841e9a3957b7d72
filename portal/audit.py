"""Writing the audit log (who did what to which case; never content).

`record` adds an event to the request's session, so it commits with the work
it describes; `record_now` writes at once in its own transaction, for events
that must survive a refused request (sign-in failures, denials).
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.orm import Session

from portal.db import db
from portal.models import AuditEvent, StaffUser


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
    event = AuditEvent(
        action=action,
        case_id=case_id,
        object_type=getattr(obj, "__tablename__", None),
        object_id=getattr(obj, "id", None),
        outcome=outcome,
        **_actor_fields(actor if actor is not None else current_user),
    )
    session.add(event)
    return event


def record_now(action: str, **kwargs) -> None:
    """Record in a separate transaction, independent of the request's outcome."""
    database = db.session.get_bind()
    with Session(database) as own:
        record(own, action, **kwargs)
        own.commit()


@sa.event.listens_for(AuditEvent, "before_update")
@sa.event.listens_for(AuditEvent, "before_delete")
def _append_only(_mapper, _connection, _target) -> None:
    raise RuntimeError("the audit log is append-only")
