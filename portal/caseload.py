"""What a caseworker's caseload page shows per case, and the alerts above it.

Cases come only from `portal.sharing.cases_for`; everything else is read for
those cases. The counts are a few small queries per case: a caseworker carries
30–40 cases, so this stays cheap without a reporting layer.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import publishing, sharing
from portal.db import utcnow
from portal.models import (
    Appointment,
    AppointmentAnswer,
    AppointmentStatus,
    Case,
    Phase,
    Plan,
    PlanVersion,
    Question,
    SafetyAlert,
    StaffUser,
)


@dataclass
class CaseRow:
    case: Case
    next_appointment: Appointment | None
    open_questions: int
    cannot_come: int  # answers "I cannot come" to upcoming appointments
    answers: int  # all answers to upcoming appointments
    unpublished: int  # items added, removed or changed in the draft
    latest: PlanVersion | None


def open_alerts(session: Session, staff: StaffUser) -> list[SafetyAlert]:
    """Unacknowledged "I don't feel safe" alerts in the staff member's cases, oldest first."""
    return list(
        session.scalars(
            sa.select(SafetyAlert)
            .join(Case, Case.id == SafetyAlert.case_id)
            .where(sharing.cases_for(staff), SafetyAlert.acknowledged_at.is_(None))
            .order_by(SafetyAlert.raised_at)
        )
    )


def caseload(session: Session, staff: StaffUser, phase: Phase | None = None) -> list[CaseRow]:
    query = sa.select(Case).where(sharing.cases_for(staff)).order_by(Case.title)
    if phase is not None:
        query = query.where(Case.phase == phase)
    now = utcnow()
    rows = []
    for case in session.scalars(query):
        upcoming = (
            sa.select(Appointment.id)
            .where(Appointment.case_id == case.id, Appointment.starts_at >= now,
                   Appointment.status != AppointmentStatus.cancelled)
        )
        answers = session.execute(
            sa.select(sa.func.count(), sa.func.count().filter(AppointmentAnswer.coming.is_(False)))
            .where(AppointmentAnswer.appointment_id.in_(upcoming))
        ).one()
        plan = session.scalar(sa.select(Plan).where(Plan.case_id == case.id))
        diff = publishing.unpublished_changes(session, plan) if plan else None
        rows.append(
            CaseRow(
                case=case,
                next_appointment=session.scalar(
                    sa.select(Appointment).where(Appointment.id.in_(upcoming)).order_by(Appointment.starts_at).limit(1)
                ),
                open_questions=session.scalar(
                    sa.select(sa.func.count()).where(Question.case_id == case.id, Question.reply.is_(None))
                ),
                answers=answers[0],
                cannot_come=answers[1],
                unpublished=len(diff.added) + len(diff.removed) + len(diff.changed) if diff else 0,
                latest=publishing.latest_version(session, plan) if plan else None,
            )
        )
    return rows
