"""Notifications: the outbox, the messages that leave, and each member's channels.

`Notification` is the outbox: one row per recipient and event, written in the
same transaction as the event (a rolled-back request leaves none). The worker
bundles a recipient's waiting notifications into one `Message` and sends it on
each channel the recipient has, one `Delivery` per channel, whose state the
caseworker sees. None of these rows holds content: a kind, ids and times only.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow
from portal.models.case import Member
from portal.models.enums import Channel, DeliveryState, NotificationKind
from portal.models.staff import StaffUser


class Notification(Base):
    """That `kind` happened for one recipient (a member or a staff user), waiting to be told."""

    __tablename__ = "notification"
    __table_args__ = (sa.CheckConstraint("(member_id IS NULL) <> (staff_id IS NULL)", name="one_recipient"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NotificationKind]
    object_id: Mapped[int | None]  # the alert, appointment, version or question it is about
    # Events the worker finds by time (reminders, escalations) are written once per key.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("message.id", ondelete="CASCADE"), index=True)
    # Why it was not sent ("no_channel", "opted_out", "inactive", "not_visible", "acknowledged").
    dropped: Mapped[str | None] = mapped_column(sa.String(24))

    member: Mapped[Member | None] = relationship()
    staff: Mapped[StaffUser | None] = relationship()


class Message(Base):
    """What one person is told at once: a bundle of notifications; `uuid` is its Message-ID."""

    __tablename__ = "message"
    __table_args__ = (sa.CheckConstraint("(member_id IS NULL) <> (staff_id IS NULL)", name="one_recipient"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(32), unique=True)
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    urgent: Mapped[bool] = mapped_column(default=False)
    digest: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    member: Mapped[Member | None] = relationship()
    staff: Mapped[StaffUser | None] = relationship()
    notifications: Mapped[list[Notification]] = relationship(order_by="Notification.id")
    deliveries: Mapped[list[Delivery]] = relationship(back_populates="message", order_by="Delivery.id")


class Delivery(Base):
    """One message on one channel; claimed by one worker at a time (see portal.notifications.worker)."""

    __tablename__ = "delivery"
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("message.id", ondelete="CASCADE"), index=True)
    channel: Mapped[Channel]
    push_subscription_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("push_subscription.id", ondelete="SET NULL"))
    state: Mapped[DeliveryState] = mapped_column(default=DeliveryState.pending, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # Why the last attempt did not go through: "refused", "unreachable", "timeout", "gone", "no_address", …
    error: Mapped[str | None] = mapped_column(sa.String(24))

    message: Mapped[Message] = relationship(back_populates="deliveries")


class PushSubscription(Base):
    """A browser's Web Push subscription (RFC 8030) with its keys for RFC 8291 encryption."""

    __tablename__ = "push_subscription"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(sa.String(2048), unique=True)
    p256dh: Mapped[str] = mapped_column(sa.String(200))
    auth: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NotificationOptOut(Base):
    """The member switched off one topic ("plan", "appointments", "replies", "reminders")."""

    __tablename__ = "notification_opt_out"
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(24), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
