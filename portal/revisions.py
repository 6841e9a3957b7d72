"""The family revision of a case: raised with every change a family page could show.

`Case.family_revision` moves in the same transaction as the change, so a family page
rendered at revision R is right for every request that reads R; `portal.family.page_cache`
reuses pages on that promise. The revision is read with the sign-in session, in the
request's first statement, before any data: a change committed an instant before a
request is always seen, because the request then reads the new revision.

Every mapped model is accounted for here: `REACHES` says how a changed row finds its case
(or cases), `NOT_SHOWN` lists what no cached family page shows (`tests/test_page_cache.py`
fails for a model in neither). ORM changes are collected at each flush and the revisions
raised once, just before the commit: the case rows are locked only for the commit itself, so
the raise cannot deadlock with the rows the transaction changed before. Writes that bypass
the ORM (publishing's batched inserts) call `touch`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.models import (
    Appointment,
    AppointmentAnswer,
    AppointmentAnswerChange,
    AuditEvent,
    CareRecord,
    Case,
    CaseHandover,
    CaseworkerChange,
    Checkin,
    CheckinMember,
    CheckinSchedule,
    CheckinWarningSeen,
    Consent,
    Contact,
    ContentTranslation,
    DeletionRecord,
    Delivery,
    Invitation,
    LoginSession,
    Member,
    Message,
    Notification,
    NotificationOptOut,
    Office,
    PhaseChange,
    Plan,
    PlanItem,
    PlanVersion,
    PublishedItem,
    PushSubscription,
    Question,
    RecoveryCode,
    SafetyAlert,
    StaffUser,
    Team,
    VersionResponse,
)

# A target names the rows whose cases are raised: ("case", id), ("member", id), ("plan", id),
# ("item", draft item id), ("appointment", id), ("contact", id), ("team", id), ("office", id),
# or ("all", 0).
Target = tuple[str, int]


def _by_case(obj) -> Iterable[Target]:
    return [("case", obj.case_id)]


def _by_member(obj) -> Iterable[Target]:
    return [("member", obj.member_id)]


def _contact(contact: Contact) -> Iterable[Target]:
    # An office-wide contact (no case) is on the contact page of every family of the office.
    return [("case", contact.case_id)] if contact.case_id is not None else [("office", contact.office_id)]


def _translation(row: ContentTranslation) -> Iterable[Target]:
    return [({"plan_item": "item"}.get(row.object_type, row.object_type), row.object_id)]


def _staff(staff: StaffUser) -> Iterable[Target]:
    # A family reads a staff member's name under an answer to their question; nothing else of it.
    return [("all", 0)] if sa.inspect(staff).attrs.display_name.history.has_changes() else []


REACHES: dict[type, Callable[[object], Iterable[Target]]] = {
    Case: lambda case: [("case", case.id)],
    Member: _by_case,
    Plan: _by_case,
    PlanItem: lambda item: [("plan", item.plan_id)],  # a narrowed draft withholds at once
    Consent: lambda consent: [("member", consent.given_by_id)],
    PlanVersion: lambda version: [("plan", version.plan_id)],
    PublishedItem: _by_case,
    VersionResponse: _by_member,
    Appointment: _by_case,
    AppointmentAnswer: _by_member,
    Contact: _contact,
    ContentTranslation: _translation,
    Question: _by_case,
    SafetyAlert: _by_case,
    Checkin: _by_case,
    CheckinMember: _by_case,
    CheckinSchedule: _by_case,
    CareRecord: _by_case,
    PhaseChange: _by_case,
    CaseHandover: _by_case,
    CaseworkerChange: _by_case,
    Invitation: _by_member,
    NotificationOptOut: _by_member,
    PushSubscription: _by_member,
    StaffUser: _staff,
    Team: lambda team: [("team", team.id)],
    Office: lambda office: [("office", office.id)],
}

# Rows no cached family page shows: the trail, sign-in sessions, the outbox, staff-only notes.
NOT_SHOWN = frozenset({AuditEvent, DeletionRecord, LoginSession, Message, Notification, Delivery, RecoveryCode,
                       AppointmentAnswerChange, CheckinWarningSeen})

_PENDING = "family_revision_targets"
_BEFORE_SAVEPOINT = "family_revision_targets_before_savepoints"


def touch(session: Session, case_id: int) -> None:
    """Raise the case's revision at this transaction's commit (for writes outside the ORM)."""
    session.info.setdefault(_PENDING, set()).add(("case", case_id))


def targets_of(obj) -> Iterable[Target]:
    reaches = REACHES.get(type(obj))
    if reaches is None:
        if type(obj) in NOT_SHOWN:
            return []
        raise LookupError(f"{type(obj).__name__}: say in portal.revisions whether a family page shows it")
    return reaches(obj)


def _note(session: Session, objects: Iterable) -> None:
    pending = session.info.setdefault(_PENDING, set())
    for obj in objects:
        pending.update(t for t in targets_of(obj) if t[1] is not None)


def _before_flush(session: Session, _context, _instances) -> None:
    # Changed and deleted rows while they still exist (a deleted row cannot be read after).
    _note(session, (*session.dirty, *session.deleted))


def _after_flush(session: Session, _context) -> None:
    # New rows once the flush has given them their keys.
    _note(session, session.new)


def _where(targets: set[Target]) -> sa.ColumnElement[bool]:
    """The cases the targets reach, as one condition (each kind of target one subquery)."""
    ids: dict[str, list[int]] = {}
    for kind, id_ in targets:
        ids.setdefault(kind, []).append(id_)
    if "all" in ids:
        return sa.true()
    team_of_office = sa.select(Team.id).where(Team.office_id.in_(
        sa.select(Contact.office_id).where(Contact.id.in_(ids.get("contact", [])), Contact.case_id.is_(None))
        .union(sa.select(Office.id).where(Office.id.in_(ids.get("office", []))))))
    reached = {
        "case": lambda found: Case.id.in_(found),
        "member": lambda found: Case.id.in_(sa.select(Member.case_id).where(Member.id.in_(found))),
        "plan": lambda found: Case.id.in_(sa.select(Plan.case_id).where(Plan.id.in_(found))),
        "item": lambda found: Case.id.in_(
            sa.select(Plan.case_id).join(PlanItem, PlanItem.plan_id == Plan.id).where(PlanItem.id.in_(found))),
        "appointment": lambda found: Case.id.in_(sa.select(Appointment.case_id).where(Appointment.id.in_(found))),
        "contact": lambda found: Case.id.in_(sa.select(Contact.case_id).where(Contact.id.in_(found))),
        "team": lambda found: Case.team_id.in_(found),
        "office": lambda _found: sa.false(),  # with the office-wide contacts below
    }
    conditions = [reached[kind](found) for kind, found in ids.items()]
    if "office" in ids or "contact" in ids:
        conditions.append(Case.team_id.in_(team_of_office))
    return sa.or_(*conditions)


def _raise(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released: the transaction's own commit raises them
    session.flush()  # collect what is still unflushed
    session.info.pop(_BEFORE_SAVEPOINT, None)
    targets = session.info.pop(_PENDING, None)
    if targets:
        session.execute(sa.update(Case).where(_where(targets)).values(family_revision=Case.family_revision + 1)
                        .execution_options(synchronize_session=False))


def _savepoint_begins(session: Session, transaction) -> None:
    if transaction.nested:
        session.info.setdefault(_BEFORE_SAVEPOINT, {})[id(transaction)] = set(session.info.get(_PENDING, ()))


def _forget(session: Session, previous) -> None:
    """A rollback forgets what it undid: a SAVEPOINT's changes (a preview's trial publish), but
    not the changes made before it, which the transaction's commit must still announce."""
    if previous.nested:
        session.info[_PENDING] = session.info.get(_BEFORE_SAVEPOINT, {}).pop(id(previous), set())
    elif previous.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_BEFORE_SAVEPOINT, None)


sa.event.listen(Session, "before_flush", _before_flush)
sa.event.listen(Session, "after_flush", _after_flush)
sa.event.listen(Session, "before_commit", _raise)
sa.event.listen(Session, "after_transaction_create", _savepoint_begins)
sa.event.listen(Session, "after_soft_rollback", _forget)
