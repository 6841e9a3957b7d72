"""Audit log: reads, writes, sign-ins, failures and denials; append-only; the lead's view."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.models import AuditEvent, Case
from portal.demo import DEMO_TOTP_SECRET
from tests.conftest import case_titled, csrf_token, second_factor, sign_in, staff


def events(session, **where) -> list[AuditEvent]:
    query = sa.select(AuditEvent).order_by(AuditEvent.id)
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return session.scalars(query).all()


def test_staff_opening_a_case_is_recorded_with_role_and_name(client_for, session):
    sommer = case_titled(session, "Familie Sommer")
    before = len(events(session, action="case.read", case_id=sommer.id))  # the demo has earlier openings
    client_for("demo.caseworker").get(f"/staff/cases/{sommer.id}")
    [event] = events(session, action="case.read", case_id=sommer.id)[before:]
    caseworker = staff(session, "demo.caseworker")
    assert (event.actor, event.actor_role, event.actor_name, event.outcome) == (
        caseworker.principal_id, "caseworker", "Petra Lange", "ok")


def test_staff_write_is_recorded_without_content(client_for, session):
    sommer = case_titled(session, "Familie Sommer")
    client = client_for("demo.caseworker")
    page = client.get(f"/staff/cases/{sommer.id}/plan")
    text = "Geheimer Planpunkt zum Prüfen des Audits"
    response = client.post(f"/staff/cases/{sommer.id}/plan", data={
        "csrf_token": csrf_token(page.text), "kind": "goal", "parent_id": "", "text": text,
        "owner": "family", "status": "open", "audience": "staff",
    })
    assert response.status_code == 302
    [event] = events(session, action="plan_item.create", case_id=sommer.id)
    assert event.object_type == "plan_item" and event.object_id is not None
    stored = " ".join(str(v) for v in session.execute(sa.select(AuditEvent.__table__)).all())
    assert text not in stored


def test_sign_in_and_sign_in_failure_are_recorded(app, session):
    client = app.test_client()
    sign_in(client, "demo.lead", "wrong password", staff=True)
    assert sign_in(client, "demo.lead", staff=True).status_code == 302
    assert second_factor(client, "demo.lead").status_code == 302
    failure = events(session, action="signin.failure")[-1]
    success = events(session, action="signin")[-1]
    assert failure.outcome == "denied" and failure.actor is None
    assert success.actor == staff(session, "demo.lead").principal_id and success.actor_name == "Sabine Koch"


def test_family_sign_in_is_recorded_with_the_members_case(client_for, session):
    client_for("demo.parent")
    event = events(session, action="signin")[-1]
    assert event.case_id == case_titled(session, "Familie Sommer").id and event.actor_name is None


def test_case_outside_scope_answers_404_and_records_the_denial(client_for, session):
    sommer = case_titled(session, "Familie Sommer")
    reads_before = len(events(session, action="case.read", case_id=sommer.id))  # demo has earlier reads
    client = client_for("demo.other")
    response = client.get(f"/staff/cases/{sommer.id}")
    missing = client.get("/staff/cases/999999")
    assert response.status_code == missing.status_code == 404
    # Nothing tells an existing case from a missing one.
    def without_own_url(text: str) -> str:
        # The sign-out form's CSRF token is signed with the second it was made: not the page's doing.
        return re.sub(r"/staff/cases/\d+", "", re.sub(r'name="csrf_token"([^>]*)value="[^"]+"', "", text))

    assert without_own_url(response.text) == without_own_url(missing.text)
    assert "Sommer" not in response.text
    [denied] = events(session, action="case.denied", case_id=sommer.id)
    assert denied.outcome == "denied" and denied.actor == staff(session, "demo.other").principal_id
    assert len(events(session, action="case.read", case_id=sommer.id)) == reads_before


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm(session):
    event = AuditEvent(action="case.read", case_id=1, actor="staff:1")
    session.add(event)
    session.commit()
    event.outcome = "forged"
    with pytest.raises(RuntimeError, match="append-only"):
        session.flush()
    session.rollback()
    session.delete(session.get(AuditEvent, event.id))
    with pytest.raises(RuntimeError, match="append-only"):
        session.flush()
    session.rollback()


def test_audit_rows_cannot_be_changed_or_deleted_in_postgresql(_transaction, client_for, session):
    if _transaction.dialect.name != "postgresql":
        pytest.skip("the database trigger exists on PostgreSQL; SQLite relies on the ORM guard")
    sommer = case_titled(session, "Familie Sommer")
    client_for("demo.caseworker").get(f"/staff/cases/{sommer.id}")
    for statement in ("UPDATE audit_event SET outcome = 'forged'", "DELETE FROM audit_event",
                      "TRUNCATE audit_event"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with _transaction.begin_nested():
                _transaction.exec_driver_sql(statement)
    assert _transaction.scalar(sa.text("SELECT count(*) FROM audit_event WHERE outcome = 'forged'")) == 0
    assert _transaction.scalar(sa.text("SELECT count(*) FROM audit_event WHERE action = 'case.read'")) >= 1


# --- the lead's view ------------------------------------------------------------

def test_lead_sees_the_audit_of_the_team_cases(client_for, session):
    sommer = case_titled(session, "Familie Sommer")
    client_for("demo.caseworker").get(f"/staff/cases/{sommer.id}")
    client_for("demo.other").get(f"/staff/cases/{sommer.id}")  # denied
    page = client_for("demo.lead").get("/staff/audit")
    assert page.status_code == 200
    assert "Petra Lange" in page.text and "Tobias Berg" in page.text
    assert sommer.reference in page.text


@pytest.mark.parametrize("username", ["demo.caseworker", "demo.other", "demo.admin"])
def test_audit_view_is_404_for_everyone_but_leads(client_for, username):
    assert client_for(username).get("/staff/audit").status_code == 404


def test_audit_view_is_404_for_family_and_sends_anonymous_to_sign_in(client_for, anonymous):
    assert client_for("demo.parent").get("/staff/audit").status_code == 404
    response = anonymous.get("/staff/audit")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_lead_of_another_team_sees_none_of_the_team_events(client_for, session):
    from portal.models import Role, StaffUser, Team
    from portal.passwords import hash_password
    from portal.demo import PASSWORD

    sommer = case_titled(session, "Familie Sommer")
    sued = session.scalar(sa.select(Team).where(Team.name == "ASD Süd"))
    session.add(StaffUser(username="test.lead.sued", display_name="Lea Süd", role=Role.lead, team=sued,
                          password_hash=hash_password(PASSWORD), totp_secret=DEMO_TOTP_SECRET))
    session.commit()
    client_for("demo.caseworker").get(f"/staff/cases/{sommer.id}")
    page = client_for("test.lead.sued").get("/staff/audit")
    assert page.status_code == 200
    assert sommer.reference not in page.text and "Petra Lange" not in page.text


def test_audit_view_filters_by_file_reference(client_for, session):
    sommer = case_titled(session, "Familie Sommer")
    winter = case_titled(session, "Familie Winter")
    client_for("demo.caseworker").get(f"/staff/cases/{sommer.id}")
    client_for("demo.other").get(f"/staff/cases/{winter.id}")
    page = client_for("demo.lead").get(f"/staff/audit?case={winter.reference}")
    assert winter.reference in page.text and sommer.reference not in page.text
    assert "Tobias Berg" in page.text and "Petra Lange" not in page.text


def test_audit_view_pages_through_many_events(client_for, session):
    from portal.staff.audit_log import PAGE_SIZE

    winter = case_titled(session, "Familie Winter")
    session.add_all(AuditEvent(action="case.read", case_id=winter.id, actor_role="caseworker",
                               actor_name="Tobias Berg", actor="staff:0") for _ in range(PAGE_SIZE + 5))
    session.commit()
    client = client_for("demo.lead")
    first = client.get(f"/staff/audit?case={winter.reference}")
    second = client.get(f"/staff/audit?case={winter.reference}&page=2")
    assert first.text.count("<tr>") == PAGE_SIZE + 1  # header row + one page
    assert second.text.count("<tr>") == 5 + 1
    assert "page=2" in first.text and "page=3" not in second.text
    assert client.get("/staff/audit?page=-3").status_code == 200


def test_reading_the_audit_view_writes_nothing(client_for, session):
    client = client_for("demo.lead")
    before = session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    cases = session.scalar(sa.select(sa.func.count(Case.id)))
    client.get("/staff/audit")
    assert session.scalar(sa.select(sa.func.count(AuditEvent.id))) == before
    assert session.scalar(sa.select(sa.func.count(Case.id))) == cases


# --- every staff page of a case, now and later ----------------------------------------

def staff_case_pages(app, session, case: Case) -> list[str]:
    """The GET URLs of every staff rule that names a case, filled with ids of `case`."""
    from portal.models import Appointment, Contact, Member, Plan, PlanItem

    ids = {
        "case_id": case.id,
        "member_id": session.scalar(sa.select(Member.id).where(Member.case_id == case.id).limit(1)),
        "item_id": session.scalar(sa.select(PlanItem.id).join(Plan).where(Plan.case_id == case.id).limit(1)),
        "appointment_id": session.scalar(sa.select(Appointment.id).where(Appointment.case_id == case.id).limit(1)),
        "contact_id": session.scalar(sa.select(Contact.id).where(Contact.case_id == case.id).limit(1)),
        "page": "plan",
        "language": "en",
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("staff.") or "case_id" not in rule.arguments or "GET" not in rule.methods:
            continue
        unknown = rule.arguments - ids.keys()
        assert not unknown, f"{rule.rule}: add an id for {unknown} to staff_case_pages"
        urls.append(rule.build({name: ids[name] for name in rule.arguments})[1])
    assert urls
    return urls


def test_every_staff_page_of_a_case_records_the_read(app, client_for, session):
    sommer = case_titled(session, "Familie Sommer")
    client = client_for("demo.caseworker")
    for url in staff_case_pages(app, session, sommer):
        before = len(events(session, action="case.read", case_id=sommer.id))
        assert client.get(url).status_code == 200, url
        assert len(events(session, action="case.read", case_id=sommer.id)) == before + 1, url


def test_every_staff_page_of_a_case_outside_scope_records_the_denial(app, client_for, session):
    sommer = case_titled(session, "Familie Sommer")
    reads_before = len(events(session, action="case.read", case_id=sommer.id))  # demo has earlier reads
    client = client_for("demo.other")
    for url in staff_case_pages(app, session, sommer):
        before = len(events(session, action="case.denied", case_id=sommer.id))
        assert client.get(url).status_code == 404, url
        assert len(events(session, action="case.denied", case_id=sommer.id)) == before + 1, url
    assert len(events(session, action="case.read", case_id=sommer.id)) == reads_before


# --- refusals on the embedded default: an SQLite file served by several connections ---

@pytest.fixture
def embedded(tmp_path):
    """A portal as `make run` serves it: its own SQLite file, demo loaded, every request on
    a pooled connection of its own (outside the per-test transaction, which would put the
    request and the audit write on one connection and hide any lock between them)."""
    from config import TestConfig
    from tests.demo_portal import build_demo_app

    url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    app = build_demo_app(type("EmbeddedConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URL": url}))
    yield app
    app.extensions["database"].engine.dispose()


def test_refused_case_on_the_sqlite_file_answers_404_keeps_the_denial_and_leaves_no_lock(embedded, tmp_path):
    from portal.db import db

    with embedded.app_context():
        sommer_id = case_titled(db.session, "Familie Sommer").id
    outsider = embedded.test_client()
    assert sign_in(outsider, "demo.other", staff=True).status_code == 302
    assert second_factor(outsider, "demo.other").status_code == 302

    assert outsider.get(f"/staff/cases/{sommer_id}").status_code == 404

    with embedded.app_context():
        [denied] = events(db.session, action="case.denied", case_id=sommer_id)
        assert denied.actor == staff(db.session, "demo.other").principal_id
    # Nothing is left holding the database: another person signs in, a backup is taken.
    caseworker = embedded.test_client()
    assert sign_in(caseworker, "demo.caseworker", staff=True).status_code == 302
    assert second_factor(caseworker, "demo.caseworker").status_code == 302
    assert caseworker.get(f"/staff/cases/{sommer_id}").status_code == 200
    backup = embedded.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy.sqlite3")])
    assert backup.exit_code == 0, backup.output
