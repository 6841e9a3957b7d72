"""A case: opening it, its phase, and who carries it."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit, concurrency
from portal.evaluation import facts
from portal.models import Case, CaseHandover, Phase, StaffUser, Team
from portal.staff.operations import contacts as contact_ops


class ReferenceTaken(Exception):
    """Another case already has this file reference."""


class CaseClosed(Exception):
    """A closed case keeps its phase."""


class HandoverNoteMissing(Exception):
    """A new caseworker needs a handover note: "from one hand" means a deliberate change."""


def open_case(session: Session, team: Team, title: str, reference: str, by: StaffUser) -> Case:
    """A new case of `team`, carried by `by`, with its (empty) plan and its first phase."""
    reference = reference.strip()
    if session.scalar(sa.select(Case.id).where(Case.reference == reference)):
        raise ReferenceTaken
    case = facts.open_case(session, team, title.strip(), reference, primary=by, by=by)  # history kept with dates
    audit.record(session, audit.Action.case_create, case_id=case.id, actor=by)
    session.flush()
    return case


def change_phase(session: Session, case: Case, phase: Phase, revision: str | None, by: StaffUser) -> bool:
    """Move the case to `phase` (kept in its history with the date); False if it is there already.

    Closing goes through `retention.close_case`: the family's accounts stop at once.
    """
    if case.is_closed:
        raise CaseClosed
    if phase is case.phase:
        return False
    with concurrency.saving(session, (case, revision)):
        facts.change_phase(session, case, phase, by)  # closing deactivates the family's accounts
        audit.record(session, audit.Action.case_phase, case_id=case.id, obj=case, actor=by)
    return True


def assign(session: Session, case: Case, primary: StaffUser, deputy: StaffUser | None, note: str,
           revision: str | None, by: StaffUser) -> CaseHandover | None:
    """A lead sets who carries the case and who deputises.

    A new primary caseworker is a handover: it needs a note, which is kept with
    the date, who handed over to whom and who decided (`CaseHandover`), and the
    new caseworker reads it on top of the case. The family's caseworker and
    deputy contacts name the new people in the same step, so the family's
    contacts and home page show them at once.
    """
    note = (note or "").strip()
    handing_over = primary.id != case.primary_caseworker_id
    if handing_over and not note:
        raise HandoverNoteMissing
    handover = None
    with concurrency.saving(session, (case, revision)):
        if handing_over:
            handover = CaseHandover(case_id=case.id, note=note, from_id=case.primary_caseworker_id, to_id=primary.id,
                                    by_id=by.id)
            session.add(handover)
        facts.assign(session, case, primary, deputy, by)  # a new primary is kept with its date
        audit.record(session, audit.Action.case_handover if handing_over else audit.Action.case_assign,
                     case_id=case.id, obj=handover or case, actor=by)
        contact_ops.follow_caseworkers(session, case, by)
    return handover


def latest_handover(case: Case) -> CaseHandover | None:
    """The handover the case's caseworker reads on top of the case."""
    return case.handovers[0] if case.handovers else None
