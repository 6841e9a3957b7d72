"""Page builders: everything a family surface shows, for one viewer, as a dict for its template.

Each builder takes a `portal.sharing.Viewer` (the member, or a caseworker's
read-only preview of them) and reads only through it, so the family's own
views, the exports, the calendar and "preview as" show exactly the same thing.
Templates are rendered only by `render_family_page`, which hands them the
viewer: what a member may see *and* do (answer, ask, agree, raise an alert) is
the viewer's answer, never a template's or a view's own decision.

Builders only read. "What's new since your last visit" compares with
`Member.last_seen_version` / `last_visit_at`, which change only when the member
presses "Got it" (a POST, see `answers.mark_seen`), never by viewing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import contains_eager

from portal import publishing
from portal.family.plan import plan_structure
from portal.i18n import content_translations, current_language
from portal.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Contact,
    ContactType,
    ItemKind,
    ItemStatus,
    MemberKind,
    Owner,
    PlanVersion,
    PublishedItem,
    Question,
    SafetyAlert,
    VersionResponse,
)
from portal.sharing import Reader, Viewer, account_open

# The fields of a plan item a family member reads; a change to anything else
# (audience, consent, order) is not news to them.
FAMILY_FIELDS = ("text", "simple_text", "owner", "due_on", "status", "parent_item_id")


def render_family_page(template: str, viewer: Reader | None, **context) -> str:
    """The one way a family page is rendered: the viewer decides, the template shows.

    The public help pages pass a `Reader` (who reads, from the signed cookie; no data)
    or None for someone not signed in as a family member."""
    return render_template(template, viewer=viewer, member=getattr(viewer, "member", None),
                           simple=bool(viewer and viewer.reads_simply), preview=bool(viewer and viewer.preview),
                           **context)


def _translations(viewer: Viewer, object_type: str, ids: list[int]) -> dict[int, dict[str, dict]]:
    """The caseworkers' translations of what a page shows; none are read for a German reader,
    who reads the binding original (`i18n.localize`)."""
    return content_translations(viewer.session, object_type, ids) if current_language() != "de" else {}


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


def latest_version(viewer: Viewer) -> PlanVersion | None:
    """The version the member's plan page shows (None before anything was shared with them)."""
    return viewer.shown_version()


def plan_changes(seen: int, seen_items: list[PublishedItem], shown: list[PublishedItem]) -> PlanChanges | None:
    """Compare the member's view of the last seen version with their view of the latest (`shown`)."""
    if not seen_items:
        return None
    # Only the fields a family reads are compared: their audiences are not news to them.
    diff = publishing.compare(publishing.snapshots(seen_items, with_audiences=False),
                              publishing.snapshots(shown, with_audiences=False))
    changed = []
    for change in diff.changed:
        relevant = tuple(f for f in change.fields if f in FAMILY_FIELDS)
        if relevant:
            changed.append(publishing.ItemChange(change.old, change.new, relevant))
    return PlanChanges(
        since=seen, added=diff.added, removed=diff.removed, changed=changed,
        fields_by_item={c.new.item_id: c.fields for c in changed},
    )


def _questions_by_item(questions: list[Question]) -> dict[int | None, list[Question]]:
    grouped: dict[int | None, list[Question]] = {}
    for question in questions:
        grouped.setdefault(question.item_id, []).append(question)
    return grouped


def own_responses(viewer: Viewer) -> list[VersionResponse]:
    """The member's own answers to plan versions, newest first (several per version are kept)."""
    return list(
        viewer.session.scalars(
            sa.select(VersionResponse)
            .join(PlanVersion, PlanVersion.id == VersionResponse.version_id)
            .where(VersionResponse.member_id == viewer.member.id)
            # Each with its version's number, from the join (not a query per older version).
            .options(contains_eager(VersionResponse.version).lazyload(PlanVersion.note_people))
            .order_by(PlanVersion.number.desc(), VersionResponse.answered_at.desc(), VersionResponse.id.desc())
        )
    )


# Whose steps are "yours": parents do what the family or the parents do, a young person
# what the family or the child does.
OWNERS_OF = {
    MemberKind.parent: (Owner.family, Owner.parents),
    MemberKind.youth: (Owner.family, Owner.child),
    MemberKind.child: (Owner.family, Owner.child),
}


