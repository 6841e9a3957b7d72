"""What's new (and marking it seen), "I don't feel safe", and the installable app."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from portal.models import AppointmentAnswer, Member, Question, SafetyAlert, VersionResponse
from tests.conftest import member, post_form
from tests.messages import page_text, translated, translated_until

FAMILY_PAGES = ["/", "/plan", "/plan/print", "/path", "/appointments", "/contacts", "/help-now", "/account",
                "/account/export.json", "/account/export.html"]


def _snapshot(session) -> tuple:
    session.expire_all()
    members = session.execute(sa.select(Member.id, Member.last_seen_version, Member.last_visit_at, Member.revision,
                                        Member.calendar_token_hash).order_by(Member.id)).all()
    counts = tuple(session.scalar(sa.select(sa.func.count()).select_from(m))
                   for m in (Question, AppointmentAnswer, VersionResponse, SafetyAlert))
    return members, counts


def _news_line(app, msgid: str, appointment_type: str) -> str:
    """The news line for an appointment, up to its date (the date is not pinned here)."""
    return translated_until(app, msgid, "when", what=translated(app, appointment_type))


@pytest.mark.parametrize("username", ["demo.parent", "demo.youth", "demo.child"])
def test_viewing_family_pages_changes_nothing_in_the_database(client_for, session, username):
    client = client_for(username)
    before = _snapshot(session)
    for url in FAMILY_PAGES:
        assert client.get(url).status_code in (200, 302), url
        assert client.head(url).status_code in (200, 302), url
    assert _snapshot(session) == before


def test_home_lists_new_version_changed_appointments_and_replies_until_marked_seen(app, client_for, session):
    client = client_for("demo.parent")
    home = page_text(client.get("/"))
    news = home.split('id="news-title"', 1)[1].split("</section>", 1)[0]
    new_version = translated(app, "Your plan has a new version (%(number)d).", number=2)
    answered = translated_until(app, "Your caseworker answered your question: %(question)s", "question")
    assert new_version in news
    assert "Die erste Übernachtung hat gut geklappt." in news  # the caseworker's note
    assert _news_line(app, "Cancelled: %(what)s on %(when)s", "School") in news
    assert _news_line(app, "Changed: %(what)s on %(when)s", "Therapy") in news
    assert answered in news
    assert new_version in page_text(client.get("/"))  # looking again: still new
    response = post_form(client, "/seen", {}, form_page="/")
    assert response.status_code == 302
    anna = member(session, "demo.parent")
    assert anna.last_seen_version == 2 and anna.last_visit_at is not None
    assert translated(app, "Nothing new since your last visit.") in page_text(client.get("/"))
    assert translated_until(app, "What changed since version %(number)d", "number") not in page_text(client.get("/plan"))


def test_youth_news_never_mentions_what_is_not_shared_with_him(app, client_for):
    news = page_text(client_for("demo.youth").get("/")).split('id="news-title"', 1)[1].split("</section>", 1)[0]
    assert translated(app, "School") not in news  # the cancelled school talk is for parents
    assert translated_until(app, "Your caseworker answered your question: %(question)s", "question") not in news
    assert _news_line(app, "Changed: %(what)s on %(when)s", "Therapy") in news


@pytest.mark.parametrize("username", ["demo.youth", "demo.child"])
def test_not_safe_records_an_alert_and_shows_help_numbers_at_once(app, client_for, session, username):
    client = client_for(username)
    response = post_form(client, "/not-safe", {}, form_page="/path")
    assert response.status_code == 302 and response.headers["Location"] == "/help-now"
    page = page_text(client.get("/help-now"))
    assert translated(app, "Your caseworker has been told that you do not feel safe. "
                           "They may not read it at once, and this is not an emergency service: "
                           "if you are in danger now, call one of these numbers.") in page
    assert "tel:110" in page and "tel:116111" in page
    someone = member(session, username)
    alert = session.scalar(sa.select(SafetyAlert).where(SafetyAlert.member_id == someone.id))
    assert alert is not None and alert.case_id == someone.case_id and alert.acknowledged_at is None


def test_parents_have_no_not_safe_alert(client_for, session):
    response = post_form(client_for("demo.parent"), "/not-safe", {}, form_page="/")
    assert response.status_code == 404
    assert session.scalar(sa.select(sa.func.count()).select_from(SafetyAlert)) == 0


def test_not_safe_without_csrf_token_is_refused(client_for, session):
    assert client_for("demo.youth").post("/not-safe").status_code == 400
    assert session.scalar(sa.select(sa.func.count()).select_from(SafetyAlert)) == 0


def test_personal_pages_are_not_stored_by_the_browser(client_for):
    client = client_for("demo.parent")
    for url in ("/", "/plan", "/appointments", "/account", "/account/export.json"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


def test_manifest_icons_and_service_worker_are_served(anonymous):
    manifest = json.loads(anonymous.get("/static/manifest.webmanifest").data)
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert anonymous.get(icon["src"]).status_code == 200, icon["src"]
    assert {i["sizes"] for i in manifest["icons"]} >= {"192x192", "512x512"}
    worker = anonymous.get("/sw.js")
    assert worker.status_code == 200 and "javascript" in worker.mimetype


def test_service_worker_caches_only_static_files_and_the_offline_page(anonymous):
    worker = anonymous.get("/sw.js").text
    cached = worker.split("const STATIC = [", 1)[1].split("]", 1)[0]
    assert all(entry.strip().strip('"').startswith(("/static/", "OFFLINE")) for entry in cached.split(","))
    assert 'url.pathname.startsWith("/static/")' in worker


def test_offline_page_is_public_and_holds_nothing_personal(anonymous, client_for):
    page = anonymous.get("/offline")
    assert page.status_code == 200
    assert "csrf_token" not in page.text
    assert "Anna" not in client_for("demo.parent").get("/offline").text


def test_family_layout_offers_the_manifest_and_no_inline_script(client_for):
    page = client_for("demo.parent").get("/plan").text
    assert 'rel="manifest"' in page
    assert "<script>" not in page and " onclick=" not in page
