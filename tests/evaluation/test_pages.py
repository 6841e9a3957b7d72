"""The evaluation over HTTP: who sees which teams, the exports, privacy, bad input, audit."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from portal.models import AuditEvent, CareRecord, Case, Member, Role, StaffUser, Team
from portal.passwords import hash_password
from portal.demo import PASSWORD
from tests.conftest import csrf_token
from tests.factories import make_staff
from tests.messages import page_text, translated


def cells(html: str) -> dict[tuple[str, str], str]:
    """Every figure on the page: (key, "current"/"previous") -> the text shown."""
    soup = BeautifulSoup(html, "html.parser")
    return {(td["data-key"], td["data-period"]): td.get_text(strip=True) for td in soup.select("td[data-key]")}


def csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(body: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def export_figures(rows: list[list]) -> dict[tuple[str, str], object]:
    """(key, period) -> value of every figure line of an export (the key is the last column)."""
    found = {}
    for row in rows:
        row = [value for value in row]
        while row and row[-1] in (None, ""):
            row.pop()
        if len(row) >= 5 and isinstance(row[-1], str) and re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_-]+)*", row[-1]):
            key = row[-1]
            if key.startswith("month."):
                found[(key, "current")] = row[3]
            else:
                found[(key, "current")], found[(key, "previous")] = row[3], row[4]
    return found


def as_number(text: str) -> float | None:
    """A page number in English ("1,234", "85%", "€314,270", "12.5"), or None for words."""
    digits = re.sub(r"[^\d.\-]", "", text.replace(",", ""))
    return float(digits) if digits and re.search(r"\d", text) and not re.search(r"[a-z]{3}", text) else None


def reading(session, username: str, language: str) -> None:
    """Staff pages follow the person's saved language; the number parsing here reads English."""
    session.execute(sa.update(StaffUser).where(StaffUser.username == username).values(language=language))
    session.commit()


@pytest.fixture
def head(client_for, session):
    """Dr. Helga Brandt, the department head, reading in English."""
    reading(session, "demo.head", "en")
    return client_for("demo.head")


def test_the_head_sees_the_whole_office_and_the_opening_is_audited(head, session):
    page = head.get("/staff/evaluation")
    assert page.status_code == 200
    shown = cells(page.text)
    assert len(shown) > 60 and shown[("stock.total", "current")] not in ("", "0")
    assert page.text.count("<img src=\"data:image/svg+xml,") == 3
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "evaluation.read")
                           .order_by(AuditEvent.id.desc()).limit(1))
    assert event.actor_role == "head" and event.case_id is None
    head.get("/staff/evaluation/export.csv")
    assert session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "evaluation.export")) == 1


def test_the_head_reaches_no_case_and_is_sent_from_the_caseload_to_the_evaluation(head, session):
    assert head.get("/staff/").headers["Location"].endswith("/staff/evaluation")
    for case_id in session.scalars(sa.select(Case.id).limit(5)):
        assert head.get(f"/staff/cases/{case_id}").status_code == 404


def team_id(session, name: str) -> int:
    return session.scalar(sa.select(Team.id).where(Team.name == name))


def test_the_team_chooser_narrows_the_office_to_one_team(head, session):
    office = cells(head.get("/staff/evaluation").text)
    nord = cells(head.get(f"/staff/evaluation?team={team_id(session, 'ASD Nord')}").text)
    sued = cells(head.get(f"/staff/evaluation?team={team_id(session, 'ASD Süd')}").text)
    total = as_number(office[("stock.total", "current")])
    parts = [as_number(nord[("stock.total", "current")]), as_number(sued[("stock.total", "current")])]
    assert None not in parts and total == sum(parts)


def test_a_lead_sees_their_own_team_only(client_for, session):
    reading(session, "demo.lead", "en")
    lead = client_for("demo.lead")
    page = lead.get("/staff/evaluation")
    assert page.status_code == 200 and "ASD Nord" in page.text and "ASD Süd" not in page.text
    response = lead.get(f"/staff/evaluation?team={team_id(session, 'ASD Süd')}")
    assert response.status_code == 400
    assert translated(lead.application, "Please choose one of the teams listed.", "en") in page_text(response)
    assert lead.get(f"/staff/evaluation/export.csv?team={team_id(session, 'ASD Süd')}").status_code == 400


