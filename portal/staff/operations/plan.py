"""The plan's draft: items created, edited, ordered and marked done; publishing a version.

The draft is ordinary rows; the family sees only published versions
(`portal.publishing`). Taking something away from someone applies at once
(`portal.sharing` holds a published item back while its draft no longer admits
the member), giving more waits for publishing.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from portal import audit, concurrency, publishing
from portal.models import (
    Audience,
    Case,
    ItemKind,
    ItemStatus,
    Member,
    Owner,
    Plan,
    PlanItem,
    PlanVersion,
    StaffUser,
)


@dataclass
class ItemFields:
    """What the item form says about an item (ids of the case's members, already checked by the form)."""

    kind: ItemKind
    text: str
    parent_id: int | None = None
    simple_text: str | None = None
    pictogram: str | None = None
    owner: Owner = Owner.family
    due_on: date | None = None
    status: ItemStatus = ItemStatus.open
    audience: Audience = Audience.staff
    people: Sequence[int] = ()
    entrusted_by: int | None = None


def _apply(case: Case, plan: Plan, item: PlanItem, fields: ItemFields) -> None:
    members = {m.id: m for m in case.members}
    goals = {i.id for i in plan.items if i.kind is ItemKind.goal and i is not item}
    item.kind = fields.kind
    item.parent_id = fields.parent_id if item.kind is ItemKind.step and fields.parent_id in goals else None
    item.text = fields.text.strip()
    item.simple_text = (fields.simple_text or "").strip() or None
    item.pictogram = fields.pictogram or None
    item.owner = fields.owner
    item.due_on = fields.due_on
    item.status = fields.status
    item.audience = fields.audience
    item.people = ([members[i] for i in fields.people if i in members] if item.audience is Audience.people else [])
    item.entrusted_by = members.get(fields.entrusted_by) if fields.entrusted_by else None


def create_item(session: Session, case: Case, plan: Plan, fields: ItemFields, by: StaffUser) -> PlanItem:
    """A new draft item at the end of the plan."""
    item = PlanItem(plan=plan, position=max((i.position for i in plan.items), default=0) + 1)
    _apply(case, plan, item, fields)
    session.add(item)
    session.flush()
    audit.record(session, audit.Action.plan_item_create, case_id=case.id, obj=item, actor=by)
    session.flush()
    return item


def update_item(session: Session, case: Case, plan: Plan, item: PlanItem, fields: ItemFields, revision: str | None,
                by: StaffUser) -> PlanItem:
    """Save the item form onto the revision it showed (else `concurrency.Stale`)."""
    with concurrency.saving(session, (item, revision)):
        _apply(case, plan, item, fields)
        audit.record(session, audit.Action.plan_item_update, case_id=case.id, obj=item, actor=by)
    return item


def mark_done(session: Session, case: Case, item: PlanItem, by: StaffUser) -> None:
    if item.status is not ItemStatus.done:
        item.status = ItemStatus.done
        audit.record(session, audit.Action.plan_item_update, case_id=case.id, obj=item, actor=by)
    session.flush()


def move_item(session: Session, case: Case, plan: Plan, item: PlanItem, direction: str, by: StaffUser) -> bool:
    """Swap the item with its neighbour in the draft's order; positions are renumbered 1..n."""
    items = list(plan.items)
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    _renumber(items)
    audit.record(session, audit.Action.plan_item_move, case_id=case.id, obj=item, actor=by)
    session.flush()
    return True


def _renumber(items: Sequence[PlanItem]) -> None:
    for position, each in enumerate(items, start=1):
        if each.position != position:
            each.position = position


def publish(session: Session, case: Case, plan: Plan, by: StaffUser, note: str, based_on: int,
            note_audience: Audience = Audience.family, note_people: Sequence[Member] = ()) -> PlanVersion:
    """Publish the draft as the next version (`publishing.AlreadyPublished` if someone just did)."""
    version = publishing.publish(session, plan, by, note, based_on, note_audience=note_audience,
                                 note_people=note_people)
    audit.record(session, audit.Action.plan_publish, case_id=case.id, obj=version, actor=by)
    session.flush()
    return version
