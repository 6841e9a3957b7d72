"""Events into the outbox: each adds `Notification` rows in the caller's transaction.

Called by the view that causes the event, before its one commit: a rolled-back
request leaves no row, a committed one is never forgotten. Who is told comes
from `portal.notifications.recipients` only. After the commit the worker is
nudged (`queue.nudge_after_commit`); if the queue is unreachable the periodic
sweep finds the rows anyway, and the request is never blocked.

Hook points (README "Notifications"):
- `plan_published`        staff.publish
- `appointment_saved`     staff.appointments (new), staff.appointment_edit (changed)
- `appointment_cancelled` staff.appointment_cancel
- `question_replied`      staff.question_reply
- `safety_alert_raised`   family.not_safe
- `question_asked`, `appointment_answered`, `version_answered`  family.ask, family.appointment, family.respond
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from portal.models import (
    Appointment,
    AppointmentAnswer,
    AppointmentStatus,
    Case,
    Member,
    Notification,
    NotificationKind,
    PlanVersion,
    Question,
    SafetyAlert,
    StaffUser,
    VersionResponse,
)
from portal.notifications import queue, recipients


def _add(session: Session, case: Case, kind: NotificationKind, object_id: int | None,
         members: list[Member] = (), staff: list[StaffUser] = ()) -> list[Notification]:
    rows = [Notification(member_id=m.id, case_id=case.id, kind=kind, object_id=object_id) for m in members]
    rows += [Notification(staff_id=s.id, case_id=case.id, kind=kind, object_id=object_id) for s in staff]
    if rows:
        session.add_all(rows)
        session.flush()
        queue.nudge_after_commit(session)
    return rows


# --- to the family ----------------------------------------------------------------

def plan_published(session: Session, version: PlanVersion) -> list[Notification]:
    """Each member who sees something new, changed or gone in this version."""
    previous = next((v for v in version.plan.versions if v.number == version.number - 1), None)
    members = recipients.members_with_news_in_version(session, version, previous)
    return _add(session, version.plan.case, NotificationKind.new_version, version.id, members)


def appointment_saved(session: Session, appointment: Appointment, created: bool) -> list[Notification]:
    """A new appointment, or a change to one, for each member who may see it (now)."""
    kind = NotificationKind.appointment_new if created else NotificationKind.appointment_changed
    return _add(session, appointment.case, kind, appointment.id,
                recipients.members_for_appointment(session, appointment))


def appointment_cancelled(session: Session, appointment: Appointment) -> list[Notification]:
    if appointment.status is not AppointmentStatus.cancelled:
        return []
    return _add(session, appointment.case, NotificationKind.appointment_cancelled, appointment.id,
                recipients.members_for_appointment(session, appointment))


def question_replied(session: Session, question: Question) -> list[Notification]:
    """The asker and the chosen readers learn that there is a reply."""
    case = question.member.case
    return _add(session, case, NotificationKind.reply, question.id, recipients.members_for_reply(session, question))


# --- to staff ---------------------------------------------------------------------

def safety_alert_raised(session: Session, alert: SafetyAlert) -> list[Notification]:
    """At once, day and night, to the primary and deputy caseworker (the lead follows if unacknowledged)."""
    case = alert.member.case
    return _add(session, case, NotificationKind.safety_alert, alert.id, staff=recipients.caseworkers(case))


def question_asked(session: Session, question: Question) -> list[Notification]:
    case = question.member.case
    return _add(session, case, NotificationKind.question, question.id, staff=recipients.caseworkers(case))


def appointment_answered(session: Session, answer: AppointmentAnswer) -> list[Notification]:
    case = answer.appointment.case
    return _add(session, case, NotificationKind.appointment_answer, answer.appointment_id,
                staff=recipients.caseworkers(case))


def version_answered(session: Session, response: VersionResponse) -> list[Notification]:
    """Only a disagreement goes into the digest; an agreement shows in the history."""
    if response.agrees:
        return []
    case = response.version.plan.case
    return _add(session, case, NotificationKind.disagreement, response.version_id, staff=recipients.caseworkers(case))
