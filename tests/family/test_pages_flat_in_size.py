"""Family pages flat in size (issue 14): a page rendered for a plan of 1,000 items runs as many
statements as for a plan of 10, and the home page does not grow with the plan. Counts only."""
from __future__ import annotations

import pytest

from portal.models import MemberKind, Phase
from tests.conftest import member, sign_in
from tests.factories import PASSWORD
from tests.family.test_page_cache import FAMILY_PAGES, selects
from tests.staff.test_flat_in_size import a_plan_of, counting


def rendered(app, case, url: str) -> int:
    """Queries of the page as its parent's first view renders it (nothing kept yet)."""
    parent = next(m for m in case.members if m.kind is MemberKind.parent)
    client = app.test_client()
    assert sign_in(client, parent.username, PASSWORD).status_code == 302
    with counting(app) as found:
        assert client.get(url).status_code == 200
    return selects(found)


@pytest.mark.parametrize("url", FAMILY_PAGES)
def test_a_family_page_takes_as_many_queries_for_1000_items_as_for_10(app, session, url):
    """The parent reads Turkish: translations included."""
    small, large = a_plan_of(session, 10), a_plan_of(session, 1000)
    for case in (small, large):
        case.phase = Phase.preparation  # the family signs in once the return is being prepared
    session.commit()
    assert rendered(app, small, url) == rendered(app, large, url) <= 6


@pytest.mark.parametrize(("username", "language"), [("demo.parent", "de"), ("demo.parent", "tr"),
                                                    ("demo.parent2", "de"), ("demo.youth", "de"), ("demo.child", "de")])
def test_every_family_page_is_rendered_in_at_most_six_queries(app, session, username, language):
    """Translations included: a member reading Turkish gets the caseworkers' translations too."""
    member(session, username).language = language
    session.commit()
    client = app.test_client()
    assert sign_in(client, username).status_code == 302
    for url in FAMILY_PAGES:
        with counting(app) as found:
            page = client.get(url)  # the session's first view of each page: rendered, nothing kept
        if page.status_code == 302:  # a child's start page is the path home
            continue
        assert page.status_code == 200 and selects(found) <= 6, (url, selects(found))
