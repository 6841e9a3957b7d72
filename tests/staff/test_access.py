"""Who reaches which staff page: every case route answers 404 outside the staff member's scope."""
import re

import pytest
import sqlalchemy as sa

from portal.models import (
    Appointment,
    AppointmentAnswer,
    Consent,
    Contact,
    PlanItem,
    PublishedItem,
    Question,
    SafetyAlert,
    VersionResponse,
)
from tests.staff.conftest import token


@pytest.fixture
def sommer_objects(in_db, sommer) -> dict:
    """One id of every kind of Sommer object a staff route takes, with a question, alert and consent added."""

    def arrange(session):
        entrusted = session.scalar(sa.select(PlanItem).where(PlanItem.text == "Anna spricht mit der Suchtberatung"))
        appointment = session.scalar(sa.select(Appointment.id).where(Appointment.case_id == sommer["case"]))
        answer = AppointmentAnswer(appointment_id=appointment, member_id=sommer["demo.parent"], coming=True)
        version = session.scalar(sa.select(PublishedItem.version_id).where(PublishedItem.case_id == sommer["case"]))
        consent = Consent(item=entrusted, given_by_id=sommer["demo.parent"], recipient_id=sommer["demo.parent2"])
        question = Question(case_id=sommer["case"], member_id=sommer["demo.parent"], text="Wann ist das Gespräch?")
        alert = SafetyAlert(case_id=sommer["case"], member_id=sommer["demo.youth"])
        response = VersionResponse(version_id=version, member_id=sommer["demo.parent"], agrees=True)
        session.add_all([consent, question, alert, answer, response])
        session.flush()
        ids = {
            "case_id": sommer["case"], "member_id": sommer["demo.parent"], "item_id": entrusted.id,
            "consent_id": consent.id, "question_id": question.id, "alert_id": alert.id,
            "appointment_id": session.scalar(sa.select(Appointment.id).where(Appointment.case_id == sommer["case"])),
            "contact_id": session.scalar(sa.select(Contact.id).where(Contact.case_id == sommer["case"])),
            "answer_id": answer.id, "response_id": response.id,
            "language": "en", "direction": "up", "page": "plan",
        }
        session.commit()
        return ids

    return in_db(arrange)


def case_urls(app, ids: dict) -> list[tuple[str, list[str]]]:
    """Every staff URL rule that takes a case, filled with Sommer's ids."""
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("staff.") and "case_id" in rule.arguments:
            url = re.sub(r"<(?:[^:>]+:)?(\w+)>", lambda m: str(ids[m.group(1)]),
                         rule.rule.replace("<any(up, down):direction>", "<direction>"))
            urls.append((url, sorted(rule.methods - {"HEAD", "OPTIONS"})))
    return urls


@pytest.mark.parametrize("username", ["demo.other", "demo.admin"])
def test_staff_outside_the_case_get_404_on_every_sommer_route(app, client_for, sommer_objects, username):
    client = client_for(username)
    own_page = "/staff/admin/staff" if username == "demo.admin" else "/staff/"
    csrf = token(client, own_page)
    urls = case_urls(app, sommer_objects)
    assert len(urls) >= 25
    for url, methods in urls:
        for method in methods:
            response = client.open(url, method=method, data={"csrf_token": csrf} if method == "POST" else None)
            assert response.status_code == 404, (username, method, url)
            assert "Sommer" not in response.text


def test_admin_sees_no_case_content_anywhere(client_for):
    admin = client_for("demo.admin")
    for url in ("/staff/", "/staff/admin/staff", "/staff/directory"):
        page = admin.get(url)
        assert page.status_code == 200
        assert "Sommer" not in page.text and "Winter" not in page.text
    assert admin.get("/staff/cases/new").status_code == 404


def test_lead_sees_the_team_cases_and_the_caseworker_only_their_own(client_for, in_db, sommer):
    winter = in_db(lambda s: s.scalar(sa.text("SELECT id FROM \"case\" WHERE title = 'Familie Winter'")))
    lead = client_for("demo.lead")
    caseload = lead.get("/staff/")
    assert "Familie Sommer" in caseload.text and "Familie Winter" in caseload.text
    assert lead.get(f"/staff/cases/{winter}").status_code == 200
    caseworker = client_for("demo.caseworker")
    caseload = caseworker.get("/staff/")
    assert "Familie Sommer" in caseload.text and "Familie Winter" not in caseload.text
    assert caseworker.get(f"/staff/cases/{winter}").status_code == 404
    assert caseworker.get(f"/staff/cases/{winter}/plan").status_code == 404


def test_family_members_and_anonymous_visitors_do_not_reach_the_workspace(client_for, anonymous, sommer):
    case = sommer["case"]
    parent = client_for("demo.parent")
    for url in ("/staff/", f"/staff/cases/{case}", f"/staff/cases/{case}/plan", "/staff/admin/staff"):
        assert parent.get(url).status_code == 404
        response = anonymous.get(url)
        assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_caseworker_reaches_neither_admin_pages_nor_the_directory(client_for):
    caseworker = client_for("demo.caseworker")
    for url in ("/staff/admin/staff", "/staff/admin/staff/1", "/staff/directory"):
        assert caseworker.get(url).status_code == 404


def test_objects_of_another_case_answer_404_inside_a_case_in_scope(client_for, in_db, sommer):
    """The Winter case's appointment is not reachable through the Sommer URL either."""
    winter_item = item_of(in_db, "Sven besucht seine Tochter jeden Mittwoch in der Pflegefamilie")
    caseworker = client_for("demo.caseworker")
    case = sommer["case"]
    assert caseworker.get(f"/staff/cases/{case}/plan/items/{winter_item}").status_code == 404
    assert caseworker.get(f"/staff/cases/{case}/plan/items/{winter_item}/translations").status_code == 404


def item_of(in_db, text: str) -> int:
    return in_db(lambda s: s.scalar(sa.select(PlanItem.id).where(PlanItem.text == text)))


def test_post_without_csrf_token_is_refused_and_changes_nothing(client_for, in_db, sommer):
    caseworker = client_for("demo.caseworker")
    case = sommer["case"]
    response = caseworker.post(f"/staff/cases/{case}/phase", data={"phase": "closed", "revision": "1"})
    assert response.status_code == 400
    assert in_db(lambda s: s.scalar(sa.text(f'SELECT phase FROM "case" WHERE id = {case}'))) == "preparation"


def row_counts(in_db) -> dict:
    from portal.db import Base

    def count(session):
        return {name: session.scalar(sa.select(sa.func.count()).select_from(table))
                for name, table in Base.metadata.tables.items() if name != "audit_event"}

    return in_db(count)


@pytest.mark.parametrize("username", ["demo.caseworker", "demo.lead"])
def test_every_staff_page_answers_200_and_reading_adds_no_rows_but_audit_events(
        app, client_for, in_db, sommer_objects, username):
    client = client_for(username)
    before = row_counts(in_db)
    for url, methods in case_urls(app, sommer_objects) + [("/staff/", ["GET"]), ("/staff/?phase=return", ["GET"])]:
        if "GET" in methods:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.headers["Content-Security-Policy"]
    assert row_counts(in_db) == before


# Which persona reaches which staff route without a case is in the one access matrix
# (tests/access_matrix.py, walked by tests/test_access_matrix.py).
