"""Notifications: the portal reaches people (DESIGN.md § 5b, README "Notifications").

- `events`      the hook points: a view calls one in the event's transaction (outbox rows)
- `recipients`  who is told: the one place that asks `portal.sharing`
- `bundling`    outbox → one message per person: bundle window, quiet hours, opt-outs, staff digest
- `timed`       reminders and alert escalation, found by the clock
- `worker`      claim, send, retry, record: once per delivery with many workers
- `channels`    e-mail (SMTP or .eml files) and Web Push
- `texts`       neutral texts in the recipient's language
- `preferences` e-mail address, push subscriptions, topics switched off, unsubscribe tokens
- `status`      channels and last delivery state per member, for the case and account pages
- `queue`       the Huey queue and its tasks
"""
from flask import Flask

from portal.notifications import events, queue


def init_app(app: Flask) -> None:
    queue.init_app(app)


__all__ = ["events", "init_app"]
