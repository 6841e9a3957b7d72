"""Hostile and odd input on the workspace's forms: a clear refusal or a clean save, never a 500."""
import pytest
import sqlalchemy as sa

from portal.models import PlanItem
from tests.staff.conftest import token

ODD_TEXTS = [
    "a\x00b",  # PostgreSQL text cannot hold NUL
    "\u202eeslaf",  # right-to-left override
    "<script>alert(1)</script>",
    "x" * 5000,
    "مرحبا 👋 Привет",
    "   ",
]


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_item_text_is_saved_cleanly_or_refused_with_a_reason(client_for, in_db, sommer, text):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/plan"
    before = in_db(lambda s: s.scalar(sa.select(sa.func.count()).select_from(PlanItem)))
    response = caseworker.post(url, data={
        "csrf_token": token(caseworker, url), "kind": "step", "parent_id": "", "text": text, "simple_text": text,
        "pictogram": "", "owner": "family", "due_on": "31.02.2027", "status": "open", "audience": "family",
        "people": ["abc"], "entrusted_by": "999999"})
    assert response.status_code == 400
    assert "error-summary" in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert in_db(lambda s: s.scalar(sa.select(sa.func.count()).select_from(PlanItem))) == before


@pytest.mark.parametrize("text", ODD_TEXTS[:3])
def test_odd_text_in_a_valid_item_never_breaks_the_save(client_for, in_db, sommer, text):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/plan"
    response = caseworker.post(url, data={
        "csrf_token": token(caseworker, url), "kind": "step", "parent_id": "", "text": f"Schritt {text}",
        "simple_text": "", "pictogram": "", "owner": "family", "due_on": "", "status": "open",
        "audience": "family", "entrusted_by": ""})
    assert response.status_code == 302
    saved = in_db(lambda s: s.scalar(sa.select(PlanItem.text).where(PlanItem.text.startswith("Schritt "))))
    assert "\x00" not in saved


@pytest.mark.parametrize("object_id", ["2147483648", "99999999999999999999999"])
def test_out_of_range_ids_answer_404(client_for, sommer, object_id):
    caseworker = client_for("demo.caseworker")
    case = sommer["case"]
    for url in (f"/staff/cases/{object_id}", f"/staff/cases/{case}/plan/items/{object_id}",
                f"/staff/cases/{case}/appointments/{object_id}", f"/staff/cases/{case}/preview/{object_id}/plan"):
        assert caseworker.get(url).status_code == 404, url


def test_garbage_appointment_time_is_refused_with_a_reason(client_for, sommer):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/appointments"
    response = caseworker.post(url, data={"csrf_token": token(caseworker, url), "type": "visit",
                                          "starts_at": "morgen früh", "audience": "family", "place": "Rathaus"})
    assert response.status_code == 400
    assert "error-summary" in response.text and "Rathaus" in response.text
