"""A child answers "How are you?" with faces on a 360 px phone in Chromium (issue 15): by touch and
with the keyboard alone, in German and in Arabic, axe-core clean, no sideways scroll, tap targets
of 44 px; and every family persona's check-in page passes the same checks.

The live portal's database is shared with the other browser tests: Mia's language is set back
to German at the end, and her answers replace each other within the week."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.db import db
from portal.models import Checkin, Member
from tests.browser.conftest import (
    PHONE,
    _live,
    axe_violations,
    horizontal_overflow,
    overflowing,
    sign_in,
    small_tap_targets,
)


def _in_live_db(work):
    with _live["app"].app_context():
        result = work(db.session)
        db.session.commit()
        return result


def language_of(username: str, language: str) -> None:
    _in_live_db(lambda s: s.execute(sa.update(Member).where(Member.username == username).values(language=language)))


def mias_language(language: str) -> None:
    language_of("demo.child", language)


def mias_latest():
    def read(session):
        mia = session.scalar(sa.select(Member).where(Member.username == "demo.child"))
        latest = session.scalar(sa.select(Checkin).where(Checkin.member_id == mia.id, Checkin.replaced_at.is_(None))
                                .order_by(Checkin.period_on.desc()).limit(1))
        return latest.face, latest.topic

    return _in_live_db(read)


def page_problems(page) -> dict:
    found = {"overflow": horizontal_overflow(page) and overflowing(page), "axe": axe_violations(page),
             "small": small_tap_targets(page)}
    return {k: v for k, v in found.items() if v}


@pytest.fixture
def mia(browser, live_url):
    context = browser.new_context(base_url=live_url, **PHONE)
    page = context.new_page()
    sign_in(page, "demo.child")
    yield page
    context.close()
    mias_language("de")


@pytest.mark.parametrize("language", ["de", "ar"])
def test_a_child_answers_with_faces_by_touch_and_by_keyboard(mia, language):
    mias_language(language)
    page = mia
    page.goto("/path")
    assert page.get_attribute("html", "lang") == language
    assert page_problems(page) == {}
    with page.expect_navigation():
        page.locator(".checkin-offer a").first.tap()  # offered on her path home (answered: her faces so far)
    assert "/checkin" in page.url
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    assert page_problems(page) == {}

    # By touch: a face, a picture, send.
    page.locator("label.face-choice", has=page.locator("input[value='2']")).tap()
    page.locator("label.topic-choice", has=page.locator("input[value='friends']")).tap()
    with page.expect_navigation():
        page.locator(".checkin-form button[type=submit]").tap()
    assert mias_latest() == (2, "friends")
    assert page.locator(".message-info").count() == 1
    assert page_problems(page) == {}

    # By keyboard alone: Tab to the faces, choose with Space and the arrow keys, Tab on to send.
    page.goto("/checkin")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "face":
            break
    else:
        pytest.fail("the faces cannot be reached with the Tab key")
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.querySelector('input[name=face]:checked').value") == "4"
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert mias_latest() == (4, None)  # "nothing right now" stays chosen


def test_a_childs_mistake_is_shown_in_her_words_and_fits_the_phone(mia):
    page = mia
    page.goto("/checkin")
    with page.expect_navigation():
        page.locator(".checkin-form button[type=submit]").tap()  # no face chosen
    assert page.locator(".error-summary").count() == 1
    assert page_problems(page) == {}


@pytest.mark.parametrize("username", ["demo.parent", "demo.parent2", "demo.youth", "demo.other.parent"])
def test_every_persona_s_check_in_page_fits_a_phone_and_passes_axe(browser, live_url, username):
    context = browser.new_context(base_url=live_url, **PHONE)
    page = context.new_page()
    try:
        sign_in(page, username)
        page.goto("/checkin")
        assert page_problems(page) == {}
        page.goto("/")
        assert page_problems(page) == {}
    finally:
        context.close()


def test_the_check_in_still_fits_at_200_percent_text(browser, live_url):
    """WCAG 1.4.4: with the text twice as large the faces and the scale wrap, nothing scrolls sideways."""
    for username in ("demo.child", "demo.parent"):
        context = browser.new_context(base_url=live_url, **PHONE)
        page = context.new_page()
        try:
            sign_in(page, username)
            page.goto("/checkin")
            page.evaluate("document.documentElement.style.fontSize = '200%'")
            assert horizontal_overflow(page) == 0, (username, overflowing(page))
            clipped = page.evaluate("""() => [...document.querySelectorAll('.scale-choice, .face-choice, .topic-choice')]
                .filter(l => l.scrollWidth > l.clientWidth + 1).map(l => l.outerHTML.slice(0, 80))""")
            assert clipped == [], username
        finally:
            context.close()


# The chart's labels (dates, the scale's numbers) that stick out of the chart's own box.
CHART_LABELS_CLIPPED = """() => [...document.querySelectorAll('svg.trend')].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter(t => {
    const r = t.getBoundingClientRect();
    return r.left < box.left - 0.5 || r.right > box.right + 0.5;
  }).map(t => t.textContent);
})"""


@pytest.mark.parametrize("language", ["de", "ar", "fa"])
@pytest.mark.parametrize("username", ["demo.youth", "demo.child"])
def test_the_trend_s_dates_and_numbers_stay_inside_the_chart(browser, live_url, username, language):
    """Right to left, time runs from right to left: the first date stands at the right end of
    the axis and reads inwards, the last at the left end; nothing is cut off at the edges."""
    language_of(username, language)
    context = browser.new_context(base_url=live_url, **PHONE)
    page = context.new_page()
    try:
        sign_in(page, username)
        page.goto("/checkin")
        assert page.get_attribute("html", "lang") == language
        assert page.locator("svg.trend text").count() >= 2  # the persona has answered more than once
        assert page.evaluate(CHART_LABELS_CLIPPED) == []
    finally:
        context.close()
        language_of(username, "de")
