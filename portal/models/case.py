from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow
from portal.models.enums import MemberKind, Phase
from portal.models.office import Team
from portal.models.principal import Principal
from portal.models.staff import StaffUser


class Case(Base):
    """One family's return case, carried by one caseworker from the first day."""

    __tablename__ = "case"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id"), index=True)
    reference: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str]  # how staff call the case, e.g. "Familie Sommer"
    phase: Mapped[Phase] = mapped_column(default=Phase.clarification)
    primary_caseworker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"), index=True)
    deputy_caseworker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    delete_after: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(default=1)
    # Raised with every change a family page could show (`portal.revisions`), never by the ORM:
    # `revision` above guards staff edits against each other and must not move with family data.
    family_revision: Mapped[int] = mapped_column(default=0, server_default="0")

    team: Mapped[Team] = relationship()
    primary_caseworker: Mapped[StaffUser | None] = relationship(foreign_keys=[primary_caseworker_id])
    deputy_caseworker: Mapped[StaffUser | None] = relationship(foreign_keys=[deputy_caseworker_id])
    members: Mapped[list[Member]] = relationship(
        back_populates="case", order_by="Member.id", cascade="all, delete-orphan"
    )
    phase_changes: Mapped[list[PhaseChange]] = relationship(
        order_by="PhaseChange.changed_at", cascade="all, delete-orphan"
    )
    handovers: Mapped[list[CaseHandover]] = relationship(
        order_by="CaseHandover.at.desc(), CaseHandover.id.desc()", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": revision}

    @property
    def is_closed(self) -> bool:
        return self.phase is Phase.closed


class PhaseChange(Base):
    """The phase history of a case."""

    __tablename__ = "phase_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"), index=True)
    phase: Mapped[Phase]
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    changed_by: Mapped[StaffUser | None] = relationship()


class CaseHandover(Base):
    """A case handed from one caseworker to another, with the note the new one reads first.

    "From one hand" is the programme's principle: a change of caseworker is a
    deliberate step by a lead, kept with its date and the handover note.
    """

    __tablename__ = "case_handover"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(sa.Text)
    from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    to_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_user.id"))
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    from_: Mapped[StaffUser | None] = relationship(foreign_keys=[from_id])
    to: Mapped[StaffUser] = relationship(foreign_keys=[to_id])
    by: Mapped[StaffUser | None] = relationship(foreign_keys=[by_id])


class Member(Principal, Base):
    """A family member with (eventually) an account: parent, youth (12–17) or child."""

    __tablename__ = "member"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MemberKind]
    display_name: Mapped[str] = mapped_column(sa.String(80))
    birth_year: Mapped[int | None]
    language: Mapped[str | None] = mapped_column(sa.String(8))  # None: not chosen yet
    easy_read: Mapped[bool] = mapped_column(default=False)
    username: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # The plan version this member last looked at, for "what changed".
    last_seen_version: Mapped[int | None]
    last_visit_at: Mapped[datetime | None]
    calendar_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # Place and kind of appointment in calendar entries only when the member chose it.
    calendar_details: Mapped[bool] = mapped_column(default=False)
    # A reminder (VALARM) the day before, in calendar entries; the member can switch it off.
    calendar_reminders: Mapped[bool] = mapped_column(default=True)
    # The address the member entered for notifications (none: no mail).
    email: Mapped[str | None] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revision: Mapped[int] = mapped_column(default=1)

    case: Mapped[Case] = relationship(back_populates="members")

    __mapper_args__ = {"version_id_col": revision}

    principal_prefix = "member"
    is_staff = False

    @property
    def is_active(self) -> bool:
        """Deactivation and closing the case take effect on the next request."""
        return self.active and self.case.phase is not Phase.closed

    @property
    def has_account(self) -> bool:
        return self.password_hash is not None


class Invitation(Base):
    """A single-use, expiring code that lets a member set up their account.

    Only a hash of the code is stored; the code itself is shown once, on the
    printable letter.
    """

    __tablename__ = "invitation"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    member: Mapped[Member] = relationship()
    created_by: Mapped[StaffUser | None] = relationship()
