"""Real Chromium (Debian's, via Playwright) against a live portal on 127.0.0.1.

The live portal is its own app with its own SQLite file, migrated and loaded
with the demo data once per test session; browser tests therefore see the demo
family as `make run` shows it. Tests that change data should create what they
change (or undo it), because the live database is shared by all browser tests.

Playwright never downloads a browser here: `executable_path` points at
/usr/bin/chromium (installed by `make browser-deps` / `.ci/run`).
"""
from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from config import TestConfig
from portal.demo import PASSWORD
from tests.conftest import unused_totp_code
from tests.demo_portal import build_demo_app

CHROMIUM = "/usr/bin/chromium"
PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


_live: dict = {}


@pytest.fixture(scope="session")
def live_url(tmp_path_factory) -> Iterator[str]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Chromium is missing: run `make browser-deps` (Debian packages chromium, fonts-noto-core)")
    database = tmp_path_factory.mktemp("live") / "portal.sqlite3"

    class LiveConfig(TestConfig):
        SQLALCHEMY_DATABASE_URL = f"sqlite:///{database}"
        TESTING = False  # behave as served, error pages included

    app = build_demo_app(LiveConfig)
    _live["app"] = app  # sign_in() reads the demo staff's last used TOTP step from it
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_url):
    """A fresh phone-sized page (360×740, touch) with its own cookies."""
    context = browser.new_context(base_url=live_url, **PHONE)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(browser, live_url):
    context = browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, username: str, staff: bool = False) -> None:
    page.goto("/staff/login" if staff else "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit] >> nth=0")
    page.wait_for_load_state()
    if staff:
        page.fill("input[name=code]", unused_totp_code(_live["app"], username))
        page.click("main form button[type=submit] >> nth=0")
        page.wait_for_load_state()


def axe_violations(page) -> list[dict]:
    """axe-core (bundled with axe-playwright-python) with the WCAG 2.1 A/AA rules."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                 "resultTypes": ["violations"]},
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["html"][:200] for n in v["nodes"][:5]]}
        for v in results.response["violations"]
    ]


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 = no sideways scroll)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def overflowing(page) -> list[str]:
    """The innermost elements that stick out of the viewport sideways (to say what a scroll comes from)."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth, found = [];
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 || (r.right <= width + 0.5 && r.left >= -0.5)) continue;
            if ([...el.children].some(c => { const q = c.getBoundingClientRect(); return q.right > width + 0.5 || q.left < -0.5; })) continue;
            found.push(el.outerHTML.slice(0, 100) + ` (${Math.round(r.left)}–${Math.round(r.right)})`);
          }
          return found.slice(0, 5);
        }""")


def small_tap_targets(page, minimum: int = 44) -> list[str]:
    """Links, buttons and form controls smaller than minimum×minimum CSS px (inline text links excepted)."""
    return page.evaluate(
        """(minimum) => {
          const bad = [];
          for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;  // not rendered
            const style = getComputedStyle(el);
            if (el.tagName === 'A' && style.display === 'inline' && el.closest('p, li, td, dd')) continue; // WCAG 2.5.8 inline exception
            if (el.matches('input[type=checkbox], input[type=radio]')) {
              const label = el.closest('label');
              if (label) { const lr = label.getBoundingClientRect(); if (lr.height >= minimum) continue; }
            }
            if (r.width < minimum || r.height < minimum) bad.push(el.outerHTML.slice(0, 120) + ` (${Math.round(r.width)}×${Math.round(r.height)})`);
          }
          return bad;
        }""",
        minimum,
    )


__all__ = ["axe_violations", "horizontal_overflow", "overflowing", "sa", "sign_in", "small_tap_targets"]
