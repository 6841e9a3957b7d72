"""Easy-read sentences follow the member's setting; the glossary is public and linked."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.conftest import member, post_form

GLOSSARY_TERMS = ["Jugendamt", "Hilfeplan", "Hilfeplangespräch", "Inobhutnahme", "Familiengericht", "Träger",
                  "Umgang", "Nachsorge"]


def easy_read_lines(html: str) -> list[str]:
    return [li.get_text(" ", strip=True) for li in BeautifulSoup(html, "html.parser").select(".easy-read li")]


@pytest.mark.parametrize("url", ["/", "/plan", "/appointments", "/contacts", "/help-now"])
def test_easy_read_sentences_with_pictograms_appear_only_with_the_setting(client_for, session, url):
    client = client_for("demo.parent")
    assert easy_read_lines(client.get(url).text) == []
    account = client.get("/account").text
    assert 'name="settings-easy_read"' in account
    saved = post_form(client, "/account/settings", {"settings-easy_read": "y"},
                      form_page="/account")
    assert saved.status_code == 302
    assert member(session, "demo.parent").easy_read
    page = BeautifulSoup(client.get(url).text, "html.parser")
    lines = page.select(".easy-read li")
    assert lines and all(li.select_one("svg.picto") for li in lines)
    assert all(len(li.get_text(strip=True).split(". ")) <= 3 for li in lines)  # short sentences


def test_the_glossary_is_public_explains_every_term_and_is_linked(app, client_for):
    page = BeautifulSoup(app.test_client().get("/glossary").text, "html.parser")
    assert [dfn.get_text() for dfn in page.select("dfn[lang=de]")] == GLOSSARY_TERMS
    assert all(term.dd.get_text(strip=True) for term in page.select(".glossary-term"))
    assert 'href="/glossary"' in app.test_client().get("/help-now").text
    assert 'href="/glossary"' in client_for("demo.parent").get("/plan").text
