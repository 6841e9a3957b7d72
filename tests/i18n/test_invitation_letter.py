"""The printable invitation letter speaks the member's language, not the caseworker's."""
from __future__ import annotations

import re

import flask_babel
from bs4 import BeautifulSoup

from portal.models import MemberKind
from tests.conftest import case_titled
from tests.factories import make_member
from tests.flows import invitation_letter
from tests.i18n.pseudo import PseudoTranslations


def letter_for(client_for, session, language: str):
    newcomer = make_member(session, case_titled(session, "Familie Sommer"), MemberKind.parent, display_name="Lea",
                           username=None, password_hash=None)
    newcomer.language = language
    session.commit()
    response = invitation_letter(client_for("demo.caseworker"), newcomer.case_id, newcomer.id)
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def test_the_letter_comes_out_in_the_members_language_right_to_left(client_for, session):
    letter = letter_for(client_for, session, "ar")
    assert letter.html["lang"] == "ar" and letter.html["dir"] == "rtl"


def test_the_letters_text_goes_through_the_members_catalog(client_for, session, monkeypatch):
    """With a translations object that names the language it was asked for, every
    sentence of the letter shows the member's language (the caseworker's is German)."""
    class Tagged(PseudoTranslations):
        def __init__(self, language: str):
            super().__init__()
            self.language = language

        def gettext(self, message: str) -> str:
            return f"⟦{self.language}:{message}⟧"

    monkeypatch.setattr(flask_babel.Domain, "get_translations", lambda self: Tagged(str(flask_babel.get_locale())))
    letter = letter_for(client_for, session, "uk")
    sheet = letter.select_one(".letter-sheet")
    assert sheet.h1.get_text() == "⟦uk:Your access to the family portal⟧"
    assert re.findall(r"⟦(\w+):", sheet.get_text()) and set(re.findall(r"⟦(\w+):", sheet.get_text())) == {"uk"}
