"""No lost updates: save an edit only onto the version the editor saw.

Every editable model has a `revision` version column (SQLAlchemy's
`version_id_col`); its edit form echoes the revision it was shown with. This
module is the one place that turns that into a rule, for every edit form:

- an operation (`portal.staff.operations`) changes rows inside `saving(session,
  (obj, form_revision), …)`: if an echoed revision is not the saved one,
  someone saved in between and `Stale` is raised before anything changes;
  otherwise the change is flushed inside a SAVEPOINT, where the version column
  makes the UPDATE conditional, so a save racing past the first check fails
  with StaleDataError, is rolled back to the SAVEPOINT (what else the request
  did, such as the audited read, stays) and raises `Stale` as well;
- the view catches `Stale`, calls `accept_current(form.revision, stale.obj)` and
  shows the form again with 409: the user's input is kept (it is the request's
  form data), the saved version is shown beside it, and the form now builds on
  the saved revision, so saving again is a deliberate choice.

A form that showed no row yet (a new translation) echoes revision "0".
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

NO_ROW = "0"


class Stale(Exception):
    """Someone saved `obj` since the form was shown; nothing of this save was applied.

    `obj` has been refreshed to what is saved now; `gone` says it was deleted meanwhile.
    """

    def __init__(self, obj, gone: bool = False):
        super().__init__(type(obj).__name__ if obj is not None else "row")
        self.obj = obj
        self.gone = gone


def revision_of(obj) -> str:
    return NO_ROW if obj is None else str(obj.revision)


def check(obj, submitted_revision: str | None) -> None:
    """Raise `Stale` unless the form was built on the saved revision of `obj` (None: no row yet)."""
    if submitted_revision != revision_of(obj):
        raise Stale(obj)


@contextmanager
def saving(session: Session, *edited: tuple[object, str | None], conflicts: tuple[type[Exception], ...] = ()
           ) -> Iterator[None]:
    """Check each (object, echoed revision), then run the block and flush it in a SAVEPOINT.

    `conflicts` names further errors that mean "someone else was faster" (a unique
    row another request just inserted); they are turned into `Stale` too.
    """
    for obj, revision in edited:
        check(obj, revision)
    savepoint = session.begin_nested()
    try:
        yield
        session.flush()
    except (StaleDataError, *conflicts) as error:
        savepoint.rollback()
        first = next((obj for obj, _revision in edited if obj is not None), None)
        raise _refreshed(session, first) from error
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    else:
        savepoint.commit()


def _refreshed(session: Session, obj) -> Stale:
    if obj is None:
        return Stale(None)
    try:
        session.refresh(obj)
    except (ObjectDeletedError, sa.exc.InvalidRequestError):
        return Stale(obj, gone=True)
    return Stale(obj)


def accept_current(form_revision_field, obj) -> None:
    """After a conflict: the form now builds on the saved version."""
    form_revision_field.data = revision_of(obj)


__all__ = ["NO_ROW", "Stale", "accept_current", "check", "revision_of", "saving"]
