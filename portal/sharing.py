"""The one sharing rule (DESIGN.md § 3) and staff scoping.

A family member sees an object when all of these hold:

1. it belongs to the member's own case (or is an office-wide contact of the
   member's office), and the member's account is active in an open case;
2. for plan items: it is in the latest *published* version;
3. its audience admits the member;
4. it was entrusted by nobody, by this member, or by someone whose recorded
   consent covers this member (§ 65 SGB VIII).

The rule has two forms that must always agree: `may_see` for one loaded object
and `visible_to` for SQL list queries. `tests/test_sharing.py` checks both
against every persona and every kind of object. Every family view, the calendar
feed, exports and the caseworker's "preview as" go through here; nothing else
decides who sees what.

Staff are scoped in the same module: a caseworker reaches the cases where they
are primary or deputy caseworker, a lead their team's cases, an admin and a
department head none. The evaluation's scope (a lead their team, the head every
team; aggregates only) is decided here too, by `evaluation_teams`.
"""
from __future__ import annotations

from typing import TypeVar

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import Session

from portal import audit
from portal.models import (
    Appointment,
    AuditEvent,
    Audience,
    Case,
    Contact,
    ContactType,
    Member,
    MemberKind,
    Phase,
    Plan,
    PlanVersion,
    PublishedItem,
    Question,
    Role,
    StaffUser,
    Team,
    appointment_person,
    contact_person,
    published_item_consent,
    published_item_person,
    question_reader,
)

Shareable = PublishedItem | Appointment | Contact | Question
S = TypeVar("S", PublishedItem, Appointment, Contact, Question)

# The association table that lists the chosen people of a `people` audience.
_PEOPLE = {
    PublishedItem: (published_item_person, published_item_person.c.published_item_id),
    Appointment: (appointment_person, appointment_person.c.appointment_id),
    Contact: (contact_person, contact_person.c.contact_id),
}


# --- family members ---------------------------------------------------------

def account_open(member: Member) -> bool:
    """Rule 1, second half: deactivation and closing a case apply at once."""
    return member.active and member.case.phase is not Phase.closed


def may_see(member: Member, obj: Shareable) -> bool:
    """Whether `member` may see this one object (the predicate form)."""
    _require_shareable(type(obj))
    if not account_open(member):
        return False
    if isinstance(obj, Question):
        return obj.case_id == member.case_id and (
            obj.member_id == member.id or any(r.id == member.id for r in obj.readers)
        )
    if isinstance(obj, Contact) and obj.case_id is None:
        if obj.office_id != member.case.team.office_id:
            return False
    elif obj.case_id != member.case_id:
        return False
    if isinstance(obj, PublishedItem) and obj.version_id != _latest_version_id(member.case_id, obj):
        return False
    if not _audience_admits(obj, member):
        return False
    if isinstance(obj, PublishedItem) and obj.entrusted_by_id not in (None, member.id):
        return any(r.id == member.id for r in obj.consent_recipients)
    return True


def visible_to(member: Member, model: type[S]) -> sa.ColumnElement[bool]:
    """The same rule as a WHERE clause for lists of `model`."""
    _require_shareable(model)
    if not account_open(member):
        return sa.false()
    if model is Question:
        readers = sa.select(question_reader.c.question_id).where(question_reader.c.member_id == member.id)
        return sa.and_(
            Question.case_id == member.case_id,
            sa.or_(Question.member_id == member.id, Question.id.in_(readers)),
        )
    if model is PublishedItem:
        return visible_in_version(member, _latest_version_subquery(member.case_id))
    if model is Contact:
        office_id = member.case.team.office_id
        own_case = sa.or_(
            Contact.case_id == member.case_id,
            sa.and_(Contact.case_id.is_(None), Contact.office_id == office_id),
        )
    else:
        own_case = model.case_id == member.case_id
    return sa.and_(own_case, _audience_clause(model, member))


def visible_in_version(member: Member, version_id: int | sa.ScalarSelect[int]) -> sa.ColumnElement[bool]:
    """The published items of one version that `member` sees (or saw).

    `visible_to(member, PublishedItem)` is this for the latest version; "what
    changed" asks it for an earlier one, so an item the member could not see
    then is not reported as removed or changed now.
    """
    if not account_open(member):
        return sa.false()
    return sa.and_(
        PublishedItem.case_id == member.case_id,
        PublishedItem.version_id == version_id,
        _audience_clause(PublishedItem, member),
        _entrusted_clause(member),
    )


def public_emergency_contacts() -> sa.ColumnElement[bool]:
    """The office-wide emergency contacts that "Help now" shows to anyone, signed in or not."""
    return sa.and_(
        Contact.case_id.is_(None),
        Contact.type == ContactType.emergency,
        Contact.audience == Audience.family,
    )


def _entrusted_clause(member: Member) -> sa.ColumnElement[bool]:
    consented = sa.select(published_item_consent.c.published_item_id).where(
        published_item_consent.c.member_id == member.id
    )
    return sa.or_(
        PublishedItem.entrusted_by_id.is_(None),
        PublishedItem.entrusted_by_id == member.id,
        PublishedItem.id.in_(consented),
    )


