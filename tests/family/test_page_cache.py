"""Kept family pages (issue 14): reused while nothing they show has changed, and never a moment
longer. Each change below is committed an instant before the next request, the way a
caseworker's or another member's request commits it; the page must show it at once."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal import revisions, sharing
from portal.db import Base, backdated, utcnow
from portal.models import Appointment, AppointmentStatus, Audience, ContactType, ContentTranslation
from tests.conftest import case_titled, csrf_token, member, staff
from tests.factories import make_appointment, make_contact, make_item, make_question
from tests.staff.test_flat_in_size import counting

FAMILY_PAGES = ("/", "/plan", "/path", "/appointments", "/contacts")
PAST = "<h2>Vergangene Termine</h2>"


def selects(found: dict) -> int:
    """Queries only (the suite's own SAVEPOINTs around each request are no work of the page)."""
    return sum(1 for statement in found["statements"] if statement.lstrip().startswith("SELECT"))


def kept(app, client, url: str) -> tuple[str, int]:
    """The page a second time, and how many queries that took."""
    first = client.get(url)
    assert first.status_code == 200
    with counting(app) as found:
        again = client.get(url)
    assert again.status_code == 200
    return again.text, selects(found)


def test_every_model_says_whether_a_family_page_shows_it():
    """A new model must be placed: how its rows reach a case, or that no family page shows it."""
    models = {mapper.class_ for mapper in Base.registry.mappers}
    assert models == set(revisions.REACHES) | revisions.NOT_SHOWN
    assert not set(revisions.REACHES) & revisions.NOT_SHOWN


@pytest.mark.parametrize("url", FAMILY_PAGES)
def test_a_page_seen_again_costs_only_the_session_statement_and_is_the_same_page(app, client_for, url):
    client = client_for("demo.parent")
    first = client.get(url).text
    again, statements = kept(app, client, url)
    assert again == first
    assert statements == 1  # the session, with the member and the case's family revision


def test_a_page_is_kept_for_one_sign_in_only(app, client_for):
    """Another session of the same member, and another member, render their own pages."""
    anna, anna_elsewhere, daniel = client_for("demo.parent"), client_for("demo.parent"), client_for("demo.parent2")
    anna.get("/plan")
    for client in (anna_elsewhere, daniel):
        with counting(app) as found:
            page = client.get("/plan")
        assert page.status_code == 200 and selects(found) > 1
        assert csrf_token(page.text) != csrf_token(anna.get("/plan").text)


def test_after_sign_out_a_kept_page_is_not_shown(client_for):
    client = client_for("demo.parent")
    page = client.get("/plan")
    client.post("/logout", data={"csrf_token": csrf_token(page.text)})
    assert client.get("/plan").status_code == 302


def test_a_page_with_a_message_is_not_kept(client_for, session):
    """"Marked as seen." is shown once; the home page after it is rendered fresh."""
    client = client_for("demo.parent")
    home = client.get("/")
    after = client.post("/seen", data={"csrf_token": csrf_token(home.text)}, follow_redirects=True)
    assert "Als gelesen markiert." in after.text
    assert "Als gelesen markiert." not in client.get("/").text


# --- every kind of change shows on the very next request ------------------------------------

def _publish(session, client_for, case_id: int) -> None:
    """The caseworker publishes the draft through the publish form."""
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{case_id}/publish"
    review = caseworker.get(url).text
    based_on = review.split('name="based_on"')[1].split('value="')[1].split('"')[0]
    assert caseworker.post(url, data={"csrf_token": csrf_token(review), "based_on": based_on,
                                      "note": "Neu", "note_audience": "family"}).status_code == 302


def _plan_published_by_the_caseworker(session, app, client_for):
    sommer = case_titled(session, "Familie Sommer")
    make_item(session, sommer, Audience.family, text="Neuer Schritt: gemeinsam einkaufen")
    session.commit()
    _publish(session, client_for, sommer.id)
    return "/plan", "Neuer Schritt: gemeinsam einkaufen"


def _appointment_moved(session, app, client_for):
    appointment = session.scalars(sa.select(Appointment).where(
        Appointment.case_id == case_titled(session, "Familie Sommer").id,
        Appointment.audience == Audience.family, Appointment.status == AppointmentStatus.scheduled,
        Appointment.starts_at > utcnow(), Appointment.at_home.is_(False))).first()
    appointment.place = "Familienzentrum Am Hafen 3"
    session.commit()
    return "/appointments", "Familienzentrum Am Hafen 3"


def _appointment_added(session, app, client_for):
    make_appointment(session, case_titled(session, "Familie Sommer"), place="Turnhalle Nordstraße")
    session.commit()
    return "/appointments", "Turnhalle Nordstraße"


def _office_wide_contact_renamed(session, app, client_for):
    contact = make_contact(session, None, type=ContactType.emergency, name="Kindernotdienst Altstadt")
    session.commit()
    contact.name = "Kindernotdienst Neustadt"
    session.commit()
    return "/contacts", "Kindernotdienst Neustadt"


def _reply_under_a_question(session, app, client_for):
    anna = member(session, "demo.parent")
    item = sharing.viewer(session, anna).items()[0]
    question = make_question(session, anna, text="Wann ist das nächste Treffen?", item_id=item.item_id)
    question.reply = "Am Dienstag um zehn."
    question.replied_at = utcnow()
    question.replied_by = staff(session, "demo.caseworker")
    session.commit()
    return "/plan", "Am Dienstag um zehn."


def _staff_renamed(session, app, client_for):
    text, shown = _reply_under_a_question(session, app, client_for)
    staff(session, "demo.caseworker").display_name = "Frau Umbenannt-Test"
    session.commit()
    return "/plan", "Frau Umbenannt-Test"


CHANGES = {
    "a plan published by the caseworker (batched inserts outside the ORM)": _plan_published_by_the_caseworker,
    "an appointment moved": _appointment_moved,
    "an appointment added": _appointment_added,
    "an office-wide contact renamed": _office_wide_contact_renamed,
    "a reply to the member's question": _reply_under_a_question,
    "the replying caseworker renamed": _staff_renamed,
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_change_committed_just_before_a_request_is_on_that_page(app, client_for, session, change):
    anna = client_for("demo.parent")
    for url in FAMILY_PAGES:
        anna.get(url)  # every page kept
    url, shown = CHANGES[change](session, app, client_for)
    assert shown in anna.get(url).text


def test_a_savepoint_rolled_back_after_a_change_does_not_hide_the_change(app, client_for, session):
    """Domain functions try things inside a SAVEPOINT (publishing, consent, check-ins); one that
    fails must not make the transaction's earlier changes unannounced."""
    anna = client_for("demo.parent")
    anna.get("/appointments")
    _appointment_moved(session, app, client_for)  # committed: the page shows it
    assert "Familienzentrum Am Hafen 3" in anna.get("/appointments").text
    appointment = session.scalar(sa.select(Appointment).where(Appointment.place == "Familienzentrum Am Hafen 3"))
    appointment.place = "Stadtteilzentrum Süd"
    session.flush()
    try:
        with session.begin_nested():
            appointment.bring = "Ausweis"
            session.flush()
            raise RuntimeError("the nested attempt fails")
    except RuntimeError:
        pass
    session.commit()
    assert "Stadtteilzentrum Süd" in anna.get("/appointments").text


def test_a_translation_added_is_on_the_page_in_that_language(app, client_for, session):
    anna = member(session, "demo.parent")
    anna.language = "en"
    appointment = make_appointment(session, anna.case, place="Turnhalle Nordstraße")
    session.commit()
    client = client_for("demo.parent")
    assert "Turnhalle Nordstraße" in kept(app, client, "/appointments")[0]
    session.add(ContentTranslation(object_type="appointment", object_id=appointment.id, field="place",
                                   language="en", text="Gym North Street"))
    session.commit()
    assert "Gym North Street" in client.get("/appointments").text


def test_narrowing_and_deactivating_apply_on_the_very_next_request(app, client_for, session):
    """Revocations: an audience narrowed in the draft (nothing published), the member deactivated."""
    sommer = case_titled(session, "Familie Sommer")
    item = make_item(session, sommer, Audience.family, text="Nur noch für die Eltern bald")
    session.commit()
    _publish(session, client_for, sommer.id)
    jonas = client_for("demo.youth")
    assert "Nur noch für die Eltern bald" in kept(app, jonas, "/plan")[0]
    item.audience = Audience.adults
    session.commit()
    assert "Nur noch für die Eltern bald" not in jonas.get("/plan").text
    item.audience = Audience.family
    _publish(session, client_for, sommer.id)
    assert "Nur noch für die Eltern bald" in kept(app, jonas, "/plan")[0]
    member(session, "demo.youth").active = False
    session.commit()
    assert jonas.get("/plan").status_code == 302


# --- the clock ----------------------------------------------------------------------------

def test_an_appointment_that_ends_is_past_at_that_moment_not_a_minute_later(app, client_for, session):
    sommer = case_titled(session, "Familie Sommer")
    now = utcnow().replace(microsecond=0)
    make_appointment(session, sommer, place="Spielplatz am Fluss", starts_at=now - timedelta(minutes=50),
                     ends_at=now + timedelta(seconds=20))
    session.commit()
    anna = client_for("demo.parent")
    with backdated(now):
        page = anna.get("/appointments").text
        assert "Spielplatz am Fluss" in page.split(PAST)[0]  # listed among the coming ones
    with backdated(now + timedelta(seconds=21)):  # well within the minute a page may be kept
        page = anna.get("/appointments").text
    assert PAST in page and "Spielplatz am Fluss" in page.split(PAST)[1]


def test_a_kept_page_is_not_older_than_a_minute(app, client_for):
    anna = client_for("demo.parent")
    now = utcnow()
    with backdated(now):
        anna.get("/plan")
    with backdated(now + timedelta(seconds=61)):
        with counting(app) as found:
            anna.get("/plan")
    assert selects(found) > 1
