"""SECURITY.md property 23 (and the CSP of property 22 in practice): no page has an
inline <script>, a <style> element, a style= attribute or an on…= attribute.

The walk is built from `app.url_map`: every rule that answers GET is visited by
every demo persona (and anonymously, and by staff halfway through sign-in), with
ids of the demo family filled in as the access matrix fills them
(`matrix_walk.family_ids`). A route added later is covered without touching
this file; a route with an argument nobody can fill fails the test, and so does
a rule that no walker gets a page (200) from: it would be checked on nothing.
"""
from __future__ import annotations

from collections import defaultdict

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from portal import calendar
from portal.auth import two_factor
from tests.conftest import member, sign_in, staff
from tests.matrix_walk import Route, family_ids, url

PERSONAS = ["demo.parent", "demo.parent2", "demo.youth", "demo.child", "demo.other.parent",
            "demo.caseworker", "demo.other", "demo.lead", "demo.admin", "demo.head"]
SKIPPED_ENDPOINTS = {"static"}  # files, not pages; their headers are checked in test_headers
# Error pages are pages too; so is the plan editor with a goal's step form opened (the Sommer
# family's first goal, `?step=<goal>`).
EXTRA_URLS = ["/no-such-page", "/staff/cases/1/plan?step=1"]


def get_urls(app: Flask, session) -> dict[str, str]:
    """One URL per GET rule (URL → endpoint), filled with the Sommer family's ids as the access
    matrix fills them (`matrix_walk.family_ids`), the calendar feed with Anna's real address."""
    ids = {**family_ids(session, "Familie Sommer"), "token": calendar.renew_token(session, member(session, "demo.parent"))}
    session.commit()
    urls = {url(Route(rule.endpoint, "GET", rule), ids): rule.endpoint for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint not in SKIPPED_ENDPOINTS}
    return {**dict(sorted(urls.items())), **{extra: "" for extra in EXTRA_URLS}}


def walkers(app: Flask, client_for, session, personas: list[str] = PERSONAS) -> list[tuple[str, FlaskClient]]:
    """Who walks the pages: anonymous, each persona, and staff halfway through signing in
    (the code page) and enrolling (the QR enrolment page)."""
    found = [("anonymous", app.test_client())] + [(username, client_for(username)) for username in personas]
    halfway = app.test_client()
    sign_in(halfway, "demo.lead", staff=True)
    found.append(("demo.lead before the second factor", halfway))
    two_factor.reset(session, staff(session, "demo.other"))
    session.commit()
    enrolling = app.test_client()
    sign_in(enrolling, "demo.other", staff=True)
    assert "<svg" in enrolling.get("/staff/login/enrol").text
    found.append(("demo.other enrolling", enrolling))
    return found


class Rendered:
    """Which rules answered 200 to somebody: a walk that never renders a rule checks nothing on it."""

    def __init__(self, urls: dict[str, str]) -> None:
        self.urls = urls
        self.ok: dict[str, set[str]] = defaultdict(set)

    def saw(self, url: str, who: str, status: int) -> None:
        if status == 200:
            self.ok[url].add(who)

    def never(self) -> list[str]:
        return [f"{endpoint}: {url}" for url, endpoint in self.urls.items() if endpoint and not self.ok[url]]


def inline_markup(html: str) -> list[str]:
    problems = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        if tag.name == "script" and not tag.get("src"):
            problems.append("inline <script>")
        if tag.name == "style":
            problems.append("<style> element")
        for attribute in tag.attrs:
            if attribute.lower() == "style" or attribute.lower().startswith("on"):
                problems.append(f"{attribute}= on <{tag.name}>")
    return problems


def walk(client: FlaskClient, urls: dict[str, str], who: str, rendered: Rendered) -> list[str]:
    found = []
    for address in urls:
        response = client.get(address)
        rendered.saw(address, who, response.status_code)
        if response.mimetype == "text/html":
            found += [f"{who} {address}: {problem}" for problem in inline_markup(response.text)]
    return found


def test_the_checker_finds_what_it_looks_for():
    assert len(inline_markup('<p onclick="x()" style="color:red">a</p><script>x()</script>'
                             '<svg><style>p{}</style></svg><script src="/static/a.js"></script>')) == 4


def test_a_rule_no_walker_got_a_page_from_is_named():
    rendered = Rendered({"/a": "family.a", "/b": "family.b", "/no-such-page": ""})
    rendered.saw("/a", "anonymous", 200)
    rendered.saw("/b", "anonymous", 404)
    rendered.saw("/b", "demo.parent", 302)
    assert rendered.never() == ["family.b: /b"]


def test_no_page_for_any_persona_has_inline_script_style_or_event_handlers(app, client_for, session):
    urls = get_urls(app, session)
    assert "/plan" in urls and "/staff/" in urls and "/login" in urls
    rendered = Rendered(urls)
    found = []
    for who, client in walkers(app, client_for, session):
        found += walk(client, urls, who, rendered)
    assert not rendered.never(), "rules no walker got a page from (fill their arguments so someone can):\n" + \
        "\n".join(rendered.never())
    assert not found, "\n".join(found)
