"""A pseudo-locale: every string that went through the catalogs comes out marked.

`PseudoTranslations` wraps each message in ⟦…⟧ (plural forms too), so a page
rendered with it shows at a glance which visible text passed through gettext.
Installed by the `pseudo_locale` fixture (tests/i18n/conftest.py), which
patches Flask-Babel's `Domain.get_translations` for one test — the instrument
of the test, not the thing under test.
"""
from __future__ import annotations

import gettext
import re

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, Tag

OPEN, CLOSE = "⟦", "⟧"
LETTER = re.compile(r"[^\W\d_]")
# Elements whose text is data or user content, not interface text: people's
# names and what they wrote (<bdi>, dir="auto"), text in a named language
# (lang=…, e.g. the German original or a language's own name), formatted dates
# (<time>), and codes, addresses and numbers marked translate="no".
SKIPPED_ELEMENTS = {"script", "style", "svg", "bdi", "time", "textarea"}


class PseudoTranslations(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"{OPEN}{singular if n == 1 else plural}{CLOSE}"

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self.ngettext(singular, plural, n)

    # Flask-Babel calls the u-names; they follow whatever a subclass overrides.
    def ugettext(self, message: str) -> str:
        return self.gettext(message)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return self.ngettext(singular, plural, n)

    def upgettext(self, context: str, message: str) -> str:
        return self.pgettext(context, message)

    def unpgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self.npgettext(context, singular, plural, n)


def is_user_content(tag: Tag) -> bool:
    if tag.name in SKIPPED_ELEMENTS:
        return True
    if tag.name != "html" and tag.has_attr("lang"):
        return True
    return tag.get("dir") == "auto" or tag.get("translate") == "no"


def unmarked_text(html: str) -> list[str]:
    """Visible text outside ⟦…⟧ and outside user content, that contains a letter.

    Marks are followed through the document in order, because a translated
    string with markup inside (a link in a sentence) spans several text nodes.
    """
    found, depth = [], 0
    for node in BeautifulSoup(html, "html.parser").find_all(string=True):
        if isinstance(node, (Comment, Declaration, Doctype)) or any(is_user_content(tag) for tag in node.parents if isinstance(tag, Tag)):
            continue
        outside = []
        # Text between FSI and PDI is isolated user content (a name in a page title).
        for char in re.sub("\u2068[^\u2069]*\u2069", "", str(node)):
            if char == OPEN:
                depth += 1
            elif char == CLOSE:
                depth = max(depth - 1, 0)
            elif depth == 0:
                outside.append(char)
        if LETTER.search("".join(outside)):
            found.append(" ".join(str(node).split()))
    return found
