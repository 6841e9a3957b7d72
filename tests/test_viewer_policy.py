"""The viewer policy cannot be bypassed (DESIGN.md § 3): every family surface takes its answers
from a `sharing.Viewer`, and no code or template serving families decides on its own.

Three nets, each of which a new surface must pass:
1. over HTTP, every family route (GET and POST, every family persona) and the caseworker's
   preview: the request made a viewer for the member whose data it shows, and every
   `family/` template was rendered with that viewer;
2. in the code that serves families (the family blueprint, the calendar): no query over a
   shared model or its association tables except through `portal.sharing`;
3. in family templates: no decision from the member's kind, the signed-in user or the
   preview flag; those are the viewer's (`viewer.child`, `viewer.may_answer(a)`, …).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from flask import g, template_rendered

from portal import sharing
from tests.access_matrix import EXPECTED, PERSONAS, SOMMER_FAMILY
from tests.conftest import member
from tests.matrix_walk import any_csrf_token, family_ids, routes, url

ROOT = Path(__file__).resolve().parent.parent
# Pages for anyone, signed in or not: no family data on them beyond the reader's own voice.
PUBLIC = {"family.help_now", "family.glossary", "family.offline", "family.service_worker", "family.calendar_feed",
          "family.unsubscribe"}
# Code that serves families. Staff code reaches data through `sharing.get_case_or_404` instead.
FAMILY_CODE = [*sorted((ROOT / "portal" / "family").glob("*.py")), ROOT / "portal" / "calendar.py"]
SHARED_NAMES = {"PublishedItem", "Appointment", "Contact", "Question", "published_item_person",
                "published_item_consent", "appointment_person", "contact_person", "question_reader",
                "plan_version_note_person", "PlanItem", "Consent", "Checkin", "CheckinMember"}


@pytest.fixture
def rendered(app):
    seen: list[tuple[str, dict]] = []

    def record(_sender, template, context, **_extra):
        seen.append((template.name, context))

    template_rendered.connect(record, app)
    yield seen
    template_rendered.disconnect(record, app)


def _family_routes(app):
    return [r for r in routes(app) if r.endpoint.startswith("family.") and r.endpoint not in PUBLIC]


@pytest.mark.parametrize("persona", SOMMER_FAMILY)
def test_every_family_route_answers_through_the_members_viewer(app, client_for, session, rendered, persona):
    ids = family_ids(session, "Familie Sommer")
    session.commit()
    username = PERSONAS[persona]
    who = member(session, username)
    client = client_for(username)
    token = any_csrf_token(client)
    checked = 0
    for route in _family_routes(app):
        expected = EXPECTED[route.endpoint][route.method][persona]
        if expected == 404:
            continue
        rendered.clear()
        with client:
            if route.method == "GET":
                client.get(url(route, ids))
            else:
                client.post(url(route, ids), data={"csrf_token": token})
            viewers = list(g.get("viewers", {}).values())
        assert viewers and all(v.member.id == who.id and not v.preview for v in viewers), (
            f"{route.method} {route.endpoint} answered {persona} without their viewer")
        for name, context in rendered:
            if name.startswith("family/"):
                assert isinstance(context.get("viewer"), sharing.Viewer), f"{name} rendered without a viewer"
        checked += 1
    assert checked >= 10  # a child has fewer pages and actions than the grown-ups


def test_the_preview_renders_every_page_through_a_read_only_viewer_of_the_previewed_member(
        app, client_for, session, rendered):
    from portal.staff.versions import PREVIEW_PAGES

    caseworker = client_for("demo.caseworker")
    case_id = family_ids(session, "Familie Sommer")["case_id"]
    session.commit()
    for username in ("demo.parent", "demo.youth", "demo.child"):
        previewed = member(session, username)
        for page in PREVIEW_PAGES:
            rendered.clear()
            response = caseworker.get(f"/staff/cases/{case_id}/preview/{previewed.id}/{page}")
            assert response.status_code == 200
            family_part = response.text.split('class="preview-banner"', 1)[1].split("</aside>", 1)[1]
            assert "<form" not in family_part and "<button" not in family_part, (username, page)
            viewers = [c["viewer"] for name, c in rendered if name.startswith("family/") or name == "staff/preview.html"]
            assert viewers and all(v.preview and v.member.id == previewed.id for v in viewers), (username, page)


def _queries_of_shared_models(path: Path) -> list[str]:
    """Calls like `sa.select(Appointment…)`, `session.get(Contact, …)`, `.query(Question)` in `path`,
    except what goes through a viewer or the sharing module (`viewer.clause(PublishedItem)`)."""
    found = []

    def through_sharing(node: ast.AST) -> bool:
        return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id in ("viewer", "sharing"))

    def names(node: ast.AST) -> set[str]:
        if through_sharing(node):
            return set()
        own = {node.id} if isinstance(node, ast.Name) else set()
        return own.union(*(names(child) for child in ast.iter_child_nodes(node)))

    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call) or through_sharing(node):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name not in ("select", "get", "query", "scalar", "scalars", "execute", "exists"):
            continue
        used = set().union(*(names(arg) for arg in node.args)) & SHARED_NAMES
        if used:
            found.append(f"{path.name}:{node.lineno} {name}({', '.join(sorted(used))})")
    return found


def test_family_code_reads_shared_objects_only_through_the_sharing_module():
    found = [query for path in FAMILY_CODE for query in _queries_of_shared_models(path)]
    assert not found, "read through a sharing.Viewer instead:\n" + "\n".join(found)


def test_the_code_check_finds_a_direct_query(tmp_path):
    bypass = tmp_path / "bypass.py"
    bypass.write_text("import sqlalchemy as sa\n\n\ndef page(session, member):\n"
                      "    return session.scalars(sa.select(Appointment).where(Appointment.case_id == member.case_id))\n")
    assert _queries_of_shared_models(bypass) == ["bypass.py:5 scalars(Appointment)", "bypass.py:5 select(Appointment)"]


# Template expressions that would decide who sees or does what without the viewer.
FORBIDDEN_IN_TEMPLATES = re.compile(r"\bmember\.kind\b|\bcurrent_user\b|\bpreview\b|\bmay_\w+\b(?!\()")


def test_family_templates_take_every_decision_from_the_viewer():
    offending = []
    for path in sorted((ROOT / "templates" / "family").glob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            code = " ".join(re.findall(r"{[{%](.*?)[}%]}", line))
            if FORBIDDEN_IN_TEMPLATES.search(code):
                offending.append(f"{path.name}:{number}: {line.strip()}")
    assert not offending, "ask the viewer instead:\n" + "\n".join(offending)
