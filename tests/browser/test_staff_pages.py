"""The caseworker's and the admin's pages in real Chromium at desktop width: axe-core clean,
no sideways scrolling, and the workspace usable by keyboard alone. One visit per page."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import axe_violations, horizontal_overflow, sign_in

CASEWORKER_PAGES = [
    "/staff/",
    "/staff/cases/1",
    "/staff/cases/1/plan",
    "/staff/cases/1/plan/items/{counselling}",
    "/staff/cases/1/plan/items/{counselling}/translations",
    "/staff/cases/1/plan/items/{counselling}/remove",
    "/staff/cases/1/translations",
    "/staff/cases/1/publish",
    "/staff/cases/1/history",
    "/staff/cases/1/preview/4/plan",
    "/staff/cases/1/appointments",
    "/staff/cases/1/appointments/1",
    "/staff/cases/1/contacts",
    "/staff/cases/1/contacts/1",
    "/staff/cases/1/inbox",
    "/staff/inbox",
]
ADMIN_PAGES = ["/staff/", "/staff/admin/staff", "/staff/admin/staff/1", "/staff/directory"]


def check_pages(page, urls: list[str]) -> dict:
    problems = {}
    for url in urls:
        response = page.goto(url)
        found = [] if response.status == 200 else [f"status {response.status}"]
        found += axe_violations(page)
        if horizontal_overflow(page):
            found.append("horizontal overflow")
        if found:
            problems[url] = found
    return problems


def counselling_item_url(page) -> str:
    page.goto("/staff/cases/1/plan")
    item = page.locator("li.plan-step", has_text="Anna spricht mit der Suchtberatung")
    return item.get_attribute("id").removeprefix("item-")


def test_caseworker_pages_pass_axe_at_desktop_width(desktop):
    sign_in(desktop, "demo.caseworker", staff=True)
    item = counselling_item_url(desktop)
    assert check_pages(desktop, [u.format(counselling=item) for u in CASEWORKER_PAGES]) == {}


def test_admin_pages_pass_axe_at_desktop_width(desktop):
    sign_in(desktop, "demo.admin", staff=True)
    assert check_pages(desktop, ADMIN_PAGES) == {}


def test_caseload_to_case_by_keyboard_alone(desktop):
    target = "Familie Sommer"
    sign_in(desktop, "demo.caseworker", staff=True)
    desktop.goto("/staff/")
    # Search by keyboard (a caseload of 15 families), then Tab to the case.
    for _ in range(40):
        desktop.keyboard.press("Tab")
        if desktop.evaluate("document.activeElement.name") == "q":
            break
    else:
        pytest.fail("the search field is not reachable by Tab")
    desktop.keyboard.type("Sommer")
    with desktop.expect_navigation():
        desktop.keyboard.press("Enter")
    for _ in range(40):
        desktop.keyboard.press("Tab")
        if desktop.evaluate("document.activeElement.textContent.trim()") == target:
            break
    else:
        pytest.fail("the case link is not reachable by Tab")
    with desktop.expect_navigation():
        desktop.keyboard.press("Enter")
    assert desktop.url.endswith("/staff/cases/1")
    assert desktop.locator("h1").inner_text() == target


def test_plan_editor_fits_a_tablet(browser, live_url):
    context = browser.new_context(base_url=live_url, viewport={"width": 768, "height": 1024}, has_touch=True)
    tablet = context.new_page()
    try:
        sign_in(tablet, "demo.caseworker", staff=True)
        tablet.goto("/staff/cases/1/plan")
        assert horizontal_overflow(tablet) == 0
    finally:
        context.close()


@pytest.mark.skipif(not os.environ.get("PORTAL_SCREENSHOTS"), reason="set PORTAL_SCREENSHOTS=1 to refresh the README screenshots")
@pytest.mark.parametrize(("url", "name"), [("/staff/", "caseload"), ("/staff/cases/1/plan", "plan-editor")])
def test_readme_screenshots_of_the_workspace(desktop, url, name):
    sign_in(desktop, "demo.caseworker", staff=True)
    desktop.goto(url)
    assert "/login" not in desktop.url and horizontal_overflow(desktop) == 0
    target = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / f"{name}.png"
    desktop.screenshot(path=str(target), full_page=False)