def test_a_lead_of_another_team_sees_nothing_of_this_team(app, client_for, session):
    other = make_staff(session, role=Role.lead, password_hash=hash_password(PASSWORD), language="en")
    session.commit()
    client = client_for(other.username)
    page = client.get("/staff/evaluation")
    assert page.status_code == 200
    numbers = [as_number(text) for text in cells(page.text).values()]
    assert all(number in (None, 0) for number in numbers)  # an empty team: nothing of ASD Nord's
    for path in ("/staff/evaluation", "/staff/evaluation/export.csv", "/staff/evaluation/export.xlsx"):
        assert client.get(f"{path}?team={team_id(session, 'ASD Nord')}").status_code == 400
    assert "ASD Nord" not in page.text


def test_caseworkers_and_the_admin_have_no_evaluation(client_for):
    for username in ("demo.caseworker", "demo.admin"):
        client = client_for(username)
        for path in ("/staff/evaluation", "/staff/evaluation/export.csv", "/staff/evaluation/export.xlsx"):
            assert client.get(path).status_code == 404


def names_and_references(session) -> list[str]:
    words = list(session.scalars(sa.select(Case.title))) + list(session.scalars(sa.select(Case.reference)))
    words += [name for name in session.scalars(sa.select(StaffUser.display_name))]
    words += [name for name in session.scalars(sa.select(Member.display_name)) if len(name) > 2]
    return words


