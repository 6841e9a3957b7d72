"""What the family sent, across every case a staff member reaches: the inbox.

Questions, answers to appointments ("I will come" / "I cannot come"), answers to
a plan version (agree / disagree) and "I don't feel safe" alerts, oldest first.
Cases come only from `portal.sharing.cases_for` (a caseworker's own and
deputised cases, a lead's team, an admin none); the per-case inbox is the same
list filtered to one case. Each kind is read with one query per page, whatever
the number of cases.

Handled means: an alert acknowledged, a question replied to, an answer or a
plan response marked as handled (an appointment answer given again after that
is new again). What was handled shows who handled it and when.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from portal import sharing
from portal.models import (
    Appointment,
    AppointmentAnswer,
    Case,
    Member,
    Plan,
    PlanItem,
    PlanVersion,
    Question,
    SafetyAlert,
    StaffUser,
    VersionResponse,
)

PAGE_SIZE = 50


class Kind(StrEnum):
    alert = "alert"
    question = "question"
    answer = "answer"
    response = "response"


class Status(StrEnum):
    open = "open"
    handled = "handled"
    all = "all"


class Carried(StrEnum):
    """Which of a staff member's cases: all they reach, those they carry, those they deputise."""

    all = "all"
    mine = "mine"
    deputy = "deputy"


@dataclass
class Entry:
    kind: Kind
    obj: SafetyAlert | Question | AppointmentAnswer | VersionResponse
    case: Case
    member: Member
    at: datetime
    handled_at: datetime | None
    handled_by: StaffUser | None

    @property
    def handled(self) -> bool:
        return self.handled_at is not None

    @property
    def key(self) -> str:
        return f"{self.kind.value}-{self.obj.id}"


@dataclass
class Filters:
    kinds: tuple[Kind, ...] = tuple(Kind)
    status: Status = Status.open
    carried: Carried = Carried.all
    case_id: int | None = None

    @classmethod
    def from_args(cls, args, case_id: int | None = None) -> Filters:
        """From a query string; anything unknown is ignored, never an error."""
        kinds = tuple(k for k in Kind if k.value in args.getlist("kind")) or tuple(Kind)
        status = Status(args["status"]) if args.get("status") in Status.__members__ else Status.open
        carried = Carried(args["carried"]) if args.get("carried") in Carried.__members__ else Carried.all
        return cls(kinds, status, carried, case_id)


@dataclass
class Page:
    entries: list[Entry]
    number: int
    has_next: bool
    item_texts: dict[int, str]  # draft item id → text, for questions about an item

    @property
    def case_ids(self) -> set[int]:
        return {entry.case.id for entry in self.entries}


def carried_clause(staff: StaffUser, carried: Carried) -> sa.ColumnElement[bool]:
    """Narrow a staff member's cases to those they carry or deputise (within `cases_for`)."""
    match carried:
        case Carried.mine:
            return Case.primary_caseworker_id == staff.id
        case Carried.deputy:
            return Case.deputy_caseworker_id == staff.id
        case _:
            return sa.true()


def _in_scope(staff: StaffUser, filters: Filters) -> list[sa.ColumnElement[bool]]:
    clauses = [sharing.cases_for(staff), carried_clause(staff, filters.carried)]
    if filters.case_id is not None:
        clauses.append(Case.id == filters.case_id)
    return clauses


def answer_open() -> sa.ColumnElement[bool]:
    """An answer to an appointment not yet seen (or given again since it was)."""
    return sa.or_(AppointmentAnswer.handled_at.is_(None), AppointmentAnswer.handled_at < AppointmentAnswer.answered_at)


def _status(open_clause: sa.ColumnElement[bool], status: Status) -> sa.ColumnElement[bool]:
    return {Status.open: open_clause, Status.handled: sa.not_(open_clause), Status.all: sa.true()}[status]


def page(session: Session, staff: StaffUser, filters: Filters, number: int = 1) -> Page:
    """One page of the inbox, oldest first: one query per kind of entry, merged."""
    number = max(number, 1)
    wanted = (number - 1) * PAGE_SIZE + PAGE_SIZE + 1  # enough of each kind to fill this page and see the next
    scope = _in_scope(staff, filters)
    found: list[Entry] = []
    if Kind.alert in filters.kinds:
        found += [Entry(Kind.alert, a, a.member.case, a.member, a.raised_at, a.acknowledged_at, a.acknowledged_by)
                  for a in session.scalars(
                      sa.select(SafetyAlert).join(Case, Case.id == SafetyAlert.case_id)
                      .where(*scope, _status(SafetyAlert.acknowledged_at.is_(None), filters.status))
                      .options(joinedload(SafetyAlert.member).joinedload(Member.case),
                               joinedload(SafetyAlert.acknowledged_by))
                      .order_by(SafetyAlert.raised_at, SafetyAlert.id).limit(wanted))]
    if Kind.question in filters.kinds:
        found += [Entry(Kind.question, q, q.member.case, q.member, q.asked_at, q.replied_at if q.reply else None,
                        q.replied_by)
                  for q in session.scalars(
                      sa.select(Question).join(Case, Case.id == Question.case_id)
                      .where(*scope, _status(Question.reply.is_(None), filters.status))
                      .options(joinedload(Question.member).joinedload(Member.case).selectinload(Case.members),
                               joinedload(Question.replied_by), selectinload(Question.readers))
                      .order_by(Question.asked_at, Question.id).limit(wanted))]
    if Kind.answer in filters.kinds:
        found += [Entry(Kind.answer, a, a.member.case, a.member, a.answered_at,
                        a.handled_at if a.handled else None, a.handled_by if a.handled else None)
                  for a in session.scalars(
                      sa.select(AppointmentAnswer).join(Appointment, Appointment.id == AppointmentAnswer.appointment_id)
                      .join(Case, Case.id == Appointment.case_id)
                      .where(*scope, _status(answer_open(), filters.status))
                      .options(joinedload(AppointmentAnswer.member).joinedload(Member.case),
                               joinedload(AppointmentAnswer.appointment), joinedload(AppointmentAnswer.handled_by))
                      .order_by(AppointmentAnswer.answered_at, AppointmentAnswer.id).limit(wanted))]
    if Kind.response in filters.kinds:
        found += [Entry(Kind.response, r, r.member.case, r.member, r.answered_at, r.handled_at, r.handled_by)
                  for r in session.scalars(
                      sa.select(VersionResponse).join(PlanVersion, PlanVersion.id == VersionResponse.version_id)
                      .join(Plan, Plan.id == PlanVersion.plan_id).join(Case, Case.id == Plan.case_id)
                      .where(*scope, _status(VersionResponse.handled_at.is_(None), filters.status))
                      .options(joinedload(VersionResponse.member).joinedload(Member.case),
                               joinedload(VersionResponse.version), joinedload(VersionResponse.handled_by))
                      .order_by(VersionResponse.answered_at, VersionResponse.id).limit(wanted))]
    found.sort(key=lambda e: (e.at, e.kind.value, e.obj.id))
    start = (number - 1) * PAGE_SIZE
    shown = found[start:start + PAGE_SIZE]
    item_ids = {e.obj.item_id for e in shown if e.kind is Kind.question and e.obj.item_id}
    texts = dict(session.execute(sa.select(PlanItem.id, PlanItem.text).where(PlanItem.id.in_(item_ids))).all()) \
        if item_ids else {}
    return Page(shown, number, len(found) > start + PAGE_SIZE, texts)


__all__ = ["Carried", "Entry", "Filters", "Kind", "PAGE_SIZE", "Page", "Status", "answer_open", "carried_clause",
           "page"]
