"""Check-ins on the caseworker's side (issue 15): the demo's walk-through ("done when"), switching
check-ins on and off per member and setting the rhythm (audited, stale saves refused), a warning
marked as seen with a note, and a caseload that finds warnings in as many statements for 200 cases
as for one."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from portal import checkins
from portal.db import backdated, utcnow
from portal.models import AuditEvent, Checkin, CheckinMember, CheckinRhythm, CheckinSchedule, MemberKind, Phase, Role
from tests.conftest import csrf_token, post_form
from tests.factories import make_case, make_member, make_staff
from tests.messages import page_text, translated, translated_plural


def test_done_when_petra_lange_sees_three_trends_and_jonass_warning(app, client_for, sommer):
    """After `make run`: Mia answers with a face, Anna and Jonas with the scale, and Petra Lange
    sees the three trends and Jonas's warning on her caseload."""
    mia, anna, jonas = client_for("demo.child"), client_for("demo.parent"), client_for("demo.youth")
    assert 'href="/checkin"' in mia.get("/path").text
    assert post_form(mia, "/checkin", {"face": "4", "topic": ""}).status_code == 302
    assert post_form(anna, "/checkin", {"home": "7", "together": "6", "help": "7"}).status_code == 302
    assert post_form(jonas, "/checkin", {"home": "4", "together": "5"}).status_code == 302
    petra = client_for("demo.caseworker")
    caseload = page_text(petra.get("/staff/"))
    warning = translated_plural(app, "%(name)s: the answer for the week of %(date)s is %(num)d point lower than "
                                     "the one before", "%(name)s: the answer for the week of %(date)s is %(num)d "
                                     "points lower than the one before", 3, name="Jonas", date="\x00")
    assert warning.split("\x00")[0] in caseload
    assert f'/staff/cases/{sommer["case"]}/checkins#member-{sommer["demo.youth"]}' in caseload
    trends = petra.get(f"/staff/cases/{sommer['case']}/checkins").text
    assert trends.count('<svg class="trend"') == 3  # Anna, Jonas, Mia; Daniel is not asked
    assert trends.count('<table class="table checkin-table">') == 3
    labels = page_text(petra.get(f"/staff/cases/{sommer['case']}/checkins"))
    for name in ("Anna", "Jonas", "Mia"):
        label = translated(app, "Trend of %(name)s's check-ins. The numbers are in the table below.", name=name)
        assert f'aria-label="{label}"' in labels


def test_check_ins_are_switched_on_and_off_per_member_with_the_rhythm_and_audited(app, client_for, sommer, in_db):
    petra = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/checkins"
    page = petra.get(url)
    revision = page.text.split('name="revision" type="hidden" value="', 1)[1].split('"', 1)[0]
    chosen = {"rhythm": "fortnightly", "members": [str(sommer["demo.parent2"]), str(sommer["demo.youth"]),
                                                   str(sommer["demo.child"])], "revision": revision}
    saved = petra.post(f"{url}/settings", data={"csrf_token": csrf_token(page.text), **chosen})
    assert saved.status_code == 302

    def state(session):
        schedule = session.get(CheckinSchedule, sommer["case"])
        rows = {r.member_id: r.enabled for r in session.scalars(sa.select(CheckinMember))
                if r.case_id == sommer["case"]}
        actions = [e.action for e in session.scalars(sa.select(AuditEvent).where(
            AuditEvent.case_id == sommer["case"], AuditEvent.action.like("checkin.%")))]
        return schedule.rhythm, schedule.anchor_on, rows, sorted(actions)

    rhythm, anchor, rows, actions = in_db(state)
    assert rhythm is CheckinRhythm.fortnightly and anchor.weekday() == 0
    assert rows == {sommer["demo.parent"]: False, sommer["demo.parent2"]: True, sommer["demo.youth"]: True,
                    sommer["demo.child"]: True}
    assert actions == ["checkin.off", "checkin.on", "checkin.schedule"]
    daniel, anna = client_for("demo.parent2"), client_for("demo.parent")
    assert 'name="help"' in daniel.get("/checkin").text
    assert translated(app, "The check-in for these two weeks is waiting for you. It takes half a minute.") in (
        page_text(daniel.get("/checkin")))
    assert 'name="home"' not in anna.get("/checkin").text
    assert post_form(anna, "/checkin", {"home": "5", "together": "5", "help": "5"}).status_code == 400
    # The old form again (its revision is stale now): refused, the choice kept, nothing changed.
    stale = petra.post(f"{url}/settings", data={"csrf_token": csrf_token(page.text), **chosen,
                                                "rhythm": "weekly"})
    assert stale.status_code == 409
    assert 'checked id="rhythm-0"' in stale.text  # "weekly", as sent
    assert in_db(state)[0] is CheckinRhythm.fortnightly
    # No rhythm chosen: a message, nothing saved.
    empty = petra.post(f"{url}/settings", data={"csrf_token": csrf_token(page.text)})
    assert empty.status_code == 400
    assert translated(app, "Please choose how often check-ins are asked.") in page_text(empty)


