"""What the family sent: replies to questions, and alerts taken care of."""
from __future__ import annotations

from sqlalchemy.orm import Session

from portal import audit, concurrency, sharing
from portal.db import utcnow
from portal.models import AppointmentAnswer, Case, Member, Question, SafetyAlert, StaffUser, VersionResponse
from portal.notifications import events as notify


class ReadersRefused(Exception):
    """Chosen readers who do not see the plan item the question is about."""

    def __init__(self, members: list[Member]):
        super().__init__(", ".join(m.display_name for m in members))
        self.members = members


def reply(session: Session, case: Case, question: Question, text: str, reader_ids: list[int], revision: str | None,
          by: StaffUser) -> None:
    """Reply; the asker sees question and reply, and so do the readers chosen here, each only
    while they see the plan item the question is about (`portal.sharing`)."""
    members = {m.id: m for m in case.members}
    readers = [members[i] for i in reader_ids if i in members and i != question.member_id]
    refused = [m for m in readers if question.item_id is not None
               and sharing.viewer(session, m).item(question.item_id) is None]
    if refused:
        raise ReadersRefused(refused)
    with concurrency.saving(session, (question, revision)):
        question.reply = text.strip()
        question.replied_at = utcnow()
        question.replied_by = by
        question.readers = readers
        audit.record(session, audit.Action.question_reply, case_id=case.id, obj=question, actor=by)
    notify.question_replied(session, question)


def acknowledge_alert(session: Session, case: Case, alert: SafetyAlert, by: StaffUser) -> None:
    """"I am taking care of it": the first to press it is kept with the time."""
    if alert.acknowledged_at is None:
        alert.acknowledged_at = utcnow()
        alert.acknowledged_by = by
        audit.record(session, audit.Action.alert_acknowledge, case_id=case.id, obj=alert, actor=by)
    session.flush()


def mark_answer_handled(session: Session, case: Case, answer: AppointmentAnswer, by: StaffUser) -> None:
    """The caseworker has seen "I will come" / "I cannot come"; answering again makes it new."""
    if not answer.handled:
        answer.handled_at = utcnow()
        answer.handled_by = by
        audit.record(session, audit.Action.answer_handled, case_id=case.id, obj=answer, actor=by)
    session.flush()


def mark_response_handled(session: Session, case: Case, response: VersionResponse, by: StaffUser) -> None:
    """An agreement noted, a disagreement talked over: the family's answer to a plan version is handled."""
    if response.handled_at is None:
        response.handled_at = utcnow()
        response.handled_by = by
        audit.record(session, audit.Action.response_handled, case_id=case.id, obj=response, actor=by)
    session.flush()
