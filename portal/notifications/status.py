"""What the caseworker (and the member on their account page) sees of a member's notifications:
the channels they have — never the address itself to staff — and how the last delivery went."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.models import Channel, Delivery, DeliveryState, Member, Message, PushSubscription


@dataclass
class ChannelStatus:
    email: bool
    push_devices: int
    last_state: DeliveryState | None
    last_error: str | None
    last_at: object | None

    @property
    def has_channel(self) -> bool:
        return self.email or self.push_devices > 0

    @property
    def failing(self) -> bool:
        """The member's last e-mail did not get through: the caseworker should know."""
        return self.last_state is DeliveryState.failed


def for_members(session: Session, members: list[Member], ids: sa.Select | None = None) -> dict[int, ChannelStatus]:
    """Each member's channels and last delivery; `ids`, a subquery naming (at least) these members,
    spares a statement with a list of hundreds of ids (the caseload)."""
    if not members:
        return {}
    if ids is None:
        ids = [m.id for m in members]
    devices = dict(session.execute(
        sa.select(PushSubscription.member_id, sa.func.count(PushSubscription.id))
        .where(PushSubscription.member_id.in_(ids)).group_by(PushSubscription.member_id)).all())
    latest = sa.select(Message.member_id, sa.func.max(Delivery.id).label("delivery_id")).join(
        Delivery, Delivery.message_id == Message.id).where(
        Message.member_id.in_(ids), Delivery.channel == Channel.email,
        Delivery.state.in_([DeliveryState.sent, DeliveryState.failed])).group_by(Message.member_id).subquery()
    last = {row.member_id: row for row in session.execute(
        sa.select(latest.c.member_id, Delivery.state, Delivery.error, Delivery.finished_at)
        .join(Delivery, Delivery.id == latest.c.delivery_id))}
    result = {}
    for member in members:
        row = last.get(member.id)
        result[member.id] = ChannelStatus(
            email=bool(member.email), push_devices=devices.get(member.id, 0),
            last_state=row.state if row else None, last_error=row.error if row else None,
            last_at=row.finished_at if row else None,
        )
    return result
