"""Arabic (right-to-left) and Ukrainian (long words) on a 360 px phone in Chromium:
no sideways scrolling, no clipped buttons, no axe-core violations — on sign-in and
help now (chosen with ?lang=) and on the family pages (chosen with the switcher,
without JavaScript, which saves it for the member)."""
from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, axe_violations, horizontal_overflow, sign_in

FAMILY_PAGES = ["/", "/plan", "/path", "/appointments", "/contacts", "/account", "/glossary"]
CLIPPED_BUTTONS = """() => [...document.querySelectorAll('button, .button, select')]
    .filter(b => b.offsetParent !== null && (b.scrollWidth > b.clientWidth + 1))
    .map(b => b.outerHTML.slice(0, 100))"""


def problems(page, language: str) -> list[str]:
    found = []
    if page.get_attribute("html", "lang") != language:
        found.append(f"lang is {page.get_attribute('html', 'lang')}")
    expected_dir = "rtl" if language in ("ar", "fa") else "ltr"
    if page.get_attribute("html", "dir") != expected_dir:
        found.append(f"dir is {page.get_attribute('html', 'dir')}")
    if overflow := horizontal_overflow(page):
        found.append(f"{overflow}px sideways scroll")
    found += [f"clipped: {button}" for button in page.evaluate(CLIPPED_BUTTONS)]
    found += [f"axe {v['id']}: {v['help']}" for v in axe_violations(page)]
    return [f"{page.url}: {p}" for p in found]


def choose_language(page, language: str) -> None:
    page.click(".language-choice summary")
    page.click(f".language-choice button[value={language}]")


@pytest.mark.parametrize("language", ["ar", "uk"])
def test_pages_in_arabic_and_ukrainian_fit_a_phone_and_pass_axe(browser, live_url, language):
    context = browser.new_context(base_url=live_url, **PHONE)
    page = context.new_page()
    found = []
    try:
        for url in (f"/login?lang={language}", "/help-now"):
            page.goto(url)
            found += problems(page, language)
        sign_in(page, "demo.parent")
        choose_language(page, language)
        for url in FAMILY_PAGES:
            page.goto(url)
            found += problems(page, language)
    finally:
        choose_language(page, "de")  # the live database is shared with the other browser tests
        context.close()
    assert not found, "\n".join(found)
