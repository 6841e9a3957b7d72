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
from portal.models import Member, Plan, PlanItem, PlanVersion, PublishedItem, StaffUser

T = TypeVar("T")


@contextmanager
def draft_published(session: Session, plan: Plan, author: StaffUser) -> Iterator[PlanVersion]:
    """Yield the draft published as the next version; everything is rolled back afterwards."""
    latest = publishing.latest_version(session, plan)
    savepoint = session.begin_nested()
    try:
        # Held here until the rollback, which removes it from the session: the session itself
        # keeps new objects only weakly, and a trial version collected early would stay behind
        # as a loaded row and clash with the next trial publish's.
        version = publishing.publish(session, plan, author, "", latest.number if latest else 0)
        yield version
    finally:
        savepoint.rollback()


def as_if_published(session: Session, plan: Plan, author: StaffUser, build: Callable[[], T]) -> T:
    """Run `build` (which must fully render or copy what it needs) against the published draft."""
    with draft_published(session, plan, author):
        return build()


@dataclass
class AudienceChange:
    gains: list[Member] = field(default_factory=list)  # will newly see the item
    loses: list[Member] = field(default_factory=list)  # will stop seeing it


def audience_changes(session: Session, plan: Plan, author: StaffUser) -> dict[int, AudienceChange]:
    """{item_id: who newly sees it / stops seeing it} if the draft were published now."""
    return review(session, plan, author, lambda: None)[0]


def review(session: Session, plan: Plan, author: StaffUser,
           during: Callable[[], T]) -> tuple[dict[int, AudienceChange], T]:
    """The publish review in one trial publish: who newly sees or stops seeing each item (one
    `who_sees` before, one inside), and whatever `during` asks of the published draft."""
    latest = publishing.latest_version(session, plan)
    ids = sorted(set(session.scalars(sa.select(PlanItem.id).where(PlanItem.plan_id == plan.id))) | set(
        session.scalars(sa.select(PublishedItem.item_id).where(PublishedItem.version_id == latest.id))
        if latest else ()))
    members = {m.id: m for m in plan.case.members}

    def seeing() -> dict[int, set[int]]:
        found = sharing.who_sees(session, PublishedItem, ids, case_id=plan.case_id)
        return {item_id: {m.id for m in who} for item_id, who in found.items()}

    before = seeing()
    after, asked = as_if_published(session, plan, author, lambda: (seeing(), during()))
    changes: dict[int, AudienceChange] = {}
    for item_id in ids:
        gains = after.get(item_id, set()) - before.get(item_id, set())
        loses = before.get(item_id, set()) - after.get(item_id, set())
        if gains or loses:
            changes[item_id] = AudienceChange([members[i] for i in sorted(gains)], [members[i] for i in sorted(loses)])
    return changes, asked
