"""A child's or youth's care facts (what the evaluation counts), saved onto the revision the form showed."""
from __future__ import annotations

from sqlalchemy.orm import Session

from portal import audit, concurrency
from portal.evaluation import facts
from portal.models import Case, Member, StaffUser


def save_care(session: Session, case: Case, member: Member, care: facts.CareFacts, revision: str | None,
              by: StaffUser) -> None:
    """Record `care` for `member`; `concurrency.Stale` if someone saved them since the form was shown."""
    record = facts.care_record(session, member)
    with concurrency.saving(session, (record, revision or concurrency.NO_ROW)):
        facts.record_care(session, member, care, by=by)
        audit.record(session, audit.Action.care_update, case_id=case.id, obj=member, actor=by)
