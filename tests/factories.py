"""Factories for tests: plain functions that take a session and keyword overrides.

Each adds its object to the session, flushes (so ids exist) and returns it; the
test's transaction is rolled back afterwards (see `tests/conftest.py`). Objects
are created in the demo office unless told otherwise, so they sit next to the
demo family and tests can check that nothing leaks between cases.

    case = make_case(session, title="Familie Test")
    anna = make_member(session, case, kind=MemberKind.parent)
    item = make_item(session, case, audience=Audience.adults)
    version = publish_plan(session, case)
"""
from __future__ import annotations

import itertools
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import publishing
from portal.db import utcnow
from portal.demo import DEMO_TOTP_SECRET
from portal.models import (
    Appointment,
    AppointmentType,
    Audience,
    Case,
    Consent,
    Contact,
    ContactType,
    ItemKind,
    Member,
    MemberKind,
    Office,
    Plan,
    PlanItem,
    PlanVersion,
    Question,
    Role,
    StaffUser,
    Team,
)
from portal.passwords import hash_password

PASSWORD = "factory-password-42"
_numbers = itertools.count(1)


def _next() -> int:
    return next(_numbers)


def demo_office(session: Session) -> Office:
    return session.scalar(sa.select(Office).order_by(Office.id).limit(1))


def make_office(session: Session, **overrides) -> Office:
    office = Office(**{"name": f"Jugendamt Test {_next()}", **overrides})
    session.add(office)
    session.flush()
    return office


def make_team(session: Session, office: Office | None = None, **overrides) -> Team:
    team = Team(**{"office": office or demo_office(session), "name": f"ASD Test {_next()}", **overrides})
    session.add(team)
    session.flush()
    return team


def make_staff(session: Session, role: Role = Role.caseworker, team: Team | None = None, **overrides) -> StaffUser:
    """A staff member; without `team`, caseworkers and leads get a fresh team of their own."""
    if team is None and role is not Role.admin:
        team = make_team(session)
    number = _next()
    staff = StaffUser(**{
        "username": f"test.staff{number}", "display_name": f"Fachkraft {number}", "role": role,
        "team": team, "password_hash": hash_password(PASSWORD),
        "totp_secret": DEMO_TOTP_SECRET,  # enrolled like the demo staff, so client_for() can sign in
        **overrides,
    })
    session.add(staff)
    session.flush()
    return staff


def make_case(session: Session, team: Team | None = None, **overrides) -> Case:
    """A case with its (empty) plan; without `team`, a fresh team in the demo office."""
    number = _next()
    case = Case(**{
        "team": team or make_team(session), "reference": f"TEST-{number:05d}", "title": f"Familie Test {number}",
        **overrides,
    })
    session.add_all([case, Plan(case=case)])
    session.flush()
    return case


def plan_of(session: Session, case: Case) -> Plan:
    return session.scalar(sa.select(Plan).where(Plan.case_id == case.id))


def make_member(session: Session, case: Case, kind: MemberKind = MemberKind.parent, **overrides) -> Member:
    """A member with an account (sign-in name and password `PASSWORD`) unless overridden."""
    number = _next()
    member = Member(**{
        "case": case, "kind": kind, "display_name": f"Person {number}", "birth_year": 1985, "language": "de",
        "username": f"test.member{number}", "password_hash": hash_password(PASSWORD), **overrides,
    })
    session.add(member)
    session.flush()
    return member


def make_item(
    session: Session,
    case: Case,
    audience: Audience = Audience.family,
    people: list[Member] = (),
    **overrides,
) -> PlanItem:
    """A draft plan item; `people` is used for an audience of chosen people."""
    plan = plan_of(session, case)
    item = PlanItem(**{
        "plan": plan, "kind": ItemKind.step, "text": f"Schritt {_next()}", "audience": audience,
        "position": len(plan.items) + 1, **overrides,
    })
    item.people = list(people)
    session.add(item)
    session.flush()
    return item


def make_consent(session: Session, item: PlanItem, recipient: Member, given_by: Member | None = None) -> Consent:
    """Record that the entrusting person agreed that `recipient` may see `item`."""
    consent = Consent(item=item, given_by=given_by or item.entrusted_by, recipient=recipient)
    session.add(consent)
    session.flush()
    return consent


def publish_plan(session: Session, case: Case, author: StaffUser | None = None, note: str = "Neue Version.") -> PlanVersion:
    plan = plan_of(session, case)
    latest = publishing.latest_version(session, plan)
    return publishing.publish(session, plan, author or case.primary_caseworker, note, latest.number if latest else 0)


def make_appointment(
    session: Session, case: Case, audience: Audience = Audience.family, people: list[Member] = (), **overrides
) -> Appointment:
    starts_at = utcnow() + timedelta(days=7)
    appointment = Appointment(**{
        "case": case, "type": AppointmentType.visit, "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=1), "place": "Jugendamt, Raum 1", "audience": audience,
        **overrides,
    })
    appointment.people = list(people)
    session.add(appointment)
    session.flush()
    return appointment


def make_contact(
    session: Session,
    case: Case | None,
    audience: Audience = Audience.family,
    people: list[Member] = (),
    office: Office | None = None,
    **overrides,
) -> Contact:
    """A contact of `case`, or an office-wide one when `case` is None."""
    office = office or (case.team.office if case is not None else demo_office(session))
    contact = Contact(**{
        "office": office, "case": case, "type": ContactType.service, "name": f"Beratungsstelle {_next()}",
        "phone": "030 5550 9999", "audience": audience, **overrides,
    })
    contact.people = list(people)
    session.add(contact)
    session.flush()
    return contact


def make_question(session: Session, member: Member, readers: list[Member] = (), **overrides) -> Question:
    question = Question(**{"case_id": member.case_id, "member": member, "text": "Wann ist der nächste Termin?", **overrides})
    question.readers = list(readers)
    session.add(question)
    session.flush()
    return question
