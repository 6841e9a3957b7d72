"""The plan editor for daily use: a tree of goals and steps, labels at a glance, steps added under
their goal, the frequent actions per item and the rest on the item's own page, removing and
duplicating items, and order among siblings."""
from __future__ import annotations

import re

import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.models import Consent, ContentTranslation, ItemKind, Member, PlanItem, PublishedItem
from tests.messages import page_text, translated
from tests.staff.conftest import item_form, item_id, token

HOME = "Mia lebt ab Sommer 2027 wieder bei ihrer Familie"
COURT = "Gerichtstermin gemeinsam vorbereiten"
WEEKENDS = "Mia übernachtet jedes zweite Wochenende zu Hause"
HOLIDAYS = "Ferien zu Hause planen"
SPORT = "Jonas sucht sich einen Sportverein"
COUNSELLING = "Anna spricht mit der Suchtberatung"
STAFF_ONLY = "Rücksprache mit der Wohngruppe"


def plan_url(sommer) -> str:
    return f"/staff/cases/{sommer['case']}/plan"


def group_texts(html: str, group: str) -> list[str]:
    """Item texts of one sibling list (its own items, not those nested in them)."""
    soup = BeautifulSoup(html, "html.parser")
    listing = soup.find("ol", attrs={"data-group": group})
    return [li.find("p", class_="plan-item-text").find("span", dir="auto").get_text()
            for li in listing.find_all("li", attrs={"data-item-id": True}, recursive=False)]


def positions(in_db, case_id: int) -> list[str]:
    return in_db(lambda s: [i.text for i in s.scalars(sa.select(PlanItem).join(PlanItem.plan)
                                                      .where(PlanItem.plan.has(case_id=case_id))
                                                      .order_by(PlanItem.position))])


def test_goals_hold_their_steps_as_a_tree_that_can_be_collapsed(client_for, in_db, sommer):
    page = client_for("demo.caseworker").get(plan_url(sommer)).text
    home = item_id(in_db, HOME)
    assert group_texts(page, f"goal-{home}") == [WEEKENDS, COURT, STAFF_ONLY, HOLIDAYS]
    assert group_texts(page, "goals")[:2] == [HOME, "Die Familie hat einen verlässlichen Alltag"]
    assert group_texts(page, "milestones")[0] == "Begleiteter Besuch in der Wohngruppe"
    soup = BeautifulSoup(page, "html.parser")
    branch = soup.find("ol", attrs={"data-group": f"goal-{home}"}).find_parent("details")
    assert branch is not None and branch.has_attr("open")  # collapsible, open by default, no script needed


def test_audience_entrusted_by_and_translation_state_are_labels_at_a_glance(app, client_for, in_db, sommer):
    def arrange(session):
        session.get(Member, sommer["demo.parent"]).language = "tr"
        session.add(ContentTranslation(object_type="plan_item", object_id=item_id(in_db, SPORT), field="text",
                                       language="tr", text="Jonas bir spor kulübü arıyor", checked=True))
        session.add(ContentTranslation(object_type="plan_item", object_id=item_id(in_db, HOME), field="text",
                                       language="tr", text="Mia eve dönüyor", checked=False))
        session.commit()

    in_db(arrange)
    page = client_for("demo.caseworker").get(plan_url(sommer)).text
    soup = BeautifulSoup(page, "html.parser")

    def labels(text: str) -> str:
        li = soup.find("li", id=f"item-{item_id(in_db, text)}")
        return " ".join(li.find("p", class_="plan-item-labels").get_text().split())

    assert translated(app, "%(code)s: checked", code="TR") in labels(SPORT)
    assert translated(app, "%(code)s: not checked", code="TR") in labels(HOME)
    assert translated(app, "%(code)s: no translation", code="TR") in labels(WEEKENDS)
    assert "TR" not in labels(STAFF_ONLY)  # the office's own items need no translation
    assert translated(app, "Only: %(names)s", names="Anna, Jonas") in labels(SPORT)
    assert translated(app, "entrusted by %(name)s", name="Anna") in labels(COUNSELLING)


