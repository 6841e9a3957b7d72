"""The figures for a small history whose right answers are worked out by hand below.

The history is made with the same domain functions the portal uses, each on its day
(`db.backdated`), in a team of its own in the demo office, and evaluated for the
calendar year 2025 (the previous period: 2024).

    family  opened      children (entered care, placement)             phases and facts
    A       2024-03-01  A1 2023-01-01 residential, A2 2023-01-01 foster  planning 05-01, preparation 07-01,
                                                                        caseworker changed 2024-09-01,
                                                                        return 2025-02-01, after-care 02-15;
                                                                        A2 back in care 2025-06-01 (family crisis)
    B       2025-01-10  B1 2024-10-10 taken into care, own rate 300 €     planning 03-01, preparation 04-01,
                                                                        return 2025-08-01, caseworker changed 09-01
    C       2025-06-01  C1 (youth, no facts at all)                       getting to know each other
    D       2023-06-01  D1 2022-01-01 residential                         returned 2024-01-15, closed 2024-12-01
    E       2024-02-01  E1 2024-03-01 taken into care, E2 born 2006       E1 home after 4 days (2024-03-05),
                        entered 2024-06-01 (18 that year)                 closed 2024-04-01
"""
from __future__ import annotations

import statistics
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from portal import publishing, sharing
from portal.db import backdated
from portal.evaluation import facts
from portal.evaluation.figures import evaluate, raw_figures
from portal.evaluation.periods import year
from portal.family import answers
from portal.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    Audience,
    ItemKind,
    Member,
    MemberKind,
    Phase,
    Placement,
    PlanItem,
    ReentryReason,
)
from tests.factories import make_staff, make_team, plan_of

PERIOD = year(2025)


def at(day: str, hour: int = 10) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=UTC).replace(hour=hour)


def child(session, case, name: str, kind=MemberKind.child, birth_year=2015, **care) -> Member:
    member = Member(case=case, kind=kind, display_name=name, birth_year=birth_year, language="de")
    session.add(member)
    session.flush()
    if care:
        facts.record_care(session, member, facts.CareFacts(**care), by=None)
    return member


def update(session, member, **changes) -> None:
    current = facts.CareFacts.of(facts.care_record(session, member))
    facts.record_care(session, member, facts.CareFacts(**{**current.__dict__, **changes}), by=None)


def phases(session, case, carer, *steps: tuple[Phase, str]) -> None:
    for phase, day in steps:
        with backdated(at(day)):
            facts.change_phase(session, case, phase, by=carer)
            session.flush()


