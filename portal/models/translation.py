from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, utcnow


class ContentTranslation(Base):
    """A translation of one field of caseworker-written content into one language.

    The German text on the object itself stays the binding original. `checked`
    records that an interpreter checked this translation.
    """

    __tablename__ = "content_translation"
    __table_args__ = (sa.UniqueConstraint("object_type", "object_id", "field", "language"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(sa.String(40))  # "plan_item", "appointment", "contact"
    object_id: Mapped[int] = mapped_column(index=True)
    field: Mapped[str] = mapped_column(sa.String(40))
    language: Mapped[str] = mapped_column(sa.String(8))
    text: Mapped[str] = mapped_column(sa.Text)
    checked: Mapped[bool] = mapped_column(default=False)
    # Who checked it and when, for a translation that came back from the interpreter service.
    checked_by: Mapped[str | None] = mapped_column(sa.String(120))
    checked_on: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    revision: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": revision}
