"""Answering appointments, asking about plan items, agreeing to a plan version."""
from __future__ import annotations

import sqlalchemy as sa

from portal.family.forms import COMMENT_MAX, QUESTION_MAX, REASON_MAX
from portal.models import (
    Appointment,
    AppointmentAnswer,
    AppointmentStatus,
    AppointmentType,
    MemberKind,
    PlanItem,
    PlanVersion,
    Question,
    VersionResponse,
)
from tests.conftest import case_titled, csrf_token, member, post_form
from tests.messages import page_text, translated


def _appointment(session, place_part: str) -> Appointment:
    return session.scalar(sa.select(Appointment).where(Appointment.place.contains(place_part)))


def _item(session, text: str) -> PlanItem:
    return session.scalar(sa.select(PlanItem).where(PlanItem.text == text))


def _answer(session, appointment: Appointment, username: str) -> AppointmentAnswer | None:
    session.expire_all()
    return session.scalar(sa.select(AppointmentAnswer).where(
        AppointmentAnswer.appointment_id == appointment.id, AppointmentAnswer.member_id == member(session, username).id))


# --- appointments ---------------------------------------------------------------

def test_parent_says_she_will_come_in_one_tap(client_for, session):
    conference = _appointment(session, "Rathausplatz 1")
    client = client_for("demo.parent")
    response = post_form(client, f"/appointments/{conference.id}", {"coming": "yes", "revision": str(conference.revision)},
                         form_page="/appointments")
    assert response.status_code == 302
    answer = _answer(session, conference, "demo.parent")
    assert answer.coming is True and answer.reason == ""
    assert "answer-yes" in client.get("/appointments").text


def test_youth_cannot_come_with_a_reason_and_can_change_the_answer(client_for, session):
    conference = _appointment(session, "Rathausplatz 1")
    client = client_for("demo.youth")
    post_form(client, f"/appointments/{conference.id}",
              {"coming": "no", "reason": "Ich habe Mathe-Nachhilfe.", "revision": str(conference.revision)},
              form_page="/appointments")
    answer = _answer(session, conference, "demo.youth")
    assert answer.coming is False and answer.reason == "Ich habe Mathe-Nachhilfe."
    post_form(client, f"/appointments/{conference.id}", {"coming": "yes", "revision": str(conference.revision)},
              form_page="/appointments")
    assert _answer(session, conference, "demo.youth").coming is True
    assert session.scalar(sa.select(sa.func.count()).select_from(AppointmentAnswer)
                          .where(AppointmentAnswer.appointment_id == conference.id)) == 1


def test_too_long_reason_gets_a_friendly_message_and_nothing_is_saved(app, client_for, session):
    conference = _appointment(session, "Rathausplatz 1")
    client = client_for("demo.parent")
    response = post_form(client, f"/appointments/{conference.id}", {"coming": "no", "reason": "x" * 501},
                         form_page="/appointments")
    assert response.status_code == 200
    assert translated(app, "Please keep the reason to at most %(max)d characters.", max=REASON_MAX) in page_text(response)
    assert _answer(session, conference, "demo.parent") is None


def test_answer_without_choice_is_refused_kindly(client_for, session):
    conference = _appointment(session, "Rathausplatz 1")
    response = post_form(client_for("demo.parent"), f"/appointments/{conference.id}", {}, form_page="/appointments")
    assert response.status_code == 200
    assert "error-summary" in response.text


def test_cancelled_appointment_cannot_be_answered(app, client_for, session):
    cancelled = _appointment(session, "Grundschule am Park")
    assert cancelled.status is AppointmentStatus.cancelled
    client = client_for("demo.parent")
    response = post_form(client, f"/appointments/{cancelled.id}", {"coming": "yes"}, form_page="/appointments")
    assert response.status_code == 302
    assert translated(app, "This appointment was cancelled, so it cannot be answered any more.") in page_text(
        client.get(response.headers["Location"]))
    assert _answer(session, cancelled, "demo.parent") is None


