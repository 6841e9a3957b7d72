"""Delivering messages: claim, send, record — safe with many workers on many hosts.

A worker claims one delivery with a single conditional UPDATE (`FOR UPDATE
SKIP LOCKED` on PostgreSQL; SQLite serialises writers), which sets a lease
(`lease_until`). Only then does it send, outside any transaction, and record
the outcome only if its claim still holds. So:

- two workers never send the same delivery at the same time;
- a worker killed mid-send loses nothing: when its lease runs out, another
  worker takes the delivery over;
- the guarantee is *at least once*: a worker that dies after the mail server
  accepted the mail but before recording it leads to a second send after the
  lease. That copy carries the same Message-ID (and the same Web Push `Topic`;
  in development the same file name), so mail programs and push services treat
  it as the same message.

Failures: `Temporary` is tried again with doubling pauses (from
`NOTIFY_RETRY_SECONDS` up to an hour) until `NOTIFY_GIVE_UP_HOURS` after the
message was made, then marked failed; `Permanent` is failed at once. A failed
delivery to a family member goes into the caseworkers' digest. The recipient is
checked again right before sending: a member deactivated (or a case closed)
while the message waited gets nothing. Log lines carry ids and error codes only.
"""
from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import sessionmaker

from portal.db import utcnow
from portal.models import (
    Case,
    Channel,
    Delivery,
    DeliveryState,
    Message,
    Notification,
    NotificationKind,
    PushSubscription,
)
from portal.notifications import bundling, channels, recipients, texts, timed

log = logging.getLogger("portal.notifications")
MAX_PAUSE = timedelta(hours=1)
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


