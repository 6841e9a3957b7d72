"""SECURITY.md property 23 (and the CSP of property 22 in practice): no page has an
inline <script>, a <style> element, a style= attribute or an on…= attribute.

The walk is built from `app.url_map`: every rule that answers GET is visited by
every demo persona (and anonymously, and by staff halfway through sign-in), with
ids of the demo family filled in. A route added later is covered without
touching this file; a route with an argument this file cannot fill makes the
test fail and says which name to add to ARGUMENT_TABLES.
"""
from __future__ import annotations

import sqlalchemy as sa
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from portal.auth import two_factor
from portal.db import Base
from tests.conftest import case_titled, sign_in, staff

PERSONAS = ["demo.parent", "demo.parent2", "demo.youth", "demo.child", "demo.other.parent",
            "demo.caseworker", "demo.other", "demo.lead", "demo.admin"]
# URL argument → table, where the name is not simply "<table>_id".
ARGUMENT_TABLES = {"staff_id": "staff_user", "item_id": "plan_item", "version_id": "plan_version",
                   "answer_id": "appointment_answer", "response_id": "version_response"}
SKIPPED_ENDPOINTS = {"static"}  # files, not pages; their headers are checked in test_headers
EXTRA_URLS = ["/no-such-page"]  # error pages are pages too


# Secret URL parts (a calendar feed token): a wrong one still renders a page to check.
SECRET_ARGUMENTS = {"token": "not-a-real-token"}
# Named parts that are not ids (the family page a caseworker previews, a language of translations).
NAMED_ARGUMENTS = {"page": "plan", "language": "en"}


def argument_value(session, name: str, case_id: int) -> int | str:
    if name == "case_id":
        return case_id
    if name in SECRET_ARGUMENTS:
        return SECRET_ARGUMENTS[name]
    if name in NAMED_ARGUMENTS:
        return NAMED_ARGUMENTS[name]
    table_name = ARGUMENT_TABLES.get(name, name.removesuffix("_id"))
    table = Base.metadata.tables.get(table_name)
    assert name.endswith("_id") and table is not None, (
        f"URL argument <{name}> is unknown to the inline-markup walk: add it to ARGUMENT_TABLES"
    )
    query = sa.select(sa.func.min(table.c.id))
    if "case_id" in table.c:
        query = query.where(table.c.case_id == case_id)
    value = session.scalar(query) or session.scalar(sa.select(sa.func.min(table.c.id)))
    assert value is not None, f"no demo row in {table_name} to fill <{name}>"
    return value


def get_urls(app: Flask, session) -> list[str]:
    case_id = case_titled(session, "Familie Sommer").id
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        values = {name: argument_value(session, name, case_id) for name in rule.arguments}
        urls.append(rule.build(values, append_unknown=False)[1])
    return sorted(set(urls)) + EXTRA_URLS


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


def walk(client: FlaskClient, urls: list[str], who: str) -> list[str]:
    found = []
    for url in urls:
        response = client.get(url)
        if response.mimetype == "text/html":
            found += [f"{who} {url}: {problem}" for problem in inline_markup(response.text)]
    return found


def test_the_checker_finds_what_it_looks_for():
    assert len(inline_markup('<p onclick="x()" style="color:red">a</p><script>x()</script>'
                             '<svg><style>p{}</style></svg><script src="/static/a.js"></script>')) == 4


def test_no_page_for_any_persona_has_inline_script_style_or_event_handlers(app, client_for, session):
    urls = get_urls(app, session)
    assert "/plan" in urls and "/staff/" in urls and "/login" in urls
    found = walk(app.test_client(), urls, "anonymous")
    for username in PERSONAS:
        found += walk(client_for(username), urls, username)
    # Staff between password and second factor: the code page and, unenrolled, the QR enrolment page.
    halfway = app.test_client()
    sign_in(halfway, "demo.lead", staff=True)
    found += walk(halfway, urls, "demo.lead before the second factor")
    two_factor.reset(session, staff(session, "demo.other"))
    session.commit()
    enrolling = app.test_client()
    sign_in(enrolling, "demo.other", staff=True)
    assert "<svg" in enrolling.get("/staff/login/enrol").text
    found += walk(enrolling, urls, "demo.other enrolling")
    assert not found, "\n".join(found)