def plan_page(viewer: Viewer) -> dict:
    member = viewer.member
    version = latest_version(viewer)
    seen = member.last_seen_version
    compared = version is not None and seen is not None and seen < version.number
    # The version shown and, for "what changed", the one last marked as seen: one statement.
    found = viewer.items(versions=(version.number, seen) if compared else (version.number,)) if version else []
    page = plan_structure(version, [i for i in found if i.version_id == version.id])
    responses = own_responses(viewer)
    current = next((r for r in responses if version and r.version_id == version.id), None)
    items = [*(i for g in page.goals for i in ([g.goal] if g.goal else []) + g.steps), *page.milestones]
    changes = plan_changes(seen, [i for i in found if i.version_id != version.id], items) if compared else None
    questions = viewer.questions()
    return {
        "page": page,
        "changes": changes,
        "changed_fields": changes.fields_by_item if changes else {},
        "questions": _questions_by_item(questions),
        "responses": responses,
        "current_response": current,
        # What needs the member first: their open steps, a version to answer, replies to read.
        "next_steps": [i for i in items if i.kind is ItemKind.step and i.status is not ItemStatus.done
                       and i.owner in OWNERS_OF[member.kind]],
        "awaiting_answer": version is not None and current is None and viewer.may_respond(),
        "new_replies": [q for q in questions if q.member_id == member.id and q.replied_at is not None
                        and (member.last_visit_at is None or q.replied_at > member.last_visit_at)],
        "seen_with": seen_with(viewer, items),
    }


def seen_with(viewer: Viewer, items: list[PublishedItem]) -> dict[int, list | None]:
    """For each item: the other family members who see it too, or None when the whole family does
    (so each item can say "Only you", "You and Daniel", "The whole family")."""
    if not items:
        return {}
    others = viewer.others_seeing(items)
    family = {m.id for m in viewer.member.case.members if m.id != viewer.member.id and account_open(m)}
    return {item_id: None if family and {m.id for m in who} >= family else who for item_id, who in others.items()}


# --- path home ------------------------------------------------------------------

@dataclass
class Milestone:
    item: PublishedItem
    state: str  # "reached", "now", "next"


def milestones(viewer: Viewer) -> list[Milestone]:
    """The shared milestones as a path: all done ones reached, the first open one "now"."""
    path, now_found = [], False
    for item in viewer.items(kind=ItemKind.milestone):
        if item.status is ItemStatus.done:
            path.append(Milestone(item, "reached"))
        elif not now_found:
            path.append(Milestone(item, "now"))
            now_found = True
        else:
            path.append(Milestone(item, "next"))
    return path


def path_page(viewer: Viewer) -> dict:
    path = milestones(viewer)
    coming = upcoming(viewer, viewer.appointments())
    return {
        "milestones": path,
        "reached": sum(1 for m in path if m.state == "reached"),
        # For a child the viewer lists only appointments about time together.
        "next_visit": next((a for a in coming if a.status is not AppointmentStatus.cancelled), None)
        if viewer.child else None,
        # A child lands here: whom to call, with a picture (the grown-ups have it on their home page).
        "caseworker": caseworker_contact(viewer.contacts()) if viewer.child else None,
    }


# --- appointments ---------------------------------------------------------------

def upcoming(viewer: Viewer, appointments: list[Appointment]) -> list[Appointment]:
    return [a for a in appointments if not viewer.is_past(a)]


def is_changed(appointment: Appointment) -> bool:
    return appointment.changed_at is not None or appointment.status is not AppointmentStatus.scheduled


def appointments_page(viewer: Viewer) -> dict:
    shown = viewer.appointments()
    return {
        "upcoming": upcoming(viewer, shown),
        "past": list(reversed([a for a in shown if viewer.is_past(a)])),
        "answers": viewer.answers(),
        "appointment_translations": viewer.appointment_translations(),
    }


def appointment_page(viewer: Viewer, appointment_id: int) -> dict:
    appointment = viewer.get(Appointment, appointment_id)
    return {
        "appointment": appointment,
        "answers": viewer.answers(),
        "appointment_translations": viewer.appointment_translations(),
    }


# --- contacts -----------------------------------------------------------------

CONTACT_GROUPS = (
    ("caseworker", (ContactType.caseworker, ContactType.deputy)),
    ("network", (ContactType.network,)),
    ("services", (ContactType.provider, ContactType.service)),
    ("emergency", (ContactType.emergency,)),
)


