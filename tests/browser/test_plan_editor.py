"""The plan editor in real Chromium: at tablet width (768 px) axe-core clean and reordered by keyboard
alone; drag and drop as an enhancement; a plan of 30 items in a few screens at 1280 px."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.browser.conftest import _live, axe_violations, horizontal_overflow, sign_in
from tests.messages import translated

STEP = "Mia übernachtet jedes zweite Wochenende zu Hause"
NEXT_STEP = "Gerichtstermin gemeinsam vorbereiten"
GOAL = "Mia lebt ab Sommer 2027 wieder bei ihrer Familie"


@pytest.fixture
def tablet(browser, live_url):
    context = browser.new_context(base_url=live_url, viewport={"width": 768, "height": 1024}, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def steps_of_goal(page, goal_text: str) -> list[str]:
    return page.evaluate(
        """(goal) => {
          const li = [...document.querySelectorAll('ol[data-group=goals] > li')]
            .find(el => el.querySelector(':scope > .plan-item-body > .plan-item-text').textContent.includes(goal));
          return [...li.querySelectorAll('ol.plan-steps > li > .plan-item-body > .plan-item-text span[dir=auto]')].map(s => s.textContent);
        }""",
        goal_text,
    )


def tab_to(page, label_start: str, limit: int = 400) -> None:
    """Press Tab until the focused element's text starts with `label_start`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("document.activeElement ? document.activeElement.textContent.trim() : ''")
        if " ".join(text.split()).startswith(label_start):
            return
    pytest.fail(f"nothing to focus whose text starts with {label_start!r}")


def test_plan_editor_at_tablet_width_passes_axe_with_every_part_open(tablet):
    sign_in(tablet, "demo.caseworker", staff=True)
    tablet.goto("/staff/cases/1/plan")
    assert horizontal_overflow(tablet) == 0
    assert axe_violations(tablet) == []
    tablet.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert horizontal_overflow(tablet) == 0
    assert axe_violations(tablet) == []


def test_items_are_reordered_by_keyboard_alone(tablet):
    sign_in(tablet, "demo.caseworker", staff=True)
    tablet.goto("/staff/cases/1/plan")
    before = steps_of_goal(tablet, GOAL)
    assert before[:2] == [STEP, NEXT_STEP]
    tab_to(tablet, f"{translated(_live['app'], 'Down')}: {STEP[:20]}")
    with tablet.expect_navigation():
        tablet.keyboard.press("Enter")
    after = steps_of_goal(tablet, GOAL)
    assert after[:2] == [NEXT_STEP, STEP] and sorted(after) == sorted(before)
    # Back up again, still by keyboard: focus continues from the moved item.
    tab_to(tablet, translated(_live["app"], "Up"))
    with tablet.expect_navigation():
        tablet.keyboard.press("Enter")
    assert steps_of_goal(tablet, GOAL) == before


def test_drag_and_drop_reorders_siblings_as_an_enhancement(desktop):
    sign_in(desktop, "demo.caseworker", staff=True)
    desktop.goto("/staff/cases/1/plan")
    before = steps_of_goal(desktop, GOAL)
    source = desktop.locator("ol.plan-steps > li", has_text=before[0]).first
    target = desktop.locator("ol.plan-steps > li", has_text=before[2]).first
    with desktop.expect_navigation():
        source.drag_to(target)
    after = steps_of_goal(desktop, GOAL)
    assert after[:3] == [before[1], before[2], before[0]]
    source = desktop.locator("ol.plan-steps > li", has_text=before[0]).first
    target = desktop.locator("ol.plan-steps > li", has_text=before[1]).first
    with desktop.expect_navigation():
        source.drag_to(target)
    assert steps_of_goal(desktop, GOAL) == before


def test_a_plan_of_thirty_items_fits_in_a_few_screens_at_1280(desktop):
    from portal.db import db
    from portal.models import Audience, ItemKind, MemberKind, StaffUser
    from tests import factories

    with _live["app"].app_context():
        session = db.session
        caseworker = session.scalar(sa.select(StaffUser).where(StaffUser.username == "demo.caseworker"))
        case = factories.make_case(session, team=caseworker.team, primary_caseworker=caseworker,
                                   title="Familie Dreißig")
        factories.make_member(session, case, MemberKind.parent, language="tr")
        for goal_number in range(6):
            goal = factories.make_item(session, case, kind=ItemKind.goal, audience=Audience.family,
                                       text=f"Ziel {goal_number + 1}: Die Familie schafft einen wichtigen Schritt")
            for step_number in range(3):
                factories.make_item(session, case, kind=ItemKind.step, parent=goal, audience=Audience.adults,
                                    text=f"Schritt {step_number + 1} zu Ziel {goal_number + 1}, mit Termin")
        for number in range(6):
            factories.make_item(session, case, kind=ItemKind.milestone, text=f"Meilenstein {number + 1}")
        session.commit()
        case_id = case.id
    sign_in(desktop, "demo.caseworker", staff=True)
    desktop.goto(f"/staff/cases/{case_id}/plan")
    assert desktop.locator("li[data-item-id]").count() == 30
    draft = desktop.evaluate("document.querySelector('.plan-editor').getBoundingClientRect().height")
    screen = desktop.viewport_size["height"]
    assert draft <= 4 * screen, f"the draft of 30 items is {draft / screen:.1f} screens high"
    assert horizontal_overflow(desktop) == 0

