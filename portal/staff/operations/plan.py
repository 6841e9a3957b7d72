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
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit, concurrency, publishing
from portal.models import (
    Audience,
    Case,
    ContentTranslation,
    ItemKind,
    ItemStatus,
    Member,
    Owner,
    Plan,
    PlanItem,
    PlanVersion,
    StaffUser,
)
from portal.notifications import events as notify


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
    with sa.inspect(plan).session.no_autoflush:  # a new item is not complete yet
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
        item.people = ([members[i] for i in fields.people if i in members] if item.audience is Audience.people
                       else [])
        item.entrusted_by = members.get(fields.entrusted_by) if fields.entrusted_by else None


def create_item(session: Session, case: Case, plan: Plan, fields: ItemFields, by: StaffUser) -> PlanItem:
    """A new draft item at the end of the plan."""
    item = PlanItem(plan=plan, position=_next_position(plan))
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


# --- the tree the editor shows, and order among siblings ------------------------------

class DraftItem(NamedTuple):
    """A draft item as the plan editor shows it: read with the draft's snapshot as a row
    (`publishing.draft_snapshots`), not as an ORM object, with its chosen people and its
    entrusting person as the case's members."""

    id: int
    kind: ItemKind
    parent_id: int | None
    text: str
    simple_text: str | None
    pictogram: str | None
    owner: Owner
    due_on: date | None
    status: ItemStatus
    position: int
    audience: Audience
    people: tuple[Member, ...]
    entrusted_by: Member | None


def draft_items(draft: dict[int, publishing.ItemSnapshot], members: Sequence[Member]) -> list[DraftItem]:
    by_id = {m.id: m for m in members}
    return [DraftItem(s.item_id, s.kind, s.parent_item_id, s.text, s.simple_text, s.pictogram, s.owner, s.due_on,
                      s.status, s.position, s.audience, tuple(by_id[i] for i in s.people if i in by_id),
                      by_id.get(s.entrusted_by_id) if s.entrusted_by_id else None)
            for s in draft.values()]


@dataclass
class GoalBranch:
    goal: DraftItem
    steps: list[DraftItem]


@dataclass
class PlanTree:
    """Goals with their steps, steps that belong to no goal, and the milestones, each in plan order."""

    goals: list[GoalBranch]
    loose_steps: list[DraftItem]
    milestones: list[DraftItem]


def tree(items: Sequence[DraftItem]) -> PlanTree:
    items = sorted(items, key=lambda i: (i.position, i.id))
    goals = {i.id: GoalBranch(i, []) for i in items if i.kind is ItemKind.goal}
    loose = []
    for item in items:
        if item.kind is ItemKind.step:
            branch = goals.get(item.parent_id)
            (branch.steps if branch else loose).append(item)
    return PlanTree(list(goals.values()), loose, [i for i in items if i.kind is ItemKind.milestone])


def sibling_key(item: PlanItem) -> str:
    """Items are ordered among their siblings: the goals, the steps of one goal, the steps
    without a goal, the milestones."""
    if item.kind is ItemKind.step:
        return f"goal-{item.parent_id}" if item.parent_id else "steps"
    return "goals" if item.kind is ItemKind.goal else "milestones"


def siblings(plan: Plan, key: str) -> list[PlanItem]:
    return sorted((i for i in plan.items if sibling_key(i) == key), key=lambda i: (i.position, i.id))


def move_item(session: Session, case: Case, plan: Plan, item: PlanItem, direction: str, by: StaffUser) -> bool:
    """Swap the item with its neighbour among its siblings; positions stay 1..n over the whole plan."""
    group = siblings(plan, sibling_key(item))
    index = group.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(group):
        return False
    neighbour = group[other]
    item.position, neighbour.position = neighbour.position, item.position
    audit.record(session, audit.Action.plan_item_move, case_id=case.id, obj=item, actor=by)
    session.flush()
    return True


class OrderChanged(Exception):
    """The items sent are not (any more) exactly the siblings of one group: nothing was reordered."""


def reorder(session: Session, case: Case, plan: Plan, item_ids: Sequence[int], by: StaffUser) -> None:
    """Put one group of siblings into the order given (drag and drop sends the whole group)."""
    by_id = {i.id: i for i in plan.items}
    if not item_ids or len(set(item_ids)) != len(item_ids) or any(i not in by_id for i in item_ids):
        raise OrderChanged
    key = sibling_key(by_id[item_ids[0]])
    group = siblings(plan, key)
    if {i.id for i in group} != set(item_ids):
        raise OrderChanged
    positions = sorted(i.position for i in group)
    for position, item_id in zip(positions, item_ids, strict=True):
        by_id[item_id].position = position
    audit.record(session, audit.Action.plan_item_move, case_id=case.id, obj=by_id[item_ids[0]], actor=by)
    session.flush()


