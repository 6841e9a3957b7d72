"""Who is told: the one place where notifications ask the sharing rule (DESIGN.md § 3, § 5b).

Every question "may this person learn that this object is there?" is asked here,
of the members' viewers (`portal.sharing.Viewer`, `sharing.who_sees` for all
members of a case at once), and nowhere else in `portal.notifications`:
when the event is written to the outbox, and again when the worker bundles it
(taking something away applies at once: a member deactivated, a case closed, an
appointment narrowed to someone else while a message waits).

- Nobody learns of an object they may not see: an item shared with the youth
  alone notifies nobody else, an entrusted item without consent nobody but the
  person who entrusted it.
- A new plan version notifies each member whose own view of the plan changed
  (their view of the previous version against their view of the new one).
- A child hears only of the appointments a child's pages show (the viewer's rule).
- Staff: the case's primary and deputy caseworker (`sharing.may_open_case`),
  and the team's leads for an escalated alert.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import publishing, sharing
from portal.family.pages import FAMILY_FIELDS
from portal.models import (
    Appointment,
    Case,
    Member,
    NotificationKind,
    PlanVersion,
    Question,
    Role,
    SafetyAlert,
    StaffUser,
)

APPOINTMENT_KINDS = (
    NotificationKind.appointment_new, NotificationKind.appointment_changed, NotificationKind.appointment_cancelled,
    NotificationKind.reminder_day_before, NotificationKind.reminder_morning,
)


# --- family members -------------------------------------------------------------

def may_receive(member: Member) -> bool:
    """Deactivated members and closed cases get nothing, also for messages already waiting."""
    return sharing.account_open(member)


def members_for_appointment(session: Session, appointment: Appointment) -> list[Member]:
    return sharing.who_sees(session, Appointment, [appointment.id], case_id=appointment.case_id)[appointment.id]


def members_for_reply(session: Session, question: Question) -> list[Member]:
    """The asker and the readers the caseworker chose, as far as they may see the question."""
    return [m for m in [question.member, *question.readers] if sharing.Viewer(session, m).may_see(question)]


def members_with_news_in_version(session: Session, version: PlanVersion, previous: PlanVersion | None) -> list[Member]:
    """The members who see something new, changed or gone in `version` compared with `previous`.

    Each member's view of both versions comes from their viewer, so an item they
    could not see, then or now, is no news to them.
    """
    told = []
    for member in version.plan.case.members:
        if not may_receive(member):
            continue
        viewer = sharing.Viewer(session, member)
        now = publishing.snapshots(viewer.items(versions=(version.number,)))
        old = publishing.snapshots(viewer.items(versions=(previous.number,))) if previous is not None else {}
        diff = publishing.compare(old, now)
        if diff.added or diff.removed or any(set(c.fields) & set(FAMILY_FIELDS) for c in diff.changed):
            told.append(member)
    return told


def still_relevant(session: Session, member: Member, kind: NotificationKind, object_id: int | None) -> str | None:
    """At bundling time: None if the member may still hear of it, else why not."""
    if not may_receive(member):
        return "inactive"
    if kind is NotificationKind.checkin_due:  # answered or switched off meanwhile: no reminder
        return None if sharing.Viewer(session, member).checkin_due() else "not_due"
    if object_id is None:
        return None
    if kind in APPOINTMENT_KINDS:
        appointment = session.get(Appointment, object_id)
        if appointment is None or not sharing.Viewer(session, member).may_see(appointment):
            return "not_visible"
    elif kind is NotificationKind.reply:
        question = session.get(Question, object_id)
        if question is None or not sharing.Viewer(session, member).may_see(question):
            return "not_visible"
    return None


# --- staff ----------------------------------------------------------------------

def caseworkers(case: Case) -> list[StaffUser]:
    """Primary and deputy caseworker, as far as they may (still) open the case."""
    people = [s for s in (case.primary_caseworker, case.deputy_caseworker) if s is not None]
    return [s for s in dict.fromkeys(people) if sharing.may_open_case(s, case)]


def leads(session: Session, case: Case) -> list[StaffUser]:
    """The team leads of the case's team (an unacknowledged alert escalates to them)."""
    found = session.scalars(
        sa.select(StaffUser).where(StaffUser.team_id == case.team_id, StaffUser.role == Role.lead, StaffUser.active)
        .order_by(StaffUser.id)
    )
    return [s for s in found if sharing.may_open_case(s, case)]


def staff_still_relevant(session: Session, staff: StaffUser, case: Case, kind: NotificationKind,
                         object_id: int | None) -> str | None:
    """At bundling time: None if the staff member may still be told, else why not."""
    if not sharing.may_open_case(staff, case):
        return "inactive"
    if kind is NotificationKind.alert_escalation and object_id is not None:
        alert = session.get(SafetyAlert, object_id)
        if alert is None or alert.acknowledged_at is not None:
            return "acknowledged"
    return None
