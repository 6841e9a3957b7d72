from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base
from portal.models.case import Case, Member
from portal.models.enums import Audience, ContactType
from portal.models.office import Office

contact_person = sa.Table(
    "contact_person",
    Base.metadata,
    sa.Column("contact_id", sa.ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("member_id", sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Contact(Base):
    """Whom to call: per case (case_id set) or office-wide (case_id None)."""

    __tablename__ = "contact"
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("office.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"), index=True)
    type: Mapped[ContactType]
    name: Mapped[str]
    role_label: Mapped[str | None]  # e.g. "Wohngruppe Lindenhof"
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    email: Mapped[str | None]
    opening_hours: Mapped[str | None]
    note: Mapped[str | None] = mapped_column(sa.Text)
    audience: Mapped[Audience] = mapped_column(default=Audience.family)
    position: Mapped[int] = mapped_column(default=0)
    revision: Mapped[int] = mapped_column(default=1)

    office: Mapped[Office] = relationship()
    case: Mapped[Case | None] = relationship()
    people: Mapped[list[Member]] = relationship(secondary=contact_person, order_by="Member.id", lazy="selectin")

    __mapper_args__ = {"version_id_col": revision}
