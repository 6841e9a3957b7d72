"""Who is told, in the request's own transaction (SQLite and PostgreSQL): the sharing rule decides."""
from __future__ import annotations

import sqlalchemy as sa

from portal.models import Audience, MemberKind, Notification, NotificationKind, NotificationOptOut, PushSubscription
from portal.notifications import events
from tests.conftest import case_titled, member, post_form
from tests.factories import make_consent, make_item, publish_plan
from tests.messages import translated


def _told(session, kind: NotificationKind) -> set[str]:
    rows = session.scalars(sa.select(Notification).where(Notification.kind == kind)).all()
    return {row.member.username for row in rows if row.member is not None}


def _sommer_published(session):
    """The Sommer case with the demo's pending draft published first (that news is for everyone)."""
    sommer = case_titled(session, "Familie Sommer")
    publish_plan(session, sommer)
    return sommer


def test_an_item_for_the_youth_alone_notifies_nobody_else(session):
    sommer = _sommer_published(session)
    make_item(session, sommer, audience=Audience.people, people=[member(session, "demo.youth")])
    events.plan_published(session, publish_plan(session, sommer))
    assert _told(session, NotificationKind.new_version) == {"demo.youth"}


def test_an_entrusted_item_notifies_only_the_person_who_entrusted_it_until_consent(session):
    sommer = _sommer_published(session)
    anna, daniel = member(session, "demo.parent"), member(session, "demo.parent2")
    item = make_item(session, sommer, audience=Audience.adults, entrusted_by=anna)
    events.plan_published(session, publish_plan(session, sommer))
    assert _told(session, NotificationKind.new_version) == {"demo.parent"}
    make_consent(session, item, daniel)
    session.execute(sa.delete(Notification))
    events.plan_published(session, publish_plan(session, sommer))
    assert _told(session, NotificationKind.new_version) == {"demo.parent2"}  # new to him only


def test_a_version_with_nothing_new_for_anyone_notifies_nobody(session):
    sommer = _sommer_published(session)
    make_item(session, sommer, audience=Audience.staff)
    version = publish_plan(session, sommer)
    session.execute(sa.delete(Notification))
    assert events.plan_published(session, version) == []


def test_the_safety_alert_goes_to_primary_and_deputy_over_http(client_for, session):
    sommer = case_titled(session, "Familie Sommer")
    from tests.conftest import staff

    sommer.deputy_caseworker = staff(session, "demo.other")
    session.commit()
    mia = client_for("demo.child")
    assert post_form(mia, "/not-safe", {}, form_page="/help-now").status_code == 302
    told = session.scalars(sa.select(Notification).where(Notification.kind == NotificationKind.safety_alert)).all()
    assert {n.staff.username for n in told} == {"demo.caseworker", "demo.other"}


def test_the_account_page_saves_an_address_topics_and_a_push_subscription(client_for, session, app):
    anna = client_for("demo.parent")
    page = anna.get("/account")
    assert page.status_code == 200 and translated(app, "Notifications", "de") in page.text
    bad = post_form(anna, "/account/notifications/email", {"notify-email": "not an address"}, form_page="/account")
    assert bad.status_code == 400
    assert translated(app, "Please enter one e-mail address, like name@example.org.", "de") in bad.text
    good = post_form(anna, "/account/notifications/email", {"notify-email": " Anna.Neu@Example.org "},
                     form_page="/account")
    assert good.status_code == 302
    assert member(session, "demo.parent").email == "Anna.Neu@example.org"
    assert post_form(anna, "/account/notifications/topics", {"topics-plan": "y", "topics-replies": "y"},
                     form_page="/account").status_code == 302
    off = set(session.scalars(sa.select(NotificationOptOut.topic).where(
        NotificationOptOut.member_id == member(session, "demo.parent").id)))
    assert off == {"appointments", "reminders", "checkins"}  # every topic not ticked, check-ins too
    app.config["VAPID_PUBLIC_KEY"] = "BPublicKeyForTheTest"
    try:
        token = __import__("tests.conftest", fromlist=["csrf_token"]).csrf_token(anna.get("/account").text)
        subscription = {"endpoint": "https://push.example.org/anna", "keys": {"p256dh": "BPk", "auth": "secret"}}
        assert anna.post("/account/notifications/push", json=subscription, headers={"X-CSRFToken": token}).status_code == 201
        assert anna.post("/account/notifications/push", json={"endpoint": "http://x"},
                         headers={"X-CSRFToken": token}).status_code == 400
        assert anna.post("/account/notifications/push", json=subscription).status_code == 400  # no CSRF token
    finally:
        app.config["VAPID_PUBLIC_KEY"] = None
    assert session.scalar(sa.select(sa.func.count(PushSubscription.id))) == 1


def test_a_child_has_no_replies_topic(client_for, session):
    """A child's account page offers no notification settings at all (the grown-ups' page does)."""
    mia = member(session, "demo.child")
    assert mia.kind is MemberKind.child
    page = client_for("demo.child").get("/account")
    assert 'name="topics-' not in page.text and 'action="/account/notifications/' not in page.text
    assert 'name="topics-replies"' in client_for("demo.youth").get("/account").text
