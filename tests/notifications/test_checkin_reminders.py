"""The neutral check-in reminder (issue 15): once per week to each member asked whose check-in is
still open, held back in quiet hours, dropped when the member answered meanwhile, saying nothing
about the family, in the member's language (a child as a child)."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import force_locale, pgettext

from portal import checkins
from portal.db import db, utcnow
from portal.models import Member, Notification, NotificationKind
from portal.notifications import worker
from tests.messages import translated
from tests.notifications.conftest import DEMO_ADDRESSES, family_client, post
from tests.notifications.test_delivery import SOCIAL_DATA, _body

ANNA, DANIEL, JONAS, MIA = DEMO_ADDRESSES[:4]


def test_a_neutral_reminder_once_a_week_after_quiet_hours_and_none_once_answered(make_portal, smtp):
    app = make_portal(CHECKIN_REMINDER_AT="17:00", NOTIFY_QUIET_HOURS="21:00-07:00")
    with app.app_context():
        tz = checkins.office_zone()
        monday = checkins.monday(checkins.local_day(utcnow()))

    def at(days: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(monday + timedelta(days=days), time(hour, minute), tzinfo=tz).astimezone(UTC)

    worker.run_once(app, now=at(0, 16, 59))  # before the reminder's moment: nothing is due
    worker.run_once(app, now=at(0, 22, 0))  # due, but in quiet hours: written, held back
    assert smtp.mailbox.received == []
    with app.app_context():
        waiting = db.session.execute(  # the Sommer family (the history's families have no sign-in, no address)
            sa.select(Member.username).join(Notification, Notification.member_id == Member.id)
            .where(Notification.kind == NotificationKind.checkin_due, Member.username.is_not(None))).scalars().all()
        db.session.commit()
    assert sorted(waiting) == ["demo.child", "demo.parent", "demo.youth"]  # Daniel is not asked
    jonas = family_client(app, "demo.youth")
    assert post(jonas, "/checkin", {"home": "6", "together": "6"}).status_code == 302
    worker.run_once(app, now=at(1, 7, 30))
    assert sorted(m["To"] for m in smtp.mailbox.received) == sorted([ANNA, MIA])
    with app.app_context():
        dropped = db.session.scalar(sa.select(Notification.dropped).join(Member, Member.id == Notification.member_id)
                                    .where(Member.username == "demo.youth"))
        db.session.commit()
        with app.test_request_context(), force_locale("de"):
            child_line = pgettext("child", "A short question is waiting for you in NeuStart.")
    assert dropped == "not_due"  # he answered while it waited
    assert translated(app, "A short question is waiting for you in NeuStart.", "de") in _body(smtp.mailbox.to(ANNA)[0])
    assert child_line in _body(smtp.mailbox.to(MIA)[0])
    for mail in smtp.mailbox.received:
        assert not [word for word in SOCIAL_DATA if word in _body(mail) or word in mail["Subject"]]
    worker.run_once(app, now=at(2, 12, 0))  # the same week: no second reminder
    assert len(smtp.mailbox.received) == 2
