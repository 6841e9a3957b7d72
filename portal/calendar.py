"""Appointments as iCalendar (RFC 5545): one `.ics` per appointment and a private feed per member.

The feed address carries a random secret (≥ 256 bits); only its SHA-256 hash is
stored on the member, so the address is shown once, when it is made, and can be
renewed or revoked from the account page. Which appointments a feed holds is
decided by `portal.sharing`, exactly as on the appointments page.

Titles are neutral (just "Appointment"): calendars are synced to other
services and read over shoulders, so nothing in a calendar entry says what kind
of appointment it is or that it comes from the youth welfare portal; the place is kept because the member needs it to get
there, and the description only points back to the portal.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy.orm import Session

from portal import sharing
from portal.db import utcnow
from portal.models import Appointment, AppointmentStatus, Member

PRODID = "-//NeuStart Familienportal//DE"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def renew_token(session: Session, member: Member) -> str:
    """A new secret feed token; the previous address stops working at once."""
    token = secrets.token_urlsafe(32)
    member.calendar_token_hash = _hash(token)
    session.flush()
    return token


def revoke_token(session: Session, member: Member) -> None:
    member.calendar_token_hash = None
    session.flush()


def member_for_token(session: Session, token: str) -> Member | None:
    """The member whose feed this is, or None (unknown, revoked or closed account)."""
    if not token or len(token) > 100:
        return None
    member = session.scalar(sa.select(Member).where(Member.calendar_token_hash == _hash(token)))
    if member is None or not sharing.account_open(member):
        return None
    return member


def visible_appointments(session: Session, member: Member) -> list[Appointment]:
    return list(
        session.scalars(
            sa.select(Appointment)
            .where(sharing.visible_to(member, Appointment))
            .order_by(Appointment.starts_at, Appointment.id)
        )
    )


def _event(appointment: Appointment) -> Event:
    event = Event()
    event.add("uid", f"appointment-{appointment.id}@neustart-familienportal")
    event.add("dtstamp", utcnow())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at or appointment.starts_at + timedelta(hours=1))
    event.add("summary", _("Appointment"))
    if appointment.place:
        event.add("location", appointment.place)
    event.add("description", _("Details in the NeuStart portal: %(url)s",
                               url=url_for("family.appointment", appointment_id=appointment.id, _external=True)))
    event.add("sequence", appointment.revision)
    cancelled = appointment.status is AppointmentStatus.cancelled
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def to_ics(appointments: list[Appointment], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for appointment in appointments:
        calendar.add_component(_event(appointment))
    return calendar.to_ical()


__all__ = ["member_for_token", "renew_token", "revoke_token", "to_ics", "visible_appointments"]
