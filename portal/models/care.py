"""The facts behind the programme's evaluation (DESIGN.md § 5c).

Returns are counted per child: `CareRecord` holds, for one child or youth of a
case, when they entered care, in which kind of placement and at which daily rate,
when they went home, when after-care ended, and whether and why they came back
into care. `CaseworkerChange` keeps every change of a case's primary caseworker
with its date, as `PhaseChange` does for phases. No free text lives here: the
evaluation reads these rows in SQL aggregates only.
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow
from portal.models.case import Member
from portal.models.enums import Placement, ReentryReason
from portal.models.staff import StaffUser


class CareRecord(Base):
    """One child's or youth's way through care and home (at most one per member)."""

    __tablename__ = "care_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), unique=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"), index=True)
    entered_care_on: Mapped[date | None]
    placement: Mapped[Placement | None]
    # The child's own daily rate in cents; None: the office's default for the placement.
    daily_rate_cents: Mapped[int | None]
    returned_on: Mapped[date | None] = mapped_column(index=True)
    aftercare_ended_on: Mapped[date | None]
    reentered_on: Mapped[date | None]
    reentry_reason: Mapped[ReentryReason | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    revision: Mapped[int] = mapped_column(default=1)

    member: Mapped[Member] = relationship()

    __mapper_args__ = {"version_id_col": revision}


class CaseworkerChange(Base):
    """From `changed_at` on, `caseworker` is the case's primary caseworker."""

    __tablename__ = "caseworker_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"), index=True)
    caseworker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"), index=True)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))

    caseworker: Mapped[StaffUser | None] = relationship(foreign_keys=[caseworker_id])
    changed_by: Mapped[StaffUser | None] = relationship(foreign_keys=[changed_by_id])
