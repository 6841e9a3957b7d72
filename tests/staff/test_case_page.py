"""The case page: members, invitation letters, deactivation, phase with history, assignment by the lead."""
import sqlalchemy as sa

from portal.models import Case, Member, Phase
from tests.messages import page_text, translated
from tests.staff.conftest import token


def test_caseworker_adds_a_member_and_prints_an_invitation_in_their_language(client_for, in_db, sommer):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}"
    added = caseworker.post(f"{url}/members", data={"csrf_token": token(caseworker, url), "display_name": "Oma Leyla",
                                                     "kind": "parent", "birth_year": "1960", "language": "tr"})
    assert added.status_code == 302
    leyla = in_db(lambda s: s.scalar(sa.select(Member.id).where(Member.display_name == "Oma Leyla")))
    letter = caseworker.post(f"{url}/members/{leyla}/invitation", data={"csrf_token": token(caseworker, url)})
    assert letter.status_code == 200
    assert 'lang="tr"' in letter.text
    assert "<svg" in letter.text  # the QR code


def test_adding_a_member_without_a_name_is_refused_with_a_reason(client_for, sommer):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}"
    refused = caseworker.post(f"{url}/members", data={"csrf_token": token(caseworker, url), "display_name": "",
                                                       "kind": "parent", "birth_year": "19x", "language": "de"})
    assert refused.status_code == 400
    assert "error-summary" in refused.text
    assert '<option selected value="preparation">' in refused.text  # the other forms show the saved state


def test_member_kind_and_language_are_edited_with_a_revision_check(app, client_for, in_db, sommer):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}"
    jonas = sommer["demo.youth"]
    prefix = f"m{jonas}"
    csrf = token(caseworker, url)
    saved = caseworker.post(f"{url}/members/{jonas}", data={f"{prefix}-csrf_token": csrf, f"{prefix}-revision": "1",
                                                             f"{prefix}-kind": "youth", f"{prefix}-language": "uk"})
    assert saved.status_code == 302
    assert in_db(lambda s: s.get(Member, jonas).language) == "uk"
    stale = caseworker.post(f"{url}/members/{jonas}", data={f"{prefix}-csrf_token": csrf, f"{prefix}-revision": "1",
                                                             f"{prefix}-kind": "parent", f"{prefix}-language": "ru"})
    assert stale.status_code == 409
    assert translated(app, "Someone else changed %(name)s in the meantime: now %(kind)s. Your choice is kept below; "
                           "save again to apply it.", name="Jonas", kind=translated(app, "Youth (12–17)")) in page_text(stale)
    assert in_db(lambda s: s.get(Member, jonas).kind.value) == "youth"


def test_deactivating_a_member_ends_their_access_on_the_next_request(client_for, sommer):
    mia = client_for("demo.child")
    assert mia.get("/plan").status_code == 200
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}"
    response = caseworker.post(f"{url}/members/{sommer['demo.child']}/deactivate",
                               data={"csrf_token": token(caseworker, url)})
    assert response.status_code == 302
    after = mia.get("/plan")
    assert after.status_code == 302 and "/login" in after.headers["Location"]


def test_phase_change_is_kept_in_the_history(app, client_for, in_db, sommer):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}"
    revision = in_db(lambda s: s.get(Case, sommer["case"]).revision)
    response = caseworker.post(f"{url}/phase", data={"csrf_token": token(caseworker, url), "phase": "return",
                                                      "revision": str(revision)}, follow_redirects=True)
    page = page_text(response)
    assert translated(app, "Return home") in page
    assert in_db(lambda s: [c.phase for c in s.get(Case, sommer["case"]).phase_changes])[-1] is Phase.return_
    assert translated(app, "changed the phase") in page  # recent activity, without content


def test_closing_a_case_deactivates_the_family_and_sets_the_deletion_date(client_for, in_db, sommer):
    anna = client_for("demo.parent")
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}"
    revision = in_db(lambda s: s.get(Case, sommer["case"]).revision)
    response = caseworker.post(f"{url}/phase", data={"csrf_token": token(caseworker, url), "phase": "closed",
                                                      "revision": str(revision)})
    assert response.status_code == 302
    case = in_db(lambda s: s.get(Case, sommer["case"]))
    assert case.phase is Phase.closed and case.closed_at and case.delete_after > case.closed_at
    assert in_db(lambda s: [m.active for m in s.get(Case, sommer["case"]).members]) == [False] * 4
    assert anna.get("/plan").status_code == 302


def test_stale_phase_change_is_refused(client_for, in_db, sommer):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}"
    response = caseworker.post(f"{url}/phase", data={"csrf_token": token(caseworker, url), "phase": "aftercare",
                                                      "revision": "0"})
    assert response.status_code == 409
    assert in_db(lambda s: s.get(Case, sommer["case"]).phase) is Phase.preparation


def test_lead_transfers_the_case_and_sets_a_deputy(app, client_for, in_db, sommer):
    staff_ids = in_db(lambda s: dict(s.execute(sa.text("SELECT username, id FROM staff_user")).all()))
    lead = client_for("demo.lead")
    url = f"/staff/cases/{sommer['case']}"
    assert translated(app, "Who carries the case") in page_text(lead.get(url))
    revision = in_db(lambda s: s.get(Case, sommer["case"]).revision)
    response = lead.post(f"{url}/assignment", data={"csrf_token": token(lead, url), "revision": str(revision),
                                                    "primary": str(staff_ids["demo.other"]),
                                                    "deputy": str(staff_ids["demo.caseworker"]),
                                                    "note": "Petra bleibt als Vertretung dabei."})
    assert response.status_code == 302
    assert client_for("demo.other").get(url).status_code == 200
    assert client_for("demo.caseworker").get(url).status_code == 200  # now as deputy


def test_same_person_as_caseworker_and_deputy_is_refused(app, client_for, in_db, sommer):
    worker = in_db(lambda s: s.scalar(sa.text("SELECT id FROM staff_user WHERE username = 'demo.caseworker'")))
    lead = client_for("demo.lead")
    url = f"/staff/cases/{sommer['case']}"
    response = lead.post(f"{url}/assignment", data={"csrf_token": token(lead, url), "revision": "1",
                                                    "primary": str(worker), "deputy": str(worker)})
    assert response.status_code == 400
    assert translated(app, "The deputy must be another person than the caseworker.") in page_text(response)


def test_caseworker_cannot_assign(app, client_for, sommer):
    caseworker = client_for("demo.caseworker")
    url = f"/staff/cases/{sommer['case']}"
    assert translated(app, "Who carries the case") not in page_text(caseworker.get(url))
    assert caseworker.post(f"{url}/assignment", data={"csrf_token": token(caseworker, url)}).status_code == 404
