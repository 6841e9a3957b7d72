from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base


class Office(Base):
    """One youth welfare office (Jugendamt); the portal serves one office."""

    __tablename__ = "office"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    teams: Mapped[list[Team]] = relationship(back_populates="office")


class Team(Base):
    """A team of the general social service (ASD), led by a lead."""

    __tablename__ = "team"
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("office.id"), index=True)
    name: Mapped[str]
    office: Mapped[Office] = relationship(back_populates="teams")
