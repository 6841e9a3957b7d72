"""The first real path, through HTTP only: a caseworker's draft reaches each family member's phone.

demo.caseworker creates a case, adds two parents and a youth, prints their
invitation letters, drafts items for every audience, publishes with a note;
each member redeems their code and sees at /plan exactly what is shared with
them. Nobody sees the staff item or a draft item added after publishing.
"""
from __future__ import annotations

import re

from tests.conftest import csrf_token
from tests.flows import code_from_letter, invitation_letter, redeem

FAMILY_ITEM = "Wir frühstücken am Wochenende zusammen"
ADULTS_ITEM = "Termin bei der Schuldnerberatung vereinbaren"
PEOPLE_ITEM = "Ben und Lea melden Ben beim Schwimmkurs an"
STAFF_ITEM = "Bericht der Schule anfordern"
LATE_DRAFT_ITEM = "Ausflug in den Zoo planen"
ALL_ITEMS = {FAMILY_ITEM, ADULTS_ITEM, PEOPLE_ITEM, STAFF_ITEM, LATE_DRAFT_ITEM}
NOTE = "Das ist unser erster gemeinsamer Plan."


def _post(client, url: str, data: dict, form_page: str | None = None):
    page = client.get(form_page or url)
    assert page.status_code == 200, url
    return client.post(url, data={"csrf_token": csrf_token(page.text), **data})


def _add_item(client, case_id: int, text: str, audience: str, people: list[int] = ()) -> None:
    response = _post(client, f"/staff/cases/{case_id}/plan", {
        "revision": "", "kind": "step", "parent_id": "", "text": text, "simple_text": "", "owner": "family",
        "due_on": "", "status": "open", "audience": audience, "people": [str(p) for p in people],
    })
    assert response.status_code == 302, response.text


def test_from_a_caseworkers_draft_to_each_family_members_plan(app, client_for):
    caseworker = client_for("demo.caseworker")

    response = _post(caseworker, "/staff/cases/new", {"title": "Familie Brandt", "reference": "PFAD-2026-001"})
    assert response.status_code == 302
    case_id = int(re.search(r"/staff/cases/(\d+)$", response.headers["Location"]).group(1))
    case_url = f"/staff/cases/{case_id}"
    assert "Familie Brandt" in caseworker.get(case_url).text

    for name, kind, year in (("Lea", "parent", 1987), ("Tom", "parent", 1984), ("Ben", "youth", 2011)):
        response = _post(caseworker, f"{case_url}/members",
                         {"display_name": name, "kind": kind, "birth_year": str(year), "language": "de"},
                         form_page=case_url)
        assert response.status_code == 302, response.text
    case_page = caseworker.get(case_url).text
    member_ids = {
        name: int(member_id)
        for member_id, name in re.findall(
            rf'action="/staff/cases/{case_id}/members/(\d+)/invitation".*?<bdi>([^<]+)</bdi>', case_page, re.S
        )
    }
    assert set(member_ids) == {"Lea", "Tom", "Ben"}

    codes = {}
    for name, member_id in member_ids.items():
        letter = invitation_letter(caseworker, case_id, member_id)
        assert letter.status_code == 200
        assert name in letter.text
        codes[name] = code_from_letter(letter.text)

    _add_item(caseworker, case_id, FAMILY_ITEM, "family")
    _add_item(caseworker, case_id, ADULTS_ITEM, "adults")
    _add_item(caseworker, case_id, PEOPLE_ITEM, "people", [member_ids["Ben"], member_ids["Lea"]])
    _add_item(caseworker, case_id, STAFF_ITEM, "staff")
    publish_page = caseworker.get(f"{case_url}/publish")
    assert all(text in publish_page.text for text in ALL_ITEMS - {LATE_DRAFT_ITEM})
    response = caseworker.post(f"{case_url}/publish", data={
        "csrf_token": csrf_token(publish_page.text),
        "based_on": re.search(r'name="based_on"[^>]*value="(\d+)"', publish_page.text).group(1),
        "note": NOTE,
    })
    assert response.status_code == 302
    _add_item(caseworker, case_id, LATE_DRAFT_ITEM, "family")

    expected = {
        "Lea": {FAMILY_ITEM, ADULTS_ITEM, PEOPLE_ITEM},
        "Tom": {FAMILY_ITEM, ADULTS_ITEM},
        "Ben": {FAMILY_ITEM, PEOPLE_ITEM},
    }
    for name, code in codes.items():
        phone = app.test_client()
        response = redeem(phone, code, f"{name.lower()}.brandt", "Heimweg mit Umwegen")
        assert response.status_code == 302, f"{name} could not redeem the code"
        plan = phone.get("/plan")
        assert plan.status_code == 200
        shown = {text for text in ALL_ITEMS if text in plan.text}
        assert shown == expected[name], name
