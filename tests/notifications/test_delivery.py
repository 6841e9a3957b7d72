"""Notifications end to end: HTTP event → outbox → worker → a real SMTP server (aiosmtpd).

What arrives, in whose language, how neutral; one message per bundle; quiet
hours; unsubscribe; nothing for someone who may not see the object; nothing
after a rollback; retries while the server is down or answers 4xx; 5xx refusal
and the caseworker's note; a slow server; a member deleted or deactivated while
a message waits; a worker killed mid-send.
"""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from portal.db import db, utcnow
from portal.models import (
    Appointment,
    Audience,
    Case,
    Delivery,
    DeliveryState,
    Member,
    Notification,
    NotificationKind,
    NotificationOptOut,
    PlanItem,
    PlanVersion,
    SafetyAlert,
)
from portal.notifications import events, worker
from tests.conftest import secret
from tests.messages import translated
from tests.notifications.conftest import DEMO_ADDRESSES, family_client, post, staff_client

ANNA, DANIEL, JONAS, MIA = DEMO_ADDRESSES[:4]
PETRA, SABINE = DEMO_ADDRESSES[4], DEMO_ADDRESSES[5]
SOCIAL_DATA = ("Sommer", "Mia", "Jonas", "Anna", "Daniel", "Ferien", "Amtsgericht", "Wohngruppe", "Gericht",
               "court", "visit", "overnight", "therapy", "DEMO-2026")


def _no_addresses_in_logs() -> None:
    for address in DEMO_ADDRESSES:
        secret(address)


def _case_id(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.text("SELECT id FROM \"case\" WHERE title = 'Familie Sommer'"))


def _member(app, username: str) -> Member:
    return db.session.scalar(sa.select(Member).where(Member.username == username))


def _publish(app, client) -> None:
    case_id = _case_id(app)
    page = client.get(f"/staff/cases/{case_id}/publish")
    from tests.conftest import csrf_token
    import re

    based_on = re.search(r'name="based_on"[^>]*value="(\d+)"', page.text).group(1)
    answer = client.post(f"/staff/cases/{case_id}/publish", data={
        "csrf_token": csrf_token(page.text), "based_on": based_on, "note": "Die Ferien sind jetzt im Plan."})
    assert answer.status_code == 302


def _body(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def test_publishing_tells_each_member_who_sees_something_new_in_their_language(make_portal, smtp):
    _no_addresses_in_logs()
    app = make_portal()
    with app.app_context():
        # The draft's new item goes to Jonas and Anna only; Daniel reads English.
        holidays = db.session.scalar(sa.select(PlanItem).where(PlanItem.text == "Ferien zu Hause planen"))
        holidays.audience = Audience.people
        holidays.people = [_member(app, "demo.youth"), _member(app, "demo.parent")]
        _member(app, "demo.parent2").language = "en"
        db.session.commit()
    _publish(app, staff_client(app))
    worker.run_once(app)

    mails = smtp.mailbox.received
    assert sorted(m["To"] for m in mails) == sorted([ANNA, JONAS])  # one each; Daniel and Mia see nothing new
    for mail in mails:
        text = _body(mail) + mail.get_body(("html",)).get_content()
        assert not [word for word in SOCIAL_DATA if word in text or word in mail["Subject"]]
        assert mail["Subject"] == translated(app, "There is something new for you in NeuStart", "de")
        assert translated(app, "There is a new version of your plan.", "de") in text
        assert mail["List-Unsubscribe"].startswith("<https://portal.example.org/notifications/unsubscribe/")
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert mail["Message-ID"].endswith("@jugendamt.example.org>")


def test_a_member_reads_the_mail_in_their_own_language(make_portal, smtp):
    app = make_portal()
    with app.app_context():
        _member(app, "demo.parent2").language = "uk"
        db.session.commit()
    _publish(app, staff_client(app))
    worker.run_once(app)
    daniel = smtp.mailbox.to(DANIEL)
    assert len(daniel) == 1 and daniel[0]["Content-Language"] == "uk"
    assert daniel[0]["Subject"] == translated(app, "There is something new for you in NeuStart", "uk")
    mia = smtp.mailbox.to(MIA)  # a child is addressed as a child
    from flask_babel import force_locale, pgettext

    with app.test_request_context(), force_locale("de"):
        assert mia[0]["Subject"] == pgettext("child", "There is something new for you in NeuStart")


def test_events_within_the_window_are_one_message(make_portal, smtp):
    app = make_portal()
    with app.app_context():
        case_id = _case_id(app)
        anna = _member(app, "demo.parent")
        appointments = db.session.scalars(sa.select(Appointment).where(
            Appointment.case_id == case_id, Appointment.audience == Audience.family).limit(2)).all()
        for appointment in appointments:
            events.appointment_saved(db.session, appointment, created=False)
        question = db.session.scalar(sa.text("SELECT id FROM question WHERE reply IS NOT NULL"))
        from portal.models import Question

        events.question_replied(db.session, db.session.get(Question, question))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).where(Notification.member_id == anna.id)) == 3
    worker.run_once(app)
    anna_mails = smtp.mailbox.to(ANNA)
    assert len(anna_mails) == 1  # two changed appointments and a reply: one message
    assert translated(app, "%(num)d reply to your question", "de").replace("%(num)d", "1").split()[0] in _body(anna_mails[0])


