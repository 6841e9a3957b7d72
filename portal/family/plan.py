"""What a member's plan page shows, built only from what `portal.sharing` lets through.

Used by the family's own pages and by the caseworker's "preview as", so both
show exactly the same thing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from portal import sharing
from portal.models import ItemKind, Member, PlanVersion, PublishedItem


@dataclass
class GoalGroup:
    goal: PublishedItem | None  # None: steps whose goal is not shared with this member
    steps: list[PublishedItem] = field(default_factory=list)


@dataclass
class PlanPage:
    version: PlanVersion | None
    goals: list[GoalGroup]
    milestones: list[PublishedItem]

    @property
    def is_empty(self) -> bool:
        return not self.goals and not self.milestones


def visible_items(session: Session, member: Member) -> list[PublishedItem]:
    return list(
        session.scalars(
            sa.select(PublishedItem)
            .where(sharing.visible_to(member, PublishedItem))
            .options(selectinload(PublishedItem.version))
            .order_by(PublishedItem.position, PublishedItem.id)
        )
    )


def plan_page(session: Session, member: Member) -> PlanPage:
    items = visible_items(session, member)
    version = items[0].version if items else None
    goals = {i.item_id: GoalGroup(i) for i in items if i.kind is ItemKind.goal}
    orphans = GoalGroup(None)
    for item in items:
        if item.kind is ItemKind.step:
            goals.get(item.parent_item_id, orphans).steps.append(item)
    groups = list(goals.values()) + ([orphans] if orphans.steps else [])
    milestones = [i for i in items if i.kind is ItemKind.milestone]
    return PlanPage(version, groups, milestones)
