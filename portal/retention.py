"""Closing a case and deleting it when its retention period is over (§ 84 SGB X).

`close_case` takes effect at once: every account of the family is deactivated
and its sessions end, and the case gets its deletion date. `purge_expired`
(run by `flask purge-expired`, e.g. nightly from cron, which also clears
sign-in sessions past their lifetime) deletes each due case
with everything that hangs off it and leaves a `DeletionRecord` saying which
reference was deleted when, without content. Audit events stay: they hold ids
and actions, no content.

Deletion relies on the schema's ON DELETE CASCADE for everything with a foreign
key to the case; what refers to case objects without a foreign key (content
translations by object type and id, sign-in sessions by principal) is deleted
here explicitly.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from portal import audit, sessions
from portal.db import utcnow
from portal.models import (
    Appointment,
    Case,
    Contact,
    ContentTranslation,
    DeletionRecord,
    Invitation,
    LoginSession,
    Member,
    Phase,
    PhaseChange,
    Plan,
    PlanItem,
    StaffUser,
)


def close_case(session: Session, case: Case, staff: StaffUser) -> None:
    """Close the case: the family's accounts stop working on their next request."""
    now = utcnow()
    case.phase = Phase.closed
    case.closed_at = now
    case.delete_after = now + current_app.config["RETENTION_PERIOD"]
    session.add(PhaseChange(case_id=case.id, phase=Phase.closed, changed_by=staff, changed_at=now))
    member_ids = [member.id for member in case.members]
    for member in case.members:
        member.active = False
        sessions.end_all(session, member.principal_id)
    if member_ids:
        session.execute(
            sa.update(Invitation)
            .where(Invitation.member_id.in_(member_ids), Invitation.used_at.is_(None),
                   Invitation.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )
    audit.record(session, audit.Action.case_close, case_id=case.id, actor=staff)
    session.flush()


def purge_expired(session: Session, now: datetime) -> list[DeletionRecord]:
    """Delete every closed case whose deletion date has come; one record per case."""
    session.flush()
    due = session.scalars(
        sa.select(Case).where(Case.phase == Phase.closed, Case.delete_after.is_not(None), Case.delete_after <= now)
        .order_by(Case.id)
    ).all()
    records = []
    for case in due:
        record = DeletionRecord(case_id=case.id, reference=case.reference, closed_at=case.closed_at, deleted_at=now)
        _delete_case(session, case.id)
        session.add(record)
        records.append(record)
    session.flush()
    session.expire_all()
    return records


def purge_expired_sessions(session: Session, now: datetime) -> int:
    """Delete sign-in sessions past their absolute lifetime.

    They stopped working at that moment already (`portal.sessions.current`);
    reading a page never deletes anything, so the rows are cleared here.
    """
    config = current_app.config
    staff_cutoff = now - config["STAFF_ABSOLUTE_TIMEOUT"]
    family_cutoff = now - config["FAMILY_ABSOLUTE_TIMEOUT"]
    result = session.execute(
        sa.delete(LoginSession)
        .where(sa.or_(
            sa.and_(LoginSession.principal.startswith("staff:"), LoginSession.created_at < staff_cutoff),
            sa.and_(LoginSession.principal.startswith("member:"), LoginSession.created_at < family_cutoff),
        ))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def _delete_case(session: Session, case_id: int) -> None:
    principals = sa.select(sa.literal("member:") + sa.cast(Member.id, sa.String)).where(Member.case_id == case_id)
    item_ids = sa.select(PlanItem.id).join(Plan, Plan.id == PlanItem.plan_id).where(Plan.case_id == case_id)
    translated = {
        "plan_item": item_ids,
        "appointment": sa.select(Appointment.id).where(Appointment.case_id == case_id),
        "contact": sa.select(Contact.id).where(Contact.case_id == case_id),
    }
    for object_type, ids in translated.items():
        session.execute(
            sa.delete(ContentTranslation)
            .where(ContentTranslation.object_type == object_type, ContentTranslation.object_id.in_(ids))
            .execution_options(synchronize_session=False)
        )
    session.execute(
        sa.delete(LoginSession).where(LoginSession.principal.in_(principals))
        .execution_options(synchronize_session=False)
    )
    # Members, plan, versions, appointments, contacts, questions, alerts and the
    # rows below them go with the case by ON DELETE CASCADE.
    session.execute(sa.delete(Case).where(Case.id == case_id).execution_options(synchronize_session=False))