def test_the_bundle_window_holds_messages_back_until_it_ends(make_portal, smtp):
    app = make_portal(NOTIFY_BUNDLE_SECONDS=3600)
    with app.app_context():
        appointment = db.session.scalar(sa.select(Appointment).where(Appointment.audience == Audience.family))
        events.appointment_saved(db.session, appointment, created=False)
        db.session.commit()
    worker.run_once(app)
    assert smtp.mailbox.received == []
    worker.run_once(app, now=utcnow() + timedelta(seconds=3601))
    assert len(smtp.mailbox.to(ANNA)) == 1


def test_quiet_hours_hold_family_mail_but_not_a_safety_alert(make_portal, smtp):
    app = make_portal(NOTIFY_QUIET_HOURS="00:00-23:59")
    mia = family_client(app, "demo.child")
    assert post(mia, "/not-safe", form_page="/help-now").status_code == 302
    with app.app_context():
        appointment = db.session.scalar(sa.select(Appointment).where(Appointment.audience == Audience.family))
        events.appointment_saved(db.session, appointment, created=False)
        db.session.commit()
    worker.run_once(app)
    assert [m["To"] for m in smtp.mailbox.received] == [PETRA]
    alert = smtp.mailbox.received[0]
    assert alert["Subject"] == translated(app, "NeuStart: safety alert", "de")
    assert "DEMO-2026-014" in _body(alert) and "DEMO-2026-014" not in alert["Subject"]
    assert "Mia" not in _body(alert)


def test_nothing_for_a_member_who_may_not_see_the_appointment(make_portal, smtp):
    app = make_portal()
    client = staff_client(app)
    case_id = _case_id(app)
    with app.app_context():
        jonas = _member(app, "demo.youth").id
    answer = post(client, f"/staff/cases/{case_id}/appointments", {
        "type": "court", "starts_at": (utcnow() + timedelta(days=9)).strftime("%Y-%m-%dT10:00"),
        "audience": "people", "people": [str(jonas)], "place": "Amtsgericht"})
    assert answer.status_code == 302
    worker.run_once(app)
    assert [m["To"] for m in smtp.mailbox.received] == [JONAS]


def test_a_child_hears_only_of_a_childs_appointments(make_portal, smtp):
    app = make_portal()
    client = staff_client(app)
    case_id = _case_id(app)
    for kind in ("court", "visit"):
        answer = post(client, f"/staff/cases/{case_id}/appointments", {
            "type": kind, "starts_at": (utcnow() + timedelta(days=9)).strftime("%Y-%m-%dT10:00"),
            "audience": "family"})
        assert answer.status_code == 302
        worker.run_once(app)
    assert len(smtp.mailbox.to(MIA)) == 1 and len(smtp.mailbox.to(ANNA)) == 2


def test_a_rolled_back_request_sends_nothing(make_portal, smtp):
    app = make_portal()
    with app.app_context():
        version = db.session.scalar(sa.select(PlanVersion).order_by(PlanVersion.id.desc()))
        alert = SafetyAlert(case_id=version.plan.case_id, member_id=_member(app, "demo.child").id)
        db.session.add(alert)
        db.session.flush()
        assert events.safety_alert_raised(db.session, alert)
        assert events.plan_published(db.session, version) is not None
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0
    worker.run_once(app)
    assert smtp.mailbox.received == []


