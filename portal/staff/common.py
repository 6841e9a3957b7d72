"""Helpers the staff views share: loading a case and its objects in scope, and choices."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from portal import audit, sharing
from portal.db import db
from portal.models import Case, Member, Plan


def load_case(case_id: int) -> Case:
    """Load a case the signed-in staff member may open, and record the read."""
    case = sharing.get_case_or_404(db.session, current_user, case_id)
    audit.record(db.session, audit.Action.case_read, case_id=case.id)
    return case


def case_plan(case: Case) -> Plan:
    return db.session.scalar(sa.select(Plan).where(Plan.case_id == case.id))


def case_object_or_404(model: type, object_id: int, case: Case):
    """An object of `case` (by its `case_id`); anything else is not there."""
    obj = db.session.scalar(sa.select(model).where(model.id == object_id, model.case_id == case.id))
    if obj is None:
        abort(404)
    return obj


def case_member_or_404(case: Case, member_id: int) -> Member:
    return case_object_or_404(Member, member_id, case)


def member_choices(case: Case) -> list[tuple[int, str]]:
    """For check-box lists: the forms macro isolates each label in <bdi>."""
    return [(m.id, m.display_name) for m in case.members]