def _next_position(plan: Plan) -> int:
    """Positions only order items (among their siblings); they are never renumbered, so that moving or
    removing one item does not show every later item as "order changed" in the version's changes."""
    return max((i.position for i in plan.items), default=0) + 1


# --- removing and duplicating --------------------------------------------------------

def removal(plan: Plan, item: PlanItem) -> list[PlanItem]:
    """What removing `item` takes out of the draft: the item, and a goal's steps with it."""
    return [item] + ([i for i in plan.items if i.parent_id == item.id] if item.kind is ItemKind.goal else [])


def remove_item(session: Session, case: Case, plan: Plan, item: PlanItem, revision: str | None,
                by: StaffUser) -> list[int]:
    """Take the item (a goal with its steps) out of the draft, onto the revision the form showed.

    Published versions keep it; the family sees it until the next publish, whose
    "what changed" shows it as removed to those who saw it. Questions about it
    stay in the inbox ("on a removed plan item"). Returns the removed ids.
    """
    with concurrency.saving(session, (item, revision)):
        gone = removal(plan, item)
        ids = [each.id for each in gone]
        session.execute(sa.delete(ContentTranslation).where(
            ContentTranslation.object_type == "plan_item", ContentTranslation.object_id.in_(ids)))
        for each in gone:
            audit.record(session, audit.Action.plan_item_remove, case_id=case.id, obj=each, actor=by)
            plan.items.remove(each)
            session.delete(each)
    session.flush()
    return ids


def duplicate_item(session: Session, case: Case, plan: Plan, item: PlanItem, by: StaffUser) -> PlanItem:
    """A copy at the end of the item's group (a goal's steps, the milestones, …): the same text,
    audience and translations, entrusted by the same person — but no consent: a consent covers one
    item, so the copy is shared with others only once it is given anew."""
    copy = PlanItem(
        kind=item.kind, parent_id=item.parent_id, text=item.text, simple_text=item.simple_text,
        pictogram=item.pictogram, owner=item.owner, due_on=item.due_on, status=item.status,
        audience=item.audience, entrusted_by_id=item.entrusted_by_id, position=_next_position(plan),
    )
    copy.people = list(item.people)
    copy.plan = plan
    session.add(copy)
    session.flush()
    for row in session.scalars(sa.select(ContentTranslation).where(
            ContentTranslation.object_type == "plan_item", ContentTranslation.object_id == item.id)):
        session.add(ContentTranslation(object_type="plan_item", object_id=copy.id, field=row.field,
                                       language=row.language, text=row.text, checked=row.checked,
                                       checked_by=row.checked_by, checked_on=row.checked_on))
    audit.record(session, audit.Action.plan_item_duplicate, case_id=case.id, obj=copy, actor=by)
    session.flush()
    return copy


# --- quick edits on the plan page ------------------------------------------------------

def add_step(session: Session, case: Case, plan: Plan, goal: PlanItem, text: str, owner: Owner,
             due_on: date | None, by: StaffUser) -> PlanItem:
    """A step under `goal`, shared like the goal (its audience and chosen people), never entrusted."""
    fields = ItemFields(kind=ItemKind.step, text=text, parent_id=goal.id, owner=owner, due_on=due_on,
                        audience=goal.audience, people=[p.id for p in goal.people])
    return create_item(session, case, plan, fields, by)


def quick_update(session: Session, case: Case, item: PlanItem, text: str, owner: Owner, due_on: date | None,
                 status: ItemStatus, revision: str | None, by: StaffUser) -> None:
    """Edit in place: the text, who does it, by when and how far it is (the rest on the item's page)."""
    with concurrency.saving(session, (item, revision)):
        item.text = text.strip()
        item.owner = owner
        item.due_on = due_on
        item.status = status
        audit.record(session, audit.Action.plan_item_update, case_id=case.id, obj=item, actor=by)


def publish(session: Session, case: Case, plan: Plan, by: StaffUser, note: str, based_on: int,
            note_audience: Audience = Audience.family, note_people: Sequence[Member] = ()) -> PlanVersion:
    """Publish the draft as the next version (`publishing.AlreadyPublished` if someone just did)."""
    version = publishing.publish(session, plan, by, note, based_on, note_audience=note_audience,
                                 note_people=note_people)
    audit.record(session, audit.Action.plan_publish, case_id=case.id, obj=version, actor=by)
    notify.plan_published(session, version)  # each member who sees something new in it
    session.flush()
    return version
