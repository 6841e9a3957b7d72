"""The page builders render a member's page without that member signed in (the caseworker's preview)."""
from __future__ import annotations

import pytest
from flask import render_template

from portal.db import db
from portal.family import pages
from tests.conftest import member

BUILDERS = [
    ("family/home.html", pages.home_page),
    ("family/plan.html", pages.plan_page),
    ("family/path.html", pages.path_page),
    ("family/appointments.html", pages.appointments_page),
    ("family/contacts.html", pages.contacts_page),
]


@pytest.mark.parametrize(("template", "builder"), BUILDERS)
@pytest.mark.parametrize("username", ["demo.parent", "demo.youth", "demo.child"])
def test_builder_renders_the_members_page_for_a_preview_without_forms(app, template, builder, username):
    with app.test_request_context("/staff/preview"):
        someone = member(db.session, username)
        html = render_template(template, **builder(db.session, someone), preview=True)
    assert 'name="coming"' not in html and 'action="/plan/items/' not in html
    assert 'action="/not-safe"' not in html and 'action="/seen"' not in html
    assert 'action="/plan/response"' not in html


def test_preview_of_the_youth_plan_shows_what_the_youth_sees(app):
    with app.test_request_context("/staff/preview"):
        jonas = member(db.session, "demo.youth")
        html = render_template("family/plan.html", **pages.plan_page(db.session, jonas), preview=True)
    assert "Jonas sucht sich einen Sportverein" in html
    assert "Gerichtstermin gemeinsam vorbereiten" not in html
    assert "Anna spricht mit der Suchtberatung" not in html
