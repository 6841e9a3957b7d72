"""What families send to their caseworker: questions and "I don't feel safe" alerts."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow
from portal.models.case import Member
from portal.models.staff import StaffUser

question_reader = sa.Table(
    "question_reader",
    Base.metadata,
    sa.Column("question_id", sa.ForeignKey("question.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("member_id", sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Question(Base):
    """A member's question, on a plan item (`item_id`) or free.

    Only the asking member sees it and its reply, plus whom the caseworker adds
    as `readers`.
    """

    __tablename__ = "question"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None]  # a draft PlanItem id; stable across versions
    text: Mapped[str] = mapped_column(sa.Text)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    reply: Mapped[str | None] = mapped_column(sa.Text)
    replied_at: Mapped[datetime | None]
    replied_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    revision: Mapped[int] = mapped_column(default=1)

    member: Mapped[Member] = relationship()
    replied_by: Mapped[StaffUser | None] = relationship()
    readers: Mapped[list[Member]] = relationship(secondary=question_reader, order_by="Member.id")

    __mapper_args__ = {"version_id_col": revision}


class SafetyAlert(Base):
    """A youth or child pressed "I don't feel safe"."""

    __tablename__ = "safety_alert"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))

    member: Mapped[Member] = relationship()
    acknowledged_by: Mapped[StaffUser | None] = relationship()
