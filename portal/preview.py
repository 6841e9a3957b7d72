"""The draft as if it were published, without publishing it.

Both "preview as" and "who will newly see or stop seeing an item" publish the
draft inside a SAVEPOINT, ask the ordinary code (`portal.sharing`, the family
page builders) what a member sees, and roll the SAVEPOINT back. So the preview
is produced by exactly the code the family's pages and the sharing rule use,
and nothing of it is ever saved.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import publishing, sharing
from portal.models import Member, Plan, PlanVersion, PublishedItem, StaffUser

T = TypeVar("T")


@contextmanager
def draft_published(session: Session, plan: Plan, author: StaffUser) -> Iterator[PlanVersion]:
    """Yield the draft published as the next version; everything is rolled back afterwards."""
    latest = publishing.latest_version(session, plan)
    savepoint = session.begin_nested()
    try:
        yield publishing.publish(session, plan, author, "", latest.number if latest else 0)
    finally:
        savepoint.rollback()


def as_if_published(session: Session, plan: Plan, author: StaffUser, build: Callable[[], T]) -> T:
    """Run `build` (which must fully render or copy what it needs) against the published draft."""
    with draft_published(session, plan, author):
        return build()


def visible_item_ids(session: Session, member: Member) -> set[int]:
    """The draft item ids whose published form `member` sees in the latest version."""
    viewer = sharing.Viewer(session, member)
    return set(session.scalars(sa.select(PublishedItem.item_id).where(viewer.clause(PublishedItem))))


@dataclass
class AudienceChange:
    gains: list[Member] = field(default_factory=list)  # will newly see the item
    loses: list[Member] = field(default_factory=list)  # will stop seeing it


def audience_changes(session: Session, plan: Plan, author: StaffUser) -> dict[int, AudienceChange]:
    """{item_id: who newly sees it / stops seeing it} if the draft were published now."""
    members = list(plan.case.members)
    before = {m.id: visible_item_ids(session, m) for m in members}
    after = as_if_published(session, plan, author, lambda: {m.id: visible_item_ids(session, m) for m in members})
    changes: dict[int, AudienceChange] = {}
    for member in members:
        for item_id in after[member.id] - before[member.id]:
            changes.setdefault(item_id, AudienceChange()).gains.append(member)
        for item_id in before[member.id] - after[member.id]:
            changes.setdefault(item_id, AudienceChange()).loses.append(member)
    return changes
