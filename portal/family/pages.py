"""Page builders: everything a family page shows, for one member, as a dict for its template.

Each builder takes `(session, member)` and reads only through `portal.sharing`,
so the family's own views and the caseworker's "preview as" render exactly the
same page: `render_template("family/<page>.html", **builder(session, member))`.
Templates use the `member` from this dict, never `current_user`.

The caseworker's preview passes `preview=True` to `render_template` as well:
the templates then leave out the member's forms (answer, ask, agree, "Got it",
"I don't feel safe"), which would not work for staff anyway.

Builders only read. "What's new since your last visit" compares with
`Member.last_seen_version` / `last_visit_at`, which change only when the member
presses "Got it" (a POST, see `answers.mark_seen`), never by viewing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import publishing, sharing
from portal.calendar import visible_appointments
from portal.db import utcnow
from portal.family.answers import may_answer, may_raise_alert
from portal.family.plan import PlanPage
from portal.i18n import content_translations
from portal.family.plan import plan_page as plan_structure
from portal.models import (
    Appointment,
    AppointmentAnswer,
    AppointmentStatus,
    AppointmentType,
    AuditEvent,
    Contact,
    ContactType,
    ItemKind,
    ItemStatus,
    Member,
    MemberKind,
    PlanVersion,
    PublishedItem,
    Question,
    SafetyAlert,
    VersionResponse,
)

# The fields of a plan item a family member reads; a change to anything else
# (audience, consent, order) is not news to them.
FAMILY_FIELDS = ("text", "simple_text", "owner", "due_on", "status", "parent_item_id")


def reads_simply(member: Member | None) -> bool:
    """Easy-read pages for whoever chose them, and always for a child."""
    return member is not None and (member.easy_read or member.kind is MemberKind.child)


def _common(member: Member) -> dict:
    return {
        "member": member,
        "simple": reads_simply(member),
        "may_answer": may_answer(member),
        "may_raise_alert": may_raise_alert(member),
    }


# --- plan ---------------------------------------------------------------------

@dataclass
class PlanChanges:
    """What changed in the plan since the version the member last marked as seen."""

    since: int
    added: list[publishing.ItemSnapshot]
    removed: list[publishing.ItemSnapshot]
    changed: list[publishing.ItemChange]
    fields_by_item: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def latest_version(session: Session, member: Member, page: PlanPage | None = None) -> PlanVersion | None:
    """The version the member's plan page shows (None before anything was shared)."""
    if page is not None and page.version is not None:
        return page.version
    return session.scalar(
        sa.select(PlanVersion)
        .join(PublishedItem, PublishedItem.version_id == PlanVersion.id)
        .where(sharing.visible_to(member, PublishedItem))
        .limit(1)
    )


def plan_changes(session: Session, member: Member, latest: PlanVersion | None) -> PlanChanges | None:
    """Compare the member's view of the last seen version with their view of the latest."""
    seen = member.last_seen_version
    if latest is None or seen is None or seen >= latest.number:
        return None
    old_version = session.scalar(
        sa.select(PlanVersion).where(PlanVersion.plan_id == latest.plan_id, PlanVersion.number == seen)
    )
    if old_version is None:
        return None
    old_ids = set(session.scalars(sa.select(PublishedItem.item_id).where(sharing.visible_in_version(member, old_version.id))))
    new_ids = set(session.scalars(sa.select(PublishedItem.item_id).where(sharing.visible_to(member, PublishedItem))))
    old = {k: v for k, v in publishing.version_snapshot(old_version).items() if k in old_ids}
    new = {k: v for k, v in publishing.version_snapshot(latest).items() if k in new_ids}
    diff = publishing.compare(old, new)
    changed = []
    for change in diff.changed:
        relevant = tuple(f for f in change.fields if f in FAMILY_FIELDS)
        if relevant:
            changed.append(publishing.ItemChange(change.old, change.new, relevant))
    return PlanChanges(
        since=seen, added=diff.added, removed=diff.removed, changed=changed,
        fields_by_item={c.new.item_id: c.fields for c in changed},
    )


def _questions_by_item(session: Session, member: Member) -> dict[int | None, list[Question]]:
    questions = session.scalars(
        sa.select(Question).where(sharing.visible_to(member, Question)).order_by(Question.asked_at, Question.id)
    )
    grouped: dict[int | None, list[Question]] = {}
    for question in questions:
        grouped.setdefault(question.item_id, []).append(question)
    return grouped


def own_responses(session: Session, member: Member) -> list[VersionResponse]:
    """The member's own answers to plan versions, newest version first."""
    return list(
        session.scalars(
            sa.select(VersionResponse)
            .join(PlanVersion, PlanVersion.id == VersionResponse.version_id)
            .where(VersionResponse.member_id == member.id)
            .order_by(PlanVersion.number.desc())
        )
    )


