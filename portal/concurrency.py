"""No lost updates: save an edit only onto the version the editor saw.

Every editable model has a `revision` version column (SQLAlchemy's
`version_id_col`); its edit form echoes the revision it was shown with. A save
goes through `save_unless_stale`:

1. if the echoed revision is not the current one, someone saved in between:
   nothing is applied;
2. otherwise the change is applied and committed; the version column makes the
   UPDATE conditional, so a save racing past step 1 fails with StaleDataError
   and is rolled back.

Either way a conflict returns False with the object refreshed to what is saved
now; the view re-renders the form with the user's input (the request's form
data) and shows the saved version next to it, status 409. `accept_current`
puts the new revision into the form, so saving again is a deliberate choice.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError


def save_unless_stale(session: Session, obj, submitted_revision: str | None, apply: Callable[[], None]) -> bool:
    """Apply and commit, or return False (nothing written) if `obj` changed since the form was shown."""
    if submitted_revision != str(obj.revision):
        return False  # `obj` was loaded in this request: it already shows the saved version
    apply()
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        session.refresh(obj)
        return False
    return True


def accept_current(form_revision_field, obj) -> None:
    """After a conflict: the form now builds on the saved version."""
    form_revision_field.data = str(obj.revision)
