"""A child is spoken to as a child on every page a child can open, in every language (issue 11).

Every page Mia (9) can open is rendered in each of the seven languages, and its
interface text (user content, names and dates aside) must not use a formal form of
address, nor an adult's wording where the catalog holds a child's (message context
`child`), nor a sentence that asks for an action a child does not have.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Comment, Doctype

from portal import sharing
from tests.access_matrix import EXPECTED
from tests.conftest import member
from tests.i18n.pseudo import is_user_content
from tests.matrix_walk import family_ids, routes, url

LANGUAGES = ("de", "en", "ar", "uk", "ru", "tr", "fa")
# Formal address, per language (Arabic and English make no such distinction in writing).
FORMAL = {
    "de": re.compile(r"\b(Sie|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres|Ihnen)\b"),
    "ru": re.compile(r"(?<!\w)(Вы|Вас|Вам|Вами|Ваш\w*|вы|вас|вам|вами|ваш\w*)(?!\w)"),
    "uk": re.compile(r"(?<!\w)(Ви|Вас|Вам|Вами|Ваш\w*|ви|вас|вам|вами|ваш\w*)(?!\w)"),
    "tr": re.compile(r"(?<!\w)(Siz\w*|siz\w*|\w+(?:iniz|ınız|unuz|ünüz))(?!\w)"),
    "fa": re.compile(r"(?<!\w)(شما)(?!\w)"),
}
# Sentences that ask for something a child's portal does not offer.
ADULT_ONLY = ("Please tell us if you come.",
              "Please come on time. Can you not come? Then tell us. Press the button below.",
              "I will come", "I cannot come", "I have a question", "Do you agree with this plan?")
CHILD_PAGES = ("family.path", "family.plan", "family.appointments", "family.appointment", "family.contacts",
               "family.account", "family.glossary", "family.help_now", "family.export_html")


@cache
def catalog(language: str):
    with open(Path("translations") / language / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file, locale=language)


@cache
def adult_wording(language: str) -> tuple[str, ...]:
    """Translations of messages that have a child's variant, where the two differ, and of ADULT_ONLY."""
    found = []
    for message in catalog(language):
        if message.context == "child" and message.string:
            adult = catalog(language).get(message.id)
            if adult is not None and adult.string and adult.string != message.string:
                found.append(adult.string)
    for msgid in ADULT_ONLY:
        message = catalog(language).get(msgid)
        found.append(message.string if message is not None and message.string else msgid)
    return tuple(found)


def interface_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(["header", "footer"]):  # the language names, sign-out: the same for all
        tag.decompose()
    texts = []
    for node in soup.find_all(string=True):
        if isinstance(node, (Comment, Doctype)) or any(is_user_content(p) for p in node.parents if p.name):
            continue
        texts.append(str(node))
    return " ".join(" ".join(texts).split())


def child_urls(app, session) -> list[str]:
    ids = family_ids(session, "Familie Sommer")
    visit = sharing.Viewer(session, member(session, "demo.child")).appointments()[0]  # one a child sees
    ids = {**ids, "appointment_id": visit.id}
    session.commit()
    found = []
    for route in routes(app):
        if route.method == "GET" and route.endpoint in CHILD_PAGES and EXPECTED[route.endpoint]["GET"]["child"] == 200:
            found.append(url(route, ids))
    found.append("/no-such-page")
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_a_child_opens_speaks_to_a_child(app, client_for, session, language):
    pages = child_urls(app, session)
    mia = member(session, "demo.child")
    mia.language = language
    session.commit()
    client = client_for("demo.child")
    wrong = []
    assert len(pages) >= 9
    for address in pages:
        response = client.get(address)
        assert response.status_code in (200, 404), address
        text = interface_text(response.get_data(as_text=True))
        if language in FORMAL:
            wrong += [f"{address}: formal “{m.group(0)}”" for m in FORMAL[language].finditer(text)]
        wrong += [f"{address}: adult wording “{phrase}”" for phrase in adult_wording(language) if phrase in text]
    assert not wrong, "\n".join(sorted(set(wrong)))


def test_the_checks_find_what_they_look_for():
    assert FORMAL["de"].search("Bitte kommen Sie pünktlich.")
    assert not FORMAL["de"].search("Komm bitte pünktlich. Sieben Tage.")
    assert FORMAL["ru"].search("Ваш план") and not FORMAL["ru"].search("Твой план")
    assert FORMAL["tr"].search("Planınız hazır") and not FORMAL["tr"].search("Yalnız değilsin")
    assert "Sie" in interface_text("<main><p>Haben Sie Fragen?</p><bdi>Sie</bdi></main>")
    assert "Anna" not in interface_text("<main><p dir='auto'>Anna</p></main>")