def test_a_step_is_added_directly_under_its_goal_and_shared_like_it(app, client_for, in_db, sommer):
    caseworker = client_for("demo.caseworker")
    goal = item_id(in_db, COURT.replace(COURT, HOME))
    # The plan page links each goal to its step form; only the form asked for is on the page.
    soup = BeautifulSoup(caseworker.get(plan_url(sommer)).text, "html.parser")
    link = soup.find("li", id=f"item-{goal}").find("p", class_="add-step").find("a")["href"]
    assert link == f"{plan_url(sommer)}?step={goal}#add-step-{goal}" and not soup.find("textarea", id=f"s{goal}-text")
    opened = BeautifulSoup(caseworker.get(link).text, "html.parser")
    form = opened.find("details", id=f"add-step-{goal}").find("form")
    assert form["action"] == f"{plan_url(sommer)}/items/{goal}/steps" and form.find("textarea", id=f"s{goal}-text")
    assert len(opened.find_all("details", class_="add-step")) == 1
    response = caseworker.post(f"{plan_url(sommer)}/items/{goal}/steps", data={
        f"s{goal}-csrf_token": form.find("input", attrs={"name": f"s{goal}-csrf_token"})["value"],
        f"s{goal}-text": "Schulweg gemeinsam üben",
        f"s{goal}-owner": "parents", f"s{goal}-due_on": ""})
    assert response.status_code == 302
    step = in_db(lambda s: s.scalar(sa.select(PlanItem).where(PlanItem.text == "Schulweg gemeinsam üben")))
    assert step.kind is ItemKind.step and step.parent_id == goal and step.audience.value == "family"
    page = caseworker.get(plan_url(sommer)).text
    assert group_texts(page, f"goal-{goal}")[-1] == "Schulweg gemeinsam üben"
    refused = caseworker.post(f"{plan_url(sommer)}/items/{goal}/steps", data={
        f"s{goal}-csrf_token": token(caseworker, plan_url(sommer)), f"s{goal}-text": "", f"s{goal}-owner": "parents"})
    assert refused.status_code == 400 and "error-summary" in refused.text
    step_id = item_id(in_db, WEEKENDS)
    assert caseworker.post(f"{plan_url(sommer)}/items/{step_id}/steps", data={
        f"s{step_id}-csrf_token": token(caseworker, plan_url(sommer)), f"s{step_id}-text": "x",
        f"s{step_id}-owner": "parents"}).status_code == 404  # only under a goal


def test_the_plan_page_scans_and_does_the_frequent_actions_and_links_each_item_to_its_own_page(
        client_for, in_db, sommer):
    """Per item the plan page has its labels, Up/Down, Mark done and one link to the item's own
    page; that page edits everything and holds the rarer actions (translations, duplicate, remove)."""
    caseworker = client_for("demo.caseworker")
    sport = item_id(in_db, SPORT)
    soup = BeautifulSoup(caseworker.get(plan_url(sommer)).text, "html.parser")
    li = soup.find("li", id=f"item-{sport}")
    forms = li.find("div", class_="actions").find_all("form")
    assert len(forms) == 1 and forms[0].find("input", attrs={"name": "csrf_token"})  # one token for its buttons
    actions = {button["formaction"] for button in forms[0].find_all("button")}
    assert actions == {f"{plan_url(sommer)}/items/{sport}/move/{d}" for d in ("up", "down")} | {
        f"{plan_url(sommer)}/items/{sport}/done"}
    links = [a["href"] for a in li.find("div", class_="actions").find_all("a")]
    assert links == [f"{plan_url(sommer)}/items/{sport}"]
    own = BeautifulSoup(caseworker.get(links[0]).text, "html.parser")
    assert {form["action"] for form in own.find_all("form") if form.get("action")} >= {
        f"{plan_url(sommer)}/items/{sport}/done", f"{plan_url(sommer)}/items/{sport}/duplicate"}
    assert {a["href"] for a in own.find_all("a")} >= {f"{plan_url(sommer)}/items/{sport}/translations",
                                                     f"{plan_url(sommer)}/items/{sport}/remove"}


