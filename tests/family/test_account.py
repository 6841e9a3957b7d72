"""The account page: settings, password, who opened our file, and the self-export."""
from __future__ import annotations

import json

import sqlalchemy as sa

from portal.models import AuditEvent, LoginSession, MemberKind
from tests.conftest import case_titled, member, post_form
from tests.messages import page_text, translated


def test_member_sets_language_at_the_top_and_easy_read_on_the_account_page(client_for, session):
    client = client_for("demo.parent2")
    account = client.get("/account").text
    assert account.count('action="/language"') == 1  # one language control on the page, at its top
    assert account.index('action="/language"') < account.index('<main')
    response = post_form(client, "/language", {"language": "uk", "next": "/account"}, form_page="/account")
    assert response.status_code == 302
    response = post_form(client, "/account/settings", {"settings-easy_read": "y"}, form_page="/account")
    assert response.status_code == 302
    daniel = member(session, "demo.parent2")
    assert daniel.language == "uk" and daniel.easy_read is True
    assert '<html lang="uk"' in client.get("/plan").text


def test_help_now_speaks_the_language_just_chosen_on_it(client_for):
    """Help now reads the language from the signed cookie (it runs without the database): the
    switch at its top must update that cookie, not only the next page that loads the member."""
    client = client_for("demo.parent2")
    assert '<html lang="de"' in client.get("/help-now").text
    response = post_form(client, "/language", {"language": "ar", "next": "/help-now"}, form_page="/help-now")
    assert response.status_code == 302 and response.headers["Location"] == "/help-now"
    assert '<html lang="ar" dir="rtl"' in client.get("/help-now").text


def test_unknown_language_is_refused(client_for, session):
    response = post_form(client_for("demo.parent2"), "/language", {"language": "xx", "next": "/account"},
                         form_page="/account")
    assert response.status_code == 302
    assert member(session, "demo.parent2").language == "de"


def test_easy_read_shows_the_simple_text_with_pictures(client_for):
    client = client_for("demo.parent2")
    assert "Jedes zweite Wochenende schläft Mia zu Hause." not in client.get("/plan").text
    post_form(client, "/account/settings", {"settings-easy_read": "y"}, form_page="/account")
    page = client.get("/plan").text
    assert "Jedes zweite Wochenende schläft Mia zu Hause." in page
    assert 'class="picto picto-bed"' in page


def test_password_change_ends_the_other_sessions_and_keeps_this_one(client_for, app, session):
    phone = client_for("demo.youth")
    laptop = client_for("demo.youth")
    jonas = member(session, "demo.youth")
    assert session.scalar(sa.select(sa.func.count()).select_from(LoginSession)
                          .where(LoginSession.principal == jonas.principal_id)) == 2
    response = post_form(phone, "/account/password", {
        "password-current_password": "neustart-demo", "password-new_password": "blauer Fußball am Dienstag",
        "password-new_password_again": "blauer Fußball am Dienstag"}, form_page="/account")
    assert response.status_code == 302
    assert phone.get("/plan").status_code == 200
    assert laptop.get("/plan").status_code == 302  # signed out
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count()).select_from(LoginSession)
                          .where(LoginSession.principal == jonas.principal_id)) == 1
    fresh = app.test_client()
    from tests.conftest import sign_in
    assert sign_in(fresh, "demo.youth", "blauer Fußball am Dienstag").status_code == 302


def test_password_change_with_wrong_current_password_changes_nothing(app, client_for, session):
    client = client_for("demo.youth")
    before = member(session, "demo.youth").password_hash
    response = post_form(client, "/account/password", {
        "password-current_password": "falsch-falsch", "password-new_password": "blauer Fußball am Dienstag",
        "password-new_password_again": "blauer Fußball am Dienstag"}, form_page="/account")
    assert response.status_code == 400
    assert translated(app, "This is not your current password.", reader=MemberKind.youth) in page_text(response)
    session.expire_all()
    assert member(session, "demo.youth").password_hash == before


def test_weak_or_mismatched_new_password_is_refused_with_the_reason(app, client_for):
    client = client_for("demo.youth")
    short = post_form(client, "/account/password", {
        "password-current_password": "neustart-demo", "password-new_password": "kurz", "password-new_password_again": "kurz"},
        form_page="/account")
    assert translated(app, "Please use at least %(n)d characters.", reader=MemberKind.youth, n=8) in page_text(short)
    mismatch = post_form(client, "/account/password", {
        "password-current_password": "neustart-demo", "password-new_password": "blauer Fußball", "password-new_password_again": "roter Fußball"},
        form_page="/account")
    assert translated(app, "The two passwords are not the same.") in page_text(mismatch)


def test_account_shows_who_at_the_office_opened_the_file_and_no_member_actions(app, client_for, session):
    sommer = case_titled(session, "Familie Sommer")
    session.add(AuditEvent(actor="member:2", actor_role="parent", actor_name="Daniel", action="case.read",
                           case_id=sommer.id))
    session.add(AuditEvent(actor="staff:3", actor_role="lead", actor_name="Sabine Koch", action="case.read",
                           case_id=sommer.id))
    session.commit()
    page = client_for("demo.parent").get("/account").text
    openings = page.split('id="openings-title"', 1)[1].split("</section>", 1)[0]
    assert openings.count("Petra Lange") == 2
    assert "Sabine Koch" in openings and translated(app, "Team lead") in openings
    assert "Daniel" not in openings
    assert "Petra Lange" not in client_for("demo.other.parent").get("/account").text


def test_self_export_json_holds_own_data_and_nothing_entrusted_by_others(client_for):
    response = client_for("demo.parent2").get("/account/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["member"]["sign_in_name"] == "demo.parent2"
    texts = {i["text"] for i in data["plan_items"]}
    assert "Gerichtstermin gemeinsam vorbereiten" in texts
    assert "Anna spricht mit der Suchtberatung" not in texts  # Anna's, without consent
    assert "Rücksprache mit der Wohngruppe" not in texts
    assert data["plan_responses"] and data["plan_responses"][0]["version"] == 1
    assert data["questions"] == []  # Anna's question is hers
    assert "Anna spricht" not in response.text and "Können wir Mia am Sonntag" not in response.text


def test_self_export_of_the_youth_leaves_out_what_is_for_parents(client_for):
    data = client_for("demo.youth").get("/account/export.json").get_json()
    assert not any("Amtsgericht" in (a["place"] or "") for a in data["appointments"])
    assert {q["text"] for q in data["questions"]} == {"Zählt auch Klettern als Sportverein?"}


def test_self_export_html_is_a_readable_download(client_for):
    response = client_for("demo.parent").get("/account/export.html")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert "Anna spricht mit der Suchtberatung" in response.text  # her own entrusted item
    assert "Können wir Mia am Sonntag auch erst um 18 Uhr zurückbringen?" in response.text
    assert "<script" not in response.text


def test_self_export_needs_sign_in(anonymous):
    assert anonymous.get("/account/export.json").status_code == 302
