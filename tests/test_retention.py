"""Retention: closing a case ends the family's access at once; `flask purge-expired`
deletes what is due, everything hanging off it, and only that (SECURITY.md property 30)."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal import invitations, publishing, retention
from portal.db import Base, utcnow
from portal.models import (
    CheckinWarningSeen,
    Audience,
    Appointment,
    AppointmentAnswer,
    AppointmentAnswerChange,
    AuditEvent,
    Case,
    Channel,
    CaseHandover,
    Consent,
    Contact,
    ContentTranslation,
    DeletionRecord,
    Delivery,
    LoginSession,
    Member,
    Message,
    Notification,
    NotificationKind,
    NotificationOptOut,
    Phase,
    Plan,
    PlanItem,
    PushSubscription,
    Question,
    SafetyAlert,
)
from tests.conftest import case_titled, member, secret, staff


def close(app, session, title: str) -> Case:
    case = case_titled(session, title)
    with app.test_request_context():
        retention.close_case(session, case, staff(session, "demo.caseworker"))
    session.commit()
    return case


def test_closing_a_case_signs_the_family_out_and_sets_the_deletion_date(app, client_for, session):
    parent = client_for("demo.parent")
    assert parent.get("/plan").status_code == 200
    case = close(app, session, "Familie Sommer")
    response = parent.get("/plan")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    session.expire_all()
    assert case.phase is Phase.closed and case.phase_changes[-1].phase is Phase.closed
    assert all(not m.active for m in case.members)
    assert case.delete_after - case.closed_at == app.config["RETENTION_PERIOD"]
    principals = [m.principal_id for m in case.members]
    assert session.scalar(sa.select(sa.func.count()).where(LoginSession.principal.in_(principals))) == 0
    # Another family is not affected.
    assert client_for("demo.other.parent").get("/plan").status_code == 200


def test_closing_a_case_revokes_open_invitations(app, session):
    sommer = case_titled(session, "Familie Sommer")
    newcomer = Member(case=sommer, kind="child", display_name="Lotta")
    session.add(newcomer)
    session.flush()
    with app.test_request_context():
        _, code = invitations.create_invitation(session, newcomer, staff(session, "demo.caseworker"))
    secret(code)
    close(app, session, "Familie Sommer")
    with pytest.raises(invitations.InvitationError):
        invitations.find_invitation(session, code)


# --- purge ------------------------------------------------------------------------

def _owned(case_id: int) -> dict[str, sa.ColumnElement[bool]]:
    """Per table, the rows that belong to the case: reached from it along ON DELETE
    CASCADE foreign keys, plus what refers to case objects without a foreign key."""
    clauses: dict[str, sa.ColumnElement[bool]] = {"case": Base.metadata.tables["case"].c.id == case_id}
    tables = Base.metadata.sorted_tables
    changed = True
    while changed:
        changed = False
        for table in tables:
            parts = [
                fk.parent.in_(sa.select(fk.column).where(clauses[fk.column.table.name]))
                for fk in table.foreign_keys
                if fk.ondelete == "CASCADE" and fk.column.table.name in clauses
            ]
            if parts and table.name not in clauses:
                clauses[table.name] = sa.or_(*parts)
                changed = True
    members = sa.select(Member.id).where(Member.case_id == case_id)
    item_ids = sa.select(PlanItem.id).where(clauses["plan_item"])
    clauses["content_translation"] = sa.or_(
        sa.and_(ContentTranslation.object_type == "plan_item", ContentTranslation.object_id.in_(item_ids)),
        sa.and_(ContentTranslation.object_type == "appointment",
                ContentTranslation.object_id.in_(sa.select(Appointment.id).where(Appointment.case_id == case_id))),
        sa.and_(ContentTranslation.object_type == "contact",
                ContentTranslation.object_id.in_(sa.select(Contact.id).where(Contact.case_id == case_id))),
    )
    clauses["login_session"] = LoginSession.principal.in_(
        sa.select(sa.literal("member:") + sa.cast(Member.id, sa.String)).where(Member.id.in_(members))
    )
    return clauses


def _counts(session, where: dict[str, sa.ColumnElement[bool]] | None = None) -> dict[str, int]:
    counts = {}
    for table in Base.metadata.sorted_tables:
        query = sa.select(sa.func.count()).select_from(table)
        if where is not None:
            if table.name not in where:
                continue
            query = query.where(where[table.name])
        counts[table.name] = session.scalar(query)
    return counts


def _fill_every_table(app, session, client_for, case: Case) -> None:
    """Give the case a row in every table that can hang off a case."""
    anna, jonas = member(session, "demo.parent"), member(session, "demo.youth")
    client_for("demo.parent")  # a login session
    item = session.scalar(sa.select(PlanItem).where(PlanItem.entrusted_by_id == anna.id))
    session.add(Consent(item=item, given_by=anna, recipient=member(session, "demo.parent2")))
    appointment = session.scalar(sa.select(Appointment).where(Appointment.case_id == case.id))
    appointment.people = [anna]
    answer = AppointmentAnswer(appointment=appointment, member=anna, coming=True)
    answer.earlier.append(AppointmentAnswerChange(coming=False, reason="Krank.", answered_at=utcnow()))
    session.add(answer)
    contact = session.scalar(sa.select(Contact).where(Contact.case_id == case.id))
    contact.people = [anna]
    question = Question(case_id=case.id, member=jonas, text="Darf ich am Wochenende zum Training?")
    question.readers = [anna]
    session.add_all([question, SafetyAlert(case_id=case.id, member=jonas)])
    # Check-ins: the demo has schedule, members and answers; a warning seen with its note (issue 15).
    session.add(CheckinWarningSeen(case_id=case.id, member_id=jonas.id, reason="fall", key="1",
                                   note="Mit Jonas telefoniert."))
    session.add(CaseHandover(case_id=case.id, note="Übergabe mit Inhalt", from_id=staff(session, "demo.caseworker").id,
                             to_id=staff(session, "demo.other").id, by_id=staff(session, "demo.lead").id))
    session.add_all([
        ContentTranslation(object_type="appointment", object_id=appointment.id, field="note", language="en",
                           text="We talk about the weekends."),
        ContentTranslation(object_type="contact", object_id=contact.id, field="note", language="en",
                           text="Call any time."),
    ])
    with app.test_request_context():
        invitations.create_invitation(session, member(session, "demo.child"), staff(session, "demo.caseworker"))
    plan = session.scalar(sa.select(Plan).where(Plan.case_id == case.id))
    publishing.publish(session, plan, staff(session, "demo.caseworker"), "Mit Einwilligung.", 2,
                       note_audience=Audience.people, note_people=[anna])
    # Notifications: an outbox row in a message with a delivery, a push subscription, a topic switched off.
    message = Message(uuid="0" * 32, member_id=anna.id)
    session.add(message)
    session.flush()
    session.add_all([
        Notification(member_id=anna.id, case_id=case.id, kind=NotificationKind.reply, message_id=message.id),
        Delivery(message_id=message.id, channel=Channel.email),
        PushSubscription(member_id=anna.id, endpoint="https://push.example.org/anna", p256dh="BPk", auth="x"),
        NotificationOptOut(member_id=anna.id, topic="reminders"),
    ])
    session.commit()


def test_purge_deletes_a_due_case_completely_and_nothing_else(app, client_for, session):
    sommer = case_titled(session, "Familie Sommer")
    _fill_every_table(app, session, client_for, sommer)
    client_for("demo.caseworker").get(f"/staff/cases/{sommer.id}")  # an audit row of the case
    close(app, session, "Familie Sommer")
    close(app, session, "Familie Winter")  # closed, but not due yet
    # A session row left behind (closing ends sessions; purging must not rely on it).
    session.add(LoginSession(token_hash="0" * 64, principal=member(session, "demo.youth").principal_id))
    sommer.delete_after = utcnow() - timedelta(minutes=1)
    session.commit()
    sommer_id, reference, closed_at = sommer.id, sommer.reference, sommer.closed_at

    owned = _counts(session, _owned(sommer_id))
    empty_for_the_case = {name for name, count in owned.items() if count == 0}
    assert empty_for_the_case == set(), f"test data misses rows in {empty_for_the_case}"
    before = _counts(session)
    audit_before = session.scalar(sa.select(sa.func.count()).where(AuditEvent.case_id == sommer_id))

    records = retention.purge_expired(session, utcnow())
    session.commit()

    after = _counts(session)
    for name, count in before.items():
        if name in ("deletion_record", "audit_event"):
            continue
        assert after[name] == count - owned.get(name, 0), name
    assert after["deletion_record"] == before["deletion_record"] + 1
    assert [(r.case_id, r.reference, r.closed_at) for r in records] == [(sommer_id, reference, closed_at)]
    assert session.scalar(sa.select(sa.func.count()).where(AuditEvent.case_id == sommer_id)) == audit_before
    assert case_titled(session, "Familie Winter").phase is Phase.closed


def test_purge_leaves_open_and_not_yet_due_cases_alone(app, session):
    """The demo office's history has cases closed months ago, due before Winter: only those go."""
    close(app, session, "Familie Winter")
    moment = utcnow() + app.config["RETENTION_PERIOD"] - timedelta(days=1)
    due = set(session.scalars(sa.select(Case.id).where(Case.delete_after <= moment)))
    open_cases = set(session.scalars(sa.select(Case.id).where(Case.delete_after.is_(None))))
    assert case_titled(session, "Familie Winter").id not in due and open_cases
    records = retention.purge_expired(session, moment)
    session.commit()
    assert {r.case_id for r in records} == due
    assert set(session.scalars(sa.select(Case.id))) >= open_cases | {case_titled(session, "Familie Winter").id}


