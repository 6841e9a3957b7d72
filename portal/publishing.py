"""Draft → immutable version, and the comparison of two versions (DESIGN.md § 4).

`publish` copies the whole draft into a new `PlanVersion` in the caller's
transaction: it only adds and flushes, the view commits once. A double submit
publishes once: the form carries the number of the version it was based on, and
the unique (plan, number) constraint turns a race between two requests into a
refusal instead of two versions.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.models import (
    Audience,
    ContentTranslation,
    ItemKind,
    ItemStatus,
    Member,
    Owner,
    Plan,
    PlanVersion,
    PublishedItem,
    StaffUser,
)


class AlreadyPublished(Exception):
    """The draft was published by another request since the form was shown."""


@dataclass(frozen=True)
class ItemSnapshot:
    """One plan item as compared between versions; `item_id` ties versions together."""

    item_id: int
    kind: ItemKind
    parent_item_id: int | None
    text: str
    simple_text: str | None
    pictogram: str | None
    owner: Owner
    due_on: date | None
    status: ItemStatus
    position: int
    audience: Audience
    people: tuple[int, ...]
    entrusted_by_id: int | None
    consent_recipients: tuple[int, ...]
    translations: dict = field(default_factory=dict, compare=True, hash=False)

# Fields that make an item "changed" when they differ; item_id is the identity.
COMPARED_FIELDS = tuple(f.name for f in fields(ItemSnapshot) if f.name != "item_id")
# Fields stored as plain columns of a PublishedItem (the two lists are relationships).
COLUMN_FIELDS = tuple(f.name for f in fields(ItemSnapshot) if f.name not in ("people", "consent_recipients"))


@dataclass
class ItemChange:
    old: ItemSnapshot
    new: ItemSnapshot
    fields: tuple[str, ...]


@dataclass
class PlanDiff:
    added: list[ItemSnapshot]
    removed: list[ItemSnapshot]
    changed: list[ItemChange]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def latest_version(session: Session, plan: Plan) -> PlanVersion | None:
    return session.scalar(
        sa.select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(PlanVersion.number.desc()).limit(1)
    )


def publish(
    session: Session, plan: Plan, author: StaffUser, note: str, based_on: int,
    note_audience: Audience = Audience.family, note_people: Sequence[Member] = (),
) -> PlanVersion:
    """Publish the draft as version `based_on + 1`.

    `based_on` is the latest version number the author saw (0 for none). If the
    plan has moved on since, nothing is written and `AlreadyPublished` is raised.
    The note to the family goes to `note_audience` (chosen `note_people` for a
    `people` audience), like any item.
    """
    session.flush()  # the draft's pending edits and new items get their ids
    current = latest_version(session, plan)
    if (current.number if current else 0) != based_on:
        raise AlreadyPublished
    version = PlanVersion(
        plan=plan, number=based_on + 1, author=author, note=note.strip(), note_audience=note_audience,
        note_people=list(note_people) if note_audience is Audience.people else [],
    )
    session.add(version)
    try:
        with session.begin_nested():
            session.flush()
    except sa.exc.IntegrityError as exc:  # (plan, number) taken by a simultaneous request
        raise AlreadyPublished from exc
    members = {m.id: m for m in plan.case.members}
    for snapshot in draft_snapshot(plan).values():
        row = {name: getattr(snapshot, name) for name in COLUMN_FIELDS}
        version.items.append(
            PublishedItem(
                case_id=plan.case_id,
                people=[members[i] for i in snapshot.people],
                consent_recipients=[members[i] for i in snapshot.consent_recipients],
                **row,
            )
        )
    session.flush()
    return version


def item_translations(session: Session, item_ids: list[int]) -> dict[int, dict]:
    """{item_id: {language: {"text": ..., "simple_text": ..., "checked": bool}}}"""
    if not item_ids:
        return {}
    rows = session.scalars(
        sa.select(ContentTranslation).where(
            ContentTranslation.object_type == "plan_item", ContentTranslation.object_id.in_(item_ids)
        )
    )
    result: dict[int, dict] = {}
    for row in rows:
        entry = result.setdefault(row.object_id, {}).setdefault(row.language, {"checked": True})
        entry[row.field] = row.text
        # A language counts as checked only when every translated field of it is.
        entry["checked"] = entry["checked"] and row.checked
    return result


# --- snapshots and comparison -------------------------------------------------

def draft_snapshot(plan: Plan, translations: dict[int, dict] | None = None) -> dict[int, ItemSnapshot]:
    """The draft as a version would hold it; `translations` (from `item_translations`) when read in a batch."""
    if translations is None:
        translations = item_translations(sa.inspect(plan).session, [item.id for item in plan.items])
    return {
        item.id: ItemSnapshot(
            item_id=item.id,
            kind=item.kind,
            parent_item_id=item.parent_id,
            text=item.text,
            simple_text=item.simple_text,
            pictogram=item.pictogram,
            owner=item.owner,
            due_on=item.due_on,
            status=item.status,
            position=item.position,
            audience=item.audience,
            people=tuple(sorted(p.id for p in item.people)) if item.audience is Audience.people else (),
            entrusted_by_id=item.entrusted_by_id,
            consent_recipients=tuple(
                sorted(c.recipient_id for c in item.consents if c.given_by_id == item.entrusted_by_id)
            ),
            translations=translations.get(item.id, {}),
        )
        for item in plan.items
    }


def version_snapshot(version: PlanVersion | None) -> dict[int, ItemSnapshot]:
    return {} if version is None else snapshots(version.items)


def snapshots(items: list[PublishedItem]) -> dict[int, ItemSnapshot]:
    """Published items as snapshots, by draft item id (a version's, or those a member sees of it)."""
    return {
        p.item_id: ItemSnapshot(
            item_id=p.item_id,
            kind=p.kind,
            parent_item_id=p.parent_item_id,
            text=p.text,
            simple_text=p.simple_text,
            pictogram=p.pictogram,
            owner=p.owner,
            due_on=p.due_on,
            status=p.status,
            position=p.position,
            audience=p.audience,
            people=tuple(sorted(m.id for m in p.people)),
            entrusted_by_id=p.entrusted_by_id,
            consent_recipients=tuple(sorted(m.id for m in p.consent_recipients)),
            translations=p.translations or {},
        )
        for p in items
    }


def compare(old: dict[int, ItemSnapshot], new: dict[int, ItemSnapshot]) -> PlanDiff:
    """Items added, removed, and changed (with the names of the fields that changed)."""
    added = [new[i] for i in new if i not in old]
    removed = [old[i] for i in old if i not in new]
    changed = []
    for item_id in new.keys() & old.keys():
        before, after = old[item_id], new[item_id]
        differing = tuple(f for f in COMPARED_FIELDS if getattr(before, f) != getattr(after, f))
        if differing:
            changed.append(ItemChange(before, after, differing))
    key = lambda s: (s.position, s.item_id)  # noqa: E731
    changed.sort(key=lambda c: key(c.new))
    return PlanDiff(sorted(added, key=key), sorted(removed, key=key), changed)


def unpublished_changes(session: Session, plan: Plan) -> PlanDiff:
    """What publishing now would change, compared with the latest version."""
    return compare(version_snapshot(latest_version(session, plan)), draft_snapshot(plan))


@sa.event.listens_for(PublishedItem, "before_update")
@sa.event.listens_for(PlanVersion, "before_update")
def _versions_are_immutable(_mapper, _connection, target) -> None:
    # Appending to a collection (a new response) marks the parent dirty too;
    # only a change of the row's own columns is refused.
    if not sa.inspect(target).session.is_modified(target, include_collections=False):
        return
    raise RuntimeError(f"{type(target).__name__} rows are immutable once published")
