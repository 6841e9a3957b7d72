"""Check-ins without HTTP (issue 15): the rhythm in the office's time zone across daylight saving
time, the early-warning rules on hand-made series, answering again within a period, and the
warnings the caseload finds, marked as seen."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from portal import checkins, sharing
from portal.db import backdated
from portal.models import Checkin, CheckinRhythm, MemberKind, Phase
from portal.staff.operations import checkins as checkin_ops
from tests.factories import make_case, make_member, make_staff

BERLIN = ZoneInfo("Europe/Berlin")
WEEKLY, FORTNIGHTLY = CheckinRhythm.weekly, CheckinRhythm.fortnightly


def berlin(*parts) -> datetime:
    return datetime(*parts, tzinfo=BERLIN)


# --- the rhythm across daylight saving time ------------------------------------------------

def test_a_week_begins_at_midnight_office_time_on_both_sides_of_the_clock_change(app):
    """Summer time ends on Sunday 25 October 2026 (03:00 CEST → 02:00 CET) and begins again on
    Sunday 28 March 2027: the week's first moment moves in UTC, the office's Monday 00:00 does not."""
    anchor = date(2026, 10, 5)  # a Monday
    with app.app_context():
        # The last minutes of the week of the change, and the first of the next, in office time.
        sunday_night = berlin(2026, 10, 25, 23, 30).astimezone(UTC)  # 22:30 UTC
        monday_early = berlin(2026, 10, 26, 0, 30).astimezone(UTC)  # 23:30 UTC, still Sunday in UTC
        assert sunday_night.date() == monday_early.date() == date(2026, 10, 25)
        assert checkins.period_on(checkins.local_day(sunday_night), WEEKLY, anchor) == date(2026, 10, 19)
        assert checkins.period_on(checkins.local_day(monday_early), WEEKLY, anchor) == date(2026, 10, 26)
        assert checkins.period_start(date(2026, 10, 19)) == datetime(2026, 10, 18, 22, 0, tzinfo=UTC)  # CEST
        assert checkins.period_start(date(2026, 10, 26)) == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)  # CET
        assert checkins.period_start(date(2027, 3, 29)) == datetime(2027, 3, 28, 22, 0, tzinfo=UTC)  # CEST again
        # Two weeks: counted from the anchor, the same Mondays whatever the offset.
        assert checkins.period_on(date(2026, 10, 25), FORTNIGHTLY, anchor) == date(2026, 10, 19)
        assert checkins.period_on(date(2026, 10, 26), FORTNIGHTLY, anchor) == date(2026, 10, 19)
        assert checkins.period_on(date(2026, 11, 2), FORTNIGHTLY, anchor) == date(2026, 11, 2)
        assert checkins.period_on(date(2027, 3, 28), FORTNIGHTLY, anchor) == date(2027, 3, 22)
        # The reminder at 17:00 office time: 15:00 UTC in summer, 16:00 UTC in winter.
        assert checkins.reminder_at(date(2026, 10, 19)) == datetime(2026, 10, 19, 15, 0, tzinfo=UTC)
        assert checkins.reminder_at(date(2026, 10, 26)) == datetime(2026, 10, 26, 16, 0, tzinfo=UTC)
        assert checkins.reminder_at(date(2027, 3, 29)) == datetime(2027, 3, 29, 15, 0, tzinfo=UTC)


@pytest.fixture
def asked(session):
    """A case in after-care whose parent, youth and child are asked weekly from 5 October 2026."""
    caseworker = make_staff(session)
    case = make_case(session, team=caseworker.team, primary_caseworker=caseworker, phase=Phase.aftercare)
    people = {kind: make_member(session, case, kind) for kind in MemberKind}
    with backdated(berlin(2026, 10, 5, 9, 0)):
        checkin_ops.set_checkins(session, case, WEEKLY, {m.id for m in people.values()}, None, by=caseworker)
    session.flush()
    return SimpleNamespace(case=case, caseworker=caseworker, **{kind.value: m for kind, m in people.items()})


def answer_at(session, member, moment: datetime, **values):
    with backdated(moment):
        viewer = sharing.Viewer(session, member, now=moment.astimezone(UTC))
        return checkins.answer(viewer, checkins.Answer(**values))


def test_answers_on_sunday_night_and_monday_morning_of_the_clock_change_are_two_weeks(app, session, asked):
    with app.app_context():
        first, replaced = answer_at(session, asked.parent, berlin(2026, 10, 25, 23, 30), home=6, together=6, help=6)
        second, replaced_too = answer_at(session, asked.parent, berlin(2026, 10, 26, 0, 30), home=7, together=7,
                                         help=7)
    assert (first.period_on, second.period_on) == (date(2026, 10, 19), date(2026, 10, 26))
    assert replaced is None and replaced_too is None and first.replaced_at is None


def test_a_second_answer_in_the_same_week_replaces_the_first_and_both_are_kept(app, session, asked):
    with app.app_context():
        first, _ = answer_at(session, asked.youth, berlin(2026, 10, 27, 18, 0), home=3, together=4)
        second, replaced = answer_at(session, asked.youth, berlin(2026, 11, 1, 23, 59), home=8, together=8)
        history = checkins.history(session, asked.youth.id, with_replaced=True)
    assert replaced is first and first.replaced_at is not None and second.replaced_at is None
    assert [c.home for c in history] == [3, 8]
    assert [c.home for c in checkins.history(session, asked.youth.id)] == [8]


def test_answers_outside_the_rules_are_refused_before_anything_is_saved(app, session, asked):
    with app.app_context():
        for member, values in (
                (asked.parent, {"home": 11, "together": 5, "help": 5}),
                (asked.parent, {"home": 0, "together": 5, "help": 5}),
                (asked.parent, {"home": 5, "together": 5}),  # a parent answers all three
                (asked.youth, {"home": 5, "together": 5, "help": 5}),  # a youth is asked two
                (asked.parent, {"home": 5, "together": 5, "help": 5, "sentence": "x" * 281}),
                (asked.child, {"face": 6}),
                (asked.child, {"face": 3, "topic": "holidays"}),
                (asked.child, {"home": 5})):
            with pytest.raises(checkins.BadAnswer):
                answer_at(session, member, berlin(2026, 10, 28, 12, 0), **values)
        assert session.scalar(sa.select(sa.func.count()).select_from(Checkin)
                              .where(Checkin.case_id == asked.case.id)) == 0


def test_nobody_answers_for_whom_check_ins_are_off_nor_in_a_preview(app, session, asked):
    with app.app_context():
        checkin_ops.set_checkins(session, asked.case, WEEKLY, {asked.parent.id}, "1", by=asked.caseworker)
        with pytest.raises(checkins.NotAllowed):
            answer_at(session, asked.youth, berlin(2026, 10, 28, 12, 0), home=5, together=5)
        preview = sharing.Viewer(session, asked.parent, preview=True)
        assert preview.checks_in() and not preview.may_check_in()
        with pytest.raises(checkins.NotAllowed):
            checkins.answer(preview, checkins.Answer(home=5, together=5, help=5))


# --- the warning rules, on hand-made series --------------------------------------------------

def series(*answers) -> list:
    """Current answers, oldest first: tuples (home, together, help) or faces (ints), topic after a '/'."""
    made = []
    for number, answer in enumerate(answers, start=1):
        topic = None
        if isinstance(answer, str):
            answer, topic = answer.split("/")
            answer = int(answer)
        if isinstance(answer, int):
            made.append(SimpleNamespace(id=number, face=answer, home=None, together=None, help=None, topic=topic))
        else:
            made.append(SimpleNamespace(id=number, face=None, home=answer[0], together=answer[1],
                                        help=answer[2] if len(answer) > 2 else None, topic=None))
    return made


def reasons(answers) -> list[tuple[str, str]]:
    return [(w.reason, w.key) for w in checkins.answer_warnings(7, answers)]


@pytest.mark.parametrize("answers, expected", [
    (series((7, 7, 7), (5, 6, 6), (6, 6, 6)), []),  # falls by 2 at most: no warning
    (series((7, 7, 7), (4, 7, 7)), [("fall", "2")]),  # home fell by 3
    (series((8, 8, 8), (8, 8, 8), (8, 4, 8)), [("fall", "3")]),  # another question fell by 4
    (series((5, 5), (2, 3)), [("fall", "2")]),  # a youth's two questions
    (series((3, 3, 3), (1, 3, 3)), [("bottom", "2")]),  # fell by 2 only, but reached the bottom
    (series((6, 6, 6), (1, 6, 6)), [("fall", "2"), ("bottom", "2")]),
    (series((2, 2, 2), (5, 5, 5), (2, 5, 5)), [("fall", "3")]),  # rose, then fell by 3 again
    (series(5, 4, 4), []),  # one face lower: no warning
    (series(5, 3), [("fall", "2")]),  # two faces lower
    (series(3, 1), [("fall", "2"), ("bottom", "2")]),
    (series(2, 1), [("bottom", "2")]),
    (series(4, "4/school"), [("talk", "2")]),  # a child wants to tell the caseworker something
])
def test_the_warning_rules_on_a_hand_made_series(answers, expected):
    assert reasons(answers) == expected


@pytest.mark.parametrize("latest, since, today, expected", [
    (None, date(2026, 10, 5), date(2026, 10, 7), (0, None)),  # the first week is still running
    (None, date(2026, 10, 5), date(2026, 10, 26), (3, date(2026, 10, 5))),  # three weeks ended unanswered
    (date(2026, 10, 12), date(2026, 10, 5), date(2026, 11, 1), (1, date(2026, 10, 19))),  # Sunday: not over
    (date(2026, 10, 12), date(2026, 10, 5), date(2026, 11, 2), (2, date(2026, 10, 19))),
    (date(2026, 10, 12), date(2026, 10, 5), date(2026, 11, 9), (3, date(2026, 10, 19))),
    (date(2026, 10, 26), date(2026, 10, 5), date(2026, 11, 2), (0, None)),  # answered last week
])
def test_missed_check_ins_in_a_row_count_only_weeks_that_ended(latest, since, today, expected):
    assert checkins.missed_in_a_row(latest, since, date(2026, 10, 5), WEEKLY, today) == expected


def test_missed_fortnights_are_counted_as_fortnights():
    anchor = date(2026, 10, 5)
    assert checkins.missed_in_a_row(None, anchor, anchor, FORTNIGHTLY, date(2026, 11, 15)) == (2, anchor)
    assert checkins.missed_in_a_row(None, anchor, anchor, FORTNIGHTLY, date(2026, 11, 16)) == (3, anchor)


def test_open_warnings_stay_until_seen_and_a_new_fall_warns_again(app, session, asked):
    with app.app_context():
        for week, home in enumerate((8, 8, 4)):
            answer_at(session, asked.parent, berlin(2026, 10, 7, 12, 0) + timedelta(weeks=week), home=home,
                      together=8, help=8)
        answer_at(session, asked.youth, berlin(2026, 10, 7, 12, 0), home=6, together=6)
        answer_at(session, asked.child, berlin(2026, 10, 21, 12, 0), face=4, topic="friends")
        now = berlin(2026, 10, 22, 12, 0).astimezone(UTC)

        def found() -> set[tuple[int, str]]:
            return {(w.member_id, w.reason) for w in checkins.open_warnings(session, [asked.case.id], now)
                    .get(asked.case.id, [])}

        # The youth answered in the first week only: one week has ended unanswered since, not yet three.
        assert found() == {(asked.parent.id, "fall"), (asked.child.id, "talk")}
        fall = next(w for w in checkins.open_warnings(session, [asked.case.id], now)[asked.case.id]
                    if w.reason == "fall")
        assert fall.drop == 4
        checkin_ops.mark_seen(session, asked.case, asked.parent, "fall", fall.key, "Angerufen, Termin am Freitag.",
                              by=asked.caseworker)
        assert found() == {(asked.child.id, "talk")}
        with pytest.raises(checkin_ops.NoSuchWarning):
            checkin_ops.mark_seen(session, asked.case, asked.parent, "fall", fall.key, "Noch einmal",
                                  by=asked.caseworker)
        # Still low the week after is no new fall; a new fall by 3 is.
        answer_at(session, asked.parent, berlin(2026, 10, 28, 12, 0), home=7, together=8, help=8)
        answer_at(session, asked.parent, berlin(2026, 11, 4, 12, 0), home=4, together=8, help=8)
        later = berlin(2026, 11, 5, 12, 0).astimezone(UTC)
        warned = {(w.member_id, w.reason) for w in checkins.open_warnings(session, [asked.case.id], later)
                  [asked.case.id]}
        # ... and by now the youth has let three weeks end without an answer.
        assert warned == {(asked.parent.id, "fall"), (asked.child.id, "talk"), (asked.youth.id, "missed")}
