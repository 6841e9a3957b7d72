"""Appointments as iCalendar: the .ics per appointment and the private feed per member."""
from __future__ import annotations

import re

import sqlalchemy as sa
from icalendar import Calendar

from portal.models import Appointment, Member
from tests.conftest import member, post_form
from tests.messages import page_text, translated


def _events(body: bytes) -> list:
    calendar = Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return list(calendar.walk("VEVENT"))


def _places(events) -> set[str]:
    return {str(e.get("LOCATION")) for e in events}


def _appointment(session, place_part: str) -> Appointment:
    return session.scalar(sa.select(Appointment).where(Appointment.place.contains(place_part)))


def _new_feed(client) -> str:
    response = post_form(client, "/account/calendar", {}, form_page="/account")
    assert response.status_code == 200
    match = re.search(r'href="https?://[^/"]+(/calendar/[^"]+\.ics)"', response.text)
    assert match, "the new calendar address is shown once"
    return match.group(1)


def test_ics_of_one_appointment_is_valid_with_a_neutral_title(app, client_for, session):
    court = _appointment(session, "Amtsgericht")
    response = client_for("demo.parent").get(f"/appointments/{court.id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    [event] = _events(response.data)
    assert str(event["SUMMARY"]) == translated(app, "Appointment")
    assert "Gericht" not in str(event["SUMMARY"]) and "court" not in str(event["SUMMARY"]).lower()
    assert event["DTSTART"].dt == court.starts_at
    assert str(event["UID"]) == f"appointment-{court.id}@neustart-familienportal"
    assert "Frau Lange begleitet Sie" not in response.text  # notes stay in the portal


def test_ics_of_an_appointment_not_shared_or_of_another_family_returns_404(client_for, session):
    court = _appointment(session, "Amtsgericht")
    assert client_for("demo.youth").get(f"/appointments/{court.id}.ics").status_code == 404
    assert client_for("demo.other.parent").get(f"/appointments/{court.id}.ics").status_code == 404


def test_cancelled_appointment_is_marked_cancelled_in_the_ics(client_for, session):
    cancelled = _appointment(session, "Grundschule am Park")
    [event] = _events(client_for("demo.parent").get(f"/appointments/{cancelled.id}.ics").data)
    assert str(event["STATUS"]) == "CANCELLED"


def test_feed_holds_only_what_the_member_may_see(client_for, anonymous, session):
    for username in ("demo.youth", "demo.parent"):  # places only for members who chose them
        member(session, username).calendar_details = True
    session.commit()
    youth_feed = _new_feed(client_for("demo.youth"))
    parent_feed = _new_feed(client_for("demo.parent"))
    youth_places = _places(_events(anonymous.get(youth_feed).data))
    parent_places = _places(_events(anonymous.get(parent_feed).data))
    assert any("Rathausplatz 1" in p for p in youth_places)
    assert not any("Amtsgericht" in p or "Grundschule" in p for p in youth_places)
    assert any("Amtsgericht" in p for p in parent_places)


def test_feed_token_is_stored_only_as_a_hash(client_for, session):
    feed = _new_feed(client_for("demo.youth"))
    token = feed.removeprefix("/calendar/").removesuffix(".ics")
    jonas = member(session, "demo.youth")
    assert jonas.calendar_token_hash and token not in jonas.calendar_token_hash
    assert len(token) >= 40


def test_account_page_does_not_show_the_address_again(app, client_for):
    client = client_for("demo.parent")
    feed = _new_feed(client)
    page = page_text(client.get("/account"))
    assert feed not in page
    assert translated(app, "Make a new calendar address") in page


def test_renewed_feed_replaces_the_old_address(client_for, anonymous):
    client = client_for("demo.parent")
    old = _new_feed(client)
    new = _new_feed(client)
    assert anonymous.get(old).status_code == 404
    assert anonymous.get(new).status_code == 200


def test_revoked_feed_returns_404(client_for, anonymous):
    client = client_for("demo.parent")
    feed = _new_feed(client)
    assert post_form(client, "/account/calendar/revoke", {}, form_page="/account").status_code == 302
    assert anonymous.get(feed).status_code == 404


def test_feed_of_a_deactivated_member_returns_404(client_for, anonymous, session):
    feed = _new_feed(client_for("demo.parent2"))
    daniel = member(session, "demo.parent2")
    daniel.active = False
    session.commit()
    assert anonymous.get(feed).status_code == 404


def test_unknown_feed_token_returns_404(anonymous, session):
    assert anonymous.get("/calendar/not-a-real-token.ics").status_code == 404
    assert session.scalar(sa.select(sa.func.count()).select_from(Member).where(Member.calendar_token_hash.is_not(None))) == 0
