"""Translations as a workflow: which content a family member reads untranslated.

The German text is the binding original; members who read another language see
a translation where one exists (`portal.i18n.localize`). This module says what
is missing, for whom — always asking the member's `sharing.Viewer` what they
see — so the caseload, the case's translations page and the publish review
agree.
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po
from flask import current_app
from sqlalchemy.orm import Session

from portal import preview, sharing
from portal.models import (
    Appointment,
    Audience,
    Case,
    Contact,
    ContentTranslation,
    Member,
    Plan,
    PlanItem,
    PublishedItem,
    StaffUser,
)

if TYPE_CHECKING:
    from portal.staff.operations.plan import DraftItem

ORIGINAL_LANGUAGE = "de"


def needs_translation(member: Member) -> bool:
    """A member whose chosen language is one the portal speaks, other than German."""
    return bool(member.language) and member.language != ORIGINAL_LANGUAGE and (
        member.language in current_app.config["LANGUAGES"])


def lacks_translation(translations: dict | None, language: str, simple_text: str | None, reads_simply: bool) -> bool:
    """A published item (its `translations`, as published) read in `language` falls back to German:
    no translated text, or — for a member who reads the simple text — no translated simple text."""
    entry = (translations or {}).get(language) or {}
    if not entry.get("text"):
        return True
    return bool(reads_simply and simple_text and not entry.get("simple_text"))


def case_languages(case: Case) -> list[str]:
    """The languages other than German that active members of the case read."""
    return sorted({m.language for m in case.members if m.active and needs_translation(m)})


def item_states(session: Session, plan_id: int, items: Iterable[PlanItem | DraftItem],
                languages: list[str]) -> dict[int, list[tuple[str, str]]]:
    """{item id: [(language, "checked" | "unchecked" | "missing")]} of the draft items' text (the
    plan's, `plan_id`), for the plan editor's labels (items only the office sees need no translation)."""
    shared = [i for i in items if i.audience is not Audience.staff]
    if not languages or not shared:
        return {}
    rows = {(object_id, language): checked for object_id, language, checked in session.execute(
        sa.select(ContentTranslation.object_id, ContentTranslation.language, ContentTranslation.checked)
        .join(PlanItem, PlanItem.id == ContentTranslation.object_id).where(
            PlanItem.plan_id == plan_id, ContentTranslation.object_type == "plan_item",
            ContentTranslation.field == "text", ContentTranslation.language.in_(languages)))}
    return {
        item.id: [(language, "missing" if (item.id, language) not in rows
                   else "checked" if rows[(item.id, language)] else "unchecked") for language in languages]
        for item in shared
    }


# --- what the case's family reads untranslated ----------------------------------------

# object type → the fields a family member reads (the German text is on the object).
FIELDS = {
    "plan_item": ("text", "simple_text"),
    "appointment": ("place", "bring", "note"),
    "contact": ("note",),
}
MISSING, UNCHECKED, CHECKED = "missing", "unchecked", "checked"


@dataclass
class Gap:
    """One field of one object, read untranslated (or translated but not checked) in `language`."""

    object_type: str
    obj: object
    field: str
    source: str  # the German text
    language: str
    state: str  # MISSING or UNCHECKED
    translation: str | None  # the unchecked translation
    readers: list[Member]

    @property
    def key(self) -> str:
        """The entry's context in an interpreter file: which case, object and field."""
        return f"case/{self.case_id}/{self.object_type}/{self.obj.id}/{self.field}"

    @property
    def case_id(self) -> int:
        return self.obj.plan.case_id if self.object_type == "plan_item" else self.obj.case_id