@pytest.mark.parametrize("language", ["en", "de"])
def test_no_name_or_reference_in_the_page_or_the_exports(head, session, language):
    reading(session, "demo.head", language)
    words = names_and_references(session)
    assert "Familie Sommer" in words and "DEMO-2026-014" in words and "Petra Lange" in words
    page = page_text(head.get("/staff/evaluation"))
    csv_text = head.get("/staff/evaluation/export.csv").data.decode("utf-8-sig")
    xlsx_text = " ".join(str(v) for row in xlsx_rows(head.get("/staff/evaluation/export.xlsx").data) for v in row)
    for name, text in (("page", page), ("csv", csv_text), ("xlsx", xlsx_text)):
        found = [w for w in words if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", text)]
        assert found == [], (name, found)
    assert "Dr. Helga Brandt" not in page  # not even the reader's own name


def test_csv_and_xlsx_hold_the_same_numbers_as_the_page(head):
    shown = cells(head.get("/staff/evaluation").text)
    for body, read in ((head.get("/staff/evaluation/export.csv").data, csv_rows),
                       (head.get("/staff/evaluation/export.xlsx").data, xlsx_rows)):
        exported = export_figures(read(body))
        assert set(exported) == set(shown)
        for key, text in shown.items():
            value, number = exported[key], as_number(text)
            if number is None:  # a word on the page: the same word in the export
                assert str(value) == text, (key, value, text)
            elif text.endswith("%"):
                assert round(float(value) * 100) == number, (key, value, text)
            else:
                assert float(value) == pytest.approx(number, abs=0.05), (key, value, text)


def test_the_exports_carry_the_assumption_and_every_definition(head):
    rows = csv_rows(head.get("/staff/evaluation/export.csv").data)
    text = "\n".join(",".join(row) for row in rows)
    assert "Assumption: without the return" in text
    assert text.count("\nDefinition,") == 11 and "Child and Family Services Review" in text
    assert "fewer than 5" in text


def small_counts(texts) -> list[str]:
    return [text for text in texts if re.fullmatch(r"[1-4]", text.strip())]


def test_no_count_from_1_to_4_on_the_page_or_in_the_exports(head, session):
    for team in ("", str(team_id(session, "ASD Nord")), str(team_id(session, "ASD Süd"))):
        page = head.get(f"/staff/evaluation?team={team}&period=quarter&year={date.today().year}&quarter=1")
        shown = cells(page.text)
        counts = [text for (key, _p), text in shown.items() if not any(
            part in key for part in ("share", "median", "lower", "upper", "per_case", "euros", "care.days"))]
        assert small_counts(counts) == [], team
        for body, read in ((head.get(f"/staff/evaluation/export.csv?team={team}").data, csv_rows),
                           (head.get(f"/staff/evaluation/export.xlsx?team={team}").data, xlsx_rows)):
            values = [str(v) for (key, _p), v in export_figures(read(body)).items()
                      if key.split(".")[-1] not in ("share", "median", "lower", "upper", "per_case", "euros")]
            assert small_counts(values) == []


def test_a_higher_threshold_hides_every_small_figure_on_the_page_and_in_the_exports(app, head):
    app.config["EVALUATION_MIN_COUNT"] = 1000
    try:
        shown = cells(head.get("/staff/evaluation").text)
        exported = export_figures(csv_rows(head.get("/staff/evaluation/export.csv").data))
        exported_xlsx = export_figures(xlsx_rows(head.get("/staff/evaluation/export.xlsx").data))
    finally:
        app.config["EVALUATION_MIN_COUNT"] = 5
    assert all(as_number(text) in (None, 0) for text in shown.values())
    assert all(value in (0, "0", "–") or not re.search(r"\d", str(value)) or "1000" in str(value)
               for value in [*exported.values(), *exported_xlsx.values()])
    assert "fewer than 1000" in shown.values()


def test_a_new_case_taken_home_changes_the_returns_by_exactly_one(client_for, session):
    reading(session, "demo.lead", "en")
    lead = client_for("demo.lead")
    returns = lambda: cells(lead.get("/staff/evaluation").text)[("returns", "current")]  # noqa: E731
    before = returns()
    page = lead.get("/staff/cases/new")
    created = lead.post("/staff/cases/new", data={"csrf_token": csrf_token(page.text), "title": "Familie Neu",
                                                  "reference": "NEU-2026-1"})
    case_url = created.headers["Location"]
    case_id = int(case_url.rstrip("/").split("/")[-1])
    token = csrf_token(lead.get(case_url).text)
    lead.post(f"/staff/cases/{case_id}/members", data={"csrf_token": token, "display_name": "Kim", "kind": "child",
                                                       "birth_year": "2016", "language": "de"})
    kim = session.scalar(sa.select(Member).where(Member.case_id == case_id))
    today = date.today()
    for phase in ("planning", "preparation", "return"):
        page = lead.get(case_url).text
        revision = re.search(r'name="revision" type="hidden" value="(\d+)"', page) or re.search(
            r'name="revision" value="(\d+)"', page)
        response = lead.post(f"/staff/cases/{case_id}/phase", data={
            "csrf_token": token, "phase": phase, "revision": revision.group(1)})
        assert response.status_code == 302, phase
    response = lead.post(f"/staff/cases/{case_id}/members/{kim.id}/care", data={
        "csrf_token": token, f"c{kim.id}-revision": "", f"c{kim.id}-entered_care_on": str(today - timedelta(days=400)),
        f"c{kim.id}-placement": "residential", f"c{kim.id}-returned_on": str(today)})
    assert response.status_code == 302
    after = returns()
    assert as_number(after) == as_number(before) + 1, (before, after)


CARE_PROBLEMS = [
    ({"entered_care_on": "2025-05-01", "returned_on": "2025-04-01"},
     "The return home cannot be before the day the child entered care."),
    ({"entered_care_on": "2024-01-01", "returned_on": "2025-04-01", "reentered_on": "2025-03-01",
      "reentry_reason": "safety"}, "The re-entry into care cannot be before the return home."),
    ({"daily_rate": "-5"}, "The daily rate must be between 0 and 2,000 euros."),
    ({"daily_rate": "2000.01"}, "The daily rate must be between 0 and 2,000 euros."),
    ({"reentered_on": "2025-03-01", "reentry_reason": "safety"},
     "A re-entry into care follows a return home: please enter the return date first."),
]


@pytest.mark.parametrize(("fields", "message"), CARE_PROBLEMS)
def test_contradicting_care_facts_are_refused_in_the_readers_language_and_nothing_is_saved(
        client_for, session, fields, message):
    caseworker = client_for("demo.caseworker")
    mia = session.scalar(sa.select(Member).where(Member.username == "demo.child"))
    before = session.execute(sa.select(CareRecord.__table__)).all()
    url = f"/staff/cases/{mia.case_id}"
    record = session.scalar(sa.select(CareRecord).where(CareRecord.member_id == mia.id))
    response = caseworker.post(f"{url}/members/{mia.id}/care", data={
        "csrf_token": csrf_token(caseworker.get(url).text), f"c{mia.id}-revision": str(record.revision),
        **{f"c{mia.id}-{name}": value for name, value in fields.items()}})
    assert response.status_code == 400
    assert translated(caseworker.application, message) in page_text(response)
    session.expire_all()
    assert session.execute(sa.select(CareRecord.__table__)).all() == before


def test_a_period_that_ends_before_it_starts_is_refused_in_the_readers_language(head):
    response = head.get("/staff/evaluation?period=custom&start=2026-05-01&end=2026-01-01")
    assert response.status_code == 400
    message = "The period ends before it starts. Please check the two dates."
    assert translated(head.application, message, "en") in page_text(response)
    assert "data-key" not in response.text
    assert head.get("/staff/evaluation/export.csv?period=custom&start=x&end=y").status_code == 400


def test_valid_care_facts_are_saved_and_a_stale_form_is_refused(client_for, session):
    caseworker = client_for("demo.caseworker")
    mia = session.scalar(sa.select(Member).where(Member.username == "demo.child"))
    url = f"/staff/cases/{mia.case_id}"
    record = session.scalar(sa.select(CareRecord).where(CareRecord.member_id == mia.id))
    data = {"csrf_token": csrf_token(caseworker.get(url).text), f"c{mia.id}-revision": str(record.revision),
            f"c{mia.id}-entered_care_on": "2024-09-01", f"c{mia.id}-placement": "residential",
            f"c{mia.id}-daily_rate": "312.50"}
    assert caseworker.post(f"{url}/members/{mia.id}/care", data=data).status_code == 302
    session.expire_all()
    saved = session.scalar(sa.select(CareRecord).where(CareRecord.member_id == mia.id))
    assert (saved.entered_care_on, saved.daily_rate_cents) == (date(2024, 9, 1), 31250)
    assert caseworker.post(f"{url}/members/{mia.id}/care", data=data).status_code == 409  # the old revision


def test_the_page_runs_the_same_number_of_statements_for_more_cases(app, head, session):
    from portal.evaluation import facts
    from tests.factories import make_case

    def statements() -> int:
        engine = app.extensions["database"].engine
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            assert head.get("/staff/evaluation").status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    before = statements()
    nord = session.scalar(sa.select(Team).where(Team.name == "ASD Nord"))
    for number in range(25):
        case = make_case(session, team=nord)
        child = Member(case=case, kind="child", display_name=f"Kind {number}", language="de")
        session.add(child)
        session.flush()
        facts.record_care(session, child, facts.CareFacts(entered_care_on=date(2024, 1, 1),
                                                          returned_on=date.today() - timedelta(days=number)), by=None)
    session.commit()
    assert statements() == before


def test_both_periods_figures_take_eleven_statements(app, session):
    """Each query reads its rows once for the chosen period and the one before (README "The
    evaluation at scale"): 11 statements, not 11 per period."""
    from portal.evaluation.figures import evaluate
    from portal.evaluation.periods import year

    teams = list(session.scalars(sa.select(Team.id)))
    engine = app.extensions["database"].engine
    seen = []
    listener = lambda *args: seen.append(1)  # noqa: E731
    with app.test_request_context():
        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            evaluate(session, teams, year(2026), 5)
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)
    assert len(seen) == 11


def test_charts_are_drawn_once_per_set_of_figures_and_again_when_a_figure_changes(app, session):
    """Opening the page again does not draw the charts again; any change of a figure does."""
    import dataclasses

    from portal.evaluation import charts
    from portal.evaluation.figures import evaluate
    from portal.evaluation.periods import year
    from portal.models import Team

    teams = list(session.scalars(sa.select(Team.id)))
    with app.test_request_context():
        evaluation = evaluate(session, teams, year(2026), 5)
        first = charts.draw_all(evaluation, rtl=False)
        assert charts.draw_all(evaluation, rtl=False) is first  # the same figures: not drawn again
        assert charts.draw_all(evaluation, rtl=True) is not first  # right to left is another drawing
        changed = dataclasses.replace(evaluation, minimum=evaluation.minimum + 5)
        assert charts.draw_all(changed, rtl=False) is not first
