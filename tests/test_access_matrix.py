"""SECURITY.md properties 1–4, 7, 10 and 11 over real HTTP, driven by `tests/access_matrix.py`."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.models import Appointment, Case, PlanItem, PublishedItem
from tests.access_matrix import EXPECTED, OTHER_FAMILY_DENIED, PERSONAS
from tests.matrix_walk import any_csrf_token, client_of, data_rows, family_ids, outcome, routes, url

# Words of the demo fixture no anonymous answer may contain.
FIXTURE_WORDS = ("Sommer", "Winter", "Anna", "Daniel", "Jonas", "DEMO-2026")
ID_ARGUMENTS = {"case_id", "member_id", "item_id", "consent_id", "question_id", "alert_id", "appointment_id",
                "contact_id", "subscription_id", "answer_id", "response_id"}


def test_every_rule_and_method_has_a_row_and_every_row_a_rule(app):
    present = {(r.endpoint, r.method) for r in routes(app)}
    listed = {(endpoint, method) for endpoint, methods in EXPECTED.items() for method in methods}
    assert present - listed == set(), "routes without a row in tests/access_matrix.py"
    assert listed - present == set(), "rows in tests/access_matrix.py for routes that do not exist"
    assert all(set(row) == set(PERSONAS) for methods in EXPECTED.values() for row in methods.values())


def test_staff_outside_the_case_and_the_admin_are_denied_every_case_route_by_the_matrix(app):
    """Property 7 (and 35: the department head reaches no case) as the table states it; the walk
    below proves the table."""
    for route in routes(app):
        if "case_id" in route.rule.arguments:
            row = EXPECTED[route.endpoint][route.method]
            assert {row["unassigned"], row["other_lead"], row["admin"], row["head"]} == {404}, route.endpoint


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_each_persona_gets_exactly_what_the_matrix_says_and_reading_changes_nothing(
        app, client_for, session, persona):
    ids = family_ids(session, "Familie Sommer")
    session.commit()
    client = client_of(app, client_for, session, persona)
    token = any_csrf_token(client)
    before = data_rows(session)
    wrong, changed = [], []
    for route in routes(app):
        if route.method == "POST" and not changed:
            after = data_rows(session)  # property 10: every GET and HEAD above changed nothing
            changed = [name for name in before if before[name] != after[name]] or ["-"]
        address = url(route, ids)
        response = client.open(address, method=route.method,
                               data={"csrf_token": token} if route.method == "POST" else None)
        got, expected = outcome(response), EXPECTED[route.endpoint][route.method][persona]
        assert response.status_code < 500, (route, address)
        if got != expected:
            wrong.append(f"{route.method} {address} ({route.endpoint}): {got}, matrix says {expected}")
        if route.method == "GET":
            head = client.head(address)
            if outcome(head) != got:
                wrong.append(f"HEAD {address}: {outcome(head)}, GET gave {got}")
        if persona == "anonymous" and response.mimetype.startswith("text/"):
            leaked = [word for word in FIXTURE_WORDS if word in response.text]
            assert not leaked, (address, leaked)  # property 2
    assert not wrong, "\n".join(wrong)
    assert changed == ["-"], f"GET/HEAD changed the tables {changed}"


@pytest.mark.parametrize("persona", OTHER_FAMILY_DENIED)
def test_ids_of_another_family_answer_404_on_every_route(app, client_for, session, persona):
    """Property 4 (and 7 for the Sommer caseworker): every route that names an object, filled
    with the Winter family's ids, is not there for the Sommer family and its caseworker."""
    ids = family_ids(session, "Familie Winter")
    session.commit()
    client = client_of(app, client_for, session, persona)
    token = any_csrf_token(client)
    wrong = []
    for route in routes(app):
        if set(route.rule.arguments) & ID_ARGUMENTS:
            address = url(route, ids)
            response = client.open(address, method=route.method,
                                   data={"csrf_token": token} if route.method == "POST" else None)
            if response.status_code != 404:
                wrong.append(f"{route.method} {address}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_the_other_family_gets_404_for_every_object_id_of_the_sommer_family(app, client_for, session):
    """Property 4, exhaustive: every appointment and plan item id of the Sommer case, on every
    family page, calendar file and form; their texts are in none of the other family's
    pages, exports or calendar feed."""
    sommer = session.scalar(sa.select(Case).where(Case.title == "Familie Sommer"))
    appointment_ids = session.scalars(sa.select(Appointment.id).where(Appointment.case_id == sommer.id)).all()
    published = session.execute(sa.select(PublishedItem.item_id, PublishedItem.text).join(
        PlanItem, PlanItem.id == PublishedItem.item_id).where(PublishedItem.case_id == sommer.id)).all()
    places = set(session.scalars(sa.select(Appointment.place).where(Appointment.case_id == sommer.id)))
    assert appointment_ids and published
    client = client_for("demo.other.parent")
    token = any_csrf_token(client)
    for appointment_id in appointment_ids:
        for address in (f"/appointments/{appointment_id}", f"/appointments/{appointment_id}.ics"):
            assert client.get(address).status_code == 404, address
        answer = client.post(f"/appointments/{appointment_id}", data={"csrf_token": token, "coming": "yes"})
        assert answer.status_code == 404
    for item_id, _text in published:
        assert client.get(f"/plan/items/{item_id}/questions").status_code == 404
        answer = client.post(f"/plan/items/{item_id}/questions", data={"csrf_token": token, "text": "Frage"})
        assert answer.status_code == 404
    feed = client.post("/account/calendar", data={"csrf_token": token})
    feed_path = feed.text.split("/calendar/")[1].split(".ics")[0]
    pages = ["/", "/plan", "/plan/print", "/path", "/appointments", "/contacts", "/account",
             "/account/export.html", "/account/export.json", f"/calendar/{feed_path}.ics"]
    for address in pages:
        body = client.get(address)
        assert body.status_code == 200, address
        found = [t for _id, t in published if t in body.text] + [p for p in places if p and p in body.text]
        assert "Sommer" not in body.text and not found, (address, found)


def test_out_of_range_ids_answer_404_on_every_route(app, client_for, session):
    """Ids beyond 32 bits make PostgreSQL raise; the URL converter turns them into 'not there'."""
    ids = family_ids(session, "Familie Sommer")
    session.commit()
    clients = {persona: client_of(app, client_for, session, persona) for persona in ("parent_a", "caseworker")}
    for route in routes(app):
        numbered = set(route.rule.arguments) & ID_ARGUMENTS
        if not numbered or route.method != "GET":
            continue
        client = clients["caseworker" if route.endpoint.startswith("staff.") else "parent_a"]
        for big in (2**31, 10**22):
            address = url(route, {**ids, **{name: big for name in numbered}})
            assert client.get(address).status_code == 404, address


def post_route_users(app) -> list[tuple[str, str]]:
    """(endpoint, persona) for every POST route and the first persona the matrix lets use it."""
    found = []
    for route in routes(app):
        if route.method == "POST":
            row = EXPECTED[route.endpoint]["POST"]
            persona = next((p for p, got in row.items() if got not in (404, "login", "staff_login")), "anonymous")
            found.append((route.endpoint, persona))
    return found


def test_every_state_changing_route_refuses_a_missing_or_foreign_csrf_token(app, client_for, session):
    """Property 11: 400 and nothing stored, for a form without a token and with another session's."""
    ids = family_ids(session, "Familie Sommer")
    session.commit()
    stranger = app.test_client()
    foreign = any_csrf_token(stranger)
    clients: dict = {}
    by_endpoint = {r.endpoint: r for r in routes(app) if r.method == "POST"}
    before = data_rows(session)
    wrong = []
    for endpoint, persona in post_route_users(app):
        if persona not in clients:
            clients[persona] = client_of(app, client_for, session, persona)
            before = data_rows(session)  # signing in writes a session row
        client = clients[persona]
        address = url(by_endpoint[endpoint], ids)
        form = {"text": "x", "name": "x", "username": "demo.parent", "password": "neustart-demo", "language": "en"}
        for token in (None, foreign):
            response = client.post(address, data={**form, **({"csrf_token": token} if token else {})})
            if response.status_code != 400:
                wrong.append(f"{persona} {endpoint} token={'foreign' if token else 'none'}: {response.status_code}")
        after = data_rows(session)
        if after != before:
            wrong.append(f"{persona} {endpoint}: stored {[n for n in before if before[n] != after[n]]}")
    assert not wrong, "\n".join(wrong)