def test_edit_on_the_items_page_and_a_stale_edit_keeps_the_input(client_for, in_db, sommer):
    """Text, who does it and status, edited on the item's own page (reached by the plan page's
    link), back on the plan at the item; a stale edit keeps the input and shows the saved text."""
    caseworker, lead = client_for("demo.caseworker"), client_for("demo.lead")
    sport = item_id(in_db, SPORT)
    url = f"{plan_url(sommer)}/items/{sport}"
    form = item_form(in_db, SPORT, owner="child", status="in_progress")
    first = {"csrf_token": token(caseworker, url), **form, "text": "Jonas meldet sich beim Handball an"}
    second = {"csrf_token": token(lead, url), **form, "text": "Jonas geht schwimmen"}
    saved = caseworker.post(url, data=first)
    assert saved.status_code == 302 and saved.headers["Location"] == f"{plan_url(sommer)}#item-{sport}"
    assert in_db(lambda s: (s.get(PlanItem, sport).text, s.get(PlanItem, sport).owner.value,
                            s.get(PlanItem, sport).status.value)) == (
        "Jonas meldet sich beim Handball an", "child", "in_progress")
    refused = lead.post(url, data=second)
    assert refused.status_code == 409
    assert "Jonas geht schwimmen" in refused.text and "Jonas meldet sich beim Handball an" in refused.text
    assert in_db(lambda s: s.get(PlanItem, sport).text) == "Jonas meldet sich beim Handball an"


def test_removing_a_draft_item_shows_removed_at_the_next_publish_to_those_who_saw_it_only(
        app, client_for, in_db, sommer):
    court = item_id(in_db, COURT)
    in_db(lambda s: (setattr(s.get(Member, sommer["demo.youth"]), "last_seen_version", 2), s.commit()))
    caseworker = client_for("demo.caseworker")
    confirm = caseworker.get(f"{plan_url(sommer)}/items/{court}/remove")
    assert confirm.status_code == 200 and COURT in confirm.text
    response = caseworker.post(f"{plan_url(sommer)}/items/{court}/remove", data={
        "csrf_token": token(caseworker, plan_url(sommer)), "revision": re.search(
            r'name="revision" type="hidden" value="(\d+)"', confirm.text).group(1)})
    assert response.status_code == 302
    assert in_db(lambda s: s.get(PlanItem, court)) is None
    assert COURT not in group_texts(caseworker.get(plan_url(sommer)).text, f"goal-{item_id(in_db, HOME)}")
    # Published versions keep it; until the next publish the family still has it.
    assert in_db(lambda s: s.scalar(sa.select(sa.func.count()).select_from(PublishedItem)
                                    .where(PublishedItem.item_id == court))) == 2
    anna, jonas = client_for("demo.parent"), client_for("demo.youth")
    assert COURT in anna.get("/plan").text
    publish = f"/staff/cases/{sommer['case']}/publish"
    assert caseworker.post(publish, data={"csrf_token": token(caseworker, publish), "based_on": "2",
                                          "note": "Der Gerichtstermin ist erledigt."}).status_code == 302
    removed = translated(app, "Removed")
    anna_plan = page_text(anna.get("/plan"))
    changes = anna_plan.split('id="changes-title"')[1].split("</section>")[0]
    assert removed in changes and f"<del dir=\"auto\">{COURT}</del>" in changes  # Anna saw it: removed
    jonas_plan = page_text(jonas.get("/plan"))
    assert COURT not in jonas_plan  # Jonas never saw it: nothing at all


def test_removing_an_item_someone_just_edited_is_the_usual_conflict_and_nothing_is_lost(client_for, in_db, sommer):
    sport = item_id(in_db, SPORT)
    caseworker = client_for("demo.caseworker")
    confirm = caseworker.get(f"{plan_url(sommer)}/items/{sport}/remove").text
    seen = re.search(r'name="revision" type="hidden" value="(\d+)"', confirm).group(1)
    in_db(lambda s: (setattr(s.get(PlanItem, sport), "text", "Jonas geht jetzt zum Klettern"), s.commit()))
    refused = caseworker.post(f"{plan_url(sommer)}/items/{sport}/remove",
                              data={"csrf_token": token(caseworker, plan_url(sommer)), "revision": seen})
    assert refused.status_code == 409
    assert "Jonas geht jetzt zum Klettern" in refused.text  # the other change is shown
    assert in_db(lambda s: s.get(PlanItem, sport).text) == "Jonas geht jetzt zum Klettern"


