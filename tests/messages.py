"""Expected user-facing text in a given language, for assertions.

Pages answer in the reader's language (staff and demo members default to
German), and the catalogs are translated after the code is written. Tests
therefore compare against the catalog's current translation of the English
message id instead of hard-coding either language.
"""
from __future__ import annotations

import html
import re

from flask import Flask
from flask_babel import force_locale, gettext


def translated(app: Flask, msgid: str, language: str = "de", **params) -> str:
    with app.test_request_context(), force_locale(language):
        return gettext(msgid, **params)


def page_text(response) -> str:
    """The response body with HTML entities resolved (apostrophes, quotes)."""
    return html.unescape(response.get_data(as_text=True))


def without_isolation(text: str) -> str:
    """The page with the <bdi> around names in sentences removed, to read such a sentence whole."""
    return re.sub(r"</?bdi>", "", text)
