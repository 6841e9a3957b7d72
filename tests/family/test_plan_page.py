"""A plan you can scan on a phone (issue 11): what needs the member first, goals that fold, one
question form per goal, old → new in "what changed", and who else in the family sees each item."""
from __future__ import annotations

import re

import sqlalchemy as sa

from portal.models import PlanItem, Question
from tests.conftest import member, post_form
from tests.messages import page_text, translated, translated_plural

SPORT = "Jonas sucht sich einen Sportverein"
COUNSELLING = "Anna spricht mit der Suchtberatung"
WEEKENDS = "Mia übernachtet jedes zweite Wochenende zu Hause"
EVENING = "Feste Abendroutine mit Mia einüben"


def _item_html(html: str, text: str) -> str:
    """The item's card (not the link to it among the next steps)."""
    return re.search(r"<article(?:(?!</article>).)*?" + re.escape(text) + r".*?</article>", html, re.S).group(0)


def test_what_needs_the_member_comes_first(app, client_for, session):
    anna = client_for("demo.parent")
    html = anna.get("/plan").text
    text = page_text(anna.get("/plan"))
    steps = re.search(r'class="next-steps".*?</section>', html, re.S).group(0)
    assert EVENING in steps and "Gerichtstermin" not in steps  # hers to do; the court date is the office's
    assert translated(app, "Please tell us whether you agree.") not in text  # Anna answered version 2
    count = len(re.findall(r"<li>", steps))
    assert text.index(translated_plural(app, "Your next step: %(num)d", "Your next steps: %(num)d", count)) \
        < text.index(translated(app, "Goal"))
    daniel = page_text(client_for("demo.parent2").get("/plan"))  # Daniel has not answered version 2
    assert translated(app, "Please tell us whether you agree.") in daniel
    assert daniel.index(translated(app, "Please tell us whether you agree.")) < daniel.index(
        translated(app, "Do you agree with this plan?"))


def test_goals_fold_and_there_is_one_question_form_per_goal_not_per_item(client_for):
    html = client_for("demo.parent").get("/plan").text
    goals = html.count('<details class="goal"')
    items = html.count('<article class="item')
    forms = html.count('action="/plan/questions"')
    assert goals >= 2 and items > goals + 3
    assert forms == goals + 1  # one per goal and one for the milestones
    assert 'action="/plan/items/' not in html


def test_a_question_asked_through_the_goals_form_is_about_the_chosen_item(client_for, session):
    sport = session.scalar(sa.select(PlanItem).where(PlanItem.text == SPORT))
    jonas = client_for("demo.youth")
    sent = post_form(jonas, "/plan/questions", {"item": str(sport.id), "text": "Zählt auch Schwimmen?"},
                     form_page="/plan")
    assert sent.status_code == 302
    question = session.scalar(sa.select(Question).where(Question.text == "Zählt auch Schwimmen?"))
    assert question.item_id == sport.id and question.member_id == member(session, "demo.youth").id
    # An item the asker does not see is not there to ask about.
    counselling = session.scalar(sa.select(PlanItem).where(PlanItem.text == COUNSELLING))
    refused = post_form(jonas, "/plan/questions", {"item": str(counselling.id), "text": "Was ist das?"},
                        form_page="/plan")
    assert refused.status_code == 404


def test_each_item_says_who_else_in_the_family_sees_it(app, client_for):
    html = client_for("demo.parent").get("/plan").text
    assert translated(app, "Only you") in _item_html(html, COUNSELLING)
    assert translated(app, "You and %(names)s", names="<bdi>Jonas</bdi>") in _item_html(html, SPORT)
    assert translated(app, "The whole family") in _item_html(html, WEEKENDS)


def test_what_changed_shows_old_and_new(app, client_for, session):
    anna = member(session, "demo.parent")
    anna.last_seen_version = 1
    session.commit()
    html = client_for("demo.parent").get("/plan").text
    changes = re.search(r'class="changes".*?</section>', html, re.S).group(0)
    assert EVENING in changes
    assert "<del>–</del> → <ins>" in changes  # due: none → a date
    assert translated(app, "due date") in changes