def _due(now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(
        sa.and_(Delivery.state == DeliveryState.pending, Delivery.next_attempt_at <= now),
        sa.and_(Delivery.state == DeliveryState.sending, Delivery.lease_until < now),
    )


def claim(make_session: sessionmaker, now: datetime) -> tuple[int, int] | None:
    """Take one due delivery (or one whose worker's lease ran out): (id, attempt number), or None."""
    lease = timedelta(seconds=current_app.config["NOTIFY_LEASE_SECONDS"])
    with make_session() as session:
        pick = (sa.select(Delivery.id).where(_due(now)).order_by(Delivery.next_attempt_at, Delivery.id).limit(1)
                .with_for_update(skip_locked=True).scalar_subquery())
        row = session.execute(
            sa.update(Delivery).where(Delivery.id == pick, _due(now))
            .values(state=DeliveryState.sending, lease_until=now + lease, attempts=Delivery.attempts + 1)
            .returning(Delivery.id, Delivery.attempts)
        ).first()
        session.commit()
    return (row[0], row[1]) if row else None


def deliver(make_session: sessionmaker, delivery_id: int, attempt: int, now: datetime) -> DeliveryState | None:
    """Send one claimed delivery and record what happened; the new state (None: the claim was lost)."""
    with make_session() as session:
        delivery = session.get(Delivery, delivery_id)
        if delivery is None:  # the recipient was deleted meanwhile (rows cascade)
            return None
        message = delivery.message
        why_not = _recipient_gone(session, message)
        if why_not is None and delivery.channel is Channel.push and delivery.push_subscription_id is None:
            why_not = "gone"
        if why_not is None:
            cases = {c.id: c for c in session.scalars(sa.select(Case).where(
                Case.id.in_({n.case_id for n in message.notifications})))}
            content = texts.render(message, cases)
            address = (message.member.email if message.member is not None else message.staff.email)
            subscription = (session.get(PushSubscription, delivery.push_subscription_id)
                            if delivery.push_subscription_id else None)
            push = (subscription.endpoint, subscription.p256dh, subscription.auth) if subscription else None
            channel, uuid, urgent, created_at = delivery.channel, message.uuid, message.urgent, message.created_at
        session.commit()  # no transaction is held open while talking to a server or recording
    if why_not is not None:
        return _record(make_session, delivery_id, attempt, DeliveryState.dropped, why_not, now)
    try:
        if channel is Channel.email:
            if not address:
                raise channels.Permanent("no_address")
            channels.send_email(channels.build_email(content, address, uuid), uuid)
        else:
            channels.send_push(content, *push, uuid=uuid, urgent=urgent)
    except channels.Permanent as exc:
        if exc.code == "gone" and subscription is not None:
            _forget_subscription(make_session, subscription.id)
        log.warning("notification delivery %s failed for good: %s", delivery_id, exc.code)
        return _record(make_session, delivery_id, attempt, DeliveryState.failed, exc.code, now)
    except channels.Temporary as exc:
        give_up = created_at + timedelta(hours=current_app.config["NOTIFY_GIVE_UP_HOURS"])
        pause = min(timedelta(seconds=current_app.config["NOTIFY_RETRY_SECONDS"] * 2 ** (attempt - 1)), MAX_PAUSE)
        if utcnow() + pause > give_up:
            log.warning("notification delivery %s failed after %s attempts: %s", delivery_id, attempt, exc.code)
            return _record(make_session, delivery_id, attempt, DeliveryState.failed, exc.code, now)
        log.info("notification delivery %s will be tried again: %s", delivery_id, exc.code)
        return _record(make_session, delivery_id, attempt, DeliveryState.pending, exc.code, now,
                       next_attempt_at=utcnow() + pause)
    return _record(make_session, delivery_id, attempt, DeliveryState.sent, None, now)


def _recipient_gone(session, message: Message) -> str | None:
    if message.member is not None:
        return None if recipients.may_receive(message.member) else "inactive"
    return None if message.staff.active else "inactive"


def _record(make_session: sessionmaker, delivery_id: int, attempt: int, state: DeliveryState, error: str | None,
            now: datetime, next_attempt_at: datetime | None = None) -> DeliveryState | None:
    """Write the outcome only while our claim holds (same attempt, still `sending`)."""
    values = {"state": state, "error": error, "lease_until": None}
    if state is DeliveryState.pending:
        values["next_attempt_at"] = next_attempt_at
    else:
        values["finished_at"] = utcnow()
    with make_session() as session:
        done = session.execute(
            sa.update(Delivery)
            .where(Delivery.id == delivery_id, Delivery.state == DeliveryState.sending, Delivery.attempts == attempt)
            .values(**values)
        ).rowcount
        if done and state is DeliveryState.failed:
            _tell_caseworkers(session, delivery_id, now)
        session.commit()
    return state if done else None


def _tell_caseworkers(session, delivery_id: int, now: datetime) -> None:
    """A message to a family member that did not get through goes into the caseworkers' digest."""
    delivery = session.get(Delivery, delivery_id)
    member = delivery.message.member
    if member is None or delivery.error == "gone":  # staff mail, or a push subscription that simply ended
        return
    for staff in recipients.caseworkers(member.case):
        session.add(Notification(staff_id=staff.id, case_id=member.case_id, kind=NotificationKind.delivery_failed,
                                 object_id=member.id, created_at=now))


def _forget_subscription(make_session: sessionmaker, subscription_id: int) -> None:
    with make_session() as session:
        session.execute(sa.delete(PushSubscription).where(PushSubscription.id == subscription_id))
        session.commit()


def deliver_due(make_session: sessionmaker, now: datetime | None = None, limit: int = 200) -> int:
    """Claim and send due deliveries until none is left (or `limit`); how many were handled."""
    moment = now or utcnow()  # fixed for the pass: a delivery put back for a retry waits for the next one
    handled = 0
    while handled < limit:
        claimed = claim(make_session, moment)
        if claimed is None:
            break
        deliver(make_session, *claimed, now=moment)
        handled += 1
    return handled


def run_once(app: Flask, now: datetime | None = None) -> int:
    """One pass of the worker: clock events, bundling, delivery. Safe to run on many workers at once."""
    with app.app_context():
        make_session = app.extensions["database"].sessionmaker
        moment = now or utcnow()
        timed.due_reminders(make_session, moment)
        timed.due_checkins(make_session, moment)
        timed.due_escalations(make_session, moment)
        bundling.compose_due(make_session, moment)
        return deliver_due(make_session, now)
