"""Closing a case: the family's accounts end at once and a deletion date is set."""
from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.models import Case, Phase, StaffUser


def close_case(session: Session, case: Case, staff: StaffUser) -> None:
    case.phase = Phase.closed
    for member in case.members:
        member.active = False
    case.closed_at = utcnow()
    case.delete_after = case.closed_at + current_app.config["RETENTION_PERIOD"]
    session.flush()
