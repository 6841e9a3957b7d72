from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow
from portal.models.enums import Role
from portal.models.office import Team
from portal.models.principal import Principal


class StaffUser(Principal, Base):
    """A person at the office: caseworker (Fachkraft), lead or admin."""

    __tablename__ = "staff_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("team.id"), index=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    display_name: Mapped[str]
    role: Mapped[Role]
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    email: Mapped[str | None]
    language: Mapped[str] = mapped_column(sa.String(8), default="de")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_last_step: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revision: Mapped[int] = mapped_column(default=1)

    team: Mapped[Team | None] = relationship()

    __mapper_args__ = {"version_id_col": revision}

    principal_prefix = "staff"
    is_staff = True

    @property
    def is_active(self) -> bool:
        return self.active


class RecoveryCode(Base):
    """Single-use second-factor recovery code, stored only as a hash."""

    __tablename__ = "recovery_code"
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(255))
    used_at: Mapped[datetime | None]
