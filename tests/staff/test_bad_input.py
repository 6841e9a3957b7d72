"""Hostile and odd input on the workspace's forms: a clear refusal in the reader's language,
or a clean save — never a 500, never lost input, never a half-written row.

Each refusal case sends a form that is valid but for exactly one thing, so a case can
only pass for the reason it names.
"""
import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal.models import Appointment, Contact, ContentTranslation, PlanItem
from tests.messages import page_text, translated, translated_wtforms
from tests.staff.conftest import token

ODD_TEXTS = [
    "a\x00b",  # PostgreSQL text cannot hold NUL
    "ok\x01\x07\x1b\x7f",  # other control characters
    "\u202eeslaf",  # right-to-left override
    "<script>alert(1)</script>",
    "مرحبا 👋 Привет",
]


# WTForms' plural messages: the singular msgid of each.
WTFORMS_PLURALS = {"Field cannot be longer than %(max)d character.": "Field cannot be longer than %(max)d characters."}


def count(in_db, model) -> int:
    return in_db(lambda s: s.scalar(sa.select(sa.func.count()).select_from(model)))


def assert_refused(app, response, message: str, kept: str | None = None, **params) -> None:
    """400, the one message in the reader's language (German for the demo staff), the input kept.
    `message` is the portal's msgid, or one of WTForms' own."""
    assert response.status_code == 400
    assert "error-summary" in response.text
    expected = translated(app, message, **params)
    if expected == message % params:  # not the portal's: WTForms' own message
        plural = WTFORMS_PLURALS.get(message)
        expected = translated_wtforms(message, plural=plural, n=params.get("max", 1), **params)
    assert expected in page_text(response)
    if kept is not None:
        assert kept in page_text(response)


# --- plan items -----------------------------------------------------------------------

def item_data(**changes) -> dict:
    return {"kind": "step", "parent_id": "", "text": "Schritt zum Prüfen", "simple_text": "", "pictogram": "",
            "owner": "family", "due_on": "", "status": "open", "audience": "family", "entrusted_by": "",
            **changes}


@pytest.mark.parametrize(("changes", "message"), [
    ({"text": ""}, "This field is required."),
    ({"text": "   "}, "This field is required."),
    ({"text": "x" * 2001}, "Field cannot be longer than %(max)d character."),
    ({"due_on": "31.02.2027"}, "Not a valid date value."),
    ({"due_on": "0001-01-01"}, "Please enter a date between %(first)s and %(last)s."),
    ({"due_on": "9999-12-31"}, "Please enter a date between %(first)s and %(last)s."),
    ({"audience": "people", "people": ["abc"]}, "Invalid choice(s): one or more data inputs could not be coerced."),
    ({"entrusted_by": "999999"}, "Not a valid choice."),
    ({"kind": "wish"}, "Not a valid choice."),
], ids=["empty", "blank", "too-long", "no-such-day", "year-1", "year-9999", "person-not-a-number",
        "entrusted-by-a-stranger", "no-such-kind"])
def test_an_item_with_one_bad_field_is_refused_with_its_reason(app, client_for, in_db, sommer, changes, message):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/plan"
    before = count(in_db, PlanItem)
    response = caseworker.post(url, data={"csrf_token": token(caseworker, url), **item_data(**changes)})
    params = {"max": 2000} if "%(max)d" in message else {"first": 2000, "last": 2099} if "%(first)s" in message else {}
    assert_refused(app, response, message, **params)
    assert count(in_db, PlanItem) == before


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_text_in_a_valid_item_is_saved_without_control_characters(client_for, in_db, sommer, text):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/plan"
    response = caseworker.post(url, data={"csrf_token": token(caseworker, url),
                                          **item_data(text=f"Schritt {text}")})
    assert response.status_code == 302
    saved = in_db(lambda s: s.scalar(sa.select(PlanItem.text).where(PlanItem.text.startswith("Schritt "))))
    assert saved == "Schritt " + "".join(c for c in text if c >= " " and c != "\x7f")
    plan = caseworker.get(url)
    assert plan.status_code == 200 and "<script>alert(1)</script>" not in plan.text


@pytest.mark.parametrize("object_id", ["2147483648", "99999999999999999999999"])
def test_out_of_range_ids_answer_404(client_for, sommer, object_id):
    caseworker = client_for("demo.caseworker")
    case = sommer["case"]
    for url in (f"/staff/cases/{object_id}", f"/staff/cases/{case}/plan/items/{object_id}",
                f"/staff/cases/{case}/appointments/{object_id}", f"/staff/cases/{case}/preview/{object_id}/plan"):
        assert caseworker.get(url).status_code == 404, url


# --- appointments ---------------------------------------------------------------------

def appointment_data(**changes) -> dict:
    return {"type": "visit", "starts_at": "2027-03-01T10:00", "ends_at": "", "place": "Rathaus Zimmer 12",
            "bring": "", "note": "", "audience": "family", **changes}


@pytest.mark.parametrize(("changes", "message"), [
    ({"starts_at": "morgen früh"}, "Not a valid datetime value."),
    ({"starts_at": ""}, "This field is required."),
    ({"starts_at": "0001-01-01T00:00"}, "Please enter a date between %(first)s and %(last)s."),
    ({"starts_at": "9999-12-31T23:59"}, "Please enter a date between %(first)s and %(last)s."),
    ({"ends_at": "9999-12-31T23:59"}, "Please enter a date between %(first)s and %(last)s."),
    ({"ends_at": "2027-03-01T09:00"}, "The end must be after the start."),
], ids=["words", "missing", "year-1", "year-9999", "end-in-year-9999", "end-before-start"])
def test_an_appointment_with_one_bad_time_is_refused_with_its_reason_and_the_place_kept(
        app, client_for, in_db, sommer, changes, message):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/appointments"
    before = count(in_db, Appointment)
    response = caseworker.post(url, data={"csrf_token": token(caseworker, url), **appointment_data(**changes)})
    params = {"first": 2000, "last": 2099} if "%(first)s" in message else {}
    assert_refused(app, response, message, kept="Rathaus Zimmer 12", **params)
    assert count(in_db, Appointment) == before


