"""Each family page for each persona: what is shown, and what is not."""
from __future__ import annotations

import pytest

from tests.conftest import post_form
from tests.messages import page_text, translated, translated_plural

COURT_PLACE = "Amtsgericht Musterstadt"
CONFERENCE_PLACE = "Rathausplatz 1"
OVERNIGHT_NOTE = "Die Wohngruppe bringt Mia"
SCHOOL_PLACE = "Grundschule am Park"  # adults only, cancelled
ADULT_SERVICE = "Familienberatungsstelle Musterstadt"  # contact for adults only
CASEWORKER = "Petra Lange"
EMERGENCY = "Kinder- und Jugendnotdienst Musterstadt"  # office-wide directory
ENTRUSTED_ITEM = "Anna spricht mit der Suchtberatung"
ANNAS_QUESTION = "Können wir Mia am Sonntag auch erst um 18 Uhr zurückbringen?"
ANNAS_REPLY = "Ja, das ist mit der Wohngruppe abgesprochen."
JONAS_QUESTION = "Zählt auch Klettern als Sportverein?"

SOMMER = ["demo.parent", "demo.parent2", "demo.youth", "demo.child"]


@pytest.mark.parametrize("url", ["/", "/plan", "/plan/print", "/path", "/appointments", "/contacts", "/account"])
def test_family_pages_ask_anonymous_visitors_to_sign_in(anonymous, url):
    response = anonymous.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("url", ["/", "/plan", "/path", "/appointments", "/contacts", "/account"])
def test_staff_get_404_on_family_pages(client_for, url):
    assert client_for("demo.caseworker").get(url).status_code == 404


@pytest.mark.parametrize("username", ["demo.parent", "demo.parent2", "demo.youth"])
def test_home_shows_next_appointment_progress_caseworker_call_and_help_link(app, client_for, username):
    page = client_for(username).get("/")
    assert page.status_code == 200
    assert 'href="tel:03055501201"' in page.text
    assert 'href="/help-now"' in page.text
    assert translated_plural(app, "%(num)d of %(total)d milestone reached", "%(num)d of %(total)d milestones reached",
                             8, num=4, total=8) in page_text(page)
    assert 'name="coming" value="yes"' in page.text


def test_child_lands_on_the_path_home(client_for):
    response = client_for("demo.child").get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/path"


def test_child_path_speaks_to_a_child_with_pictures_and_no_adult_text(client_for):
    page = client_for("demo.child").get("/path")
    assert "Mia schläft zu Hause" in page.text  # the simple register
    assert "Erste Übernachtung zu Hause" not in page.text  # not the adult text
    assert 'class="picto' in page.text
    assert 'aria-current="step"' in page.text
    for adult in (COURT_PLACE, "Gericht", ENTRUSTED_ITEM, "Plan"):
        assert adult not in page.text.split("<main", 1)[1]


def test_parent_path_marks_reached_now_and_later(client_for):
    page = client_for("demo.parent").get("/path")
    assert page.text.count("stop-reached") == 4
    assert page.text.count("stop-now") == 1
    assert page.text.count("stop-next") == 3


@pytest.mark.parametrize(
    ("username", "shown", "hidden"),
    [
        ("demo.parent", {CONFERENCE_PLACE, COURT_PLACE, OVERNIGHT_NOTE, SCHOOL_PLACE}, set()),
        ("demo.parent2", {CONFERENCE_PLACE, COURT_PLACE, OVERNIGHT_NOTE, SCHOOL_PLACE}, set()),
        ("demo.youth", {CONFERENCE_PLACE, OVERNIGHT_NOTE}, {COURT_PLACE, SCHOOL_PLACE}),
        ("demo.child", {OVERNIGHT_NOTE}, {COURT_PLACE, SCHOOL_PLACE, CONFERENCE_PLACE}),
        ("demo.other.parent", set(), {CONFERENCE_PLACE, COURT_PLACE, OVERNIGHT_NOTE, SCHOOL_PLACE}),
    ],
)
def test_appointments_show_exactly_what_each_persona_may_see(client_for, username, shown, hidden):
    page = client_for(username).get("/appointments")
    assert page.status_code == 200
    assert {s for s in shown | hidden if s in page.text} == shown


def test_appointments_mark_cancelled_and_changed_and_link_maps_and_calendar(client_for):
    page = client_for("demo.parent").get("/appointments")
    assert "is-cancelled" in page.text
    assert "badge-changed" in page.text
    # A map that opens on Android and iPhone alike (https, not geo:), none for "at home".
    assert "https://www.openstreetmap.org/search?query=Jugendamt%20Musterstadt" in page.text
    assert "geo:" not in page.text
    assert ".ics" in page.text
    cancelled = page.text.split('class="appointment is-cancelled"', 1)[1].split("</article>", 1)[0]
    assert 'name="coming"' not in cancelled and ".ics" not in cancelled  # no answer or calendar on a cancelled one



def test_child_cannot_answer_appointments(client_for):
    page = client_for("demo.child").get("/appointments")
    assert 'name="coming"' not in page.text


@pytest.mark.parametrize(
    ("username", "shown", "hidden"),
    [
        ("demo.parent", {CASEWORKER, ADULT_SERVICE, EMERGENCY, "Wohngruppe Lindenhof"}, set()),
        ("demo.youth", {CASEWORKER, EMERGENCY, "Wohngruppe Lindenhof"}, {ADULT_SERVICE}),
        ("demo.child", {CASEWORKER, EMERGENCY}, {ADULT_SERVICE}),
        ("demo.other.parent", {EMERGENCY}, {CASEWORKER, ADULT_SERVICE, "Wohngruppe Lindenhof"}),
    ],
)
def test_contacts_are_grouped_and_hold_only_visible_and_office_wide_ones(client_for, username, shown, hidden):
    page = client_for(username).get("/contacts")
    assert {s for s in shown | hidden if s in page.text} == shown
    assert 'href="tel:' in page.text


