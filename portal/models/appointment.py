from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow
from portal.models.case import Case, Member
from portal.models.enums import AppointmentStatus, AppointmentType, Audience
from portal.models.staff import StaffUser

appointment_person = sa.Table(
    "appointment_person",
    Base.metadata,
    sa.Column("appointment_id", sa.ForeignKey("appointment.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("member_id", sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Appointment(Base):
    """A live object: a shared appointment shows at once; changes are marked."""

    __tablename__ = "appointment"
    # A case's appointments in time order: every family page, the caseload's next appointment.
    __table_args__ = (sa.Index("ix_appointment_case_id_starts_at", "case_id", "starts_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"))
    type: Mapped[AppointmentType]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    place: Mapped[str | None]
    # At the family's own home: no address and no maps link are shown (the family knows the way).
    at_home: Mapped[bool] = mapped_column(default=False)
    bring: Mapped[str | None] = mapped_column(sa.Text)  # what to bring
    note: Mapped[str | None] = mapped_column(sa.Text)
    audience: Mapped[Audience] = mapped_column(default=Audience.staff)
    status: Mapped[AppointmentStatus] = mapped_column(default=AppointmentStatus.scheduled)
    # Set when a shared appointment is moved or cancelled, so families see "changed".
    changed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revision: Mapped[int] = mapped_column(default=1)

    case: Mapped[Case] = relationship()
    people: Mapped[list[Member]] = relationship(secondary=appointment_person, order_by="Member.id", lazy="selectin")
    answers: Mapped[list[AppointmentAnswer]] = relationship(
        back_populates="appointment", cascade="all, delete-orphan", order_by="AppointmentAnswer.id"
    )

    __mapper_args__ = {"version_id_col": revision}


class AppointmentAnswer(Base):
    """A member's "I will come" / "I cannot come" (with a reason)."""

    __tablename__ = "appointment_answer"
    __table_args__ = (sa.UniqueConstraint("appointment_id", "member_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(sa.ForeignKey("appointment.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    coming: Mapped[bool]
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    # The member reads another language and asks for an interpreter at the appointment.
    interpreter: Mapped[bool] = mapped_column(default=False)
    # Set by the member's answer (`family.answers.answer_appointment`), not by any update:
    # the caseworker marking it handled must not make it look newly answered.
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The caseworker marked the answer as seen; an answer given again after that is new.
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id", ondelete="SET NULL"))

    appointment: Mapped[Appointment] = relationship(back_populates="answers")
    member: Mapped[Member] = relationship()
    handled_by: Mapped[StaffUser | None] = relationship()
    earlier: Mapped[list[AppointmentAnswerChange]] = relationship(
        back_populates="answer", cascade="all, delete-orphan", order_by="AppointmentAnswerChange.id")

    @property
    def handled(self) -> bool:
        return self.handled_at is not None and self.handled_at >= self.answered_at


class AppointmentAnswerChange(Base):
    """An earlier answer, kept when the member changes it: the caseworker sees the history.

    Append-only, like the answers themselves are the member's own words.
    """

    __tablename__ = "appointment_answer_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(sa.ForeignKey("appointment_answer.id", ondelete="CASCADE"), index=True)
    coming: Mapped[bool]
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    interpreter: Mapped[bool] = mapped_column(default=False)
    answered_at: Mapped[datetime]
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)

    answer: Mapped[AppointmentAnswer] = relationship(back_populates="earlier")
