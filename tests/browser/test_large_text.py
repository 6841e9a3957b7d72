"""Large text and long words (issue 11): every family page at 360 px with the phone's text
size at 200 %, in every language of the portal — German (long compounds), Arabic and Persian
(right to left, with German terms such as "(Hilfeplangespräch)" inside their titles),
Ukrainian, Russian, Turkish, English: no sideways scroll, no label set one letter per line, no
word broken in the middle; axe-core clean (in German). Help now comes first.

The text size is the browser's own setting (CDP `Page.setFontSizes`, what a phone's
"larger text" does), so only pages sized in rem/em grow with it. Also the caseworker's
caseload and case page, which a caseworker opens on a phone too.
"""
from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, axe_violations, horizontal_overflow, overflowing, sign_in

PAGES = ["/help-now", "/", "/plan", "/path", "/appointments", "/checkin", "/contacts", "/account", "/glossary"]
LANGUAGES = ["de", "en", "ar", "uk", "ru", "tr", "fa"]  # config.LANGUAGES, written out for the test ids
RIGHT_TO_LEFT = {"ar", "fa"}
STAFF_PAGES = ["/staff/", "/staff/cases/1"]
# Words split over two lines although they would fit on one (a word longer than the line
# itself must wrap: a phone hyphenates it by language, `hyphens: auto`), outside codes and
# addresses, which may wrap anywhere; and elements whose text stands one letter per line.
BROKEN = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('.code-text, [translate=no], script, style, .visually-hidden, [hidden], details:not([open]) > :not(summary)')) continue;
    if (!parent.getClientRects().length) continue;
    const text = node.textContent;
    for (const match of text.matchAll(/[\\p{L}\\p{N}]{4,}/gu)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size < 2) continue;
      let block = parent;  // the box whose width the line has: the nearest that is not inline
      while (block.parentElement && getComputedStyle(block).display === 'inline') block = block.parentElement;
      const style = getComputedStyle(block);
      const room = block.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const probe = document.createElement('span');
      probe.style.whiteSpace = 'nowrap';
      probe.textContent = match[0];
      parent.appendChild(probe);
      const width = probe.getBoundingClientRect().width;
      probe.remove();
      if (width <= room) found.push(`word split although it fits: ${match[0]}`);
    }
  }
  for (const el of document.querySelectorAll('label, button, summary, a, dt, dd, h1, h2, h3, th, td, p, li')) {
    if (el.closest('.visually-hidden, [hidden]')) continue;
    const rect = el.getBoundingClientRect();
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (rect.width > 0 && (el.textContent || '').trim().length >= 4 && rect.width < 1.6 * size)
      found.push(`one letter per line: ${el.outerHTML.slice(0, 80)}`);
  }
  return [...new Set(found)].slice(0, 10);
}"""


@pytest.fixture
def large_text_phone(browser, live_url):
    context = browser.new_context(base_url=live_url, **PHONE)
    page = context.new_page()
    context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    yield page
    context.close()


def choose_language(page, language: str) -> None:
    """The language control at the top (it saves the choice for the member)."""
    page.click(".language-choice summary")
    with page.expect_navigation():
        page.click(f".language-choice button[value={language}]")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("username", ["demo.parent", "demo.youth", "demo.child"])
def test_every_family_page_reads_at_200_percent_text_on_a_phone(large_text_phone, username, language):
    page = large_text_phone
    sign_in(page, username)
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 32  # the setting took effect
    problems = []
    try:
        page.goto("/help-now")
        choose_language(page, language)
        assert page.get_attribute("html", "lang") == language
        assert page.get_attribute("html", "dir") == ("rtl" if language in RIGHT_TO_LEFT else "ltr")
        for url in PAGES:
            page.goto(url)
            if overflow := horizontal_overflow(page):
                problems.append(f"{language} {url}: {overflow}px sideways: {overflowing(page)}")
            problems += [f"{language} {url}: {p}" for p in page.evaluate(BROKEN)]
            if language == "de":  # axe-core at large text too (the layout changes with it)
                problems += [f"{language} {url}: axe {v['id']}: {v['nodes']}" for v in axe_violations(page)]
    finally:
        if language != "de":
            page.goto("/help-now")
            choose_language(page, "de")  # the live portal is shared by the browser tests
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("standard", [16, 32], ids=["100%", "200%"])
def test_caseload_and_case_page_fit_a_phone(browser, live_url, standard):
    """The caseworker's filters (search, phase, sorting), the invitation buttons and the care facts
    (opened) stay within 360 px at normal and at 200 % text; the search field is a full-size text
    field that grows with the text."""
    context = browser.new_context(base_url=live_url, **PHONE)
    page = context.new_page()
    context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": standard, "fixed": standard}})
    problems = []
    try:
        sign_in(page, "demo.caseworker", staff=True)
        for url in STAFF_PAGES:
            page.goto(url)
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            if overflow := horizontal_overflow(page):
                problems.append(f"{url}: {overflow}px sideways: {overflowing(page)}")
        page.goto("/staff/")
        search = page.locator("input[type=search]").bounding_box()
    finally:
        context.close()
    assert not problems, "\n".join(problems)
    assert search["height"] >= max(44, 2.5 * standard) and search["width"] >= 200, search
