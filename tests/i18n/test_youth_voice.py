"""A youth is spoken to as a young person, a parent as an adult (the youth register).

Jonas (14) reads every page he can open in each of the seven languages: its interface
text (user content, names and dates aside) must not use a formal form of address
("Sie", "Вы", "siz", "شما"), because the youth catalogs (`translations/<lang>/LC_MESSAGES/
youth.po`, over messages.po) hold the informal wording. Anna, a parent, still reads the
formal one: the register must not leak to her, not even after Jonas's pages in the same
process (the translations are cached per language *and* register).
"""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Comment, Doctype
from flask_babel import force_locale, gettext

from portal import i18n, sharing
from portal.models import Member, MemberKind
from tests.access_matrix import EXPECTED
from tests.conftest import csrf_token, member
from tests.i18n.pseudo import is_user_content
from tests.i18n.test_child_voice import FORMAL, LANGUAGES
from tests.matrix_walk import family_ids, routes, url

# Pages that are not a page to read: files, feeds, the service worker.
NOT_PAGES = ("family.appointment_ics", "family.calendar_feed", "family.service_worker", "family.export_json")


def interface_text(html: str) -> str:
    """The page's own words, header and footer included (the menu speaks to the reader too);
    what someone typed, names, dates and text in a named language (the switcher) left out."""
    soup = BeautifulSoup(html, "html.parser")
    texts = []
    for node in soup.find_all(string=True):
        if isinstance(node, (Comment, Doctype)) or any(is_user_content(p) for p in node.parents if p.name):
            continue
        texts.append(str(node))
    for tag in soup.find_all(True):  # what a screen reader or a tooltip says
        texts += [tag[name] for name in ("aria-label", "title", "placeholder", "alt") if tag.has_attr(name)
                  and not is_user_content(tag)]
    return " ".join(" ".join(texts).split())


def youth_pages(app, session) -> list[str]:
    """Every GET page Jonas may open (as the access matrix says), and an unknown address."""
    ids = family_ids(session, "Familie Sommer")
    session.commit()
    found = [url(route, ids) for route in routes(app)
             if route.method == "GET" and route.endpoint.startswith(("family.", "auth."))
             and route.endpoint not in NOT_PAGES and EXPECTED[route.endpoint]["GET"].get("youth") == 200]
    return [*found, "/no-such-page"]


def formal_forms(language: str, address: str, html: str) -> list[str]:
    if language not in FORMAL:
        return []
    return [f"{address}: “{m.group(0)}”" for m in FORMAL[language].finditer(interface_text(html))]


def answered_pages(client, session, jonas: Member) -> list[tuple[str, str]]:
    """The pages after Jonas acted: an appointment answered, a check-in sent, a question asked,
    "I don't feel safe" (each shows a message he has just caused)."""
    seen = []
    viewer = sharing.Viewer(session, jonas)
    upcoming = [a for a in viewer.appointments() if viewer.may_answer(a)]
    if upcoming:
        page = client.get(f"/appointments/{upcoming[0].id}")
        form = BeautifulSoup(page.text, "html.parser").find(
            "form", attrs={"method": "post", "action": f"/appointments/{upcoming[0].id}"})
        data = {field["name"]: field.get("value", "") for field in form.find_all("input") if field.get("name")}
        data.update(coming="no", reason="Schule")
        response = client.post(f"/appointments/{upcoming[0].id}", data=data, follow_redirects=True)
        seen.append(("answered appointment", response.text))
    home = client.get("/")
    response = client.post("/not-safe", data={"csrf_token": csrf_token(home.text)}, follow_redirects=True)
    seen.append(("after “I don't feel safe”", response.text))
    return seen


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_a_youth_opens_speaks_to_a_young_person(app, client_for, session, language):
    pages = youth_pages(app, session)
    jonas = member(session, "demo.youth")
    assert jonas.kind is MemberKind.youth
    jonas.language = language
    session.commit()
    client = client_for("demo.youth")
    wrong = []
    assert len(pages) >= 14
    for address in pages:
        response = client.get(address)
        assert response.status_code in (200, 404), address
        wrong += formal_forms(language, address, response.get_data(as_text=True))
    for what, html in answered_pages(client, session, jonas):
        wrong += formal_forms(language, what, html)
    assert not wrong, "\n".join(sorted(set(wrong)))


def parent_text(client, address: str = "/checkin") -> str:
    return interface_text(client.get(address).get_data(as_text=True))


def test_a_parent_is_still_spoken_to_formally_after_a_youth_in_the_same_process(client_for, session):
    """Jonas's pages first (his register cached), then Anna's, then Jonas's again: each keeps
    their own wording, in German and in Russian."""
    for username in ("demo.youth", "demo.parent"):
        member(session, username).language = "de"
    session.commit()
    jonas, anna = client_for("demo.youth"), client_for("demo.parent")
    for _ in range(2):
        assert not FORMAL["de"].search(parent_text(jonas, "/"))
        assert FORMAL["de"].search(parent_text(anna, "/")), "a parent reads the formal “Sie”"
        assert "Sie" in parent_text(anna, "/help-now")  # the page without the database: the cookie says parent
        assert not FORMAL["de"].search(parent_text(jonas, "/help-now"))


def test_the_youth_register_is_the_youth_catalog_over_the_normal_one(app):
    """A message with a youth entry reads informally; one without keeps the normal translation;
    a language without a youth catalog (English) reads as it always does."""
    def said(language: str, kind: MemberKind, message: str) -> str:
        with app.test_request_context(), force_locale(language), i18n.speaking_to(kind):
            return gettext(message)

    assert said("de", MemberKind.parent, "Your data") == "Ihre Daten"
    assert said("de", MemberKind.youth, "Your data") == "Deine Daten"
    assert said("de", MemberKind.youth, "Sign out") == said("de", MemberKind.parent, "Sign out")  # no youth entry
    assert said("en", MemberKind.youth, "Your data") == "Your data"
    assert said("de", MemberKind.parent, "Your data") == "Ihre Daten"  # after the youth's: the cache keeps both


def test_a_caseworkers_preview_of_a_youth_speaks_as_the_youth_reads_it(client_for, session):
    jonas = member(session, "demo.youth")
    jonas.language = "de"
    session.commit()
    caseworker = client_for("demo.caseworker")
    address = f"/staff/cases/{jonas.case_id}/preview/{jonas.id}/plan"
    response = caseworker.get(address)
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    for own_words in (soup.select_one(".preview-banner"), soup.title):  # the caseworker's (title: the banner)
        own_words.decompose()
    assert not FORMAL["de"].search(interface_text(str(soup)))