def plan_page(session: Session, member: Member) -> dict:
    page = plan_structure(session, member)
    version = page.version
    responses = own_responses(session, member)
    current = next((r for r in responses if version and r.version_id == version.id), None)
    changes = plan_changes(session, member, version)
    return {
        **_common(member),
        "page": page,
        "changes": changes,
        "changed_fields": changes.fields_by_item if changes else {},
        "questions": _questions_by_item(session, member),
        "responses": responses,
        "current_response": current,
    }


# --- path home ------------------------------------------------------------------

@dataclass
class Milestone:
    item: PublishedItem
    state: str  # "reached", "now", "next"


def milestones(session: Session, member: Member) -> list[Milestone]:
    """The shared milestones as a path: all done ones reached, the first open one "now"."""
    items = session.scalars(
        sa.select(PublishedItem)
        .where(sharing.visible_to(member, PublishedItem), PublishedItem.kind == ItemKind.milestone)
        .order_by(PublishedItem.position, PublishedItem.id)
    )
    path, now_found = [], False
    for item in items:
        if item.status is ItemStatus.done:
            path.append(Milestone(item, "reached"))
        elif not now_found:
            path.append(Milestone(item, "now"))
            now_found = True
        else:
            path.append(Milestone(item, "next"))
    return path


def path_page(session: Session, member: Member) -> dict:
    path = milestones(session, member)
    return {
        **_common(member),
        "milestones": path,
        "reached": sum(1 for m in path if m.state == "reached"),
        "next_visit": next(
            (a for a in upcoming(session, member) if a.type in CHILD_APPOINTMENT_TYPES), None
        ) if member.kind is MemberKind.child else None,
    }


# --- appointments ---------------------------------------------------------------

# A child's pages speak to a child: of what is shared with them, only the
# appointments about time together are shown (no court, no conferences).
CHILD_APPOINTMENT_TYPES = (AppointmentType.visit, AppointmentType.overnight, AppointmentType.school,
                           AppointmentType.therapy)


def _for_member(member: Member, appointments: list[Appointment]) -> list[Appointment]:
    if member.kind is MemberKind.child:
        return [a for a in appointments if a.type in CHILD_APPOINTMENT_TYPES]
    return appointments


def upcoming(session: Session, member: Member, now: datetime | None = None) -> list[Appointment]:
    now = now or utcnow()
    return [a for a in _for_member(member, visible_appointments(session, member))
            if (a.ends_at or a.starts_at) >= now]


def own_answers(session: Session, member: Member) -> dict[int, AppointmentAnswer]:
    return {
        a.appointment_id: a
        for a in session.scalars(sa.select(AppointmentAnswer).where(AppointmentAnswer.member_id == member.id))
    }


def is_changed(appointment: Appointment) -> bool:
    return appointment.changed_at is not None or appointment.status is not AppointmentStatus.scheduled


def appointments_page(session: Session, member: Member) -> dict:
    now = utcnow()
    shown = _for_member(member, visible_appointments(session, member))
    return {
        **_common(member),
        "upcoming": [a for a in shown if (a.ends_at or a.starts_at) >= now],
        "past": list(reversed([a for a in shown if (a.ends_at or a.starts_at) < now])),
        "answers": own_answers(session, member),
        "appointment_translations": content_translations(session, "appointment", [a.id for a in shown]),
    }


def appointment_page(session: Session, member: Member, appointment_id: int) -> dict:
    appointment = sharing.get_visible_or_404(session, member, Appointment, appointment_id)
    return {
        **_common(member),
        "appointment": appointment,
        "answers": own_answers(session, member),
        "appointment_translations": content_translations(session, "appointment", [appointment.id]),
    }


# --- contacts -----------------------------------------------------------------

CONTACT_GROUPS = (
    ("caseworker", (ContactType.caseworker, ContactType.deputy)),
    ("network", (ContactType.network,)),
    ("services", (ContactType.provider, ContactType.service)),
    ("emergency", (ContactType.emergency,)),
)


def visible_contacts(session: Session, member: Member) -> list[Contact]:
    return list(
        session.scalars(
            sa.select(Contact)
            .where(sharing.visible_to(member, Contact))
            .order_by(Contact.case_id.is_(None), Contact.position, Contact.id)
        )
    )


def contacts_page(session: Session, member: Member) -> dict:
    contacts = visible_contacts(session, member)
    groups = [(name, [c for c in contacts if c.type in types]) for name, types in CONTACT_GROUPS]
    return {
        **_common(member), "groups": [(name, found) for name, found in groups if found],
        "contact_translations": content_translations(session, "contact", [c.id for c in contacts]),
    }


def caseworker_contact(contacts: list[Contact]) -> Contact | None:
    return next((c for c in contacts if c.type is ContactType.caseworker and c.phone), None)


# --- home ---------------------------------------------------------------------

@dataclass
class News:
    version: PlanVersion | None
    appointments: list[Appointment]
    replies: list[Question]

    def __bool__(self) -> bool:
        return bool(self.version or self.appointments or self.replies)


