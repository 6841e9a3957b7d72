"""Staff accounts, kept by administrators (who reach no case)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit, concurrency, sessions
from portal.models import Role, StaffUser
from portal.passwords import STAFF_MINIMUM, hash_password, password_problem


class AccountRefused(Exception):
    """`field` names the form field the reason belongs to."""

    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


def create_staff(session: Session, username: str, display_name: str, role: Role, team_id: int | None, password: str,
                 by: StaffUser) -> StaffUser:
    username = username.strip()
    problem = password_problem(password, username, STAFF_MINIMUM)
    if problem:
        raise AccountRefused("password", str(problem))
    if session.scalar(sa.select(StaffUser.id).where(StaffUser.username == username)):
        raise AccountRefused("username", "taken")
    staff = StaffUser(username=username, display_name=display_name.strip(), role=role, team_id=team_id,
                      password_hash=hash_password(password))
    session.add(staff)
    session.flush()
    audit.record(session, audit.Action.staff_create, obj=staff, actor=by)
    session.flush()
    return staff


def update_staff(session: Session, staff: StaffUser, display_name: str, role: Role, team_id: int | None,
                 revision: str | None, by: StaffUser) -> None:
    if staff.id == by.id and role is not Role.admin:
        raise AccountRefused("role", "own_role")
    with concurrency.saving(session, (staff, revision)):
        staff.display_name = display_name.strip()
        staff.role = role
        staff.team_id = team_id
        audit.record(session, audit.Action.staff_update, obj=staff, actor=by)


def deactivate_staff(session: Session, staff: StaffUser, by: StaffUser) -> None:
    """Deactivation ends every session of the account at once."""
    if staff.id == by.id:
        raise AccountRefused("account", "own_account")
    staff.active = False
    sessions.end_all(session, staff.principal_id)
    audit.record(session, audit.Action.staff_deactivate, obj=staff, actor=by)
    session.flush()
