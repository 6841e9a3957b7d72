"""Check-ins over real HTTP (issue 15): an answer reaches the caseworker and nobody in the family but
its author (every family persona, every page, both exports, the calendar feed, the caseworker's
preview); bad input gets a clear message in the member's language and loses nothing; the check-in
is offered on the home page (a child's path) when due."""
from __future__ import annotations

import json

import sqlalchemy as sa

from portal.models import Checkin, Member
from portal.staff.versions import PREVIEW_PAGES
from tests.conftest import case_titled, csrf_token, member, post_form
from tests.matrix_walk import family_ids
from tests.messages import page_text, translated
from tests.test_access_everywhere import everything_a_member_reads

JONAS_SAYS = "Gerade gibt es zu Hause viel Streit wegen der Schule, Nachricht 4711"
ANNA_SAYS = "Die Übernachtung am Wochenende war anstrengend, Nachricht 0815"


def answers_of(session, username: str, with_replaced: bool = False) -> list[Checkin]:
    session.expire_all()
    query = sa.select(Checkin).where(Checkin.member_id == member(session, username).id)
    if not with_replaced:
        query = query.where(Checkin.replaced_at.is_(None))
    return list(session.scalars(query.order_by(Checkin.id)))


def test_an_answer_reaches_the_caseworker_and_nobody_in_the_family_but_its_author(app, client_for, session):
    ids = family_ids(session, "Familie Sommer")
    session.commit()
    jonas, anna, mia = client_for("demo.youth"), client_for("demo.parent"), client_for("demo.child")
    assert post_form(jonas, "/checkin", {"home": "2", "together": "3", "sentence": JONAS_SAYS}).status_code == 302
    assert post_form(anna, "/checkin", {"home": "5", "together": "6", "help": "4",
                                        "sentence": ANNA_SAYS}).status_code == 302
    assert post_form(mia, "/checkin", {"face": "1", "topic": "feelings"}).status_code == 302

    # Its author reads it: the check-in page, both exports.
    mine = everything_a_member_reads(app, jonas, ids, "youth")
    assert JONAS_SAYS in mine and ANNA_SAYS not in mine
    exported = json.loads(jonas.get("/account/export.json").text)["checkins"]
    assert [c["sentence"] for c in exported if c["sentence"]][-2:] == ["Es gibt gerade viel Streit.", JONAS_SAYS]
    assert {c["face"] for c in exported} == {None}  # Mia's faces are not Jonas's

    # Nobody else in the family, on any page, export or the calendar feed.
    for persona, username in (("parent_a", "demo.parent"), ("parent_b", "demo.parent2"), ("child", "demo.child"),
                              ("other_parent", "demo.other.parent")):
        client = anna if persona == "parent_a" else mia if persona == "child" else client_for(username)
        seen = everything_a_member_reads(app, client, ids, persona)
        assert JONAS_SAYS not in seen, persona
        assert (ANNA_SAYS in seen) is (persona == "parent_a"), persona
        own = json.loads(client.get("/account/export.json").text)["checkins"]
        assert len(own) == len(answers_of(session, username, with_replaced=True)), persona
    anna_export = json.loads(anna.get("/account/export.json").text)["checkins"]
    assert all(c["face"] is None and c["topic"] is None for c in anna_export)  # not Mia's faces or wish
    mia_export = json.loads(mia.get("/account/export.json").text)["checkins"]
    assert mia_export[-1]["face"] == 1 and mia_export[-1]["topic"] == "feelings"
    assert all(c["home"] is None for c in mia_export)

    # The caseworker reads every answer; the preview as someone else shows none of Jonas's.
    caseworker = client_for("demo.caseworker")
    trends = caseworker.get(f"/staff/cases/{ids['case_id']}/checkins").text
    assert JONAS_SAYS in trends and ANNA_SAYS in trends
    case = case_titled(session, "Familie Sommer")
    for previewed in case.members:
        for page in PREVIEW_PAGES:
            shown = caseworker.get(f"/staff/cases/{case.id}/preview/{previewed.id}/{page}").text
            assert (JONAS_SAYS in shown) is (previewed.username == "demo.youth" and page == "checkin"), (
                previewed.username, page)
            assert (ANNA_SAYS in shown) is (previewed.username == "demo.parent" and page == "checkin"), (
                previewed.username, page)
    # Another caseworker reaches none of it.
    assert client_for("demo.other").get(f"/staff/cases/{case.id}/checkins").status_code == 404


def test_the_preview_shows_the_members_own_check_in_read_only(app, client_for, session):
    case = case_titled(session, "Familie Sommer")
    jonas = member(session, "demo.youth")
    session.commit()
    page = client_for("demo.caseworker").get(f"/staff/cases/{case.id}/preview/{jonas.id}/checkin")
    assert page.status_code == 200
    family_part = page.text.split('class="preview-banner"', 1)[1].split("</aside>", 1)[1]
    assert "<form" not in family_part and 'name="home"' not in family_part
    assert "Es gibt gerade viel Streit." in family_part  # his own earlier answers, as he sees them
    assert 'class="trend"' in family_part