def test_contacts_have_call_mail_and_opening_hours(client_for):
    page = client_for("demo.parent").get("/contacts")
    assert 'href="tel:03055501201"' in page.text
    assert 'href="mailto:p.lange@jugendamt-musterstadt.example"' in page.text
    assert "Mo–Do 9–15 Uhr" in page.text
    assert 'id="group-caseworker"' in page.text and 'id="group-emergency"' in page.text


def test_help_now_is_public_and_lists_the_office_emergency_contacts(anonymous):
    page = anonymous.get("/help-now")
    assert page.status_code == 200
    for number in ("tel:110", "tel:112", "tel:116111", "tel:08001110550", "tel:03055500000"):
        assert number in page.text
    assert EMERGENCY in page.text
    assert "not-safe" not in page.text


@pytest.mark.parametrize(("username", "button"), [("demo.youth", True), ("demo.child", True), ("demo.parent", False)])
def test_not_safe_button_is_offered_to_youths_and_children_only(client_for, username, button):
    page = client_for(username).get("/path")
    assert ('action="/not-safe"' in page.text) is button


@pytest.mark.parametrize("username", SOMMER)
def test_every_family_page_links_help_now_and_sign_out(client_for, username):
    client = client_for(username)
    for url in ("/plan", "/path", "/appointments", "/contacts", "/account", "/help-now"):
        page = client.get(url)
        assert 'href="/help-now"' in page.text, url
        assert 'action="/logout"' in page.text, url


def test_plan_shows_reply_beside_own_question_and_nobody_elses(client_for):
    anna = client_for("demo.parent").get("/plan").text
    assert ANNAS_QUESTION in anna and ANNAS_REPLY in anna
    assert JONAS_QUESTION not in anna
    daniel = client_for("demo.parent2").get("/plan").text
    assert ANNAS_QUESTION not in daniel and ANNAS_REPLY not in daniel
    jonas = client_for("demo.youth").get("/plan").text
    assert JONAS_QUESTION in jonas and ANNAS_QUESTION not in jonas


def test_plan_offers_agreement_to_parents_and_youths_with_earlier_answers(client_for):
    anna = client_for("demo.parent").get("/plan").text
    assert 'id="agreement"' in anna
    assert "Ja, so machen wir es." in anna  # her earlier comment on version 2
    daniel = client_for("demo.parent2").get("/plan").text
    assert "Version 1" in daniel.split('id="agreement"', 1)[1]  # he answered version 1
    assert 'id="agreement"' in client_for("demo.youth").get("/plan").text
    assert 'id="agreement"' not in client_for("demo.child").get("/plan").text


def test_plan_shows_what_changed_since_the_version_last_seen_with_fields_highlighted(app, client_for):
    page = page_text(client_for("demo.parent").get("/plan"))
    assert translated(app, "What changed since version %(number)d", number=1) in page
    assert "field-changed" in page
    changes = page.split('id="changes-title"', 1)[1].split("</section>", 1)[0]
    assert "Feste Abendroutine" in changes  # due date moved
    assert "Daniel meldet sich zum Elternkurs" in changes  # newly shared with parents


def test_plan_changes_never_mention_items_the_member_may_not_see(app, client_for, session):
    from tests.conftest import member

    jonas = member(session, "demo.youth")
    jonas.last_seen_version = 1
    session.commit()
    page = page_text(client_for("demo.youth").get("/plan"))
    assert translated(app, "What changed since version %(number)d", number=1) in page
    assert "Elternkurs" not in page and "Suchtberatung" not in page


def test_plan_shows_translation_with_the_german_original_one_tap_away(app, client_for):
    client = client_for("demo.parent")
    post_form(client, "/language", {"language": "en", "next": "/plan"}, form_page="/account")
    page = page_text(client.get("/plan"))
    assert "Mia stays overnight at home every other weekend" in page
    assert translated(app, "German original (binding)", "en") in page
    assert "Mia übernachtet jedes zweite Wochenende zu Hause" in page


def test_print_view_holds_the_plan_without_forms(client_for):
    page = client_for("demo.parent").get("/plan/print").text
    assert "Mia übernachtet jedes zweite Wochenende zu Hause" in page
    assert 'action="/plan/items/' not in page
    assert "print-view" in page


def test_a_child_is_spoken_to_as_a_child_and_not_asked_to_answer_appointments(app, client_for):
    from flask_babel import force_locale, pgettext

    from tests.messages import page_text, translated

    page = page_text(client_for("demo.child").get("/appointments"))
    with app.test_request_context(), force_locale("de"):
        for_child = pgettext("child", "Here you see your appointments.")
    assert for_child in page
    assert translated(app, "Here you see your appointments.") not in page
    assert translated(app, "Please tell us if you come.") not in page


def test_a_child_finds_her_caseworker_with_a_picture_and_a_call_button_on_her_path(app, client_for):
    page = client_for("demo.child").get("/path").text
    section = page.split('class="my-helper"', 1)[1].split("</section>", 1)[0]
    assert "Petra Lange" in section and 'href="tel:' in section and "<svg" in section
    assert 'class="my-helper"' not in client_for("demo.parent").get("/path").text  # the grown-ups' is on home
