"""Who is told: the one place where notifications ask the sharing rule (DESIGN.md § 3, § 5b).

Every question "may this person learn that this object is there?" is asked here,
per member, of `portal.sharing`, and nowhere else in `portal.notifications`:
when the event is written to the outbox, and again when the worker bundles it
(taking something away applies at once: a member deactivated, a case closed, an
appointment narrowed to someone else while a message waits).

- Nobody learns of an object they may not see: an item shared with the youth
  alone notifies nobody else, an entrusted item without consent nobody but the
  person who entrusted it.
- A new plan version notifies each member whose own view of the plan changed
  (their view of the previous version against their view of the new one).
- A child hears only of the appointments a child's pages show.
- Staff: the case's primary and deputy caseworker (`sharing.may_open_case`),
  and the team's leads for an escalated alert.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import publishing, sharing
from portal.family.pages import CHILD_APPOINTMENT_TYPES, FAMILY_FIELDS
from portal.models import (
    Appointment,
    Case,
    Member,
    MemberKind,
    NotificationKind,
    PlanVersion,
    PublishedItem,
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


def may_hear_of_appointment(member: Member, appointment: Appointment) -> bool:
    if not sharing.may_see(member, appointment):
        return False
    return member.kind is not MemberKind.child or appointment.type in CHILD_APPOINTMENT_TYPES


def members_for_appointment(case: Case, appointment: Appointment) -> list[Member]:
    return [m for m in case.members if may_hear_of_appointment(m, appointment)]


def members_for_reply(question: Question) -> list[Member]:
    """The asker and the readers the caseworker chose, as far as they may see the question."""
    return [m for m in [question.member, *question.readers] if sharing.may_see(m, question)]


def members_with_news_in_version(session: Session, version: PlanVersion, previous: PlanVersion | None) -> list[Member]:
    """The members who see something new, changed or gone in `version` compared with `previous`.

    Each member's view of both versions comes from `sharing.visible_in_version`,
    so an item they could not see, then or now, is no news to them.
    """
    new_snapshot = publishing.version_snapshot(version)
    old_snapshot = publishing.version_snapshot(previous)
    told = []
    for member in version.plan.case.members:
        if not may_receive(member):
            continue
        now_ids = _visible_item_ids(session, member, version.id)
        old_ids = _visible_item_ids(session, member, previous.id) if previous is not None else set()
        diff = publishing.compare({k: v for k, v in old_snapshot.items() if k in old_ids},
                                  {k: v for k, v in new_snapshot.items() if k in now_ids})
        if diff.added or diff.removed or any(set(c.fields) & set(FAMILY_FIELDS) for c in diff.changed):
            told.append(member)
    return told


def _visible_item_ids(session: Session, member: Member, version_id: int) -> set[int]:
    return set(session.scalars(sa.select(PublishedItem.item_id).where(sharing.visible_in_version(member, version_id))))


def still_relevant(session: Session, member: Member, kind: NotificationKind, object_id: int | None) -> str | None:
    """At bundling time: None if the member may still hear of it, else why not."""
    if not may_receive(member):
        return "inactive"
    if object_id is None:
        return None
    if kind in APPOINTMENT_KINDS:
        appointment = session.get(Appointment, object_id)
        if appointment is None or not may_hear_of_appointment(member, appointment):
            return "not_visible"
    elif kind is NotificationKind.reply:
        question = session.get(Question, object_id)
        if question is None or not sharing.may_see(member, question):
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