def test_unsubscribe_with_one_click_and_with_the_confirm_button(make_portal, smtp):
    app = make_portal()
    with app.app_context():
        appointment = db.session.scalar(sa.select(Appointment).where(Appointment.audience == Audience.family))
        events.appointment_saved(db.session, appointment, created=False)
        db.session.commit()
    worker.run_once(app)
    link = smtp.mailbox.to(ANNA)[0]["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("https://portal.example.org")
    anonymous = app.test_client()
    page = anonymous.get(path)  # a link scanner or a preview: shows a button, changes nothing
    assert page.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationOptOut)) == 0
    # The mail program's RFC 8058 POST: no sign-in, no cookie, no CSRF token.
    assert app.test_client().post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    # Daniel uses the button on the page instead (with the page's CSRF token).
    daniel_link = smtp.mailbox.to(DANIEL)[0]["List-Unsubscribe"].strip("<>").removeprefix("https://portal.example.org")
    assert anonymous.post(daniel_link, data={}).status_code == 400  # without the token: refused
    assert post(anonymous, daniel_link).status_code == 200
    assert app.test_client().get(path[:-3] + "xyz").status_code == 404  # a forged token
    with app.app_context():
        events.appointment_saved(db.session, appointment, created=False)
        db.session.commit()
    smtp.mailbox.received.clear()
    worker.run_once(app)
    assert [m["To"] for m in smtp.mailbox.received] == [JONAS]  # a conference: not on a child's pages


def test_retry_after_the_mail_server_comes_back(make_portal, smtp):
    app = make_portal()
    smtp.stop()
    mia = family_client(app, "demo.child")
    post(mia, "/not-safe", form_page="/help-now")
    worker.run_once(app)
    with app.app_context():
        delivery = db.session.scalar(sa.select(Delivery))
        assert delivery.state is DeliveryState.pending and delivery.error == "unreachable"
    smtp.start()
    worker.run_once(app)
    assert [m["To"] for m in smtp.mailbox.received] == [PETRA]
    worker.run_once(app)
    assert len(smtp.mailbox.received) == 1


def test_a_4xx_answer_is_tried_again_and_a_slow_server_does_not_double(make_portal, smtp):
    app = make_portal(SMTP_TIMEOUT=0.5)
    mia = family_client(app, "demo.child")
    post(mia, "/not-safe", form_page="/help-now")
    smtp.mailbox.mode = "defer"
    worker.run_once(app)
    smtp.mailbox.mode, smtp.mailbox.stall_seconds = "accept", 1.5  # slower than the client waits
    worker.run_once(app)
    assert smtp.mailbox.received == []
    with app.app_context():
        delivery = db.session.scalar(sa.select(Delivery))
        assert delivery.state is DeliveryState.pending and delivery.attempts == 2
    smtp.mailbox.stall_seconds = 0.1  # slow, but within the timeout
    worker.run_once(app)
    assert [m["To"] for m in smtp.mailbox.received] == [PETRA]


def test_a_refused_address_fails_and_the_caseworker_sees_it(make_portal, smtp):
    app = make_portal(STAFF_DIGEST_MINUTES=0)
    smtp.mailbox.mode = "refuse"
    with app.app_context():
        appointment = db.session.scalar(sa.select(Appointment).where(Appointment.audience == Audience.family))
        events.appointment_saved(db.session, appointment, created=False)
        db.session.commit()
    worker.run_once(app)
    with app.app_context():
        states = set(db.session.scalars(sa.select(Delivery.state)))
        assert states == {DeliveryState.failed}
    smtp.mailbox.mode = "accept"
    worker.run_once(app)  # the caseworkers' digest: messages to the family that did not get through
    digest = smtp.mailbox.to(PETRA)
    assert len(digest) == 1 and digest[0]["Subject"] == translated(app, "NeuStart: what came in", "de")
    page = staff_client(app).get(f"/staff/cases/{_case_id(app)}")
    from tests.messages import page_text

    assert translated(app, "%(name)s receives no notifications: the address was refused.", "de",
                      name="Anna") in page_text(page)


def test_nothing_for_a_member_deleted_or_deactivated_while_the_message_waits(make_portal, smtp):
    app = make_portal()
    with app.app_context():
        appointment = db.session.scalar(sa.select(Appointment).where(Appointment.audience == Audience.family))
        events.appointment_saved(db.session, appointment, created=False)
        db.session.commit()
        from portal.notifications import bundling

        bundling.compose_due(app.extensions["database"].sessionmaker, utcnow())  # messages made, not sent
        _member(app, "demo.parent2").active = False
        db.session.delete(_member(app, "demo.youth"))
        db.session.commit()
    worker.run_once(app)
    assert [m["To"] for m in smtp.mailbox.received] == [ANNA]  # Daniel deactivated, Jonas deleted
    with app.app_context():
        assert DeliveryState.dropped in set(db.session.scalars(sa.select(Delivery.state)))


def test_a_worker_killed_mid_send_loses_nothing(make_portal, smtp):
    app = make_portal(NOTIFY_LEASE_SECONDS=3600)
    post(family_client(app, "demo.child"), "/not-safe", form_page="/help-now")
    with app.app_context():
        make_session = app.extensions["database"].sessionmaker
        from portal.notifications import bundling

        bundling.compose_due(make_session, utcnow())
        assert worker.claim(make_session, utcnow()) is not None  # ... and the worker dies here
    worker.run_once(app)
    assert smtp.mailbox.received == []  # its lease still runs: nobody else sends it
    worker.run_once(app, now=utcnow() + timedelta(seconds=3601))  # the lease ran out
    assert len(smtp.mailbox.to(PETRA)) == 1  # (an hour on, the team lead is told as well)


