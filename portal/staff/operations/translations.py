"""Translations of caseworker-written content (plan items, appointments, contacts).

The German text on the object stays the binding original; each translated field
is one `ContentTranslation` row per language, saved onto the revision the form
showed (a new row: revision "0"), so two people translating the same field never
overwrite each other.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit, concurrency, translation_work
from portal.models import Case, ContentTranslation, StaffUser


def rows_for(session: Session, object_type: str, object_id: int) -> dict[tuple[str, str], ContentTranslation]:
    """{(language, field): row} of one object."""
    rows = session.scalars(sa.select(ContentTranslation).where(
        ContentTranslation.object_type == object_type, ContentTranslation.object_id == object_id))
    return {(row.language, row.field): row for row in rows}


def save_translation(session: Session, case: Case, object_type: str, obj, language: str, texts: Mapping[str, str],
                     checked: bool, revisions: Mapping[str, str | None], by: StaffUser) -> None:
    """Save one language of one object: {field: text} (empty deletes), each field's row onto
    the revision the form showed (else `concurrency.Stale`)."""
    rows = rows_for(session, object_type, obj.id)
    edited = [(rows.get((language, name)), revisions.get(name)) for name in texts]
    with concurrency.saving(session, *edited, conflicts=(sa.exc.IntegrityError,)):
        for name, text in texts.items():
            text = (text or "").strip()
            row = rows.get((language, name))
            if text and row is None:
                session.add(ContentTranslation(object_type=object_type, object_id=obj.id, field=name,
                                               language=language, text=text, checked=checked))
            elif text:
                row.text, row.checked = text, checked
            elif row is not None:
                session.delete(row)
        audit.record(session, audit.Action.translation_update, case_id=case.id, obj=obj, actor=by)


def import_translations(session: Session, case: Case, language: str, entries: list[translation_work.Entry],
                        interpreter: str, checked_on: date, by: StaffUser) -> None:
    """Write what an interpreter file brought back, all entries or none (one SAVEPOINT, one commit).

    Entries whose German text is unchanged are checked by `interpreter` on `checked_on`; those
    whose source changed since the export, or that the interpreter marked uncertain, are saved
    unchecked; the others (object gone, nothing translated, not from this portal) are skipped.
    A translation someone saved meanwhile is overwritten: the import is a deliberate step.
    """
    usable = [e for e in entries if e.outcome in translation_work.WRITTEN]
    if not usable:
        return
    keys = {(e.object_type, e.obj.id) for e in usable}
    rows = {(r.object_type, r.object_id, r.field): r for r in session.scalars(sa.select(ContentTranslation).where(
        ContentTranslation.language == language,
        sa.or_(*(sa.and_(ContentTranslation.object_type == kind, ContentTranslation.object_id == object_id)
                 for kind, object_id in keys))))}
    with concurrency.saving(session, conflicts=(sa.exc.IntegrityError,)):
        for entry in usable:
            checked = entry.outcome == translation_work.IMPORTED
            row = rows.get((entry.object_type, entry.obj.id, entry.field))
            if row is None:
                row = ContentTranslation(object_type=entry.object_type, object_id=entry.obj.id, field=entry.field,
                                         language=language)
                session.add(row)
                rows[(entry.object_type, entry.obj.id, entry.field)] = row
            row.text = entry.translation
            row.checked = checked
            row.checked_by = interpreter.strip() if checked else None
            row.checked_on = checked_on if checked else None
        audit.record(session, audit.Action.translation_import, case_id=case.id, actor=by)
