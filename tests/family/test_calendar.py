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
    match = re.search(r'href="webcal://[^/"]+(/calendar/[^"]+\.ics)"', response.text)
    assert match, "the new calendar address is shown once, as an \"add to my calendar\" (webcal:) link"
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


# --- neutral unless the member chose details (issue 9, finding 7) --------------------------

REVEALING = ("Familiengericht", "Amtsgericht", "Jugendamt", "Wohngruppe", "Familientherapie", "Gericht", "court")


def test_feed_and_ics_carry_only_a_neutral_title_the_time_and_a_link_by_default(app, client_for, anonymous, session):
    client = client_for("demo.parent")
    feed = _new_feed(client)
    events = _events(anonymous.get(feed).data)
    court = _appointment(session, "Amtsgericht")
    events += _events(client.get(f"/appointments/{court.id}.ics").data)
    assert len(events) >= 5
    for event in events:
        text = event.to_ical().decode()
        assert not any(word in text for word in REVEALING), text
        assert "LOCATION" not in event and str(event["SUMMARY"]) == translated(app, "Appointment")
        assert "/appointments/" in str(event["DESCRIPTION"])


def test_the_member_can_switch_place_and_kind_on_after_reading_what_it_reveals(app, client_for, anonymous, session):
    client = client_for("demo.parent")
    account = page_text(client.get("/account"))
    assert translated(app, "Show the place and the kind of appointment in my calendar") in account
    assert translated(app, "Calendar apps often copy entries to other services (Google, Apple, Microsoft), and "
                           "anyone who sees your calendar reads them, for example \"family court\" and its address. "
                           "Leave this off and the entries only say \"Appointment\" with the time.") in account
    saved = post_form(client, "/account/settings", {"settings-calendar_details": "y"},
                      form_page="/account")
    assert saved.status_code == 302
    court = _appointment(session, "Amtsgericht")
    [event] = _events(client.get(f"/appointments/{court.id}.ics").data)
    assert "Amtsgericht Musterstadt" in str(event["LOCATION"])
    assert str(event["SUMMARY"]) == translated(app, "Appointment")  # the title stays neutral even then
    assert any("Amtsgericht" in p for p in _places(_events(anonymous.get(_new_feed(client)).data)))


def test_control_and_bidi_override_characters_never_reach_a_calendar(client_for, session):
    anna = member(session, "demo.parent")
    anna.calendar_details = True
    court = _appointment(session, "Amtsgericht")
    court.place = "Saal\u202e401 \u2066Eingang\u2069 B\x07"
    court.bring = "Ausweis\u202d und Ladung"
    session.commit()
    body = client_for("demo.parent").get(f"/appointments/{court.id}.ics").get_data(as_text=True)
    assert not re.search("[\u202a-\u202e\u2066-\u2069\x07]", body)
    [event] = _events(body.encode())
    assert str(event["LOCATION"]) == "Saal401 Eingang B"


def test_entries_remind_the_day_before_unless_switched_off(client_for, session):
    court = _appointment(session, "Amtsgericht")
    client = client_for("demo.parent")
    [event] = _events(client.get(f"/appointments/{court.id}.ics").data)
    [alarm] = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY" and alarm["TRIGGER"].dt.days == -1
    assert post_form(client, "/account/settings", {}, form_page="/account").status_code == 302  # all unticked
    [event] = _events(client.get(f"/appointments/{court.id}.ics").data)
    assert not event.walk("VALARM")