def _read_fields(session: Session, case: Case, plan: Plan, author: StaffUser) -> dict[tuple[str, int, str], list[Member]]:
    """{(object type, id, field): members who read it in another language}, for what each member
    will see once the draft is published (items) or sees now (appointments, the case's contacts)."""
    readers = [m for m in case.members if needs_translation(m) and sharing.account_open(m)]
    if not readers:
        return {}

    def read() -> dict:
        found: dict[tuple[str, int, str], list[Member]] = {}
        for member in readers:
            viewer = sharing.Viewer(session, member)
            for item in viewer.items():
                fields = ("text", "simple_text") if viewer.reads_simply else ("text",)
                for name in fields:
                    found.setdefault(("plan_item", item.item_id, name), []).append(member)
            for appointment in viewer.appointments():
                for name in FIELDS["appointment"]:
                    found.setdefault(("appointment", appointment.id, name), []).append(member)
            for contact in viewer.contacts():
                if contact.case_id == case.id:
                    found.setdefault(("contact", contact.id, "note"), []).append(member)
        return found

    return preview.as_if_published(session, plan, author, read)


def case_gaps(session: Session, case: Case, plan: Plan, author: StaffUser) -> dict[str, list[Gap]]:
    """{language: gaps} for the case: every field a member reads in their language that has no
    translation there, or one not yet checked by an interpreter."""
    wanted = _read_fields(session, case, plan, author)
    if not wanted:
        return {}
    objects = {
        "plan_item": {i.id: i for i in plan.items},
        "appointment": {a.id: a for a in session.scalars(sa.select(Appointment).where(Appointment.case_id == case.id))},
        "contact": {c.id: c for c in session.scalars(sa.select(Contact).where(Contact.case_id == case.id))},
    }
    rows = {(r.object_type, r.object_id, r.field, r.language): r for r in session.scalars(
        sa.select(ContentTranslation).where(sa.or_(*(
            sa.and_(ContentTranslation.object_type == kind, ContentTranslation.object_id.in_(list(found)))
            for kind, found in objects.items() if found))))}
    gaps: dict[str, list[Gap]] = {}
    for (kind, object_id, name), members in wanted.items():
        obj = objects[kind].get(object_id)
        source = getattr(obj, name, None) if obj is not None else None
        if not source:
            continue
        for language in sorted({m.language for m in members}):
            row = rows.get((kind, object_id, name, language))
            if row is not None and row.checked:
                continue
            gaps.setdefault(language, []).append(Gap(
                kind, obj, name, source, language, UNCHECKED if row else MISSING, row.text if row else None,
                [m for m in members if m.language == language]))
    order = {"plan_item": 0, "appointment": 1, "contact": 2}
    for found in gaps.values():
        found.sort(key=lambda g: (order[g.object_type], getattr(g.obj, "position", 0), g.obj.id,
                                  FIELDS[g.object_type].index(g.field)))
    return dict(sorted(gaps.items()))


def publish_warnings(session: Session, plan: Plan, author: StaffUser) -> list[tuple[Member, int]]:
    """Per member who reads another language: how many of the items they will see once the draft is
    published have no translation in it (asked of their viewer's rule, inside the trial publish)."""
    return preview.as_if_published(session, plan, author, untranslated_counter(session, plan))


def untranslated_counter(session: Session, plan: Plan) -> Callable[[], list[tuple[Member, int]]]:
    """What `publish_warnings` asks, to be called inside a trial publish (`preview.review`): for all
    readers of another language at once, in one statement (`sharing.seen_by`)."""
    readers = [m for m in plan.case.members if needs_translation(m) and sharing.account_open(m)]

    def count() -> list[tuple[Member, int]]:
        missing = {m.id: 0 for m in readers}
        by_id = {m.id: m for m in readers}
        for member_id, simple_text, translations in sharing.seen_by(
                session, PublishedItem, readers, "simple_text", "translations"):
            member = by_id[member_id]
            if lacks_translation(translations, member.language, simple_text,
                                 sharing.Reader(member.kind, member.easy_read).reads_simply):
                missing[member_id] += 1
        return [(member, missing[member.id]) for member in readers if missing[member.id]]

    return count


# --- files for the interpreter service (PO, written and read by Babel) ------------------

CONTEXT = re.compile(r"^case/(\d{1,10})/(plan_item|appointment|contact)/(\d{1,10})/(\w{1,40})$")


