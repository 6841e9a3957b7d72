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

from portal import revisions

from portal.models import (
    Audience,
    Consent,
    ContentTranslation,
    ItemKind,
    ItemStatus,
    Member,
    Owner,
    Plan,
    PlanItem,
    PlanVersion,
    PublishedItem,
    StaffUser,
    item_person,
    published_item_consent,
    published_item_person,
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
    _insert_items(session, version, plan.case_id, draft_snapshots(session, [plan.id]).get(plan.id, {}))
    return version


def _insert_items(session: Session, version: PlanVersion, case_id: int, draft: dict[int, ItemSnapshot]) -> None:
    """The version's published items and their people and consent rows, in a few batched INSERTs
    whatever the plan's size (no ORM object per item: nothing reads them in this request but
    through queries). Outside the ORM, so the family revision is raised by name."""
    revisions.touch(session, case_id)
    if not draft:
        return
    snapshots = sorted(draft.values(), key=lambda s: s.item_id)
    rows = [{"version_id": version.id, "case_id": case_id,
             **{name: getattr(snapshot, name) for name in COLUMN_FIELDS}} for snapshot in snapshots]
    # A draft item is published once per version, so its id names the new row (RETURNING in any
    # order keeps the INSERT batched on SQLite too).
    table = PublishedItem.__table__
    ids = dict(session.execute(table.insert().returning(table.c.item_id, table.c.id), rows).all())
    people = [{"published_item_id": ids[snapshot.item_id], "member_id": member_id}
              for snapshot in snapshots for member_id in snapshot.people]
    consents = [{"published_item_id": ids[snapshot.item_id], "member_id": member_id}
                for snapshot in snapshots for member_id in snapshot.consent_recipients]
    if people:
        session.execute(published_item_person.insert(), people)
    if consents:
        session.execute(published_item_consent.insert(), consents)


def item_translations(session: Session, item_ids: list[int]) -> dict[int, dict]:
    """{item_id: {language: {"text": ..., "simple_text": ..., "checked": bool}}}"""
    if not item_ids:
        return {}
    return _translation_entries(session.execute(
        sa.select(ContentTranslation.object_id, ContentTranslation.language, ContentTranslation.field,
                  ContentTranslation.text, ContentTranslation.checked)
        .where(ContentTranslation.object_type == "plan_item", ContentTranslation.object_id.in_(item_ids))
        .order_by(ContentTranslation.id)))


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


def _rows(session: Session, statement) -> list[sa.Row]:
    """The rows of a statement of columns (no entity), run on the session's connection after its
    pending changes are flushed as its own queries would flush them: without the ORM's loading,
    and fetched at once, not row by row (a sizeable part of reading a plan's thousand items)."""
    session.flush()
    return session.connection().execute(statement).all()


# The four enum columns of a snapshot, read as the names stored and turned into members by a
# dictionary lookup: SQLAlchemy's type processing took two calls per value, eight per item.
_KIND, _OWNER, _STATUS, _AUDIENCE = (e.__members__ for e in (ItemKind, Owner, ItemStatus, Audience))


def _stored(column):
    return sa.type_coerce(column, sa.String)


def _grouped(rows) -> dict[int, tuple[int, ...]]:
    found: dict[int, list[int]] = {}
    for key, value in rows:
        found.setdefault(key, []).append(value)
    return {key: tuple(sorted(values)) for key, values in found.items()}


def draft_snapshots(session: Session, plan_ids: list[int]) -> dict[int, dict[int, ItemSnapshot]]:
    """{plan id: the draft as `draft_snapshot` gives it}, for many plans in four statements, read as
    rows (no ORM object per item): what publishing, the publish review and the caseload compare."""
    if not plan_ids:
        return {}
    of_plans = PlanItem.plan_id.in_(plan_ids)
    columns = [PlanItem.plan_id, PlanItem.id, _stored(PlanItem.kind), PlanItem.parent_id, PlanItem.text,
               PlanItem.simple_text, PlanItem.pictogram, _stored(PlanItem.owner), PlanItem.due_on,
               _stored(PlanItem.status), PlanItem.position, _stored(PlanItem.audience), PlanItem.entrusted_by_id]
    items = _rows(session, sa.select(*columns).where(of_plans).order_by(PlanItem.position, PlanItem.id))
    people = _grouped(_rows(
        session, sa.select(item_person.c.item_id, item_person.c.member_id)
        .join(PlanItem, PlanItem.id == item_person.c.item_id)
        .where(of_plans, PlanItem.audience == Audience.people)))
    consents = _grouped(_rows(
        session, sa.select(Consent.item_id, Consent.recipient_id).join(PlanItem, PlanItem.id == Consent.item_id)
        .where(of_plans, Consent.given_by_id == PlanItem.entrusted_by_id)))
    translations = _translations_of_plans(session, plan_ids)
    found: dict[int, dict[int, ItemSnapshot]] = {plan_id: {} for plan_id in plan_ids}
    for (plan_id, item_id, kind, parent_id, text, simple_text, pictogram, owner, due_on, status, position, audience,
         entrusted_by_id) in items:
        found[plan_id][item_id] = ItemSnapshot(
            item_id=item_id, kind=_KIND[kind], parent_item_id=parent_id, text=text, simple_text=simple_text,
            pictogram=pictogram, owner=_OWNER[owner], due_on=due_on, status=_STATUS[status], position=position,
            audience=_AUDIENCE[audience],
            people=people.get(item_id, ()), entrusted_by_id=entrusted_by_id,
            consent_recipients=consents.get(item_id, ()), translations=translations.get(item_id, {}))
    return found


def _translations_of_plans(session: Session, plan_ids: list[int]) -> dict[int, dict]:
    rows = _rows(
        session, sa.select(ContentTranslation.object_id, ContentTranslation.language, ContentTranslation.field,
                  ContentTranslation.text, ContentTranslation.checked)
        .join(PlanItem, PlanItem.id == ContentTranslation.object_id)
        .where(ContentTranslation.object_type == "plan_item", PlanItem.plan_id.in_(plan_ids))
        .order_by(ContentTranslation.id))
    return _translation_entries(rows)


def _translation_entries(rows) -> dict[int, dict]:
    result: dict[int, dict] = {}
    for object_id, language, field_name, text, checked in rows:
        entry = result.setdefault(object_id, {}).setdefault(language, {"checked": True})
        entry[field_name] = text
        # A language counts as checked only when every translated field of it is.
        entry["checked"] = entry["checked"] and checked
    return result


def latest_snapshots(session: Session, plan_ids: list[int]) -> dict[int, dict[int, ItemSnapshot]]:
    """{plan id: its latest version as `version_snapshot` gives it} (plans without a version are
    left out), for many plans in three statements, read as rows."""
    if not plan_ids:
        return {}
    newest = (sa.select(PlanVersion.plan_id, sa.func.max(PlanVersion.number).label("number"))
              .where(PlanVersion.plan_id.in_(plan_ids)).group_by(PlanVersion.plan_id).subquery())
    latest = (sa.select(PlanVersion.id, PlanVersion.plan_id)
              .join(newest, sa.and_(PlanVersion.plan_id == newest.c.plan_id, PlanVersion.number == newest.c.number))
              .subquery())
    columns = [latest.c.plan_id, PublishedItem.id, PublishedItem.item_id, _stored(PublishedItem.kind),
               PublishedItem.parent_item_id, PublishedItem.text, PublishedItem.simple_text, PublishedItem.pictogram,
               _stored(PublishedItem.owner), PublishedItem.due_on, _stored(PublishedItem.status),
               PublishedItem.position, _stored(PublishedItem.audience), PublishedItem.entrusted_by_id,
               PublishedItem.translations]
    items = _rows(session, sa.select(*columns).join(latest, latest.c.id == PublishedItem.version_id))
    in_latest = sa.select(PublishedItem.id).join(latest, latest.c.id == PublishedItem.version_id)
    people, consents = _audiences(session, in_latest)
    found: dict[int, dict[int, ItemSnapshot]] = {}
    for (plan_id, published_id, item_id, kind, parent_item_id, text, simple_text, pictogram, owner, due_on, status,
         position, audience, entrusted_by_id, translations) in items:
        found.setdefault(plan_id, {})[item_id] = ItemSnapshot(
            item_id=item_id, kind=_KIND[kind], parent_item_id=parent_item_id, text=text, simple_text=simple_text,
            pictogram=pictogram, owner=_OWNER[owner], due_on=due_on, status=_STATUS[status], position=position,
            audience=_AUDIENCE[audience],
            people=people.get(published_id, ()), entrusted_by_id=entrusted_by_id,
            consent_recipients=consents.get(published_id, ()), translations=translations or {})
    return found


def _audiences(session: Session, published_ids) -> tuple[dict[int, tuple[int, ...]], dict[int, tuple[int, ...]]]:
    """The chosen people and the consent recipients of published items (ids, or a statement
    selecting them), by published item id: two statements for any number of items."""
    people, consents = (
        _grouped(_rows(session, sa.select(table.c.published_item_id, table.c.member_id)
                             .where(table.c.published_item_id.in_(published_ids))))
        for table in (published_item_person, published_item_consent))
    return people, consents


def version_snapshot(version: PlanVersion | None) -> dict[int, ItemSnapshot]:
    return {} if version is None else snapshots(version.items)


def snapshots(items: list[PublishedItem], with_audiences: bool = True) -> dict[int, ItemSnapshot]:
    """Published items as snapshots, by draft item id (a version's, or those a member sees of it).

    Their chosen people and consent recipients are read for all items at once (two statements),
    not through each item's relationships; `with_audiences=False` leaves them empty, for a
    comparison of what a family reads (its audience is not news to them)."""
    if not items:
        return {}
    people, consents = _audiences(sa.inspect(items[0]).session, [p.id for p in items]) if with_audiences else ({}, {})
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
            people=people.get(p.id, ()),
            entrusted_by_id=p.entrusted_by_id,
            consent_recipients=consents.get(p.id, ()),
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
        if before == after:  # most items of a large plan: one comparison, not one per field
            continue
        differing = tuple(f for f in COMPARED_FIELDS if getattr(before, f) != getattr(after, f))
        if differing:
            changed.append(ItemChange(before, after, differing))
    key = lambda s: (s.position, s.item_id)  # noqa: E731
    changed.sort(key=lambda c: key(c.new))
    return PlanDiff(sorted(added, key=key), sorted(removed, key=key), changed)


def unpublished_changes(session: Session, plan: Plan, draft: dict[int, ItemSnapshot] | None = None) -> PlanDiff:
    """What publishing now would change, compared with the latest version (read as rows: a fixed
    number of statements and no ORM object per item, whatever the plan's size). `draft` is the
    plan's `draft_snapshots` when the caller has read them already."""
    if draft is None:
        draft = draft_snapshots(session, [plan.id]).get(plan.id, {})
    return compare(latest_snapshots(session, [plan.id]).get(plan.id, {}), draft)


@sa.event.listens_for(PublishedItem, "before_update")
@sa.event.listens_for(PlanVersion, "before_update")
def _versions_are_immutable(_mapper, _connection, target) -> None:
    # Appending to a collection (a new response) marks the parent dirty too;
    # only a change of the row's own columns is refused.
    if not sa.inspect(target).session.is_modified(target, include_collections=False):
        return
    raise RuntimeError(f"{type(target).__name__} rows are immutable once published")
