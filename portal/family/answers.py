"""What a family member does in the portal: ask, answer, agree, raise an alert, mark as seen.

Plain domain functions. Whether the member may do it is the viewer's answer
(`portal.sharing.Viewer`: a child does not answer, nobody answers a cancelled or
past appointment, a preview does nothing); each function asks it again, so no
path can skip it. They add and flush; the view commits once.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.models import (
    Appointment,
    AppointmentAnswer,
    AppointmentAnswerChange,
    Member,
    PlanVersion,
    PublishedItem,
    Question,
    SafetyAlert,
    VersionResponse,
)
from portal.sharing import Viewer


class NotAllowed(Exception):
    """The action does not apply (cancelled or past appointment, a child answering, a preview, …)."""


class Outdated(Exception):
    """The appointment changed since the member's page was loaded: they answer the current one."""


def ask_question(viewer: Viewer, item: PublishedItem, text: str) -> Question:
    if not viewer.may_ask() or not viewer.may_see(item):
        raise NotAllowed
    member = viewer.member
    question = Question(case_id=member.case_id, member_id=member.id, item_id=item.item_id, text=text.strip())
    viewer.session.add(question)
    viewer.session.flush()
    return question


def answer_appointment(
    viewer: Viewer, appointment: Appointment, coming: bool, reason: str, seen_revision: int | None = None,
    interpreter: bool = False,
) -> AppointmentAnswer:
    """One current answer per member and appointment; answering again replaces it, and the
    earlier answer is kept (`AppointmentAnswerChange`) for the caseworker to see.

    `seen_revision` is the appointment's revision on the member's page: if it was
    moved or changed since, nothing is saved (`Outdated`) and they see the new state.
    """
    if not viewer.may_answer(appointment):
        raise NotAllowed
    if seen_revision is not None and seen_revision != appointment.revision:
        raise Outdated
    session, member = viewer.session, viewer.member
    answer = session.scalar(
        sa.select(AppointmentAnswer).where(
            AppointmentAnswer.appointment_id == appointment.id, AppointmentAnswer.member_id == member.id
        )
    )
    if answer is None:
        answer = AppointmentAnswer(appointment_id=appointment.id, member_id=member.id, coming=coming)
        session.add(answer)
    else:
        answer.earlier.append(AppointmentAnswerChange(coming=answer.coming, reason=answer.reason,
                                                      interpreter=answer.interpreter, answered_at=answer.answered_at))
    answer.coming = coming
    answer.reason = "" if coming else reason.strip()
    answer.interpreter = interpreter and viewer.may_ask_for_interpreter()
    answer.answered_at = utcnow()
    session.flush()
    return answer


def respond_to_version(viewer: Viewer, version: PlanVersion, agrees: bool, comment: str) -> VersionResponse:
    """Agree or disagree with a version. Every answer is kept; the newest one counts."""
    if not viewer.may_respond():
        raise NotAllowed
    response = VersionResponse(version_id=version.id, member_id=viewer.member.id, agrees=agrees,
                               comment=comment.strip(), answered_at=utcnow())
    viewer.session.add(response)
    viewer.session.flush()
    return response


def raise_safety_alert(viewer: Viewer) -> SafetyAlert:
    if not viewer.may_raise_alert():
        raise NotAllowed
    member = viewer.member
    alert = SafetyAlert(case_id=member.case_id, member_id=member.id)
    viewer.session.add(alert)
    viewer.session.flush()
    return alert


def mark_seen(session: Session, member: Member, latest_number: int | None) -> None:
    """The member pressed "Got it": what is new now counts as seen.

    This is an explicit POST, never a side effect of viewing a page: GET changes
    nothing in the database, and a member who only glanced at the home page on
    a shared phone still finds the news marked as new next time.
    """
    if latest_number is not None:
        member.last_seen_version = latest_number
    member.last_visit_at = utcnow()
    session.flush()