def test_appointment_of_another_case_returns_404_and_stores_nothing(client_for, session):
    conference = _appointment(session, "Rathausplatz 1")
    answers_before = session.scalar(sa.select(sa.func.count()).select_from(AppointmentAnswer))
    client = client_for("demo.other.parent")
    response = post_form(client, f"/appointments/{conference.id}", {"coming": "yes"}, form_page="/appointments")
    assert response.status_code == 404
    assert client.get(f"/appointments/{conference.id}").status_code == 404
    assert session.scalar(sa.select(sa.func.count()).select_from(AppointmentAnswer)) == answers_before


def test_appointment_not_shared_with_the_youth_returns_404(client_for, session):
    court = _appointment(session, "Amtsgericht")
    assert court.type is AppointmentType.court
    client = client_for("demo.youth")
    assert client.get(f"/appointments/{court.id}").status_code == 404
    assert post_form(client, f"/appointments/{court.id}", {"coming": "yes"}, form_page="/appointments").status_code == 404


def test_child_cannot_answer_an_appointment(client_for, session):
    overnight = session.scalar(sa.select(Appointment).where(Appointment.at_home))
    response = post_form(client_for("demo.child"), f"/appointments/{overnight.id}", {"coming": "yes"},
                         form_page="/path")
    assert response.status_code == 404
    assert _answer(session, overnight, "demo.child") is None


def test_answer_without_csrf_token_is_refused(client_for, session):
    conference = _appointment(session, "Rathausplatz 1")
    response = client_for("demo.parent").post(f"/appointments/{conference.id}", data={"coming": "yes"})
    assert response.status_code == 400
    assert _answer(session, conference, "demo.parent") is None


# --- questions ------------------------------------------------------------------

def test_parent_asks_a_question_on_an_item_and_it_reaches_the_case(app, client_for, session):
    item = _item(session, "Gerichtstermin gemeinsam vorbereiten")
    client = client_for("demo.parent2")
    response = post_form(client, f"/plan/items/{item.id}/questions", {"text": "Muss ich etwas Schriftliches mitbringen?"},
                         form_page="/plan")
    assert response.status_code == 302
    question = session.scalar(sa.select(Question).where(Question.text == "Muss ich etwas Schriftliches mitbringen?"))
    assert question.item_id == item.id
    assert question.member_id == member(session, "demo.parent2").id
    assert question.case_id == case_titled(session, "Familie Sommer").id
    page = page_text(client.get("/plan"))
    assert "Muss ich etwas Schriftliches mitbringen?" in page and translated(app, "Not answered yet.") in page
    assert "Muss ich etwas Schriftliches mitbringen?" not in client_for("demo.parent").get("/plan").text


def test_empty_or_too_long_question_is_refused_with_a_message_and_input_kept(app, client_for, session):
    item = _item(session, "Mia übernachtet jedes zweite Wochenende zu Hause")
    client = client_for("demo.parent")
    before = session.scalar(sa.select(sa.func.count()).select_from(Question))
    empty = post_form(client, f"/plan/items/{item.id}/questions", {"text": "  "}, form_page="/plan")
    assert empty.status_code == 200 and translated(app, "Please write your question.") in page_text(empty)
    long_text = "Warum " * 200
    too_long = post_form(client, f"/plan/items/{item.id}/questions", {"text": long_text}, form_page="/plan")
    assert translated(app, "Please keep your question to at most %(max)d characters.", max=QUESTION_MAX) in page_text(
        too_long)
    assert "Warum Warum" in too_long.text
    assert session.scalar(sa.select(sa.func.count()).select_from(Question)) == before


def test_question_on_an_item_not_shared_with_the_member_returns_404(client_for, session):
    for text, username in [
        ("Rücksprache mit der Wohngruppe", "demo.parent"),  # office only
        ("Anna spricht mit der Suchtberatung", "demo.parent2"),  # entrusted by Anna
        ("Gerichtstermin gemeinsam vorbereiten", "demo.youth"),  # parents only
        ("Ferien zu Hause planen", "demo.parent"),  # draft only
        ("Mia übernachtet jedes zweite Wochenende zu Hause", "demo.other.parent"),  # another family
    ]:
        item = _item(session, text)
        response = post_form(client_for(username), f"/plan/items/{item.id}/questions", {"text": "Frage"},
                             form_page="/plan")
        assert response.status_code == 404, (text, username)


