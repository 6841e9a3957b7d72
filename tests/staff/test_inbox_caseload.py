"""Caseload overview, "I don't feel safe" alerts on top until acknowledged, and the inbox."""
import sqlalchemy as sa

from portal.models import Question, SafetyAlert
from tests.messages import without_isolation
from tests.staff.conftest import token


def add(in_db, *objects):
    def work(session):
        session.add_all(objects)
        session.commit()
        return [o.id for o in objects]

    return in_db(work)


def test_caseload_shows_phase_appointment_questions_draft_changes_and_agreement(client_for, in_db, sommer):
    add(in_db, Question(case_id=sommer["case"], member_id=sommer["demo.parent"], text="Wann ist das Gespräch?"))
    open_questions = in_db(lambda s: s.scalar(sa.select(sa.func.count()).select_from(Question).where(
        Question.case_id == sommer["case"], Question.reply.is_(None))))
    page = without_isolation(client_for("demo.caseworker").get("/staff/").text)
    assert "Getting ready for the return" in page  # the phase
    assert "Overnight stay at home" in page or "Case plan conference" in page  # the next appointment
    assert f"{open_questions} open question" in page
    assert "1 unpublished change" in page  # „Ferien zu Hause planen“
    assert "Version 2" in page and "Anna agrees" in page


def test_phase_filter(client_for):
    client = client_for("demo.lead")
    page = client.get("/staff/?phase=planning").text
    assert "Familie Winter" in page and "Familie Sommer" not in page
    assert "Familie Sommer" in client.get("/staff/?phase=nonsense").text  # unknown filter: all cases


def test_alert_is_on_top_until_acknowledged(client_for, in_db, sommer):
    (alert,) = add(in_db, SafetyAlert(case_id=sommer["case"], member_id=sommer["demo.youth"]))
    caseworker = client_for("demo.caseworker")
    page = caseworker.get("/staff/").text
    assert page.index("someone does not feel safe") < page.index("<h1")
    assert "Jonas" in page
    assert client_for("demo.other").get("/staff/").text.count("does not feel safe") == 0
    response = caseworker.post(f"/staff/cases/{sommer['case']}/alerts/{alert}/acknowledge",
                               data={"csrf_token": token(caseworker)})
    assert response.status_code == 302
    assert "does not feel safe" not in caseworker.get("/staff/").text
    assert in_db(lambda s: s.get(SafetyAlert, alert).acknowledged_by.username) == "demo.caseworker"


def test_reply_is_seen_by_the_asker_and_the_chosen_readers(client_for, in_db, sommer):
    (question,) = add(in_db, Question(case_id=sommer["case"], member_id=sommer["demo.youth"],
                                      text="Darf ich am Wochenende zum Training?"))
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/inbox"
    inbox = caseworker.get(url).text
    assert "Darf ich am Wochenende zum Training?" in inbox and "not answered" in inbox
    prefix = f"q{question}"
    response = caseworker.post(f"{url}/{question}", data={
        f"{prefix}-csrf_token": token(caseworker, url), f"{prefix}-revision": "1",
        f"{prefix}-reply": "Ja, das klären wir mit der Wohngruppe.", f"{prefix}-readers": [str(sommer["demo.parent"])]})
    assert response.status_code == 302

    def readers(session):
        from portal import sharing
        from portal.models import Member

        q = session.get(Question, question)
        members = session.scalars(sa.select(Member).where(Member.case_id == sommer["case"])).all()
        return q.reply, sorted(m.display_name for m in members if sharing.may_see(m, q))

    assert in_db(readers) == ("Ja, das klären wir mit der Wohngruppe.", ["Anna", "Jonas"])


def test_empty_or_stale_reply_is_refused(client_for, in_db, sommer):
    (question,) = add(in_db, Question(case_id=sommer["case"], member_id=sommer["demo.parent"], text="Frage"))
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/inbox"
    prefix = f"q{question}"
    csrf = token(caseworker, url)
    empty = caseworker.post(f"{url}/{question}", data={f"{prefix}-csrf_token": csrf, f"{prefix}-revision": "1",
                                                       f"{prefix}-reply": ""})
    assert empty.status_code == 400
    stale = caseworker.post(f"{url}/{question}", data={f"{prefix}-csrf_token": csrf, f"{prefix}-revision": "0",
                                                       f"{prefix}-reply": "Meine Antwort"})
    assert stale.status_code == 409 and "Meine Antwort" in stale.text
