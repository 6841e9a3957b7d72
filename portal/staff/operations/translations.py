"""Translations of caseworker-written content (plan items, appointments, contacts).

The German text on the object stays the binding original; each translated field
is one `ContentTranslation` row per language, saved onto the revision the form
showed (a new row: revision "0"), so two people translating the same field never
overwrite each other.
"""
from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit, concurrency
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
