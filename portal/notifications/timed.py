"""Events that come from the clock: appointment reminders, check-in reminders and the escalation of an
unacknowledged alert.

The worker asks every few minutes; each event is written once, whichever worker
finds it first (`Notification.dedupe_key` is unique: a second insert is
refused by the database and skipped). A reminder that was missed by more than
`LATE` (the worker was down) is not sent any more: "tomorrow" would be wrong.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session, sessionmaker

from portal.models import (
    Appointment,
    AppointmentStatus,
    Case,
    Notification,
    NotificationKind,
    Phase,
    SafetyAlert,
)
from portal.notifications import recipients, schedule

LATE = timedelta(hours=3)


def _insert_once(make_session: sessionmaker, rows: list[dict]) -> int:
    """Insert notifications whose dedupe key is not taken yet; the number written."""
    written = 0
    for row in rows:
        with make_session() as session:
            session.add(Notification(**row))
            try:
                session.commit()
                written += 1
            except sa.exc.IntegrityError:  # another worker wrote it first
                session.rollback()
    return written


def _new_keys(session: Session, rows: list[dict]) -> list[dict]:
    keys = [row["dedupe_key"] for row in rows]
    taken = set(session.scalars(sa.select(Notification.dedupe_key).where(Notification.dedupe_key.in_(keys)))) if keys else set()
    return [row for row in rows if row["dedupe_key"] not in taken]


def due_reminders(make_session: sessionmaker, now: datetime) -> int:
    """Reminders whose time has come: the day before (`REMINDER_DAY_BEFORE_AT`) and the morning of it."""
    rows = []
    with make_session() as session:
        appointments = session.scalars(
            sa.select(Appointment).join(Case, Case.id == Appointment.case_id)
            .where(Appointment.starts_at > now, Appointment.starts_at <= now + timedelta(days=2),
                   Appointment.status != AppointmentStatus.cancelled, Case.phase != Phase.closed)
        ).all()
        for appointment in appointments:
            for kind, at in schedule.reminder_times(appointment.starts_at).items():
                if not (at <= now < at + LATE) or at >= appointment.starts_at:
                    continue
                stamp = appointment.starts_at.strftime("%Y%m%d%H%M")
                for member in recipients.members_for_appointment(session, appointment):
                    rows.append({"member_id": member.id, "case_id": appointment.case_id, "kind": NotificationKind(kind),
                                 "object_id": appointment.id, "created_at": at,
                                 "dedupe_key": f"{kind}:{appointment.id}:{stamp}:{member.id}"})
        rows = _new_keys(session, rows)
    return _insert_once(make_session, rows)


def due_checkins(make_session: sessionmaker, now: datetime) -> int:
    """A neutral reminder once per period to each member asked whose check-in is still unanswered,
    from the period's first day at `CHECKIN_REMINDER_AT` (office time; quiet hours hold it back)."""
    from portal import checkins

    if not (current_app.config.get("CHECKIN_REMINDER_AT") or "").strip():  # empty: no check-in reminders
        return 0
    with make_session() as session:
        rows = [{"member_id": due.member_id, "case_id": due.case_id, "kind": NotificationKind.checkin_due,
                 "object_id": due.member_id, "created_at": max(due.remind_at, now - LATE),
                 "dedupe_key": f"checkin_due:{due.member_id}:{due.period_on.isoformat()}"}
                for due in checkins.due_reminders(session, now)]
        rows = _new_keys(session, rows)
    return _insert_once(make_session, rows)


def due_escalations(make_session: sessionmaker, now: datetime) -> int:
    """An alert nobody acknowledged within `ALERT_ESCALATION_MINUTES` goes to the team's leads."""
    limit = now - timedelta(minutes=current_app.config["ALERT_ESCALATION_MINUTES"])
    rows = []
    with make_session() as session:
        alerts = session.scalars(
            sa.select(SafetyAlert).join(Case, Case.id == SafetyAlert.case_id)
            .where(SafetyAlert.acknowledged_at.is_(None), SafetyAlert.raised_at <= limit,
                   SafetyAlert.raised_at > now - timedelta(days=2), Case.phase != Phase.closed)
        ).all()
        for alert in alerts:
            case = alert.member.case
            for lead in recipients.leads(session, case):
                rows.append({"staff_id": lead.id, "case_id": case.id, "kind": NotificationKind.alert_escalation,
                             "object_id": alert.id, "created_at": now,
                             "dedupe_key": f"alert_escalation:{alert.id}:{lead.id}"})
        rows = _new_keys(session, rows)
    return _insert_once(make_session, rows)
