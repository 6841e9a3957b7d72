"""Staff pages flat in size (issue 14): the same number of SQL statements for a lead's team of
one case as of 400, and for the publish review, publishing itself and the plan editor of a plan
of 10 items as of 1,000. Counts only: nothing here is timed."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.bench_data import generate
from portal.demo import DEMO_TOTP_SECRET, PASSWORD
from portal.models import (
    Audience,
    Case,
    Consent,
    ContentTranslation,
    ItemKind,
    ItemStatus,
    MemberKind,
    Owner,
    Phase,
    PlanItem,
    PlanVersion,
    PublishedItem,
)
from portal.passwords import hash_password
from tests.conftest import csrf_token, staff
from tests.factories import make_appointment, make_case, make_member, make_question, plan_of, publish_plan


@contextmanager
def counting(app):
    """The statements run inside the block (`found["n"]`)."""
    engine = app.extensions["database"].engine
    found = {"n": 0, "statements": []}

    def count(_conn, _cursor, statement, *_args):
        found["n"] += 1
        found["statements"].append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield found
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def statements_of_get(app, client, url: str) -> int:
    client.get(url)  # the first view records the day's audited reads; count a later one
    with counting(app) as found:
        assert client.get(url).status_code == 200
    return found["n"]


def office(session, names: str, cases: int) -> None:
    generate(session, cases=cases, names=names, sign_in_hash=hash_password(PASSWORD), totp_secret=DEMO_TOTP_SECRET)
    session.commit()


def with_everything(session, reference: str) -> None:
    """The generated case as the 400 are among them: open, published, a parent reading Turkish,
    a coming appointment for chosen people, a question waiting."""
    case = session.scalar(sa.select(Case).where(Case.reference == reference))
    case.phase = Phase.preparation
    parent = next(m for m in case.members if m.kind is MemberKind.parent)
    parent.language = "tr"
    make_appointment(session, case, audience=Audience.people, people=[parent])
    make_question(session, parent)
    if not plan_of(session, case).versions:
        publish_plan(session, case)
    session.commit()


def test_a_leads_team_view_takes_as_many_statements_for_400_cases_as_for_one(app, session, client_for):
    office(session, "small", 1)
    office(session, "large", 400)
    with_everything(session, session.scalar(sa.select(Case.reference).where(Case.reference.like("SMALL-%"))))
    small, large = client_for("small.lead"), client_for("large.lead")
    for url in ("/staff/", "/staff/?sort=activity", "/staff/?page=8", "/staff/?attention=1", "/staff/inbox"):
        assert statements_of_get(app, small, url) == statements_of_get(app, large, url), url
    caseworker_small, caseworker_large = client_for("small.caseworker"), client_for("large.caseworker")
    assert statements_of_get(app, caseworker_small, "/staff/") == statements_of_get(app, caseworker_large, "/staff/")


def a_plan_of(session, items: int):
    """A case whose draft holds `items` items of every kind and audience (chosen people, items
    entrusted by the parent with a consent, Turkish translations), published once and then changed."""
    case = make_case(session, team=staff(session, "demo.lead").team,
                     primary_caseworker=staff(session, "demo.caseworker"))
    parent = make_member(session, case, MemberKind.parent, language="tr")
    youth = make_member(session, case, MemberKind.youth)
    make_member(session, case, MemberKind.child)
    plan = plan_of(session, case)
    audiences = [Audience.family, Audience.adults, Audience.people, Audience.staff]
    rows = []
    for number in range(items):
        kind = (ItemKind.goal, ItemKind.step, ItemKind.milestone)[number % 3]
        item = PlanItem(plan=plan, kind=kind, text=f"Schritt {number}", audience=audiences[number % 4],
                        position=number, entrusted_by=parent if number % 10 == 1 else None)
        if item.audience is Audience.people:
            item.people = [parent, youth]
        rows.append(item)
    session.add_all(rows)
    session.flush()
    for item in rows:
        if item.entrusted_by is not None:
            session.add(Consent(item=item, given_by=parent, recipient=youth))
        if item.audience is not Audience.staff and item.id % 2:
            session.add(ContentTranslation(object_type="plan_item", object_id=item.id, field="text", language="tr",
                                           text=f"Adım {item.id}", checked=True))
    session.flush()
    publish_plan(session, case)
    for item in rows[::7]:
        item.text += " (neu)"
    session.commit()
    return case


@pytest.fixture
def plans(session):
    return a_plan_of(session, 10), a_plan_of(session, 1000)


def test_the_publish_review_takes_as_many_statements_for_1000_items_as_for_10(app, client_for, plans):
    lead = client_for("demo.lead")  # the cases are in the demo team: the lead reaches both
    small, large = plans
    assert statements_of_get(app, lead, f"/staff/cases/{small.id}/publish") == statements_of_get(
        app, lead, f"/staff/cases/{large.id}/publish")


def test_publishing_takes_as_many_statements_for_1000_items_as_for_10(app, client_for, session, plans):
    lead = client_for("demo.lead")
    counts = []
    for case in plans:
        page = lead.get(f"/staff/cases/{case.id}/publish")
        based_on = page.text.split('name="based_on"')[1].split('value="')[1].split('"')[0]
        with counting(app) as found:
            response = lead.post(f"/staff/cases/{case.id}/publish",
                                 data={"csrf_token": csrf_token(page.text), "based_on": based_on, "note": "Neu"})
        assert response.status_code == 302
        counts.append(found["n"])
        version = session.scalar(sa.select(PlanVersion).where(PlanVersion.plan_id == plan_of(session, case).id)
                                 .order_by(PlanVersion.number.desc()).limit(1))
        assert version.number == 2
        published = session.scalar(sa.select(sa.func.count()).where(PublishedItem.version_id == version.id))
        assert published == len(plan_of(session, case).items)
    assert counts[0] == counts[1]


def test_the_plan_editor_takes_as_many_statements_for_1000_items_as_for_10(app, client_for, plans):
    lead = client_for("demo.lead")
    small, large = plans
    assert statements_of_get(app, lead, f"/staff/cases/{small.id}/plan") == statements_of_get(
        app, lead, f"/staff/cases/{large.id}/plan")


def test_each_items_labels_on_the_plan_page_are_the_ones_rendered_for_it_alone(app, client_for, session):
    """The plan page renders an item's labels once per distinct combination of what they show
    (`ItemLabels`); every item's line must still be the one the macro gives for that item alone."""
    from flask import render_template_string

    from portal import publishing, translation_work
    from portal.staff.forms import past_due
    from portal.staff.operations import plan as plan_ops

    case = a_plan_of(session, 40)
    plan = plan_of(session, case)
    for number, item in enumerate(plan.items):
        item.owner = list(Owner)[number % len(Owner)]
        item.status = list(ItemStatus)[number % len(ItemStatus)]
        item.due_on = (None, date(2020, 1, 6), date(2099, 5, 1))[number // 3 % 3]
    session.commit()
    page = BeautifulSoup(client_for("demo.lead").get(f"/staff/cases/{case.id}/plan").text, "html.parser")
    with app.test_request_context():
        items = plan_ops.draft_items(publishing.draft_snapshots(session, [plan.id])[plan.id], case.members)
        states = translation_work.item_states(session, plan.id, items, translation_work.case_languages(case))
        for item in items:
            alone = render_template_string(
                '{% from "staff/_plan_item_labels.html" import labels with context %}{{ labels(item, states) }}',
                item=item, states=states.get(item.id, ()), past_due=past_due)
            shown = page.find("li", id=f"item-{item.id}").find("p", class_="plan-item-labels").decode_contents()
            alone = BeautifulSoup(alone, "html.parser").decode_contents()
            assert " ".join(shown.split()) == " ".join(alone.split()), item.id


def test_each_items_row_on_the_plan_page_is_the_one_the_macro_renders_for_it_alone(app, client_for, session):
    """The plan page runs the row macro once per shape of row and puts each item's values in
    (`ItemRows`); every row, first, last or between, must be the macro's own output for that item,
    whatever its text holds (markup characters, quotes, right-to-left, long text shortened)."""
    from markupsafe import Markup

    from portal import publishing, translation_work
    from portal.auth.forms import EmptyForm
    from portal.staff.operations import plan as plan_ops
    from portal.staff.plan_rows import ItemLabels, ItemRows, PlanRow, item_urls

    case = a_plan_of(session, 24)
    plan = plan_of(session, case)
    texts = ['<b>fett</b> & "zitiert" \'so\'', "خطوة إلى البيت مع العائلة والمدرسة في الأسبوع القادم",
             "Ein langer Schritt, der weit über vierzig Zeichen hinaus geht und gekürzt wird", "kurz"]
    for number, item in enumerate(plan.items):
        item.text = texts[number % len(texts)]
        item.status = (ItemStatus.open, ItemStatus.done)[number // 2 % 2]
        item.pictogram = (None, "home", "clock")[number % 3]
        item.simple_text = (None, "<i>einfach</i> & klar")[number // 3 % 2]
    session.commit()
    client_for("demo.lead")  # the plan page's context: a signed-in member of the case's team
    with app.test_request_context():
        items = plan_ops.draft_items(publishing.draft_snapshots(session, [plan.id])[plan.id], case.members)
        labels = ItemLabels(translation_work.item_states(session, plan.id, items, translation_work.case_languages(case)))
        rows = ItemRows(labels, item_urls(case), EmptyForm().hidden_tag())
        steps = Markup('<li class="plan-item">&lt;ein Schritt&gt;</li>')
        for item in items:
            for first, last in ((True, False), (False, False), (False, True), (True, True)):
                for inner in ((steps, "2 Schritte <zu> diesem Ziel"), (Markup(""), "0 Schritte")):
                    alone = rows.rendered(PlanRow.of(item, labels(item)), first, last, *inner)
                    assert rows(item, first, last, *inner) == alone, (item.id, first, last)
        assert "&lt;b&gt;fett&lt;/b&gt; &amp; &#34;zitiert&#34;" in rows(items[0], False, False)
