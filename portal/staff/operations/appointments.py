"""Appointments: live objects; a shared one shows at once, a moved or cancelled one is marked."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from portal import audit, concurrency
from portal.db import utcnow
from portal.models import Appointment, AppointmentStatus, AppointmentType, Audience, Case, StaffUser
from portal.notifications import events as notify


@dataclass
class AppointmentFields:
    """Times in UTC (the form converts from the office's time zone)."""

    type: AppointmentType
    starts_at: datetime
    ends_at: datetime | None = None
    at_home: bool = False
    place: str | None = None
    bring: str | None = None
    note: str | None = None
    audience: Audience = Audience.staff
    people: Sequence[int] = ()


def _apply(case: Case, appointment: Appointment, fields: AppointmentFields) -> None:
    members = {m.id: m for m in case.members}
    moved = appointment.id is not None and fields.starts_at != appointment.starts_at
    if moved and appointment.status is not AppointmentStatus.cancelled:
        appointment.status = AppointmentStatus.moved
        appointment.changed_at = utcnow()
    appointment.type = fields.type
    appointment.starts_at = fields.starts_at
    appointment.ends_at = fields.ends_at
    appointment.at_home = fields.at_home
    appointment.place = None if fields.at_home else (fields.place or "").strip() or None
    appointment.bring = (fields.bring or "").strip() or None
    appointment.note = (fields.note or "").strip() or None
    appointment.audience = fields.audience
    appointment.people = ([members[i] for i in fields.people if i in members]
                          if appointment.audience is Audience.people else [])


def create_appointment(session: Session, case: Case, fields: AppointmentFields, by: StaffUser) -> Appointment:
    appointment = Appointment(case=case)
    _apply(case, appointment, fields)
    session.add(appointment)
    session.flush()
    audit.record(session, audit.Action.appointment_create, case_id=case.id, obj=appointment, actor=by)
    notify.appointment_saved(session, appointment, created=True)
    session.flush()
    return appointment


def update_appointment(session: Session, case: Case, appointment: Appointment, fields: AppointmentFields,
                       revision: str | None, by: StaffUser) -> None:
    """A new start time marks the appointment as moved for the family."""
    with concurrency.saving(session, (appointment, revision)):
        _apply(case, appointment, fields)
        changed = session.is_modified(appointment)
        audit.record(session, audit.Action.appointment_update, case_id=case.id, obj=appointment, actor=by)
    if changed:  # the family is told of a real change only, once the save went through
        notify.appointment_saved(session, appointment, created=False)


def cancel_appointment(session: Session, case: Case, appointment: Appointment, by: StaffUser) -> None:
    if appointment.status is not AppointmentStatus.cancelled:
        appointment.status = AppointmentStatus.cancelled
        appointment.changed_at = utcnow()
        audit.record(session, audit.Action.appointment_cancel, case_id=case.id, obj=appointment, actor=by)
        notify.appointment_cancelled(session, appointment)
    session.flush()