def test_bad_input_gets_a_clear_message_in_the_members_language_and_nothing_is_lost(app, client_for, session):
    session.execute(sa.update(Member).where(Member.username == "demo.parent").values(language="tr"))
    session.commit()
    anna = client_for("demo.parent")
    before = len(answers_of(session, "demo.parent", with_replaced=True))
    number_message = translated(app, "Please choose a number from 1 to 10.", "tr")
    for home in ("11", "0", "abc", "", "2147483648", "1e309"):
        refused = post_form(anna, "/checkin", {"home": home, "together": "5", "help": "5"})
        assert refused.status_code == 400, home
        assert '<html lang="tr"' in refused.text and number_message in page_text(refused), home
    too_long = "Ein Satz, der zu lang ist. " * 11  # 297 characters
    refused = post_form(anna, "/checkin", {"home": "5", "together": "5", "help": "5", "sentence": too_long})
    assert refused.status_code == 400
    assert translated(app, "Please keep it to at most %(max)d characters.", "tr", max=280) in page_text(refused)
    assert too_long.strip() in page_text(refused)  # what was written is still in the form
    assert 'value="5" checked' in refused.text  # and so are the numbers chosen
    assert len(answers_of(session, "demo.parent", with_replaced=True)) == before

    # Two answers in one week: the later replaces the earlier; both are kept.
    assert post_form(anna, "/checkin", {"home": "3", "together": "4", "help": "4"}).status_code == 302
    again = post_form(anna, "/checkin", {"home": "7", "together": "7", "help": "6", "sentence": ANNA_SAYS})
    assert again.status_code == 302
    followed = anna.get(again.headers["Location"])
    assert translated(app, "Thank you. You had already answered this time: your new answer replaces the earlier "
                           "one (your caseworker sees both).", "tr") in page_text(followed)
    kept = answers_of(session, "demo.parent", with_replaced=True)[-2:]
    assert [(c.home, c.replaced_at is not None) for c in kept] == [(3, True), (7, False)]
    assert kept[0].period_on == kept[1].period_on

    # Someone for whom check-ins are off: told so, and what they wrote is given back.
    daniel = client_for("demo.parent2")
    off = post_form(daniel, "/checkin", {"home": "5", "together": "5", "help": "5", "sentence": ANNA_SAYS})
    assert off.status_code == 400
    assert translated(app, "Your caseworker has switched check-ins off for you, so your answer was not sent. "
                           "What you wrote is shown below.", "de") in page_text(off)
    assert ANNA_SAYS in page_text(off)
    assert answers_of(session, "demo.parent2", with_replaced=True) == []

    # A child: a face outside the five, a picture that is not offered.
    mia = client_for("demo.child")
    for data in ({"face": "6"}, {"face": ""}, {"face": "3", "topic": "holidays"}):
        refused = post_form(mia, "/checkin", data)
        assert refused.status_code == 400, data
    assert len(answers_of(session, "demo.child")) == 5
    # A youth is not asked the third question: a value sent for it is ignored.
    jonas = client_for("demo.youth")
    assert post_form(jonas, "/checkin", {"home": "6", "together": "6", "help": "9"}).status_code == 302
    assert answers_of(session, "demo.youth")[-1].help is None


def test_the_check_in_is_offered_on_the_home_page_when_due_and_on_a_childs_path(app, client_for, session):
    anna = client_for("demo.parent")
    due = translated(app, "A short check-in is waiting for you. Only your caseworker sees your answer.")
    assert due in page_text(anna.get("/"))
    page = anna.get("/checkin")
    assert 'name="home"' in page.text and 'name="help"' in page.text
    assert post_form(anna, "/checkin", {"home": "6", "together": "6", "help": "6"}).status_code == 302
    home = page_text(anna.get("/"))
    assert due not in home and translated(app, "You have answered. See your earlier answers") in home
    # Daniel is not asked: nothing offered, and his check-in page says so.
    daniel = client_for("demo.parent2")
    assert 'href="/checkin"' not in daniel.get("/").text
    assert translated(app, "Check-ins are not switched on for you. Your caseworker decides with you whether and "
                           "how often you are asked.") in page_text(daniel.get("/checkin"))
    # Mia lands on her path, where the faces are offered.
    mia = client_for("demo.child")
    path = mia.get("/path")
    assert 'href="/checkin"' in path.text
    faces = mia.get("/checkin").text
    assert faces.count('name="face"') == 5 and faces.count('name="topic"') == 6
    assert 'name="home"' not in faces


def test_a_childs_answer_with_a_face_and_a_wish_to_talk(app, client_for, session):
    mia = client_for("demo.child")
    page = mia.get("/checkin")
    answered = mia.post("/checkin", data={"csrf_token": csrf_token(page.text), "face": "2", "topic": "school"})
    assert answered.status_code == 302
    saved = answers_of(session, "demo.child")[-1]
    assert (saved.face, saved.topic, saved.level) == (2, "school", 3.25)
    caseload = page_text(client_for("demo.caseworker").get("/staff/?attention=1"))
    assert translated(app, "%(name)s wants to tell you something about: %(topic)s", name="Mia",
                      topic=translated(app, "School")) in caseload