def get_visible_or_404(session: Session, member: Member, model: type[S], id_: int) -> S:
    """Load one object for a family view; anything not visible is simply not there."""
    obj = session.scalar(sa.select(model).where(model.id == id_, visible_to(member, model)))
    if obj is None:
        abort(404)
    return obj


def _require_shareable(model: type) -> None:
    # Draft plan items (and anything else) are never shown to families: asking
    # about them is a programming error, not a "no".
    if model not in (PublishedItem, Appointment, Contact, Question):
        raise TypeError(f"{model.__name__} is not shared with families")


def _audience_admits(obj: PublishedItem | Appointment | Contact, member: Member) -> bool:
    match obj.audience:
        case Audience.family:
            return True
        case Audience.adults:
            return member.kind is MemberKind.parent
        case Audience.people:
            return any(p.id == member.id for p in obj.people)
        case _:
            return False


def _audience_clause(model: type, member: Member) -> sa.ColumnElement[bool]:
    table, key = _PEOPLE[model]
    chosen = sa.select(key).where(table.c.member_id == member.id)
    admitted = [model.audience == Audience.family, sa.and_(model.audience == Audience.people, model.id.in_(chosen))]
    if member.kind is MemberKind.parent:
        admitted.append(model.audience == Audience.adults)
    return sa.or_(*admitted)


def _latest_version_subquery(case_id: int) -> sa.ScalarSelect[int]:
    return (
        sa.select(PlanVersion.id)
        .join(Plan, Plan.id == PlanVersion.plan_id)
        .where(Plan.case_id == case_id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
        .scalar_subquery()
    )


def _latest_version_id(case_id: int, obj: PublishedItem) -> int | None:
    session = sa.inspect(obj).session
    return session.scalar(sa.select(_latest_version_subquery(case_id)))


# --- staff ----------------------------------------------------------------

def cases_for(staff: StaffUser) -> sa.ColumnElement[bool]:
    """WHERE clause for the cases a staff member may open."""
    if not staff.active:
        return sa.false()
    carried = sa.or_(Case.primary_caseworker_id == staff.id, Case.deputy_caseworker_id == staff.id)
    match staff.role:
        case Role.caseworker:
            return carried
        case Role.lead:
            return sa.or_(carried, Case.team_id == staff.team_id)
        case _:
            return sa.false()


def may_open_case(staff: StaffUser, case: Case) -> bool:
    """The predicate form of `cases_for`."""
    if not staff.active:
        return False
    carried = staff.id in (case.primary_caseworker_id, case.deputy_caseworker_id)
    match staff.role:
        case Role.caseworker:
            return carried
        case Role.lead:
            return carried or case.team_id == staff.team_id
        case _:
            return False


def get_case_or_404(session: Session, staff: StaffUser, case_id: int) -> Case:
    """Load a case for a staff view; a case outside the staff member's scope is not there.

    The refusal is audited (its own transaction, so it survives the 404); the
    answer is the same 404 whether the case exists or not.
    """
    case = session.scalar(sa.select(Case).where(Case.id == case_id, cases_for(staff)))
    if case is None:
        audit.record_now("case.denied", case_id=case_id, outcome="denied", actor=staff)
        abort(404)
    return case


def evaluation_teams(staff: StaffUser) -> sa.ColumnElement[bool]:
    """WHERE clause on `Team` for the teams whose evaluation `staff` may read.

    The department head reads every team of the office (the portal serves one office),
    a lead their own team; caseworkers and admins none. The evaluation holds aggregates
    only, so this opens no case: a head's `cases_for` stays empty.
    """
    if not staff.active:
        return sa.false()
    match staff.role:
        case Role.head:
            return sa.true()
        case Role.lead if staff.team_id is not None:
            return Team.id == staff.team_id
        case _:
            return sa.false()


def may_evaluate(staff: StaffUser) -> bool:
    """Whether `staff` may open the evaluation at all (the predicate form of `evaluation_teams`)."""
    return staff.active and (staff.role is Role.head or (staff.role is Role.lead and staff.team_id is not None))


def audit_events_for(lead: StaffUser) -> sa.ColumnElement[bool]:
    """WHERE clause for the audit events a lead may read: their team's cases and staff.

    Caseworkers and admins read none; the view answers them 404 anyway.
    """
    if not lead.active or lead.role is not Role.lead or lead.team_id is None:
        return sa.false()
    team_cases = sa.select(Case.id).where(Case.team_id == lead.team_id)
    team_staff = sa.select(sa.literal("staff:") + sa.cast(StaffUser.id, sa.String)).where(
        StaffUser.team_id == lead.team_id
    )
    return sa.or_(AuditEvent.case_id.in_(team_cases), AuditEvent.actor.in_(team_staff))


def may_manage_directory(staff: StaffUser) -> bool:
    """The office-wide contact directory is kept by admins and leads."""
    return staff.active and staff.role in (Role.admin, Role.lead)


__all__ = [
    "Shareable", "account_open", "audit_events_for", "cases_for", "evaluation_teams", "get_case_or_404",
    "get_visible_or_404", "may_evaluate", "may_manage_directory", "may_open_case", "may_see", "public_emergency_contacts", "visible_in_version",
    "visible_to",
]
