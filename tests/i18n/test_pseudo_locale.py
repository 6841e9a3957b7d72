"""Every visible word of every page passed through the catalogs, or is user content.

Renders every GET page of every blueprint (the URL walk of
tests/test_inline_markup.py) with the pseudo-locale, which marks each
translated string with ⟦…⟧, for a parent, a child, a caseworker, a lead, an
admin, staff halfway through signing in, and anonymously; a rule nobody gets a
page from fails the test. Any text node with letters outside the marks, that is not marked
as user content or data (see tests/i18n/pseudo.py), is a string a translator
never saw.
"""
from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.i18n.pseudo import unmarked_text
from tests.test_inline_markup import Rendered, get_urls, walkers

# Enough people for every rule to be rendered by someone (the lead: the audit log; the head:
# the office's evaluation); staff halfway through signing in come with `walkers`.
PERSONAS = ["demo.parent", "demo.child", "demo.caseworker", "demo.lead", "demo.admin", "demo.head"]


def test_the_checker_tells_marked_text_from_leaked_text():
    page = ("<html lang='de'><title>⟦Home⟧ – ⟦NeuStart⟧</title><p>⟦Hello ⟦Anna⟧⟧ 3</p>"
            "<p><bdi>Jonas</bdi> <span dir='auto'>Notiz</span> <time>1. Mai</time> <span translate='no'>AB-12</span></p>"
            "<p>⟦Read the <a>rules</a> first⟧</p><p>Vergessen</p><button>Save</button>")
    assert unmarked_text(page) == ["Vergessen", "Save"]


def walk(client: FlaskClient, urls: dict[str, str], who: str, rendered: Rendered) -> list[str]:
    found = []
    for url in urls:
        response = client.get(url)
        rendered.saw(url, who, response.status_code)
        if response.status_code >= 500:
            found.append(f"{who} {url}: status {response.status_code}")
        if response.mimetype == "text/html" and not 300 <= response.status_code < 400:  # Werkzeug's redirect stub is no page
            found += [f"{who} {url}: {text!r}" for text in unmarked_text(response.text)]
    return found


@pytest.mark.usefixtures("pseudo_locale")
def test_every_page_shows_only_translated_text_or_user_content(app, client_for, session):
    urls = get_urls(app, session)
    rendered = Rendered(urls)
    found = []
    for who, client in walkers(app, client_for, session, PERSONAS):
        found += walk(client, urls, who, rendered)
    assert not rendered.never(), "rules no walker got a page from:\n" + "\n".join(rendered.never())
    assert not found, f"{len(found)} untranslated texts:\n" + "\n".join(sorted(set(found)))
