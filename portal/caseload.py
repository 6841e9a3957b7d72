"""What a caseworker's caseload page shows per case, and the alerts above it.

Cases come only from `portal.sharing.cases_for`; everything else is read for
those cases, in batches (see `caseload`).
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

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
    VersionResponse,
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
    """One row per case, read in a fixed number of queries per page (not per case):
    a caseworker carries 30–40 cases, and this is the page they open first."""
    query = sa.select(Case).where(sharing.cases_for(staff)).order_by(Case.title)
    if phase is not None:
        query = query.where(Case.phase == phase)
    cases = list(session.scalars(query))
    ids = [case.id for case in cases]
    if not ids:
        return []
    now = utcnow()
    upcoming = list(session.scalars(
        sa.select(Appointment)
        .where(Appointment.case_id.in_(ids), Appointment.starts_at >= now,
               Appointment.status != AppointmentStatus.cancelled)
        .order_by(Appointment.starts_at)
    ))
    next_appointment: dict[int, Appointment] = {}
    for appointment in upcoming:
        next_appointment.setdefault(appointment.case_id, appointment)
    answers = {
        case_id: (total, cannot)
        for case_id, total, cannot in session.execute(
            sa.select(Appointment.case_id, sa.func.count(), sa.func.count().filter(AppointmentAnswer.coming.is_(False)))
            .join(Appointment, Appointment.id == AppointmentAnswer.appointment_id)
            .where(AppointmentAnswer.appointment_id.in_([a.id for a in upcoming]))
            .group_by(Appointment.case_id)
        )
    }
    open_questions = dict(session.execute(
        sa.select(Question.case_id, sa.func.count())
        .where(Question.case_id.in_(ids), Question.reply.is_(None))
        .group_by(Question.case_id)
    ).all())
    plans = {
        plan.case_id: plan
        for plan in session.scalars(
            sa.select(Plan).where(Plan.case_id.in_(ids)).options(selectinload(Plan.items))
        )
    }
    latest_number = (
        sa.select(PlanVersion.plan_id, sa.func.max(PlanVersion.number).label("number"))
        .group_by(PlanVersion.plan_id).subquery()
    )
    latest = {
        version.plan_id: version
        for version in session.scalars(
            sa.select(PlanVersion)
            .join(latest_number, sa.and_(PlanVersion.plan_id == latest_number.c.plan_id,
                                         PlanVersion.number == latest_number.c.number))
            .where(PlanVersion.plan_id.in_([plan.id for plan in plans.values()]))
            .options(selectinload(PlanVersion.items),
                     selectinload(PlanVersion.responses).selectinload(VersionResponse.member))
        )
    }
    rows = []
    for case in cases:
        plan = plans.get(case.id)
        version = latest.get(plan.id) if plan else None
        diff = (publishing.compare(publishing.version_snapshot(version), publishing.draft_snapshot(plan))
                if plan else None)
        total, cannot = answers.get(case.id, (0, 0))
        rows.append(
            CaseRow(
                case=case,
                next_appointment=next_appointment.get(case.id),
                open_questions=open_questions.get(case.id, 0),
                answers=total,
                cannot_come=cannot,
                unpublished=len(diff.added) + len(diff.removed) + len(diff.changed) if diff else 0,
                latest=version,
            )
        )
    return rows