def test_a_warning_is_marked_as_seen_with_a_note_that_is_kept(app, client_for, sommer, in_db):
    petra = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}/checkins"
    page = petra.get(url)
    form = page.text.split(f'action="{url}/seen"', 1)[1].split("</form>", 1)[0]
    fields = {name: form.split(f'name="{name}" value="', 1)[1].split('"', 1)[0] for name in ("member", "reason", "key")}
    assert fields["member"] == str(sommer["demo.youth"]) and fields["reason"] == "fall"
    without_note = petra.post(f"{url}/seen", data={"csrf_token": csrf_token(page.text), **fields, "note": " "})
    assert without_note.status_code == 400
    assert translated(app, "Please write a short note.") in page_text(without_note)
    note = "Mit Jonas telefoniert; Gespräch mit der Familie am Donnerstag."
    seen = petra.post(f"{url}/seen", data={"csrf_token": csrf_token(page.text), **fields, "note": note})
    assert seen.status_code == 302
    assert note in page_text(petra.get(url))
    assert f"checkins#member-{sommer['demo.youth']}" not in petra.get("/staff/").text
    assert in_db(lambda s: s.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "checkin.warning_seen", AuditEvent.case_id == sommer["case"]))) == 1
    # Twice, or a warning that does not exist: a message, no second note.
    again = petra.post(f"{url}/seen", data={"csrf_token": csrf_token(page.text), **fields, "note": "Nochmal"})
    assert again.status_code == 400
    assert translated(app, "This warning is no longer open: someone marked it as seen, or the person is not "
                           "asked any more.") in page_text(again)
    assert "Nochmal" not in page_text(petra.get(url))


def _case_with_warnings(session, caseworker, number: int) -> None:
    """A case whose parent is asked and fell by 4 last week, and whose youth missed three weeks."""
    case = make_case(session, team=caseworker.team, primary_caseworker=caseworker, title=f"Familie C{number:03d}",
                     phase=Phase.aftercare)
    parent, youth = make_member(session, case, MemberKind.parent), make_member(session, case, MemberKind.youth)
    today = checkins.local_day(utcnow())
    first = checkins.monday(today) - timedelta(weeks=4)
    session.add(CheckinSchedule(case_id=case.id, rhythm=CheckinRhythm.weekly, anchor_on=first))
    for person in (parent, youth):
        session.add(CheckinMember(member_id=person.id, case_id=case.id, enabled=True, since_on=first))
    for week, home in enumerate((8, 8, 8, 4)):
        session.add(Checkin(case_id=case.id, member_id=parent.id, period_on=first + timedelta(weeks=week),
                            phase=Phase.aftercare, home=home, together=6, help=6, level=home))
    session.flush()


def test_the_caseload_finds_check_in_warnings_in_as_many_statements_for_200_cases_as_for_one(
        app, client_for, session):
    from portal.demo import PASSWORD
    from portal.passwords import hash_password

    one = make_staff(session, password_hash=hash_password(PASSWORD))
    many = make_staff(session, role=Role.caseworker, password_hash=hash_password(PASSWORD))
    _case_with_warnings(session, one, 0)
    for number in range(1, 201):
        _case_with_warnings(session, many, number)
    session.commit()
    engine = app.extensions["database"].engine

    def statements(client) -> tuple[int, str]:
        count = {"n": 0}

        def counted(*_args):
            count["n"] += 1

        client.get("/staff/")
        sa.event.listen(engine, "before_cursor_execute", counted)
        try:
            response = client.get("/staff/?attention=1")
            assert response.status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", counted)
        return count["n"], page_text(response)

    small, small_page = statements(client_for(one.username))
    large, large_page = statements(client_for(many.username))
    assert small == large
    missed = translated_plural(app, "%(name)s has missed %(num)d check-in in a row",
                               "%(name)s has missed %(num)d check-ins in a row", 4, name="\x00").split("\x00")[1]
    assert missed in small_page and large_page.count(missed) == 50  # every case on the first page
    assert translated_plural(app, "%(num)d needs attention", "%(num)d need attention", 200) in large_page


def test_a_member_switched_off_has_no_warnings_and_keeps_the_answers(app, session):
    """Switched off: no warnings for that member (and no reminder); the answers stay."""
    caseworker = make_staff(session)
    with backdated(utcnow() - timedelta(weeks=5)):
        _case_with_warnings(session, caseworker, 999)
    case_id = session.scalar(sa.select(CheckinSchedule.case_id).order_by(CheckinSchedule.case_id.desc()).limit(1))
    assert {w.reason for w in checkins.open_warnings(session, [case_id])[case_id]} == {"fall", "missed"}
    session.execute(sa.update(CheckinMember).where(CheckinMember.case_id == case_id).values(enabled=False))
    assert checkins.open_warnings(session, [case_id]) == {}
    assert session.scalar(sa.select(sa.func.count()).select_from(Checkin).where(Checkin.case_id == case_id)) == 4
