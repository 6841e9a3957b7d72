"""Whom the family can call: a case's contacts and the office-wide directory."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit, concurrency
from portal.models import Audience, Case, Contact, ContactType, StaffUser

TEXT_FIELDS = ("name", "role_label", "phone", "email", "opening_hours", "note")


@dataclass
class ContactFields:
    type: ContactType
    name: str
    role_label: str | None = None
    phone: str | None = None
    email: str | None = None
    opening_hours: str | None = None
    note: str | None = None
    audience: Audience = Audience.family
    people: Sequence[int] = ()


def _apply(contact: Contact, case: Case | None, fields: ContactFields) -> None:
    members = {m.id: m for m in case.members} if case else {}
    contact.type = fields.type
    for name in TEXT_FIELDS:
        setattr(contact, name, (getattr(fields, name) or "").strip() or None)
    contact.audience = fields.audience
    contact.people = ([members[i] for i in fields.people if i in members]
                      if contact.audience is Audience.people else [])


def create_contact(session: Session, office_id: int, case: Case | None, fields: ContactFields,
                   by: StaffUser) -> Contact:
    """A contact of `case`, or of the office's directory when `case` is None, at the end of its list."""
    same_list = Contact.case_id == case.id if case else Contact.case_id.is_(None)
    contact = Contact(office_id=office_id, case=case)
    contact.position = 1 + (session.scalar(
        sa.select(sa.func.max(Contact.position)).where(Contact.office_id == office_id, same_list)) or 0)
    _apply(contact, case, fields)
    session.add(contact)
    session.flush()
    audit.record(session, audit.Action.contact_create, case_id=case.id if case else None, obj=contact, actor=by)
    session.flush()
    return contact


def update_contact(session: Session, contact: Contact, case: Case | None, fields: ContactFields,
                   revision: str | None, by: StaffUser) -> None:
    with concurrency.saving(session, (contact, revision)):
        _apply(contact, case, fields)
        audit.record(session, audit.Action.contact_update, case_id=case.id if case else None, obj=contact,
                     actor=by)