def contacts_page(viewer: Viewer) -> dict:
    contacts = viewer.contacts()
    groups = [(name, [c for c in contacts if c.type in types]) for name, types in CONTACT_GROUPS]
    return {
        "groups": [(name, found) for name, found in groups if found],
        "contact_translations": _translations(viewer, "contact", [c.id for c in contacts]),
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


def news(viewer: Viewer, version: PlanVersion | None, appointments: list[Appointment]) -> News:
    member = viewer.member
    since = member.last_visit_at
    new_version = version if version and (member.last_seen_version or 0) < version.number else None
    changed = [
        a for a in appointments
        if is_changed(a) and (since is None or (a.changed_at or a.created_at) > since)
    ]
    replies = sorted(
        (q for q in viewer.questions()
         if q.member_id == member.id and q.replied_at is not None and (since is None or q.replied_at > since)),
        key=lambda q: q.replied_at, reverse=True,
    )
    return News(new_version, changed, replies)


def home_page(viewer: Viewer) -> dict:
    version = latest_version(viewer)
    reached, milestone_count = viewer.milestones_reached()
    appointments = viewer.appointments()
    coming = [a for a in upcoming(viewer, appointments) if a.status is not AppointmentStatus.cancelled]
    return {
        "next_appointment": coming[0] if coming else None,
        "answers": viewer.answers(),
        "appointment_translations": viewer.appointment_translations(),
        "news": news(viewer, version, appointments),
        "reached": reached,
        "milestone_count": milestone_count,
        "caseworker": caseworker_contact(viewer.contacts()),
    }


# --- account and self-export ----------------------------------------------------

def file_openings(viewer: Viewer, limit: int = 50) -> list[AuditEvent]:
    """Who at the office opened the family's file: staff reads of the case only.

    Other members' actions never appear: only events by staff principals are read.
    """
    return list(
        viewer.session.scalars(
            sa.select(AuditEvent)
            .where(
                AuditEvent.case_id == viewer.member.case_id,
                AuditEvent.action == "case.read",
                AuditEvent.actor.like("staff:%"),
            )
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )


def account_page(viewer: Viewer) -> dict:
    return {
        "has_calendar": viewer.member.calendar_token_hash is not None,
        "file_openings": file_openings(viewer),
    }


def self_export(viewer: Viewer) -> dict:
    """GDPR Art. 15: what the portal holds about this member, as they may see it.

    Plan items, appointments, contacts and questions come through the viewer (so
    no one else's entrusted data, and a child's appointments as a child's);
    answers, agreements, alerts and check-ins are the member's own.
    """
    member, session = viewer.member, viewer.session
    alerts = session.scalars(
        sa.select(SafetyAlert).where(SafetyAlert.member_id == member.id).order_by(SafetyAlert.raised_at)
    ).all()
    answers = viewer.answers()
    return {
        "member": {
            "name": member.display_name,
            "kind": member.kind.value,
            "sign_in_name": member.username,
            "birth_year": member.birth_year,
            "language": member.language,
            "easy_read": member.easy_read,
            "calendar_address_active": member.calendar_token_hash is not None,
            "calendar_details": member.calendar_details,
            "last_seen_plan_version": member.last_seen_version,
            "account_created_at": member.created_at.isoformat(),
        },
        "plan_items": [
            {"kind": i.kind.value, "text": i.text, "simple_text": i.simple_text, "owner": i.owner.value,
             "due_on": i.due_on.isoformat() if i.due_on else None, "status": i.status.value}
            for i in viewer.items()
        ],
        "plan_responses": [
            {"version": r.version.number, "agrees": r.agrees, "comment": r.comment,
             "answered_at": r.answered_at.isoformat()}
            for r in own_responses(viewer)
        ],
        "appointments": [
            {"type": a.type.value, "starts_at": a.starts_at.isoformat(),
             "ends_at": a.ends_at.isoformat() if a.ends_at else None, "place": a.place, "bring": a.bring,
             "note": a.note, "status": a.status.value,
             "my_answer": None if a.id not in answers else {
                 "coming": answers[a.id].coming, "reason": answers[a.id].reason,
                 "answered_at": answers[a.id].answered_at.isoformat()}}
            for a in viewer.appointments()
        ],
        "contacts": [
            {"name": c.name, "role": c.role_label, "phone": c.phone, "email": c.email,
             "opening_hours": c.opening_hours}
            for c in viewer.contacts()
        ],
        "questions": [
            {"asked_by_me": q.member_id == member.id, "text": q.text, "asked_at": q.asked_at.isoformat(),
             "reply": q.reply, "replied_at": q.replied_at.isoformat() if q.replied_at else None}
            for q in viewer.questions()
        ],
        "safety_alerts": [{"raised_at": a.raised_at.isoformat()} for a in alerts],
        # The member's own check-ins, every answer (a replaced one too); never anyone else's.
        "checkins": [
            {"week_of": c.period_on.isoformat(), "answered_at": c.answered_at.isoformat(), "face": c.face,
             "home": c.home, "together": c.together, "help": c.help, "sentence": c.sentence, "topic": c.topic,
             "replaced_at": c.replaced_at.isoformat() if c.replaced_at else None}
            for c in viewer.own_checkins(with_replaced=True)
        ],
        "who_opened_our_file": [
            {"at": e.at.isoformat(), "role": e.actor_role, "name": e.actor_name}
            for e in file_openings(viewer, limit=1000)
        ],
    }
