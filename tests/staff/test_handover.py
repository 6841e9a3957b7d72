"""Handing a case over: a lead's deliberate step with a note the new caseworker reads first;
the family sees the new caseworker at once; the change is kept with its date."""
import sqlalchemy as sa

from portal.models import AuditEvent, Case, CaseHandover, Contact, ContactType, MemberKind, Role, StaffUser
from portal.staff.operations import cases as case_ops
from tests.factories import make_case, make_contact, make_member, make_staff
from tests.messages import page_text, translated
from tests.staff.conftest import token

NOTE = "Familie kennt mich seit dem Hilfeplangespräch; Mia braucht vor Besuchen Ruhe. Gericht am 24. vorbereiten."


def staff_ids(in_db) -> dict[str, int]:
    return in_db(lambda s: dict(s.execute(sa.select(StaffUser.username, StaffUser.id)).all()))


def hand_over(lead, case_id: int, in_db, primary: int, deputy: int | None = None, note: str = NOTE):
    url = f"/staff/cases/{case_id}"
    revision = in_db(lambda s: s.get(Case, case_id).revision)
    return lead.post(f"{url}/assignment", data={"csrf_token": token(lead, url), "revision": str(revision),
                                                "primary": str(primary), "deputy": str(deputy or ""), "note": note})


def test_lead_hands_the_case_over_and_the_new_caseworker_reads_the_note_on_top(app, client_for, in_db, sommer):
    ids = staff_ids(in_db)
    in_db(lambda s: (setattr(s.get(StaffUser, ids["demo.other"]), "phone", "030 5550 1299"), s.commit()))
    response = hand_over(client_for("demo.lead"), sommer["case"], in_db, ids["demo.other"])
    assert response.status_code == 302

    tobias = client_for("demo.other")
    page = page_text(tobias.get(f"/staff/cases/{sommer['case']}"))
    assert NOTE in page
    assert page.index(NOTE) < page.index(translated(app, "Family members"))  # on top of the case
    assert translated(app, "Handover note") in page
    assert "Petra Lange" in page and "Sabine Koch" in page  # from whom, decided by whom

    handover = in_db(lambda s: s.scalar(sa.select(CaseHandover).where(CaseHandover.case_id == sommer["case"])))
    assert (handover.from_id, handover.to_id, handover.by_id, handover.note) == (
        ids["demo.caseworker"], ids["demo.other"], ids["demo.lead"], NOTE)
    assert handover.at is not None
    actions = in_db(lambda s: s.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.case_id == sommer["case"], AuditEvent.action.in_(["case.handover", "case.assign"]))).all())
    assert actions == ["case.handover"]

    # Petra no longer carries it; the family sees Tobias at once, on contacts and home.
    assert client_for("demo.caseworker").get(f"/staff/cases/{sommer['case']}").status_code == 404
    anna = client_for("demo.parent")
    contacts = page_text(anna.get("/contacts"))
    assert "Tobias Berg" in contacts and "Petra Lange" not in contacts and "030 5550 1201" not in contacts
    home = page_text(anna.get("/"))
    assert translated(app, "Call %(name)s", name="Tobias Berg") in home and "030 5550 1299" in home


def test_a_new_caseworker_without_a_note_is_refused_and_nothing_changes(app, client_for, in_db, sommer):
    ids = staff_ids(in_db)
    response = hand_over(client_for("demo.lead"), sommer["case"], in_db, ids["demo.other"], note="  ")
    assert response.status_code == 400
    assert translated(app, "Please write a handover note for the new caseworker.") in page_text(response)
    assert in_db(lambda s: s.get(Case, sommer["case"]).primary_caseworker_id) == ids["demo.caseworker"]
    assert in_db(lambda s: s.scalar(sa.select(sa.func.count()).select_from(CaseHandover))) == 0
    assert "Petra Lange" in page_text(client_for("demo.parent").get("/contacts"))


def test_changing_only_the_deputy_is_no_handover(client_for, in_db, sommer):
    ids = staff_ids(in_db)
    response = hand_over(client_for("demo.lead"), sommer["case"], in_db, ids["demo.caseworker"],
                         deputy=ids["demo.other"], note="")
    assert response.status_code == 302
    assert in_db(lambda s: s.scalar(sa.select(sa.func.count()).select_from(CaseHandover))) == 0
    assert client_for("demo.other").get(f"/staff/cases/{sommer['case']}").status_code == 200


def test_the_deputy_contact_follows_the_deputy_and_goes_when_there_is_none(session):
    lead = make_staff(session, Role.lead)
    first = make_staff(session, team=lead.team, phone="030 5550 2001")
    second = make_staff(session, team=lead.team, phone=None)
    deputy = make_staff(session, team=lead.team, phone="030 5550 2003")
    case = make_case(session, team=lead.team, primary_caseworker=first, deputy_caseworker=deputy)
    make_member(session, case, MemberKind.parent)
    own = make_contact(session, case, type=ContactType.caseworker, name=first.display_name, phone=first.phone)
    stand_in = make_contact(session, case, type=ContactType.deputy, name=deputy.display_name, phone=deputy.phone)

    handover = case_ops.assign(session, case, second, deputy, "Bitte übernehmen.", str(case.revision), by=lead)
    assert handover.from_id == first.id and handover.to_id == second.id
    assert (own.name, own.phone) == (second.display_name, None)  # never the previous caseworker's number
    assert stand_in.name == deputy.display_name

    case_ops.assign(session, case, second, None, "", str(case.revision), by=lead)
    assert session.scalar(sa.select(Contact.id).where(Contact.id == stand_in.id)) is None
    assert [h.to_id for h in case.handovers] == [second.id]
