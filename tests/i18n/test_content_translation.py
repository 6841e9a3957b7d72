"""Appointment and contact notes carry a translation per language, entered by the
caseworker; the family reads their language where there is one, else the marked
German original, and the binding original is always one tap away."""
from __future__ import annotations

import sqlalchemy as sa
from bs4 import BeautifulSoup

from portal import sharing
from portal.models import Appointment, Contact
from tests.conftest import case_titled, member
from tests.messages import translated


def visible_to_anna(session, model, with_note: bool = False):
    query = sa.select(model).where(sharing.visible_to(member(session, "demo.parent"), model))
    return session.scalars(query.where(model.note.is_not(None)) if with_note else query).first()


def save_translation(client, url: str, language: str, data: dict, form_page: str | None = None):
    """Fill in one language's form as a browser would: its hidden fields as the page sent them."""
    page = BeautifulSoup(client.get(form_page or url).text, "html.parser")
    form = page.find("form", action=f"{url}/{language}")
    fields = {field["name"]: field.get("value", "") for field in form.find_all("input", type="hidden")}
    fields.update({f"{language}-{name}": text for name, text in data.items()})
    return client.post(f"{url}/{language}", data=fields)


def test_a_translated_appointment_note_is_shown_in_the_members_language_with_the_original_one_tap_away(
        client_for, session):
    appointment = visible_to_anna(session, Appointment, with_note=True)
    case_id, note = appointment.case_id, appointment.note
    url = f"/staff/cases/{case_id}/appointments/{appointment.id}/translations"
    caseworker = client_for("demo.caseworker")
    edit_page = caseworker.get(f"/staff/cases/{case_id}/appointments/{appointment.id}").text
    assert f'href="{url}"' in edit_page and translated(caseworker.application, "Edit translations") in edit_page
    saved = save_translation(caseworker, url, "ar", {"note": "ملاحظة مترجمة \u202e للاختبار"})
    assert saved.status_code == 302
    anna = member(session, "demo.parent")
    anna.language = "ar"
    session.commit()
    page = BeautifulSoup(client_for("demo.parent").get(f"/appointments/{appointment.id}").text, "html.parser")
    shown = page.find(lang="ar", string=lambda s: s and "ملاحظة مترجمة" in s)
    assert shown is not None and shown["dir"] == "auto"  # the RLO inside cannot reorder the page
    original = shown.find_next("details", class_="original")
    assert original.find(lang="de").get_text() == note


def test_without_a_translation_the_german_original_is_marked_as_such(client_for, session):
    contact = visible_to_anna(session, Contact)
    contact.note = "Bitte vorher anrufen."
    anna = member(session, "demo.parent")
    anna.language = "tr"
    session.commit()
    page = BeautifulSoup(client_for("demo.parent").get("/contacts").text, "html.parser")
    shown = page.find(lang="de", string=contact.note)
    assert shown is not None
    assert shown.find_next("small", class_="translation-note") is not None


def test_a_stale_contact_translation_save_is_refused_and_keeps_the_text(client_for, session):
    contact = session.scalars(sa.select(Contact).where(Contact.case_id == case_titled(session, "Familie Sommer").id)).first()
    url = f"/staff/cases/{contact.case_id}/contacts/{contact.id}/translations"
    first, second = client_for("demo.caseworker"), client_for("demo.lead")
    opened = BeautifulSoup(second.get(url).text, "html.parser")  # the lead opens the page first
    assert save_translation(first, url, "uk", {"note": "Перший переклад"}).status_code == 302
    form = opened.find("form", action=f"{url}/uk")
    fields = {field["name"]: field.get("value", "") for field in form.find_all("input", type="hidden")}
    refused = second.post(f"{url}/uk", data={**fields, "uk-note": "Другий переклад"})
    assert refused.status_code == 409
    assert "Другий переклад" in refused.text and "Перший переклад" in refused.text
