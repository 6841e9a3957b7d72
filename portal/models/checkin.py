"""Check-ins: "How are things at home?" — a scaling question, asked regularly (issue 15).

The caseworker switches check-ins on for a case (`CheckinSchedule`: the rhythm) and
for each member who is asked (`CheckinMember`). A member's answer (`Checkin`) belongs
to one period of the rhythm (a week, or two), named by its first day in the office's
time zone; answering again in the same period replaces the earlier answer, which is
kept (`replaced_at`) in the history. An answer is the member's own: only they and the
case's caseworkers see it (`portal.sharing.Viewer.own_checkins`), never another member.

What the caseworker marked as seen of an early warning is kept with a short note
(`CheckinWarningSeen`).
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow
from portal.models.case import Member
from portal.models.enums import CheckinRhythm, Phase
from portal.models.staff import StaffUser


class CheckinSchedule(Base):
    """Check-ins in a case: how often they are asked, counted from `anchor_on` (a Monday)."""

    __tablename__ = "checkin_schedule"
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"), primary_key=True)
    rhythm: Mapped[CheckinRhythm] = mapped_column(default=CheckinRhythm.weekly)
    # The first day of the first period in the office's time zone; periods follow every 7 or 14 days.
    anchor_on: Mapped[date]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    revision: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": revision}


class CheckinMember(Base):
    """Whether `member` is asked; `since_on` is the first day of the period in which it was switched on."""

    __tablename__ = "checkin_member"
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"), index=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    since_on: Mapped[date]

    member: Mapped[Member] = relationship()


class Checkin(Base):
    """One answer of one member for one period.

    A child answers with a face (`face`, 1 = very bad … 5 = very good) and may add that
    they want to tell their caseworker something (`topic`); parents and youths answer
    the scaling questions on 1–10 (`home`, `together`, `help`; youths are not asked
    `help`) with an optional sentence. `level` is the answer on the one 1–10 scale the
    trends and the evaluation compare (`home`; a face as 1, 3.25, 5.5, 7.75 or 10).
    """

    __tablename__ = "checkin"
    __table_args__ = (
        # One current answer per member and period; replaced ones stay as history.
        sa.Index("uq_checkin_current", "member_id", "period_on", unique=True,
                 sqlite_where=sa.text("replaced_at IS NULL"), postgresql_where=sa.text("replaced_at IS NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    period_on: Mapped[date]  # the first day of the period answered for (office time zone)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    phase: Mapped[Phase]  # the case's phase when answered (the evaluation counts after-care)
    face: Mapped[int | None]
    home: Mapped[int | None]
    together: Mapped[int | None]
    help: Mapped[int | None]
    level: Mapped[float]
    sentence: Mapped[str | None] = mapped_column(sa.Text)
    topic: Mapped[str | None] = mapped_column(sa.String(24))
    replaced_at: Mapped[datetime | None]

    member: Mapped[Member] = relationship()


class CheckinWarningSeen(Base):
    """The caseworker saw an early warning (`reason` of the answer or streak `key`) and noted why."""

    __tablename__ = "checkin_warning_seen"
    __table_args__ = (sa.UniqueConstraint("member_id", "reason", "key", name="uq_checkin_warning_seen_warning"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(16))  # "fall", "bottom", "missed", "talk"
    key: Mapped[str] = mapped_column(sa.String(40))  # the answer's id, or the first missed period
    note: Mapped[str] = mapped_column(sa.Text)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))

    member: Mapped[Member] = relationship()
    seen_by: Mapped[StaffUser | None] = relationship()