def test_deletion_record_holds_no_content(app, session):
    close(app, session, "Familie Winter")
    records = retention.purge_expired(session, utcnow() + app.config["RETENTION_PERIOD"] + timedelta(days=1))
    [record] = [r for r in records if r.reference == "DEMO-2026-027"]  # the history's closed cases go too
    columns = {c.name for c in DeletionRecord.__table__.columns}
    assert columns == {"id", "case_id", "reference", "closed_at", "deleted_at"}
    assert record.reference == "DEMO-2026-027"


def test_purge_expired_command_deletes_due_cases(app, session):
    winter = close(app, session, "Familie Winter")
    winter.delete_after = utcnow() - timedelta(days=1)
    session.commit()
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    assert "DEMO-2026-027" in result.output
    session.expire_all()
    assert case_titled(session, "Familie Winter") is None
    assert case_titled(session, "Familie Sommer") is not None


def test_purge_expired_command_clears_sign_in_sessions_past_their_lifetime(app, client_for, session):
    client = client_for("demo.parent")
    anna = member(session, "demo.parent")
    old = LoginSession(token_hash="1" * 64, principal=anna.principal_id,
                       created_at=utcnow() - app.config["FAMILY_ABSOLUTE_TIMEOUT"] - timedelta(minutes=1))
    young_staff = LoginSession(token_hash="2" * 64, principal=staff(session, "demo.lead").principal_id,
                               created_at=utcnow() - timedelta(hours=2))
    session.add_all([old, young_staff])
    session.commit()
    old_id, young_id = old.id, young_staff.id
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    assert "1 expired sign-in session" in result.output
    session.expire_all()
    assert session.get(LoginSession, old_id) is None and session.get(LoginSession, young_id) is not None
    assert client.get("/plan").status_code == 200  # the current session lives on
