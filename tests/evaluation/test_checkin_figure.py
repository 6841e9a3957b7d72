"""The evaluation's check-in figure (issue 15) on a history worked out by hand: families whose
scores stayed stable or rose during after-care, with the same small-number suppression as every
other figure, on the page and in both exports.

Seven families of a team of their own, all in after-care in 2025, answering with the domain's own
`checkins.answer` on their days:

    family  answers in 2025 (mean per week)            counts as
    F1-F5   parent 6 → 6 (weeks 10 and 20)             stable
    F6      parent 8 → 6, child face 4 → 4             (8+7.75)/2 = 7.875 → (6+7.75)/2 = 6.875: down by exactly 1, stable
    F7      parent 7 → 3                               fell by 4
    F8      parent 5 once only                         not counted (one period)
    F9      parent 2 → 9, but in the preparation phase not counted (not after-care)
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal import checkins, sharing
from portal.db import backdated
from portal.evaluation.figures import raw_figures, suppress
from portal.evaluation.periods import year
from portal.models import CheckinRhythm, MemberKind, Phase
from portal.staff.operations import checkins as checkin_ops
from tests.factories import make_case, make_member, make_staff, make_team

PERIOD = year(2025)


def week(number: int) -> datetime:
    return datetime(2025, 1, 6, 12, 0, tzinfo=UTC) + timedelta(weeks=number - 1)


def family(session, team, caseworker, phase, answers: dict) -> None:
    """`answers`: {kind: [(week, values), …]}."""
    case = make_case(session, team=team, primary_caseworker=caseworker, phase=phase)
    people = {kind: make_member(session, case, kind) for kind in answers}
    with backdated(datetime(2025, 1, 6, 9, 0, tzinfo=UTC)):
        checkin_ops.set_checkins(session, case, CheckinRhythm.weekly, {m.id for m in people.values()}, None,
                                 by=caseworker)
    for kind, series in answers.items():
        for number, values in series:
            with backdated(week(number)):
                viewer = sharing.Viewer(session, people[kind], now=week(number))
                checkins.answer(viewer, checkins.Answer(**values))


def parent(home: int) -> dict:
    return {"home": home, "together": 5, "help": 5}


def test_families_whose_scores_stayed_stable_or_rose_during_after_care(app, session):
    team = make_team(session)
    caseworker = make_staff(session, team=team)
    for _ in range(5):
        family(session, team, caseworker, Phase.aftercare, {MemberKind.parent: [(10, parent(6)), (20, parent(6))]})
    family(session, team, caseworker, Phase.aftercare, {
        MemberKind.parent: [(10, parent(8)), (20, parent(6))], MemberKind.child: [(10, {"face": 4}), (20, {"face": 4})]})
    family(session, team, caseworker, Phase.aftercare, {MemberKind.parent: [(10, parent(7)), (20, parent(3))]})
    family(session, team, caseworker, Phase.aftercare, {MemberKind.parent: [(10, parent(5))]})
    family(session, team, caseworker, Phase.preparation, {MemberKind.parent: [(10, parent(2)), (20, parent(9))]})

    raw = raw_figures(session, [team.id], PERIOD)
    assert (raw.checkin_families, raw.checkin_stable) == (7, 6)
    figures = suppress(raw, PERIOD, 5)
    assert figures.checkin_families.value == 7 and figures.checkin_stable.value is None  # would reveal the one
    assert figures.checkin_fell.suppressed and figures.checkin_fell.reason == "small"
    assert figures.checkin_stable.reason == "secondary" and figures.checkin_stable_share.suppressed
    assert raw_figures(session, [team.id], year(2024)).checkin_families == 0  # nothing answered then


def test_the_figure_is_on_the_page_and_in_both_exports_and_hidden_when_small(app, client_for, session):
    from tests.evaluation.test_pages import csv_rows

    head = client_for("demo.head")
    page = head.get("/staff/evaluation").text
    assert 'data-key="checkins.families"' in page and 'data-key="checkins.share"' in page
    rows = csv_rows(head.get("/staff/evaluation/export.csv").data)
    assert any(row[-1] == "checkins.stable" for row in rows if row)
    from openpyxl import load_workbook
    import io

    sheet = load_workbook(io.BytesIO(head.get("/staff/evaluation/export.xlsx").data)).active
    assert any(row[-1] == "checkins.fell" for row in sheet.iter_rows(values_only=True) if row)