def test_removing_a_goal_removes_its_steps_with_it(app, client_for, in_db, sommer):
    home = item_id(in_db, HOME)
    caseworker = client_for("demo.caseworker")
    confirm = caseworker.get(f"{plan_url(sommer)}/items/{home}/remove").text
    for text in (WEEKENDS, COURT, STAFF_ONLY, HOLIDAYS):
        assert text in confirm
    revision = re.search(r'name="revision" type="hidden" value="(\d+)"', confirm).group(1)
    assert caseworker.post(f"{plan_url(sommer)}/items/{home}/remove", data={
        "csrf_token": token(caseworker, plan_url(sommer)), "revision": revision}).status_code == 302
    assert [item_id(in_db, t) for t in (HOME, WEEKENDS, COURT, STAFF_ONLY, HOLIDAYS)] == [None] * 5
    # Only what was removed is a change; the other items keep their places (no "order changed").
    review = page_text(caseworker.get(f"/staff/cases/{sommer['case']}/publish"))
    assert translated(app, "Changed") not in review.split(translated(app, "What changes for the family"))[1]


def test_duplicating_copies_text_audience_and_translations_but_no_consent(client_for, in_db, sommer):
    counselling = item_id(in_db, COUNSELLING)

    def arrange(session):
        session.add(Consent(item_id=counselling, given_by_id=sommer["demo.parent"], recipient_id=sommer["demo.parent2"]))
        session.add(ContentTranslation(object_type="plan_item", object_id=counselling, field="text", language="en",
                                       text="Anna talks to the addiction counselling service", checked=True))
        session.commit()

    in_db(arrange)
    caseworker = client_for("demo.caseworker")
    response = caseworker.post(f"{plan_url(sommer)}/items/{counselling}/duplicate",
                               data={"csrf_token": token(caseworker, plan_url(sommer))})
    assert response.status_code == 302
    copy_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    copy = in_db(lambda s: s.get(PlanItem, copy_id))
    original = in_db(lambda s: s.get(PlanItem, counselling))
    assert (copy.text, copy.audience, copy.entrusted_by_id, copy.parent_id) == (
        original.text, original.audience, original.entrusted_by_id, original.parent_id)
    page = caseworker.get(plan_url(sommer)).text
    assert group_texts(page, f"goal-{original.parent_id}")[-1] == COUNSELLING  # the copy ends its goal's steps
    assert group_texts(page, f"goal-{original.parent_id}").count(COUNSELLING) == 2
    assert in_db(lambda s: s.get(PlanItem, copy_id).consents) == []
    assert in_db(lambda s: s.scalar(sa.select(ContentTranslation.text).where(
        ContentTranslation.object_id == copy_id))) == "Anna talks to the addiction counselling service"


def test_order_changes_among_siblings_only(client_for, in_db, sommer):
    caseworker = client_for("demo.caseworker")
    home = item_id(in_db, HOME)
    holidays = item_id(in_db, HOLIDAYS)
    # The last step of a goal does not move into the next goal.
    before = positions(in_db, sommer["case"])
    caseworker.post(f"{plan_url(sommer)}/items/{holidays}/move/down",
                    data={"csrf_token": token(caseworker, plan_url(sommer))})
    assert positions(in_db, sommer["case"]) == before
    caseworker.post(f"{plan_url(sommer)}/items/{holidays}/move/up",
                    data={"csrf_token": token(caseworker, plan_url(sommer))})
    page = caseworker.get(plan_url(sommer)).text
    assert group_texts(page, f"goal-{home}") == [WEEKENDS, COURT, HOLIDAYS, STAFF_ONLY]
    # Drag and drop sends the whole group in its new order.
    new = [item_id(in_db, t) for t in (HOLIDAYS, WEEKENDS, STAFF_ONLY, COURT)]
    response = caseworker.post(f"{plan_url(sommer)}/order", data={
        "csrf_token": token(caseworker, plan_url(sommer)), "item": [str(i) for i in new]})
    assert response.status_code == 302
    assert group_texts(caseworker.get(plan_url(sommer)).text, f"goal-{home}") == [HOLIDAYS, WEEKENDS, STAFF_ONLY,
                                                                                  COURT]
    # Not exactly one group: nothing changes.
    mixed = new[:3] + [item_id(in_db, SPORT)]
    refused = caseworker.post(f"{plan_url(sommer)}/order", data={
        "csrf_token": token(caseworker, plan_url(sommer)), "item": [str(i) for i in mixed]})
    assert refused.status_code == 409
    assert group_texts(refused.text, f"goal-{home}") == [HOLIDAYS, WEEKENDS, STAFF_ONLY, COURT]
