"""From the outbox to messages: bundling, quiet hours, opt-outs, the staff digest.

A recipient's waiting notifications become one `Message` when they are due:

- family members: when the oldest has waited `NOTIFY_BUNDLE_SECONDS`, outside
  quiet hours;
- staff, safety alerts and escalations: at once, day and night;
- staff, everything else: one digest, when the oldest has waited the bundle
  window, outside quiet hours, and no digest went to that person in the last
  `STAFF_DIGEST_MINUTES`.

Several workers may bundle at once: a worker takes a recipient's notifications
with one conditional UPDATE (`message_id IS NULL`), so each notification lands
in exactly one message; a worker that finds them taken rolls back. What the
recipient may no longer hear of (`recipients.still_relevant`) and switched-off
topics are dropped here, with the reason kept.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session, sessionmaker

from portal.models import (
    Case,
    Channel,
    Delivery,
    Member,
    Message,
    Notification,
    NotificationKind,
    PushSubscription,
    StaffUser,
)
from portal.notifications import preferences, recipients, schedule

URGENT = (NotificationKind.safety_alert, NotificationKind.alert_escalation)
DIGEST = (NotificationKind.question, NotificationKind.appointment_answer, NotificationKind.disagreement,
          NotificationKind.delivery_failed)


@dataclass(frozen=True)
class Bundle:
    member_id: int | None
    staff_id: int | None
    urgent: bool
    digest: bool


def due_bundles(session: Session, now: datetime) -> list[Bundle]:
    """Which recipients have notifications to send now (read only)."""
    config = current_app.config
    window = timedelta(seconds=config["NOTIFY_BUNDLE_SECONDS"])
    quiet = schedule.is_quiet(now)
    rows = session.execute(
        sa.select(Notification.member_id, Notification.staff_id, Notification.kind, sa.func.min(Notification.created_at))
        .where(Notification.message_id.is_(None), Notification.dropped.is_(None), Notification.created_at <= now)
        .group_by(Notification.member_id, Notification.staff_id, Notification.kind)
    ).all()
    oldest_by_group: dict[tuple, datetime] = {}
    for member_id, staff_id, kind, oldest in rows:
        key = (member_id, staff_id, kind in URGENT)
        oldest_by_group[key] = min(oldest, oldest_by_group.get(key, oldest))
    due = []
    for (member_id, staff_id, urgent), oldest in oldest_by_group.items():
        if staff_id is not None and urgent:
            due.append(Bundle(None, staff_id, True, False))
        elif quiet or oldest + window > now:
            continue
        elif member_id is not None:
            due.append(Bundle(member_id, None, False, False))
        elif not _digest_sent_since(session, staff_id, now - timedelta(minutes=config["STAFF_DIGEST_MINUTES"])):
            due.append(Bundle(None, staff_id, False, True))
    return due


def _digest_sent_since(session: Session, staff_id: int, since: datetime) -> bool:
    return session.scalar(sa.select(sa.exists().where(
        Message.staff_id == staff_id, Message.digest.is_(True), Message.created_at > since))) or False


def compose(make_session: sessionmaker, bundle: Bundle, now: datetime) -> int | None:
    """Turn the recipient's waiting notifications into one message with its deliveries; the message id, or None."""
    with make_session() as session:
        message = Message(uuid=uuid.uuid4().hex, member_id=bundle.member_id, staff_id=bundle.staff_id,
                          urgent=bundle.urgent, digest=bundle.digest, created_at=now)
        session.add(message)
        session.flush()  # the first statement writes: on SQLite the transaction holds the write lock from here
        recipient = (Notification.member_id == bundle.member_id if bundle.member_id is not None
                     else Notification.staff_id == bundle.staff_id)
        kinds = URGENT if bundle.urgent else (DIGEST if bundle.digest else tuple(NotificationKind))
        taken = session.scalars(
            sa.update(Notification)
            .where(recipient, Notification.message_id.is_(None), Notification.dropped.is_(None),
                   Notification.created_at <= now, Notification.kind.in_(kinds))
            .values(message_id=message.id)
            .returning(Notification.id)
        ).all()
        if not taken:  # another worker was faster
            session.rollback()
            return None
        notifications = session.scalars(sa.select(Notification).where(Notification.id.in_(taken))).all()
        kept = _keep_relevant(session, bundle, notifications)
        channels = _deliveries(session, bundle, message, now) if kept else []
        if not channels:
            for notification in kept:
                notification.message_id, notification.dropped = None, "no_channel"
        if not kept or not channels:
            session.flush()
            session.delete(message)
            session.commit()
            return None
        session.commit()
        return message.id


def _keep_relevant(session: Session, bundle: Bundle, notifications: list[Notification]) -> list[Notification]:
    cases = {c.id: c for c in session.scalars(sa.select(Case).where(
        Case.id.in_({n.case_id for n in notifications})))}
    kept = []
    if bundle.member_id is not None:
        member = session.get(Member, bundle.member_id)
        switched_off = preferences.opted_out(session, member.id)
        for notification in notifications:
            why = recipients.still_relevant(session, member, notification.kind, notification.object_id)
            if why is None and preferences.TOPIC_OF_KIND.get(notification.kind) in switched_off:
                why = "opted_out"
            _keep_or_drop(notification, why, kept)
    else:
        staff = session.get(StaffUser, bundle.staff_id)
        for notification in notifications:
            why = recipients.staff_still_relevant(session, staff, cases[notification.case_id], notification.kind,
                                                  notification.object_id)
            _keep_or_drop(notification, why, kept)
    return kept


def _keep_or_drop(notification: Notification, why: str | None, kept: list[Notification]) -> None:
    if why is None:
        kept.append(notification)
    else:
        notification.message_id, notification.dropped = None, why


def _deliveries(session: Session, bundle: Bundle, message: Message, now: datetime) -> list[Delivery]:
    made = []
    if bundle.member_id is not None:
        member = session.get(Member, bundle.member_id)
        if member.email:
            made.append(Delivery(message_id=message.id, channel=Channel.email, next_attempt_at=now, created_at=now))
        for subscription in session.scalars(sa.select(PushSubscription).where(
                PushSubscription.member_id == member.id)):
            made.append(Delivery(message_id=message.id, channel=Channel.push, push_subscription_id=subscription.id,
                                 next_attempt_at=now, created_at=now))
    else:
        staff = session.get(StaffUser, bundle.staff_id)
        if staff.email:
            made.append(Delivery(message_id=message.id, channel=Channel.email, next_attempt_at=now, created_at=now))
    session.add_all(made)
    return made


def compose_due(make_session: sessionmaker, now: datetime) -> list[int]:
    """Compose every message that is due; the ids of the messages made."""
    with make_session() as session:
        bundles = due_bundles(session, now)
    made = []
    for bundle in bundles:
        message_id = compose(make_session, bundle, now)
        if message_id is not None:
            made.append(message_id)
    return made
