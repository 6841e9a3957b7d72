"""The evaluation page in real Chromium: axe-core clean and no sideways scroll at tablet and
desktop width (and on a phone), the charts drawn, the print layout on A4."""

import pytest

from tests.browser.conftest import axe_violations, horizontal_overflow, sign_in


@pytest.mark.parametrize("width", [768, 1280, 360])
def test_evaluation_page_is_accessible_and_fits_the_width(browser, live_url, width):
    context = browser.new_context(base_url=live_url, viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, "demo.head", staff=True)
        response = page.goto("/staff/evaluation")
        assert response.status == 200
        assert axe_violations(page) == []
        assert horizontal_overflow(page) == 0
        charts = page.locator("figure.chart img")
        assert charts.count() == 3
        for index in range(3):  # every SVG chart decodes and has a size
            assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", charts.nth(index).element_handle())
    finally:
        context.close()


def test_evaluation_prints_on_a4_without_the_navigation_and_the_form(desktop, tmp_path):
    sign_in(desktop, "demo.head", staff=True)
    desktop.goto("/staff/evaluation")
    desktop.emulate_media(media="print")
    assert desktop.locator(".evaluation-choice").is_hidden() and desktop.locator(".main-nav").is_hidden()
    assert desktop.locator("figure.chart img").first.is_visible()
    assert desktop.locator(".assumption").is_visible()
    pdf = desktop.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2
