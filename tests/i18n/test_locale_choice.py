"""Which language a page speaks: saved setting, else the page's choice (?lang= or the
switcher's cookie), else Accept-Language, else German; anything unknown → German."""
from __future__ import annotations

import re

import pytest

from tests.conftest import member, post_form, staff
from tests.test_inline_markup import get_urls

LANGUAGES = ["de", "en", "ar", "uk", "ru", "tr", "fa"]
HTML_TAG = re.compile(r'<html lang="([^"]+)" dir="([^"]+)">')


def lang_and_dir(html: str) -> tuple[str, str]:
    match = HTML_TAG.search(html)
    assert match, "page has no <html lang dir>"
    return match.group(1), match.group(2)


def test_without_any_choice_the_page_is_german(app):
    assert lang_and_dir(app.test_client().get("/login").text) == ("de", "ltr")


def test_accept_language_picks_a_supported_language(app):
    page = app.test_client().get("/login", headers={"Accept-Language": "fr;q=0.9, uk;q=0.8, en;q=0.5"})
    assert lang_and_dir(page.text) == ("uk", "ltr")


@pytest.mark.parametrize("where", ["url", "cookie", "header"])
def test_an_unknown_locale_anywhere_falls_back_to_german_without_error(app, where):
    client = app.test_client()
    if where == "cookie":
        client.set_cookie("lang", "xx-<script>")
    response = client.get(
        "/login?lang=zz%00" if where == "url" else "/login",
        headers={"Accept-Language": "klingon, *;q=0.1, ;;;"} if where == "header" else {},
    )
    assert response.status_code == 200
    assert lang_and_dir(response.text) == ("de", "ltr")
    assert "lang=" not in response.headers.get("Set-Cookie", "")


def test_lang_in_the_url_is_the_pages_choice_and_is_remembered(app):
    client = app.test_client()
    first = client.get("/help-now?lang=ar", headers={"Accept-Language": "en"})
    assert lang_and_dir(first.text) == ("ar", "rtl")
    assert "lang=ar" in first.headers["Set-Cookie"] and "HttpOnly" in first.headers["Set-Cookie"]
    assert lang_and_dir(client.get("/login", headers={"Accept-Language": "en"}).text) == ("ar", "rtl")


def test_the_choice_on_the_page_beats_the_browser_language(app):
    client = app.test_client()
    client.set_cookie("lang", "tr")
    assert lang_and_dir(client.get("/login", headers={"Accept-Language": "ru"}).text) == ("tr", "ltr")


def test_the_switcher_works_without_javascript_and_without_signing_in(app):
    client = app.test_client()
    response = post_form(client, "/language", {"language": "fa", "next": "/start"}, form_page="/start")
    assert response.status_code == 302 and response.headers["Location"].endswith("/start")
    assert lang_and_dir(client.get("/start").text) == ("fa", "rtl")


def test_a_members_saved_setting_beats_the_page_choice(client_for, session):
    anna = member(session, "demo.parent")
    anna.language = "uk"
    session.commit()
    client = client_for("demo.parent")
    client.set_cookie("lang", "en")
    assert lang_and_dir(client.get("/?lang=ar").text) == ("uk", "ltr")


@pytest.mark.parametrize("url", ["/login", "/start", "/help-now", "/glossary", "/no-such-page", "/staff/login"])
def test_the_switcher_is_at_the_top_of_every_public_page_with_each_language_named_in_itself(app, url):
    html = app.test_client().get(url).text
    assert html.count('action="/language"') == 1
    assert html.index('action="/language"') < html.index("<main")  # at the top, before the content
    for code, name in {"ar": "العربية", "uk": "Українська", "ru": "Русский", "tr": "Türkçe", "fa": "فارسی"}.items():
        direction = "rtl" if code in ("ar", "fa") else "ltr"
        assert f'name="language" value="{code}" lang="{code}" dir="{direction}">{name}</button>' in html


def test_every_page_renders_in_every_language_with_the_right_lang_and_dir(app, client_for, session):
    urls = get_urls(app, session)
    anna, caseworker = member(session, "demo.parent"), staff(session, "demo.caseworker")
    clients = {"anonymous": app.test_client(), "demo.parent": client_for("demo.parent"),
               "demo.caseworker": client_for("demo.caseworker")}
    wrong = []
    for language in LANGUAGES:
        anna.language = caseworker.language = language
        session.commit()
        clients["anonymous"].set_cookie("lang", language)
        expected = (language, "rtl" if language in ("ar", "fa") else "ltr")
        for who, client in clients.items():
            for url in urls:
                response = client.get(url)
                if response.status_code >= 500:
                    wrong.append(f"{who} {language} {url}: status {response.status_code}")
                elif response.mimetype == "text/html" and not 300 <= response.status_code < 400:
                    if lang_and_dir(response.text) != expected:
                        wrong.append(f"{who} {language} {url}: {lang_and_dir(response.text)}")
    assert not wrong, "\n".join(wrong)
