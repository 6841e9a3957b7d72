"""The page builders render a member's page without that member signed in (the caseworker's
preview): the same rows as the member's own page, and nothing to press."""
from __future__ import annotations

import pytest

from portal import sharing
from portal.db import db
from portal.family import pages
from portal.family.pages import render_family_page
from portal.staff.versions import PREVIEW_PAGES
from tests.conftest import member


@pytest.mark.parametrize("page", sorted(PREVIEW_PAGES))
@pytest.mark.parametrize("username", ["demo.parent", "demo.youth", "demo.child"])
def test_a_read_only_viewer_renders_the_members_page_without_any_form_or_button(app, page, username):
    build, template = PREVIEW_PAGES[page]
    with app.test_request_context("/staff/preview"):
        viewer = sharing.Viewer(db.session, member(db.session, username), preview=True)
        html = render_family_page(template, viewer, **build(viewer))
    assert "<form" not in html and "<button" not in html, (page, username)


def test_preview_of_the_youth_plan_shows_what_the_youth_sees(app):
    with app.test_request_context("/staff/preview"):
        viewer = sharing.Viewer(db.session, member(db.session, "demo.youth"), preview=True)
        html = render_family_page("family/plan.html", viewer, **pages.plan_page(viewer))
    assert "Jonas sucht sich einen Sportverein" in html
    assert "Gerichtstermin gemeinsam vorbereiten" not in html
    assert "Anna spricht mit der Suchtberatung" not in html