@pytest.fixture
def history(session):
    """The history of the module docstring; returns its team, people and children."""
    team = make_team(session)
    first = make_staff(session, team=team)
    second = make_staff(session, team=team)
    people = {}
    with backdated(at("2024-03-01", 9)):
        a = facts.open_case(session, team, "Familie Hand A", "HAND-A", primary=first, by=first)
        mother_a = Member(case=a, kind=MemberKind.parent, display_name="Mutter A", language="de")
        session.add(mother_a)
        a1 = child(session, a, "A1", entered_care_on=date(2023, 1, 1), placement=Placement.residential)
        a2 = child(session, a, "A2", entered_care_on=date(2023, 1, 1), placement=Placement.foster)
    phases(session, a, first, (Phase.planning, "2024-05-01"), (Phase.preparation, "2024-07-01"))
    session.add(PlanItem(plan=plan_of(session, a), kind=ItemKind.step, text="Schritt A", audience=Audience.family))
    with backdated(at("2024-08-01")):
        publishing.publish(session, plan_of(session, a), first, "Version 1", 0)
    with backdated(at("2024-09-01")):
        facts.assign(session, a, second, None, by=first)
        session.flush()
    with backdated(at("2025-01-20")):
        v2 = publishing.publish(session, plan_of(session, a), second, "Version 2", 1)
        answers.respond_to_version(sharing.Viewer(session, mother_a), v2, True, "")
    with backdated(at("2025-01-21")):
        question = answers.ask_question(sharing.Viewer(session, mother_a), v2.items[0], "Wann?")
    question.reply, question.replied_at, question.replied_by_id = "Morgen.", at("2025-01-22", 16), second.id
    phases(session, a, second, (Phase.return_, "2025-02-01"), (Phase.aftercare, "2025-02-15"))
    update(session, a1, returned_on=date(2025, 2, 1))
    update(session, a2, returned_on=date(2025, 2, 1), reentered_on=date(2025, 6, 1),
           reentry_reason=ReentryReason.family_crisis)

    with backdated(at("2025-01-10", 9)):
        b = facts.open_case(session, team, "Familie Hand B", "HAND-B", primary=first, by=first)
        father_b = Member(case=b, kind=MemberKind.parent, display_name="Vater B", language="de")
        mother_b = Member(case=b, kind=MemberKind.parent, display_name="Mutter B", language="de")
        session.add_all([father_b, mother_b])
        b1 = child(session, b, "B1", entered_care_on=date(2024, 10, 10), placement=Placement.custody,
                   daily_rate=Decimal("300.00"))
    phases(session, b, first, (Phase.planning, "2025-03-01"), (Phase.preparation, "2025-04-01"))
    session.add(PlanItem(plan=plan_of(session, b), kind=ItemKind.step, text="Schritt B", audience=Audience.family))
    with backdated(at("2025-05-01")):
        vb = publishing.publish(session, plan_of(session, b), first, "Version 1", 0)
        answers.respond_to_version(sharing.Viewer(session, father_b), vb, False, "Zu schnell.")
        answers.respond_to_version(sharing.Viewer(session, mother_b), vb, True, "")
    with backdated(at("2025-05-02")):
        answers.ask_question(sharing.Viewer(session, father_b), vb.items[0], "Warum?")  # never answered
    phases(session, b, first, (Phase.return_, "2025-08-01"))
    update(session, b1, returned_on=date(2025, 8, 1))
    with backdated(at("2025-09-01")):
        facts.assign(session, b, second, None, by=first)
        session.flush()

    shared = dict(audience=Audience.family, type=AppointmentType.visit)
    coming = Appointment(case=a, starts_at=at("2025-03-10", 15), **shared)
    not_coming = Appointment(case=b, starts_at=at("2025-04-10", 15), **shared)
    office_only = Appointment(case=b, starts_at=at("2025-05-01", 15), type=AppointmentType.visit, audience=Audience.staff)
    cancelled = Appointment(case=b, starts_at=at("2025-06-01", 15), status=AppointmentStatus.cancelled, **shared)
    session.add_all([coming, not_coming, office_only, cancelled])
    session.flush()
    with backdated(at("2025-03-01", 9)):  # answered before the appointments, as the portal allows
        answers.answer_appointment(sharing.Viewer(session, mother_a), coming, True, "")
        answers.answer_appointment(sharing.Viewer(session, father_b), not_coming, False, "krank")

    with backdated(at("2025-06-01", 9)):
        c = facts.open_case(session, team, "Familie Hand C", "HAND-C", primary=first, by=first)
        child(session, c, "C1", kind=MemberKind.youth, birth_year=2010)

    with backdated(at("2023-06-01", 9)):
        d = facts.open_case(session, team, "Familie Hand D", "HAND-D", primary=first, by=first)
        d1 = child(session, d, "D1", entered_care_on=date(2022, 1, 1), placement=Placement.residential)
    phases(session, d, first, (Phase.return_, "2024-01-15"), (Phase.aftercare, "2024-02-01"), (Phase.closed, "2024-12-01"))
    update(session, d1, returned_on=date(2024, 1, 15), aftercare_ended_on=date(2024, 12, 1))

    with backdated(at("2024-02-01", 9)):
        e = facts.open_case(session, team, "Familie Hand E", "HAND-E", primary=first, by=first)
        e1 = child(session, e, "E1", entered_care_on=date(2024, 3, 1), placement=Placement.custody)
        e2 = child(session, e, "E2", kind=MemberKind.youth, birth_year=2006, entered_care_on=date(2024, 6, 1),
                   placement=Placement.residential)
    update(session, e1, returned_on=date(2024, 3, 5))
    phases(session, e, first, (Phase.closed, "2024-04-01"))
    session.flush()
    people.update(team=team, first=first, second=second, a1=a1, a2=a2, b1=b1, e2=e2)
    return people


def test_the_rates_the_hand_calculation_uses_are_the_office_defaults(app):
    assert app.config["DAILY_RATES"] == {"residential": 230, "foster": 45, "custody": 280, "other": 150}


