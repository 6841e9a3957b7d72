"""Expected user-facing text in a given language, for assertions.

Pages answer in the reader's language (staff and demo members default to
German), and the catalogs are translated after the code is written. Tests
therefore compare against the catalog's current translation of the English
message id instead of hard-coding either language. A youth reads the youth register
(`reader=MemberKind.youth`: youth.po over messages.po), everyone else the catalog as it is.
"""
from __future__ import annotations

import html
import re

from flask import Flask
from flask_babel import force_locale, get_translations, gettext

from portal.i18n import speaking_to
from portal.models import MemberKind


def translated(app: Flask, msgid: str, language: str = "de", reader: MemberKind | None = None, **params) -> str:
    with app.test_request_context(), force_locale(language), speaking_to(reader):
        return gettext(msgid, **params)


def page_text(response) -> str:
    """The response body with HTML entities resolved (apostrophes, quotes) and the
    <bdi> around names in sentences removed, so a sentence reads whole."""
    return without_isolation(html.unescape(response.get_data(as_text=True)))


def translated_plural(app: Flask, singular: str, plural: str, count: int, language: str = "de",
                      reader: MemberKind | None = None, **params) -> str:
    """The catalog's plural form for ``count``, filled in with ``params``.

    Templates may pass ``num`` themselves (``num=reached`` while the form is chosen
    by another count), which Flask-Babel's ``ngettext`` does not allow; so the form
    is chosen and filled here the way Jinja's ``ngettext`` does it.
    """
    with app.test_request_context(), force_locale(language), speaking_to(reader):
        return get_translations().ngettext(singular, plural, count) % {"num": count, **params}


def translated_until(app: Flask, msgid: str, placeholder: str, language: str = "de",
                     reader: MemberKind | None = None, **params) -> str:
    """The translation up to where ``placeholder`` is filled in.

    For messages whose tail (a formatted date) the test does not pin down.
    """
    # A number nobody writes stands in for numeric placeholders, a NUL for text ones.
    marker = 918273645 if f"%({placeholder})d" in msgid else "\x00"
    return translated(app, msgid, language, reader, **{placeholder: marker}, **params).split(str(marker), 1)[0]


def without_isolation(text: str) -> str:
    """The page with the <bdi> around names in sentences removed, to read such a sentence whole."""
    return re.sub(r"</?bdi>", "", text)


def translated_wtforms(msgid: str, language: str = "de", plural: str | None = None, n: int = 1, **params) -> str:
    """One of WTForms' own messages ("This field is required.") as Flask-WTF shows it in
    `language`: from the catalog WTForms ships (`plural` and `n` for a plural message)."""
    from babel import support
    from wtforms.i18n import messages_path

    catalog = support.Translations.load(messages_path(), [language], domain="wtforms")
    text = catalog.ungettext(msgid, plural, n) if plural else catalog.ugettext(msgid)
    return text % params if params else text
