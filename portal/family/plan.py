"""The plan as a member reads it: goals with their steps, and the milestones.

Built only from the items a `portal.sharing.Viewer` lets through, so the family's
own pages and the caseworker's "preview as" show exactly the same thing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from portal.models import ItemKind, PlanVersion, PublishedItem


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


def plan_structure(version: PlanVersion | None, items: list[PublishedItem]) -> PlanPage:
    """The page of `version` from the items of it the member sees (`Viewer.items`), in plan order."""
    goals = {i.item_id: GoalGroup(i) for i in items if i.kind is ItemKind.goal}
    orphans = GoalGroup(None)
    for item in items:
        if item.kind is ItemKind.step:
            goals.get(item.parent_item_id, orphans).steps.append(item)
    groups = list(goals.values()) + ([orphans] if orphans.steps else [])
    milestones = [i for i in items if i.kind is ItemKind.milestone]
    return PlanPage(version if items else None, groups, milestones)
