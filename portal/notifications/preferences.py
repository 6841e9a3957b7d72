"""What a member chose: an e-mail address, push subscriptions, and topics switched off.

Topics are what a member can switch off (on the account page, or with the
one-click unsubscribe link in every mail). The unsubscribe link carries a token
signed with the portal's secret key, naming the member and the topic; it works
without signing in and never expires (RFC 8058).
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from portal.models import Member, MemberKind, NotificationKind, NotificationOptOut, PushSubscription

# topic -> the kinds it covers
TOPICS: dict[str, tuple[NotificationKind, ...]] = {
    "plan": (NotificationKind.new_version,),
    "appointments": (NotificationKind.appointment_new, NotificationKind.appointment_changed,
                     NotificationKind.appointment_cancelled),
    "replies": (NotificationKind.reply,),
    "reminders": (NotificationKind.reminder_day_before, NotificationKind.reminder_morning),
    "checkins": (NotificationKind.checkin_due,),
}
ALL = "all"  # the unsubscribe link of a mail that bundled several topics
TOPIC_OF_KIND = {kind: topic for topic, kinds in TOPICS.items() for kind in kinds}
TOPIC_LABELS = {
    "plan": _l("A new version of the plan"),
    "appointments": _l("New, changed or cancelled appointments"),
    "replies": _l("Replies to my questions"),
    "reminders": _l("Reminders the day before and on the morning of an appointment"),
    "checkins": _l("A reminder when a check-in is waiting for me"),
}


def topics_for(member: Member) -> tuple[str, ...]:
    """A child asks no questions, so gets no replies."""
    if member.kind is MemberKind.child:
        return ("plan", "appointments", "reminders", "checkins")
    return tuple(TOPICS)


def opted_out(session: Session, member_id: int) -> set[str]:
    return set(session.scalars(sa.select(NotificationOptOut.topic).where(NotificationOptOut.member_id == member_id)))


def set_topics(session: Session, member: Member, wanted: set[str]) -> None:
    """Switch the member's topics: everything not in `wanted` is off."""
    off = set(topics_for(member)) - wanted
    current = opted_out(session, member.id)
    for topic in off - current:
        session.add(NotificationOptOut(member_id=member.id, topic=topic))
    if current - off:
        session.execute(sa.delete(NotificationOptOut).where(
            NotificationOptOut.member_id == member.id, NotificationOptOut.topic.in_(current - off)))
    session.flush()


def switch_off(session: Session, member: Member, topic: str) -> None:
    """One topic, or "all" of them (a mail that bundled several topics)."""
    if topic == ALL:
        set_topics(session, member, set())
    else:
        set_topics(session, member, set(topics_for(member)) - opted_out(session, member.id) - {topic})


# --- e-mail address -------------------------------------------------------------

def set_email(session: Session, member: Member, address: str | None) -> None:
    """`address` as the form checked and normalized it (`portal.forms.email_address`), or None."""
    member.email = address or None
    session.flush()


# --- Web Push subscriptions -------------------------------------------------------

def add_push_subscription(session: Session, member: Member, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """One row per endpoint; a browser subscribing again (or for another member on a shared phone) takes it over."""
    found = session.scalar(sa.select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if found is None:
        found = PushSubscription(member_id=member.id, endpoint=endpoint, p256dh=p256dh, auth=auth)
        session.add(found)
    else:
        found.member_id, found.p256dh, found.auth = member.id, p256dh, auth
    session.flush()
    return found


def push_subscriptions(session: Session, member_id: int) -> list[PushSubscription]:
    return list(session.scalars(
        sa.select(PushSubscription).where(PushSubscription.member_id == member_id).order_by(PushSubscription.id)))


def remove_push_subscription(session: Session, member: Member, subscription_id: int) -> bool:
    result = session.execute(sa.delete(PushSubscription).where(
        PushSubscription.id == subscription_id, PushSubscription.member_id == member.id))
    return result.rowcount > 0


# --- the one-click unsubscribe token --------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="notifications.unsubscribe")


def unsubscribe_token(member_id: int, topic: str) -> str:
    return _serializer().dumps([member_id, topic])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        member_id, topic = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(member_id, int) or (topic not in TOPICS and topic != ALL):
        return None
    return member_id, topic
