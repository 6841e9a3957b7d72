"""The facts behind the figures, and the domain functions that write them.

A case is opened, changes phase and changes its primary caseworker only through
the functions here, so that every change keeps its date and who made it
(`PhaseChange`, `CaseworkerChange`); the staff views and the demo office's
history both call them. A child's or youth's care facts (`CareRecord`) are
checked by `care_problems` before anything is saved.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal import retention
from portal.db import utcnow
from portal.models import (
    CareRecord,
    Case,
    CaseworkerChange,
    Member,
    MemberKind,
    Phase,
    PhaseChange,
    Placement,
    Plan,
    ReentryReason,
    StaffUser,
    Team,
)

MAX_DAILY_RATE = Decimal(2000)  # euros a day; above that a typing error is far likelier than a placement
CHILD_KINDS = (MemberKind.child, MemberKind.youth)


class InvalidFacts(ValueError):
    """The facts contradict each other; `problems` says which and why (nothing is saved)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(str(message) for _field, message in problems))
        self.problems = problems


@dataclass(frozen=True)
class CareFacts:
    entered_care_on: date | None = None
    placement: Placement | None = None
    daily_rate: Decimal | None = None  # euros; None: the office's default for the placement
    returned_on: date | None = None
    aftercare_ended_on: date | None = None
    reentered_on: date | None = None
    reentry_reason: ReentryReason | None = None

    @classmethod
    def of(cls, record: CareRecord | None) -> CareFacts:
        if record is None:
            return cls()
        rate = None if record.daily_rate_cents is None else Decimal(record.daily_rate_cents) / 100
        return cls(record.entered_care_on, record.placement, rate, record.returned_on,
                   record.aftercare_ended_on, record.reentered_on, record.reentry_reason)


def care_problems(facts: CareFacts, today: date | None = None) -> list[tuple[str, object]]:
    """Every contradiction in `facts` as (field name, message in the reader's language)."""
    today = today or date.today()
    problems: list[tuple[str, object]] = []
    for name in ("entered_care_on", "returned_on", "aftercare_ended_on", "reentered_on"):
        value = getattr(facts, name)
        if value is not None and value > today:
            problems.append((name, _l("This date is in the future. Please enter the date it happened.")))
    if facts.returned_on and facts.entered_care_on and facts.returned_on < facts.entered_care_on:
        problems.append(("returned_on", _l("The return home cannot be before the day the child entered care.")))
    if facts.aftercare_ended_on and not facts.returned_on:
        problems.append(("aftercare_ended_on", _l("After-care can only end after a return home: "
                                                  "please enter the return date first.")))
    elif facts.aftercare_ended_on and facts.aftercare_ended_on < facts.returned_on:
        problems.append(("aftercare_ended_on", _l("After-care cannot end before the return home.")))
    if facts.reentered_on and not facts.returned_on:
        problems.append(("reentered_on", _l("A re-entry into care follows a return home: "
                                            "please enter the return date first.")))
    elif facts.reentered_on and facts.reentered_on < facts.returned_on:
        problems.append(("reentered_on", _l("The re-entry into care cannot be before the return home.")))
    if facts.reentered_on and facts.reentry_reason is None:
        problems.append(("reentry_reason", _l("Please choose why the child came back into care.")))
    if facts.reentry_reason is not None and not facts.reentered_on:
        problems.append(("reentered_on", _l("Please enter the date of the re-entry, or leave the reason empty.")))
    if facts.daily_rate is not None and not (0 <= facts.daily_rate <= MAX_DAILY_RATE):
        problems.append(("daily_rate", _l("The daily rate must be between 0 and 2,000 euros.")))
    return problems


def care_record(session: Session, member: Member) -> CareRecord | None:
    return session.scalar(sa.select(CareRecord).where(CareRecord.member_id == member.id))


def record_care(session: Session, member: Member, facts: CareFacts, by: StaffUser | None) -> CareRecord:
    """Save a child's or youth's care facts; contradictions raise `InvalidFacts` before any write."""
    if member.kind not in CHILD_KINDS:
        raise InvalidFacts([("member", _l("Care facts are kept for children and youths only."))])
    problems = care_problems(facts)
    if problems:
        raise InvalidFacts(problems)
    record = care_record(session, member)
    if record is None:
        record = CareRecord(member_id=member.id, case_id=member.case_id)
        session.add(record)
    record.entered_care_on = facts.entered_care_on
    record.placement = facts.placement
    record.daily_rate_cents = None if facts.daily_rate is None else int((facts.daily_rate * 100).to_integral_value())
    record.returned_on = facts.returned_on
    record.aftercare_ended_on = facts.aftercare_ended_on
    record.reentered_on = facts.reentered_on
    record.reentry_reason = facts.reentry_reason
    record.updated_by_id = by.id if by else None
    session.flush()
    return record


def default_daily_rate(placement: Placement | None) -> Decimal | None:
    """The office's default rate for a kind of placement (setting `DAILY_RATES`), in euros."""
    if placement is None:
        return None
    return Decimal(str(current_app.config["DAILY_RATES"][placement.value]))


# --- cases: opening, phases, the primary caseworker -----------------------------

def open_case(session: Session, team: Team, title: str, reference: str, primary: StaffUser | None,
              by: StaffUser | None) -> Case:
    """A new case in its first phase, with its (empty) plan; the first phase and the
    first primary caseworker are kept with today's date."""
    case = Case(team=team, title=title, reference=reference, primary_caseworker=primary, created_at=utcnow())
    session.add_all([case, Plan(case=case)])
    session.flush()
    session.add(PhaseChange(case_id=case.id, phase=case.phase, changed_by=by, changed_at=case.created_at))
    session.add(CaseworkerChange(case_id=case.id, caseworker=primary, changed_by=by, changed_at=case.created_at))
    session.flush()
    return case


def change_phase(session: Session, case: Case, phase: Phase, by: StaffUser | None) -> None:
    """Move the case to `phase`, kept with the date and who did it (closing goes through
    `retention.close_case`, which deactivates the family's accounts)."""
    if phase is Phase.closed:
        retention.close_case(session, case, by)
        return
    case.phase = phase
    session.add(PhaseChange(case_id=case.id, phase=phase, changed_by=by, changed_at=utcnow()))


def assign(session: Session, case: Case, primary: StaffUser | None, deputy: StaffUser | None,
           by: StaffUser | None) -> None:
    """Set who carries the case; a change of the primary caseworker is kept with its date."""
    if (primary.id if primary else None) != case.primary_caseworker_id:
        session.add(CaseworkerChange(case_id=case.id, caseworker=primary, changed_by=by, changed_at=utcnow()))
    case.primary_caseworker = primary
    case.deputy_caseworker = deputy
