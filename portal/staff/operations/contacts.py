"""Whom the family can call: a case's contacts and the office-wide directory."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit, concurrency
from portal.models import Audience, Case, Contact, ContactType, ContentTranslation, StaffUser

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


def follow_caseworkers(session: Session, case: Case, by: StaffUser) -> None:
    """The case's caseworker and deputy contacts name whoever carries the case now.

    Name, phone and e-mail come from the staff account (no phone there: none on
    the contact either, rather than the previous caseworker's). A deputy contact
    of a case that has no deputy any more is removed: the family must not call
    someone who no longer deputises.
    """
    rows = session.scalars(sa.select(Contact).where(
        Contact.case_id == case.id, Contact.type.in_([ContactType.caseworker, ContactType.deputy])))
    for contact in rows:
        person = case.primary_caseworker if contact.type is ContactType.caseworker else case.deputy_caseworker
        if person is None:
            session.execute(sa.delete(ContentTranslation).where(
                ContentTranslation.object_type == "contact", ContentTranslation.object_id == contact.id))
            session.delete(contact)
            audit.record(session, audit.Action.contact_remove, case_id=case.id, obj=contact, actor=by)
            continue
        wanted = {"name": person.display_name, "phone": person.phone, "email": person.email}
        if any(getattr(contact, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(contact, name, value)
            audit.record(session, audit.Action.contact_update, case_id=case.id, obj=contact, actor=by)