def news(session: Session, member: Member, version: PlanVersion | None) -> News:
    since = member.last_visit_at
    new_version = version if version and (member.last_seen_version or 0) < version.number else None
    changed = [
        a for a in _for_member(member, visible_appointments(session, member))
        if is_changed(a) and (since is None or (a.changed_at or a.created_at) > since)
    ]
    replies = [
        q for q in session.scalars(
            sa.select(Question).where(sharing.visible_to(member, Question), Question.replied_at.is_not(None))
            .order_by(Question.replied_at.desc())
        )
        if since is None or q.replied_at > since
    ]
    return News(new_version, changed, replies)


def home_page(session: Session, member: Member) -> dict:
    version = latest_version(session, member)
    path = milestones(session, member)
    coming = [a for a in upcoming(session, member) if a.status is not AppointmentStatus.cancelled]
    return {
        **_common(member),
        "next_appointment": coming[0] if coming else None,
        "answers": own_answers(session, member),
        "appointment_translations": content_translations(session, "appointment", [a.id for a in coming[:1]]),
        "news": news(session, member, version),
        "reached": sum(1 for m in path if m.state == "reached"),
        "milestone_count": len(path),
        "caseworker": caseworker_contact(visible_contacts(session, member)),
    }


# --- account and self-export ----------------------------------------------------

def file_openings(session: Session, member: Member, limit: int = 50) -> list[AuditEvent]:
    """Who at the office opened the family's file: staff reads of the case only.

    Other members' actions never appear: only events by staff principals are read.
    """
    return list(
        session.scalars(
            sa.select(AuditEvent)
            .where(
                AuditEvent.case_id == member.case_id,
                AuditEvent.action == "case.read",
                AuditEvent.actor.like("staff:%"),
            )
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )


def account_page(session: Session, member: Member) -> dict:
    return {
        **_common(member),
        "has_calendar": member.calendar_token_hash is not None,
        "file_openings": file_openings(session, member),
    }


def self_export(session: Session, member: Member) -> dict:
    """GDPR Art. 15: what the portal holds about this member, as they may see it.

    Plan items, appointments and contacts come through `portal.sharing` (so no
    one else's entrusted data); questions, answers, agreements and alerts are
    the member's own.
    """
    items = session.scalars(
        sa.select(PublishedItem).where(sharing.visible_to(member, PublishedItem)).order_by(PublishedItem.position)
    ).all()
    questions = session.scalars(
        sa.select(Question).where(sharing.visible_to(member, Question)).order_by(Question.asked_at)
    ).all()
    alerts = session.scalars(
        sa.select(SafetyAlert).where(SafetyAlert.member_id == member.id).order_by(SafetyAlert.raised_at)
    ).all()
    answers = own_answers(session, member)
    appointments = visible_appointments(session, member)
    return {
        "member": {
            "name": member.display_name,
            "kind": member.kind.value,
            "sign_in_name": member.username,
            "birth_year": member.birth_year,
            "language": member.language,
            "easy_read": member.easy_read,
            "calendar_address_active": member.calendar_token_hash is not None,
            "last_seen_plan_version": member.last_seen_version,
            "account_created_at": member.created_at.isoformat(),
        },
        "plan_items": [
            {"kind": i.kind.value, "text": i.text, "simple_text": i.simple_text, "owner": i.owner.value,
             "due_on": i.due_on.isoformat() if i.due_on else None, "status": i.status.value}
            for i in items
        ],
        "plan_responses": [
            {"version": r.version.number, "agrees": r.agrees, "comment": r.comment,
             "answered_at": r.answered_at.isoformat()}
            for r in own_responses(session, member)
        ],
        "appointments": [
            {"type": a.type.value, "starts_at": a.starts_at.isoformat(),
             "ends_at": a.ends_at.isoformat() if a.ends_at else None, "place": a.place, "bring": a.bring,
             "note": a.note, "status": a.status.value,
             "my_answer": None if a.id not in answers else {
                 "coming": answers[a.id].coming, "reason": answers[a.id].reason,
                 "answered_at": answers[a.id].answered_at.isoformat()}}
            for a in appointments
        ],
        "contacts": [
            {"name": c.name, "role": c.role_label, "phone": c.phone, "email": c.email,
             "opening_hours": c.opening_hours}
            for c in visible_contacts(session, member)
        ],
        "questions": [
            {"asked_by_me": q.member_id == member.id, "text": q.text, "asked_at": q.asked_at.isoformat(),
             "reply": q.reply, "replied_at": q.replied_at.isoformat() if q.replied_at else None}
            for q in questions
        ],
        "safety_alerts": [{"raised_at": a.raised_at.isoformat()} for a in alerts],
        "who_opened_our_file": [
            {"at": e.at.isoformat(), "role": e.actor_role, "name": e.actor_name}
            for e in file_openings(session, member, limit=1000)
        ],
    }
