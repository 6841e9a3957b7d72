"""What a family member does in the portal: ask, answer, agree, raise an alert, mark as seen.

Plain domain functions: they check what only the domain knows (a cancelled
appointment cannot be answered, a child does not answer), add and flush; the
view commits once. Who may see the object was already decided by
`portal.sharing` when the view loaded it.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import sharing
from portal.db import utcnow
from portal.models import (
    Appointment,
    AppointmentAnswer,
    AppointmentStatus,
    Member,
    MemberKind,
    PlanVersion,
    PublishedItem,
    Question,
    SafetyAlert,
    VersionResponse,
)


class NotAllowed(Exception):
    """The action does not apply (cancelled appointment, a child answering, …)."""


def may_answer(member: Member) -> bool:
    """Parents and youths answer and ask; a child's portal changes nothing (DESIGN.md § 2)."""
    return member.kind is not MemberKind.child


def may_raise_alert(member: Member) -> bool:
    """"I don't feel safe" is for the young people of the family."""
    return member.kind in (MemberKind.youth, MemberKind.child)


def visible_item_or_none(session: Session, member: Member, item_id: int) -> PublishedItem | None:
    """The latest published form of draft item `item_id`, if `member` may see it."""
    return session.scalar(
        sa.select(PublishedItem).where(PublishedItem.item_id == item_id, sharing.visible_to(member, PublishedItem))
    )


def ask_question(session: Session, member: Member, item: PublishedItem, text: str) -> Question:
    if not may_answer(member):
        raise NotAllowed
    question = Question(case_id=member.case_id, member_id=member.id, item_id=item.item_id, text=text.strip())
    session.add(question)
    session.flush()
    return question


def answer_appointment(
    session: Session, member: Member, appointment: Appointment, coming: bool, reason: str
) -> AppointmentAnswer:
    """One answer per member and appointment; answering again replaces it."""
    if not may_answer(member) or appointment.status is AppointmentStatus.cancelled:
        raise NotAllowed
    answer = session.scalar(
        sa.select(AppointmentAnswer).where(
            AppointmentAnswer.appointment_id == appointment.id, AppointmentAnswer.member_id == member.id
        )
    )
    if answer is None:
        answer = AppointmentAnswer(appointment_id=appointment.id, member_id=member.id, coming=coming)
        session.add(answer)
    answer.coming = coming
    answer.reason = "" if coming else reason.strip()
    answer.answered_at = utcnow()
    session.flush()
    return answer


def respond_to_version(
    session: Session, member: Member, version: PlanVersion, agrees: bool, comment: str
) -> VersionResponse:
    """Agree or disagree with a version; a second answer to the same version replaces the first."""
    if not may_answer(member):
        raise NotAllowed
    response = session.scalar(
        sa.select(VersionResponse).where(
            VersionResponse.version_id == version.id, VersionResponse.member_id == member.id
        )
    )
    if response is None:
        response = VersionResponse(version_id=version.id, member_id=member.id, agrees=agrees)
        session.add(response)
    response.agrees = agrees
    response.comment = comment.strip()
    response.answered_at = utcnow()
    session.flush()
    return response


def raise_safety_alert(session: Session, member: Member) -> SafetyAlert:
    if not may_raise_alert(member):
        raise NotAllowed
    alert = SafetyAlert(case_id=member.case_id, member_id=member.id)
    session.add(alert)
    session.flush()
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