class ImportRefused(Exception):
    """The file as a whole cannot be imported; nothing was. `reason` is one of the constants below."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


UNREADABLE, NO_LANGUAGE, WRONG_LANGUAGE, OTHER_CASE, EMPTY = (
    "unreadable", "no_language", "wrong_language", "other_case", "empty")
# What happened to one entry of an imported file.
IMPORTED, SOURCE_CHANGED, UNCERTAIN, NOT_TRANSLATED, GONE, NOT_FROM_PORTAL = (
    "imported", "source_changed", "uncertain", "not_translated", "gone", "not_from_portal")
WRITTEN = (IMPORTED, SOURCE_CHANGED, UNCERTAIN)  # the others are skipped, each with its message


def export_po(case: Case, language: str, gaps: list[Gap], describe) -> bytes:
    """One PO file for the interpreter service: the German source as msgid, the entry's case, object
    and field as msgctxt, a description for the interpreter as a comment, the target language in
    the header; translations not yet checked come along, marked fuzzy, to be checked."""
    catalog = Catalog(locale=language, project="NeuStart Familienportal", version=case.reference,
                      header_comment=describe(None), fuzzy=False)
    for gap in gaps:
        catalog.add(gap.source, string=gap.translation or "", context=gap.key, auto_comments=[describe(gap)],
                    flags=("fuzzy",) if gap.translation else ())
    out = io.BytesIO()
    write_po(out, catalog, width=0, include_previous=False)
    return out.getvalue()


@dataclass
class Entry:
    """One entry of an imported file and what becomes of it."""

    context: str
    source: str
    translation: str
    outcome: str
    object_type: str | None = None
    obj: object | None = None
    field: str | None = None


def read_po_file(data: bytes, case: Case, plan: Plan, session: Session) -> tuple[str, list[Entry]]:
    """Parse a returned file and decide each entry's outcome; nothing is written here.

    Refuses the whole file (`ImportRefused`) when it is not a readable PO file, names no supported
    target language, has no entries, or holds an entry of another case.
    """
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except PoFileError as error:
        raise ImportRefused(UNREADABLE, getattr(error, "lineno", None)) from error
    except (UnicodeDecodeError, ValueError, LookupError) as error:
        raise ImportRefused(UNREADABLE) from error
    language = str(catalog.locale).split("_")[0] if catalog.locale else None
    if not language:
        raise ImportRefused(NO_LANGUAGE)
    if language == ORIGINAL_LANGUAGE or language not in current_app.config["LANGUAGES"]:
        raise ImportRefused(WRONG_LANGUAGE)
    messages = [m for m in catalog if m.id and not isinstance(m.id, tuple)]
    if not messages:
        raise ImportRefused(EMPTY)
    parsed = [(m, CONTEXT.match(m.context or "")) for m in messages]
    if any(match and int(match.group(1)) != case.id for _m, match in parsed):
        raise ImportRefused(OTHER_CASE)
    objects = {
        "plan_item": {i.id: i for i in plan.items},
        "appointment": {a.id: a for a in session.scalars(sa.select(Appointment).where(Appointment.case_id == case.id))},
        "contact": {c.id: c for c in session.scalars(sa.select(Contact).where(Contact.case_id == case.id))},
    }
    entries = []
    for message, match in parsed:
        translation = (message.string or "").strip() if isinstance(message.string, str) else ""
        entry = Entry(message.context or "", message.id, translation, NOT_FROM_PORTAL)
        entries.append(entry)
        if not match or match.group(4) not in FIELDS[match.group(2)]:
            continue
        entry.object_type, entry.field = match.group(2), match.group(4)
        entry.obj = objects[entry.object_type].get(int(match.group(3)))
        current = getattr(entry.obj, entry.field, None) if entry.obj is not None else None
        if not current:
            entry.outcome = GONE
        elif not translation:
            entry.outcome = NOT_TRANSLATED
        elif current != message.id:
            entry.outcome = SOURCE_CHANGED
        elif message.fuzzy:
            entry.outcome = UNCERTAIN
        else:
            entry.outcome = IMPORTED
    return language, entries
