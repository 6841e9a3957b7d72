"""The audit log: who did what to which case, never what the content was.

Rows are append-only: `portal.audit` refuses ORM updates and deletes, and
`case_id` is a plain column (no foreign key) so the trail outlives a purged case.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_event"
    # A case's events newest first: "who opened our file", the caseload's last family activity.
    __table_args__ = (sa.Index("ix_audit_event_case_id_at", "case_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str | None] = mapped_column(sa.String(40))  # "staff:3", "member:7", None
    actor_role: Mapped[str | None] = mapped_column(sa.String(24))
    actor_name: Mapped[str | None]  # staff display name, kept for "who opened our file"
    action: Mapped[str] = mapped_column(sa.String(60))  # "case.read", "signin.failure", ...
    case_id: Mapped[int | None]
    object_type: Mapped[str | None] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    outcome: Mapped[str] = mapped_column(sa.String(16), default="ok")


class DeletionRecord(Base):
    """What `flask purge-expired` deleted: the case reference and when, no content."""

    __tablename__ = "deletion_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int]
    reference: Mapped[str] = mapped_column(sa.String(40))
    closed_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime] = mapped_column(default=utcnow)