def test_questions_answers_and_disagreement_reach_the_caseworker_as_one_digest(make_portal, smtp):
    app = make_portal()
    anna = family_client(app, "demo.parent")
    with app.app_context():
        appointment_id, revision = db.session.execute(sa.select(Appointment.id, Appointment.revision).where(
            Appointment.audience == Audience.family, Appointment.starts_at > utcnow(),
            Appointment.status != "cancelled")).first()
        item_id = db.session.scalar(sa.select(PlanItem.id).where(
            PlanItem.text == "Mia übernachtet jedes zweite Wochenende zu Hause"))
    assert post(anna, f"/appointments/{appointment_id}",
                {"coming": "no", "reason": "krank", "revision": str(revision)}).status_code == 302
    assert post(anna, f"/plan/items/{item_id}/questions", {"text": "Wann?"}).status_code == 302
    assert post(anna, "/plan/response", {"agrees": "no", "comment": "Zu schnell."}).status_code == 302
    worker.run_once(app)
    digest = smtp.mailbox.to(PETRA)
    assert len(digest) == 1
    body = _body(digest[0])
    assert "DEMO-2026-014" in body and "krank" not in body and "Wann" not in body and "Anna" not in body
    assert post(anna, f"/plan/items/{item_id}/questions", {"text": "Und wo?"}).status_code == 302
    worker.run_once(app)
    assert len(smtp.mailbox.to(PETRA)) == 1  # at most one digest an hour


def test_an_unacknowledged_alert_goes_to_the_team_lead(make_portal, smtp):
    app = make_portal()
    post(family_client(app, "demo.child"), "/not-safe", form_page="/help-now")
    worker.run_once(app)
    assert [m["To"] for m in smtp.mailbox.received] == [PETRA]
    worker.run_once(app, now=utcnow() + timedelta(minutes=31))
    assert smtp.mailbox.to(SABINE) and len(smtp.mailbox.to(SABINE)) == 1
    worker.run_once(app, now=utcnow() + timedelta(minutes=40))
    assert len(smtp.mailbox.to(SABINE)) == 1  # once


def test_an_acknowledged_alert_does_not_escalate(make_portal, smtp):
    app = make_portal()
    post(family_client(app, "demo.child"), "/not-safe", form_page="/help-now")
    with app.app_context():
        alert = db.session.scalar(sa.select(SafetyAlert).order_by(SafetyAlert.id.desc()))
        alert.acknowledged_at = utcnow()
        db.session.commit()
    worker.run_once(app, now=utcnow() + timedelta(minutes=31))
    assert smtp.mailbox.to(SABINE) == []


def test_reminders_the_day_before_and_on_the_morning(make_portal, smtp):
    app = make_portal()
    from portal.notifications import schedule, timed

    with app.app_context():
        sommer = db.session.scalar(sa.select(Case.id).where(Case.title == "Familie Sommer"))
        appointment = db.session.scalar(sa.select(Appointment).where(
            Appointment.case_id == sommer,
            Appointment.audience == Audience.family, Appointment.starts_at > utcnow() + timedelta(days=3),
            Appointment.status != "cancelled", Appointment.type == "plan_conference"))
        make_session = app.extensions["database"].sessionmaker
        times = schedule.reminder_times(appointment.starts_at)
        db.session.commit()  # the worker's sessions write; this one must not hold a read open
        def reminded(kind) -> int:  # other families' appointments of the same day are reminded too
            count = db.session.scalar(sa.select(sa.func.count()).where(
                Notification.object_id == appointment.id, Notification.kind == kind))
            db.session.commit()  # no read left open while the worker's sessions write
            return count

        assert timed.due_reminders(make_session, times["reminder_day_before"]) >= 3
        assert reminded(NotificationKind.reminder_day_before) == 3  # a conference: not for Mia
        assert timed.due_reminders(make_session, times["reminder_day_before"] + timedelta(minutes=5)) == 0
        assert reminded(NotificationKind.reminder_morning) == 0
        assert timed.due_reminders(make_session, times["reminder_morning"]) >= 3
        assert reminded(NotificationKind.reminder_morning) == 3
    worker.run_once(app, now=times["reminder_morning"] + timedelta(seconds=1))
    assert len(smtp.mailbox.to(ANNA)) == 1
    assert translated(app, "You have an appointment tomorrow.", "de") in _body(smtp.mailbox.to(ANNA)[0])
