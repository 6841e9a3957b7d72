"""The inbox across cases: exactly the entries of the cases the person reaches, oldest first,
answered and handled right there, and read without flooding the audit log."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.db import utcnow
from portal.models import (
    AppointmentAnswer,
    AuditEvent,
    MemberKind,
    Question,
    Role,
    SafetyAlert,
    VersionResponse,
)
from tests.conftest import csrf_token, staff
from tests.factories import make_appointment, make_case, make_item, make_member, make_question, make_staff, publish_plan
from tests.messages import page_text, translated_until


def _case_with_everything(session, label: str, team, primary, deputy=None, age_days: int = 1) -> dict:
    """A case whose family sent one of each kind of entry, each text marked with `label`."""
    case = make_case(session, team=team, primary_caseworker=primary, deputy_caseworker=deputy,
                     title=f"Familie {label}")
    parent = make_member(session, case, MemberKind.parent, display_name=f"Elternteil {label}")
    youth = make_member(session, case, MemberKind.youth, display_name=f"Jugendlich {label}")
    make_item(session, case)
    version = publish_plan(session, case, primary)
    appointment = make_appointment(session, case)
    at = utcnow() - timedelta(days=age_days)
    question = make_question(session, parent, text=f"Frage aus {label}", asked_at=at)
    answer = AppointmentAnswer(appointment_id=appointment.id, member_id=parent.id, coming=False,
                               reason=f"Absage aus {label}", answered_at=at + timedelta(minutes=1))
    response = VersionResponse(version_id=version.id, member_id=parent.id, agrees=False,
                               comment=f"Einwand aus {label}", answered_at=at + timedelta(minutes=2))
    alert = SafetyAlert(case_id=case.id, member_id=youth.id, raised_at=at + timedelta(minutes=3))
    session.add_all([answer, response, alert])
    session.flush()
    return {"case": case, "parent": parent, "question": question, "answer": answer, "response": response,
            "alert": alert}


def colleague(session, **overrides):
    """A staff member `client_for` can sign in (the demo password and second-factor secret)."""
    from portal.demo import PASSWORD
    from portal.passwords import hash_password

    return make_staff(session, password_hash=hash_password(PASSWORD), **overrides)


@pytest.fixture
def office(session):
    """Four cases: Ahorn (Kim carries it), Birke (Kim deputises), Eiche (Kim's colleague, same team),
    Linde (another team). Kim's lead reaches the first three; a new colleague none."""
    lead = colleague(session, role=Role.lead)
    kim = colleague(session, team=lead.team, display_name="Kim Fachkraft")
    other = colleague(session, team=lead.team)
    newcomer = colleague(session, team=lead.team)
    elsewhere = colleague(session)
    cases = {
        "Ahorn": _case_with_everything(session, "Ahorn", lead.team, kim, age_days=3),
        "Birke": _case_with_everything(session, "Birke", lead.team, other, deputy=kim, age_days=2),
        "Eiche": _case_with_everything(session, "Eiche", lead.team, other, age_days=1),
        "Linde": _case_with_everything(session, "Linde", elsewhere.team, elsewhere, age_days=4),
    }
    session.commit()
    return {"lead": lead, "kim": kim, "newcomer": newcomer, "cases": cases}


def shown(html: str) -> set[str]:
    return {label for label in ("Ahorn", "Birke", "Eiche", "Linde") if f"Frage aus {label}" in html}


def test_each_person_sees_exactly_the_cases_they_reach(client_for, office):
    assert shown(client_for(office["kim"].username).get("/staff/inbox").text) == {"Ahorn", "Birke"}
    assert shown(client_for(office["lead"].username).get("/staff/inbox").text) == {"Ahorn", "Birke", "Eiche"}
    empty = client_for(office["newcomer"].username).get("/staff/inbox")
    assert empty.status_code == 200 and shown(empty.text) == set() and "aus " not in empty.text
    assert client_for("demo.admin").get("/staff/inbox").status_code == 404
    # Every kind of entry of a reached case, none of the others.
    kim = page_text(client_for(office["kim"].username).get("/staff/inbox"))
    for label in ("Ahorn", "Birke"):
        for text in (f"Absage aus {label}", f"Einwand aus {label}", f"Jugendlich {label}"):
            assert text in kim
    assert "Linde" not in kim and "Eiche" not in kim


def test_carried_and_kind_filters(client_for, office):
    kim = client_for(office["kim"].username)
    assert shown(kim.get("/staff/inbox?carried=mine").text) == {"Ahorn"}
    assert shown(kim.get("/staff/inbox?carried=deputy").text) == {"Birke"}
    answers_only = page_text(kim.get("/staff/inbox?kind=answer"))
    assert "Absage aus Ahorn" in answers_only and "Frage aus Ahorn" not in answers_only
    assert "Einwand aus Ahorn" not in answers_only
    assert shown(kim.get("/staff/inbox?carried=nonsense&status=odd").text) == {"Ahorn", "Birke"}  # ignored


def test_oldest_first(client_for, office):
    page = client_for(office["lead"].username).get("/staff/inbox?kind=question").text
    assert page.index("Frage aus Ahorn") < page.index("Frage aus Birke") < page.index("Frage aus Eiche")


def test_the_per_case_inbox_is_the_same_list_filtered_to_the_case(client_for, office):
    case = office["cases"]["Birke"]["case"]
    page = client_for(office["kim"].username).get(f"/staff/cases/{case.id}/inbox")
    assert page.status_code == 200 and shown(page.text) == {"Birke"}
    assert "Absage aus Birke" in page.text and "Einwand aus Birke" in page.text


def test_a_question_is_answered_right_there_and_shows_who_replied(app, client_for, session, office):
    entry = office["cases"]["Ahorn"]
    question, case = entry["question"], entry["case"]
    kim = client_for(office["kim"].username)
    inbox = kim.get("/staff/inbox?kind=question")
    prefix = f"q{question.id}"
    response = kim.post(f"/staff/cases/{case.id}/inbox/{question.id}", data={
        f"{prefix}-csrf_token": csrf_token(inbox.text), f"{prefix}-revision": str(question.revision),
        f"{prefix}-reply": "Ja, am Dienstag.", "next": "/staff/inbox?kind=question"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/inbox?kind=question")
    session.expire_all()
    assert session.get(Question, question.id).reply == "Ja, am Dienstag."
    assert "Frage aus Ahorn" not in kim.get("/staff/inbox?kind=question").text  # no longer waiting
    handled = page_text(kim.get("/staff/inbox?kind=question&status=handled"))
    assert "Frage aus Ahorn" in handled and "Ja, am Dienstag." in handled
    assert translated_until(app, "Replied by %(name)s at %(time)s", "time", name="Kim Fachkraft") in handled


def test_a_foreign_return_address_is_not_followed(client_for, office):
    entry = office["cases"]["Ahorn"]
    kim = client_for(office["kim"].username)
    token = csrf_token(kim.get("/staff/inbox").text)
    response = kim.post(f"/staff/cases/{entry['case'].id}/inbox/answers/{entry['answer'].id}/handled",
                        data={"csrf_token": token, "next": "https://example.org/staff/inbox"})
    assert response.headers["Location"].endswith(f"/staff/cases/{entry['case'].id}/inbox")


def test_answers_and_plan_responses_are_marked_handled_with_who_and_when(app, client_for, session, office):
    entry = office["cases"]["Ahorn"]
    case = entry["case"]
    kim = client_for(office["kim"].username)
    token = csrf_token(kim.get("/staff/inbox").text)
    for path in (f"answers/{entry['answer'].id}", f"responses/{entry['response'].id}"):
        response = kim.post(f"/staff/cases/{case.id}/inbox/{path}/handled",
                            data={"csrf_token": token, "next": "/staff/inbox"})
        assert response.status_code == 302 and response.headers["Location"].endswith("/staff/inbox")
    waiting = kim.get("/staff/inbox").text
    assert "Absage aus Ahorn" not in waiting and "Einwand aus Ahorn" not in waiting
    handled = page_text(kim.get("/staff/inbox?status=handled"))
    assert "Absage aus Ahorn" in handled and "Einwand aus Ahorn" in handled
    assert handled.count(translated_until(app, "Handled by %(name)s at %(time)s", "time", name="Kim Fachkraft")) == 2
    session.expire_all()
    answer = session.get(AppointmentAnswer, entry["answer"].id)
    assert answer.handled_by_id == office["kim"].id and answer.handled
    # The family answers again: the answer is new, and waits again.
    answer.reason, answer.answered_at = "Neue Absage aus Ahorn", utcnow() + timedelta(seconds=1)
    session.commit()
    assert "Neue Absage aus Ahorn" in kim.get("/staff/inbox?kind=answer").text
    actions = session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.case_id == case.id, AuditEvent.action.in_(["answer.handled", "response.handled"]))).all()
    assert sorted(actions) == ["answer.handled", "response.handled"]


def test_an_answer_of_another_case_is_not_there(client_for, office):
    kim = client_for(office["kim"].username)
    own = office["cases"]["Ahorn"]["case"]
    foreign = office["cases"]["Linde"]
    token = csrf_token(kim.get("/staff/inbox").text)
    assert kim.post(f"/staff/cases/{own.id}/inbox/answers/{foreign['answer'].id}/handled",
                    data={"csrf_token": token}).status_code == 404
    assert kim.post(f"/staff/cases/{own.id}/inbox/responses/{foreign['response'].id}/handled",
                    data={"csrf_token": token}).status_code == 404


def test_reading_the_inbox_is_audited_once_per_view_and_once_a_day_per_case(client_for, session, office):
    kim = client_for(office["kim"].username)
    cases = {office["cases"][label]["case"].id for label in ("Ahorn", "Birke")}

    def count(action, **where):
        query = sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == action, AuditEvent.actor == office["kim"].principal_id)
        for name, value in where.items():
            query = query.where(getattr(AuditEvent, name).in_(value))
        return session.scalar(query)

    kim.get("/staff/inbox")
    kim.get("/staff/inbox")
    assert count("inbox.read") == 2
    assert count("case.read", case_id=cases) == 2  # one per case shown, not one per view
    # The family's "who opened our file" names the reader.
    parent = office["cases"]["Ahorn"]["parent"]
    from tests.factories import PASSWORD
    from tests.conftest import sign_in

    family = kim.application.test_client()
    sign_in(family, parent.username, PASSWORD)
    assert "Kim Fachkraft" in page_text(family.get("/account"))
    assert staff(session, office["kim"].username).display_name == "Kim Fachkraft"
