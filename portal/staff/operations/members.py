"""The family's members and their invitation letters."""
from __future__ import annotations

from sqlalchemy.orm import Session

from portal import audit, concurrency, invitations
from portal.models import Case, Invitation, Member, MemberKind, StaffUser


class CannotInvite(Exception):
    """A deactivated member, or a closed case: an invitation would not work."""


def add_member(session: Session, case: Case, kind: MemberKind, display_name: str, birth_year: int | None,
               language: str, by: StaffUser) -> Member:
    member = Member(case=case, kind=kind, display_name=display_name.strip(), birth_year=birth_year,
                    language=language)
    session.add(member)
    session.flush()
    audit.record(session, audit.Action.member_create, case_id=case.id, obj=member, actor=by)
    session.flush()
    return member


def update_member(session: Session, case: Case, member: Member, kind: MemberKind, language: str,
                  revision: str | None, by: StaffUser) -> None:
    with concurrency.saving(session, (member, revision)):
        member.kind = kind
        member.language = language
        audit.record(session, audit.Action.member_update, case_id=case.id, obj=member, actor=by)


def deactivate_member(session: Session, case: Case, member: Member, by: StaffUser) -> None:
    """The session loader refuses inactive members, so this applies on their next request."""
    member.active = False
    audit.record(session, audit.Action.member_deactivate, case_id=case.id, obj=member, actor=by)
    session.flush()


def invite(session: Session, case: Case, member: Member, by: StaffUser) -> tuple[Invitation, str]:
    """A new invitation letter's code (shown once, stored only as a hash)."""
    if not member.active or case.is_closed:
        raise CannotInvite
    invitation, code = invitations.create_invitation(session, member, by)
    audit.record(session, audit.Action.invitation_create, case_id=case.id, obj=invitation, actor=by)
    session.flush()
    return invitation, code