def test_appointments_at_the_edges_of_the_allowed_years_are_saved_and_shown(client_for, in_db, sommer):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/appointments"
    for starts_at in ("2000-01-01T00:00", "2099-12-31T23:59"):
        response = caseworker.post(url, data={"csrf_token": token(caseworker, url),
                                              **appointment_data(starts_at=starts_at)})
        assert response.status_code == 302, starts_at
    assert caseworker.get(url).status_code == 200
    assert client_for("demo.parent").get("/appointments").status_code == 200


# --- contacts and the office directory: e-mail and phone ------------------------------

BAD_EMAILS = ["p.lange@jugendamt.example?bcc=everyone@evil.example", "a@jugendamt.example, b@evil.example",
              "Petra Lange <p.lange@jugendamt.example>", "mailto:p.lange@jugendamt.example", "p.lange",
              "p.lange@localhost"]
BAD_PHONES = ["123", "Zentrale", "030 5550 1201 (Zentrale)", "0800-FLOWERS", "+49 30 12345678901234"]
EMAIL_MESSAGE = "Please enter one e-mail address, like name@example.org."
PHONE_MESSAGE = "Please enter a phone number, like 0551 123456 or +49 551 123456."


def contact_places(sommer) -> list[tuple[str, str]]:
    """(who, form URL): the case's contacts (its caseworker) and the office directory (a lead)."""
    return [("demo.caseworker", f"/staff/cases/{sommer['case']}/contacts"), ("demo.lead", "/staff/directory")]


@pytest.mark.parametrize("email", BAD_EMAILS)
def test_a_contact_with_anything_but_one_e_mail_address_is_refused(app, client_for, in_db, sommer, email):
    for username, url in contact_places(sommer):
        client = client_for(username)
        before = count(in_db, Contact)
        response = client.post(url, data={"csrf_token": token(client, url), "type": "service",
                                          "name": "Beratungsstelle Nord", "email": email, "audience": "family"})
        assert_refused(app, response, EMAIL_MESSAGE, kept="Beratungsstelle Nord")
        assert count(in_db, Contact) == before, url


@pytest.mark.parametrize("phone", BAD_PHONES)
def test_a_contact_with_a_number_that_cannot_be_dialled_is_refused(app, client_for, in_db, sommer, phone):
    for username, url in contact_places(sommer):
        client = client_for(username)
        before = count(in_db, Contact)
        response = client.post(url, data={"csrf_token": token(client, url), "type": "service",
                                          "name": "Beratungsstelle Nord", "phone": phone, "audience": "family"})
        assert_refused(app, response, PHONE_MESSAGE, kept="Beratungsstelle Nord")
        assert count(in_db, Contact) == before, url


@pytest.mark.parametrize(("phone", "email", "stored_email"), [
    ("030 5550 1201", "Beratung@Musterstadt.EXAMPLE", "Beratung@musterstadt.example"),
    ("+49 30 5550 1201", "", None),
    ("116 117", "beratung@müllerstadt.example", "beratung@müllerstadt.example"),
])
def test_a_contact_with_a_real_number_and_address_is_saved_and_offered_to_the_family(
        client_for, in_db, sommer, phone, email, stored_email):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/contacts"
    response = caseworker.post(url, data={"csrf_token": token(caseworker, url), "type": "service",
                                          "name": "Beratungsstelle Nord", "phone": f"  {phone} ",
                                          "email": email, "audience": "family"})
    assert response.status_code == 302
    saved = in_db(lambda s: s.scalar(sa.select(Contact).where(Contact.name == "Beratungsstelle Nord")))
    assert (saved.phone, saved.email) == (phone, stored_email)
    page = client_for("demo.parent").get("/contacts").text
    assert f'href="tel:{phone.replace(" ", "")}"' in page
    if stored_email:
        assert f'href="mailto:{stored_email}"' in page


# --- content translations ----------------------------------------------------------------

def test_a_translation_with_control_characters_is_saved_without_them(client_for, in_db, sommer):
    caseworker = client_for("demo.caseworker")
    item = in_db(lambda s: s.scalar(sa.select(PlanItem).where(
        PlanItem.plan.has(case_id=sommer["case"])).order_by(PlanItem.id).limit(1)))
    page = f"/staff/cases/{sommer['case']}/plan/items/{item.id}/translations"
    form = BeautifulSoup(caseworker.get(page).text, "html.parser").find("form", action=f"{page}/en")
    data = {field["name"]: field.get("value", "") for field in form.find_all("input", type="hidden")}
    response = caseworker.post(f"{page}/en", data={**data, "en-text": "Visit\x00 at home\x1b"})
    assert response.status_code == 302
    saved = in_db(lambda s: s.scalar(sa.select(ContentTranslation.text).where(
        ContentTranslation.object_type == "plan_item", ContentTranslation.object_id == item.id,
        ContentTranslation.language == "en", ContentTranslation.field == "text")))
    assert saved == "Visit at home"


# --- the lead's audit log ------------------------------------------------------------------

@pytest.mark.parametrize("query", [f"page={2**62}", f"page={2**64}", "page=-5", "page=abc", "page=",
                                   "case=AZ%00-1", "case=" + "x" * 500])
def test_audit_log_with_an_odd_address_still_answers_with_a_page(client_for, query):
    response = client_for("demo.lead").get(f"/staff/audit?{query}")
    assert response.status_code == 200
    assert "<h1>" in response.text
