"""Appointments as iCalendar (RFC 5545): one `.ics` per appointment and a private feed per member.

The feed address carries a random secret (≥ 256 bits); only its SHA-256 hash is
stored on the member, so the address is shown once, when it is made, and can be
renewed or revoked from the account page. Which appointments a feed or file
holds is the member's viewer's answer (`portal.sharing`), as on every page.

Calendars are synced to other services and read over shoulders, so an entry is
neutral: the title "Appointment", the time and a link back to the portal. The
place and the kind of appointment ("Familiengericht", "Wohngruppe") are added
only when the member switched that on (`Member.calendar_details`, account page).
A reminder (VALARM) the day before is in every entry unless the member switched it off
(`Member.calendar_reminders`).
Text is cleaned of control and bidirectional-override characters, which could
make an entry read differently from what was written.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from icalendar import Alarm, Calendar, Event
from sqlalchemy.orm import Session

from portal import labels, sharing
from portal.db import utcnow
from portal.models import Appointment, AppointmentStatus, Member

PRODID = "-//NeuStart Familienportal//DE"
# C0/C1 controls (line breaks aside) and the bidi embeddings, overrides and isolates.
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


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


def clean(text: str) -> str:
    return _UNSAFE.sub("", text).strip()


def _event(appointment: Appointment, details: bool, reminder: bool) -> Event:
    event = Event()
    event.add("uid", f"appointment-{appointment.id}@neustart-familienportal")
    event.add("dtstamp", utcnow())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at or appointment.starts_at + timedelta(hours=1))
    event.add("summary", _("Appointment"))
    link = url_for("family.appointment", appointment_id=appointment.id, _external=True)
    description = _("Details in the NeuStart portal: %(url)s", url=link)
    if details:
        if appointment.place and not appointment.at_home:
            event.add("location", clean(appointment.place))
        description = "\n".join(
            [str(labels.APPOINTMENT_TYPE_LABELS[appointment.type])]
            + ([_("Please bring: %(what)s", what=clean(appointment.bring))] if appointment.bring else [])
            + [description]
        )
    event.add("description", description)
    event.add("sequence", appointment.revision)
    cancelled = appointment.status is AppointmentStatus.cancelled
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if reminder and not cancelled:
        alarm = Alarm()  # the day before, as neutral as the entry itself
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", timedelta(days=-1))
        alarm.add("description", _("Appointment"))
        event.add_component(alarm)
    return event


def to_ics(viewer: sharing.Viewer, appointment_id: int | None = None) -> bytes:
    """The member's appointments (or the one `appointment_id`, else 404), as neutral as they chose."""
    appointments = viewer.appointments() if appointment_id is None else [viewer.get(Appointment, appointment_id)]
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("NeuStart"))
    for appointment in appointments:
        calendar.add_component(_event(appointment, viewer.member.calendar_details, viewer.member.calendar_reminders))
    return calendar.to_ical()


__all__ = ["clean", "member_for_token", "renew_token", "revoke_token", "to_ics"]