def test_figures_of_the_hand_worked_history(session, history):
    raw = raw_figures(session, [history["team"].id], PERIOD)
    # Stock at 2025-12-31: A in after-care (A1, A2), B in return (B1), C getting to know (C1); D and E closed.
    assert raw.stock == {"aftercare": 2, "return": 1, "clarification": 1}
    assert (raw.new_cases, raw.children_in_new_cases) == (2, 2)  # B and C
    assert (raw.returns, raw.returns_total) == (3, 5)  # A1, A2, B1; and D1, E1 before
    assert raw.returns_by_placement == {"residential": 1, "foster": 1, "custody": 1}
    assert raw.returns_by_month == {date(2025, 2, 1): 2, date(2025, 8, 1): 1}
    # A: 2023-01-01 -> 2025-02-01 = 365 + 366 + 31 days; B1: 2024-10-10 -> 2025-07-10 = 273, + 22 to 08-01.
    assert sorted(raw.days_from_care) == [295, 762, 762]
    # A opened 2024-03-01 -> 2025-02-01 = 306 + 31; B opened 2025-01-10 -> 2025-08-01 = 22 + 181.
    assert sorted(raw.days_from_programme) == [203, 337, 337]
    assert raw.days_before_programme == [92]  # B1: 2024-10-10 -> 2025-01-10; C1 has no date
    # Home at least 6 months before the end (by 2025-06-30): A1, A2, D1, E1; A2 back within 120 days.
    assert (raw.stable6_base, raw.stable6) == (4, 3)
    assert (raw.stable12_base, raw.stable12) == (2, 2)  # D1 and E1 went home by 2024-12-31
    assert raw.reentries_by_reason == {"family_crisis": 1}
    # CFSR window: 2024-01-01 .. 2024-12-31. Entered then: B1, E1 (4 days: left out), E2 (18: left out).
    assert (raw.permanency_base, raw.permanency) == (1, 1)  # B1 home after 295 days
    # Went home then: D1, E1 (left out, 4 days); D1 did not come back.
    assert (raw.reentry12_base, raw.reentry12) == (1, 0)
    # First returns in 2025: A (two caseworkers before it), B (one).
    assert (raw.continuity_base, raw.continuity) == (2, 1)
    assert raw.caseworker_changes == 1  # B on 2025-09-01; A's was in 2024
    assert raw.open_cases == 3 and raw.caseloads == [1, 2]  # C: first; A and B: second
    assert (raw.versions, raw.versions_agreed) == (2, 1)  # A v2 agreed; B v1: one parent disagreed
    assert (raw.appointments, raw.appointments_coming) == (2, 1)  # office-only and cancelled ones left out
    assert (raw.questions, raw.questions_open) == (2, 1)
    assert raw.hours_to_answer == [30.0]
    # Days at home in 2025 x rate: A1 334 x 230, A2 120 x 45, B1 153 x 300, D1 365 x 230, E1 365 x 280.
    assert (raw.care_children, raw.care_days) == (5, 334 + 120 + 153 + 365 + 365)
    assert raw.care_cents == 100 * (334 * 230 + 120 * 45 + 153 * 300 + 365 * 230 + 365 * 280) == 31_427_000
    assert (raw.missing_entered, raw.missing_placement, raw.missing_return, raw.missing_rate) == (1, 1, 0, 0)


def test_statistics_and_the_previous_period_of_the_hand_worked_history(session, history):
    result = evaluate(session, [history["team"].id], PERIOD, minimum=1)
    now = result.current
    # Quartiles of [295, 762, 762], inclusive method: the lower one halfway between 295 and 762.
    assert (now.from_care.median.value, now.from_care.lower.value, now.from_care.upper.value) == (762, 528.5, 762)
    assert now.stable6_share.value == pytest.approx(3 / 4)
    assert now.changes_per_case.value == pytest.approx(1 / 3)
    assert (now.caseload_median.value, now.caseload_max.value) == (1.5, 2)
    assert now.care_euros.value == 314_270
    before = result.previous  # 2024: D1 and E1 went home; A's caseworker changed; A v1 published
    assert before.period == year(2024)
    assert (before.returns.value, before.caseworker_changes.value, before.versions.value) == (2, 1, 1)
    assert before.stock["preparation"].value == 2 and before.stock_total.value == 2  # only A was open


def test_a_re_entry_moves_a_child_out_of_stable(session, history):
    before = raw_figures(session, [history["team"].id], PERIOD)
    update(session, history["a1"], reentered_on=date(2025, 7, 1), reentry_reason=ReentryReason.safety)
    after = raw_figures(session, [history["team"].id], PERIOD)
    assert (after.stable6_base, after.stable6) == (before.stable6_base, before.stable6 - 1)
    assert after.reentries_by_reason == {"family_crisis": 1, "safety": 1}


def test_a_case_without_any_dates_counts_in_the_stock_and_as_missing(session, history):
    with backdated(at("2025-11-01", 9)):
        case = facts.open_case(session, history["team"], "Familie Ohne Daten", "HAND-X", primary=history["first"],
                               by=history["first"])
        child(session, case, "X1")
    raw = raw_figures(session, [history["team"].id], PERIOD)
    assert raw.stock["clarification"] == 2
    assert raw.missing_entered == 2 and raw.missing_placement == 2


def test_with_the_office_threshold_every_small_count_is_hidden(session, history):
    result = evaluate(session, [history["team"].id], PERIOD, minimum=5)
    now = result.current
    assert now.returns.suppressed and now.returns.reason == "small"  # 3
    assert now.returns_total.value == 5  # 5 is shown
    assert now.from_care.median.suppressed and now.from_care.median.reason == "base"  # 3 values
    assert now.stable6_share.suppressed  # a share of 4
    assert now.care_children.value == 5 and now.care_euros.value == 314_270  # five children: shown
    assert now.questions_open.suppressed and now.versions_agreed.suppressed


def test_staff_history_of_the_programme_is_one_query_family_not_names(session, history):
    """The raw numbers carry no strings: nothing in them could be a name or a reference."""
    raw = raw_figures(session, [history["team"].id], PERIOD)
    texts = [value for value in raw.__dict__.values() if isinstance(value, str)]
    assert texts == []
    assert statistics.median(raw.days_from_care) == 762