def test_child_cannot_ask_questions(client_for, session):
    item = _item(session, "Mia übernachtet jedes zweite Wochenende zu Hause")
    response = post_form(client_for("demo.child"), f"/plan/items/{item.id}/questions", {"text": "Frage"},
                         form_page="/path")
    assert response.status_code == 404


# --- agreement ------------------------------------------------------------------

def _current_version(session) -> PlanVersion:
    sommer = case_titled(session, "Familie Sommer")
    from portal.models import Plan
    plan = session.scalar(sa.select(Plan).where(Plan.case_id == sommer.id))
    return session.scalar(sa.select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(PlanVersion.number.desc()))


def test_youth_disagrees_with_a_comment_and_sees_the_answer(client_for, session):
    client = client_for("demo.youth")
    response = post_form(client, "/plan/response", {"agrees": "no", "comment": "Ich will mehr Zeit mit Freunden."},
                         form_page="/plan")
    assert response.status_code == 302
    jonas = member(session, "demo.youth")
    response_row = session.scalar(sa.select(VersionResponse).where(VersionResponse.member_id == jonas.id))
    assert response_row.agrees is False
    assert response_row.version_id == _current_version(session).id
    assert "Ich will mehr Zeit mit Freunden." in client.get("/plan").text


def test_parent_changes_her_answer_to_the_same_version_and_the_earlier_comment_is_kept(client_for, session):
    client = client_for("demo.parent")
    post_form(client, "/plan/response", {"agrees": "yes", "comment": "Einverstanden, mit Bauchweh."},
              form_page="/plan")
    post_form(client, "/plan/response", {"agrees": "no", "comment": "Doch nicht."}, form_page="/plan")
    anna = member(session, "demo.parent")
    session.expire_all()
    version = _current_version(session)
    rows = session.scalars(sa.select(VersionResponse).where(
        VersionResponse.member_id == anna.id, VersionResponse.version_id == version.id)
        .order_by(VersionResponse.id)).all()
    assert [r.comment for r in rows][-2:] == ["Einverstanden, mit Bauchweh.", "Doch nicht."]
    current = [r for r in version.current_responses if r.member_id == anna.id]
    assert [(r.agrees, r.comment) for r in current] == [(False, "Doch nicht.")]
    page = client.get("/plan").text
    assert "Einverstanden, mit Bauchweh." in page and "Doch nicht." in page


def test_agreement_with_too_long_comment_or_no_choice_is_refused(app, client_for, session):
    client = client_for("demo.youth")
    page = client.get("/plan")
    response = client.post("/plan/response", data={"csrf_token": csrf_token(page.text), "agrees": "maybe"})
    assert response.status_code == 200 and "error-summary" in response.text
    response = post_form(client, "/plan/response", {"agrees": "yes", "comment": "x" * 1001}, form_page="/plan")
    assert translated(app, "Please keep your comment to at most %(max)d characters.", reader=MemberKind.youth,
                      max=COMMENT_MAX) in page_text(response)
    jonas = member(session, "demo.youth")
    assert session.scalar(sa.select(VersionResponse).where(VersionResponse.member_id == jonas.id)) is None


def test_child_and_other_family_cannot_agree_to_the_sommer_plan(client_for, session):
    assert post_form(client_for("demo.child"), "/plan/response", {"agrees": "yes"}, form_page="/path").status_code == 404
    post_form(client_for("demo.other.parent"), "/plan/response", {"agrees": "yes"}, form_page="/plan")
    sven = member(session, "demo.other.parent")
    row = session.scalar(sa.select(VersionResponse).where(VersionResponse.member_id == sven.id))
    assert row is None or row.version.plan.case.title == "Familie Winter"


def test_control_characters_and_right_to_left_overrides_are_stored_without_a_500(client_for, session):
    item = _item(session, "Mia übernachtet jedes zweite Wochenende zu Hause")
    text = "Frage\x00 mit \u202eumgedrehtem\u202c Text <script>alert(1)</script>"
    client = client_for("demo.parent")
    response = post_form(client, f"/plan/items/{item.id}/questions", {"text": text}, form_page="/plan")
    assert response.status_code == 302
    stored = session.scalar(sa.select(Question).where(Question.text.contains("umgedrehtem")))
    assert "\x00" not in stored.text
    page = client.get("/plan").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
