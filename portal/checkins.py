"""Check-ins: "How are things at home?" — scaling questions, their rhythm, and early warnings (issue 15).

The caseworker switches check-ins on for a case and for each member who is asked, and
sets the rhythm: every week, or every two weeks (`portal.staff.operations.checkins`).
Periods are counted in the office's time zone from the schedule's `anchor_on` (a
Monday): a period starts at 00:00 office time on its first day, whatever the UTC
offset that day (daylight saving time included). A member answers once per period;
answering again in the same period replaces the earlier answer, and both are kept.

A child answers with one of five faces and may add that they want to tell their
caseworker something, with a picture (school, friends, family, feelings, other).
Parents answer three scaling questions on 1–10, youths the first two, each with an
optional sentence. The questions are the office's, written once in every language
(the catalogs); a child is addressed as a child (message context "child").

Who sees an answer is `portal.sharing`'s rule: its author (`Viewer.own_checkins`) and
the case's caseworkers, never another member of the family.

Early warnings for the caseworker (`EarlyWarning`), for every member who is asked:
- *fall*: an answer at least `FALL` points below the member's answer before it, on any
  question (a child's face: `FACE_FALL` faces or more);
- *bottom*: an answer at the bottom of the scale (1, or the saddest face);
- *missed*: `MISSED_IN_A_ROW` periods in a row ended without an answer;
- *talk*: a child wants to tell the caseworker something.
A warning stays until the caseworker marks it as seen with a note (kept); fall, bottom
and talk are looked for in the member's last `RECENT` answers, a missed streak ends when
the member answers again. `open_warnings` finds them for many cases in a fixed number
of statements (the caseload).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.models import (
    Case,
    Checkin,
    CheckinMember,
    CheckinRhythm,
    CheckinSchedule,
    CheckinWarningSeen,
    Member,
    MemberKind,
    Phase,
)

if TYPE_CHECKING:
    from portal.sharing import Viewer

PERIOD_DAYS = {CheckinRhythm.weekly: 7, CheckinRhythm.fortnightly: 14}
SCALE = tuple(range(1, 11))
FACES = tuple(range(1, 6))
# A face on the 1–10 scale the trends and the evaluation compare.
FACE_LEVELS = {1: 1.0, 2: 3.25, 3: 5.5, 4: 7.75, 5: 10.0}
SENTENCE_MAX = 280
FALL = 3  # points on the 1–10 scale
FACE_FALL = 2  # faces
BOTTOM = 1
MISSED_IN_A_ROW = 3
RECENT = 8  # answers per member in which warnings are looked for
REASONS = ("fall", "bottom", "missed", "talk")

# The questions, written once by the office (catalog strings). Parents are asked all three,
# youths the first two; a child answers the first with a face.
QUESTIONS = {
    "home": _l("How are things at home this week?"),
    "together": _l("How are we getting on with each other?"),
    "help": _l("Do we have the help we need?"),
}
# The same questions as a table's column headings.
COLUMNS = {
    "home": _l("At home (1 to 10)"),
    "together": _l("Getting on with each other (1 to 10)"),
    "help": _l("The help we need (1 to 10)"),
}
CHILD_QUESTION = lazy_pgettext("child", "How is it at home this week?")
FACE_LABELS = {
    1: lazy_pgettext("child", "Very bad"),
    2: lazy_pgettext("child", "Bad"),
    3: lazy_pgettext("child", "So-so"),
    4: lazy_pgettext("child", "Good"),
    5: lazy_pgettext("child", "Very good"),
}
# What a child wants to tell the caseworker about: key -> (pictogram, label).
TOPICS = {
    "school": ("school", lazy_pgettext("child", "School")),
    "friends": ("people", lazy_pgettext("child", "Friends")),
    "family": ("home", lazy_pgettext("child", "Family")),
    "feelings": ("heart", lazy_pgettext("child", "Feelings")),
    "other": ("talk", lazy_pgettext("child", "Something else")),
}


def questions_for(kind: MemberKind) -> tuple[str, ...]:
    """The scaling questions a member answers (a child answers with a face instead)."""
    if kind is MemberKind.child:
        return ()
    return ("home", "together") if kind is MemberKind.youth else ("home", "together", "help")


# --- periods in the office's time zone -------------------------------------------

def office_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo(current_app.config["OFFICE_TIMEZONE"])


def local_day(moment: datetime, tz=None) -> date:
    return moment.astimezone(tz or office_zone()).date()


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def period_on(day: date, rhythm: CheckinRhythm, anchor: date) -> date:
    """The first day of the period `day` falls in (periods of 7 or 14 days from `anchor`)."""
    length = PERIOD_DAYS[rhythm]
    return anchor + timedelta(days=((day - anchor).days // length) * length)


def period_start(first_day: date, tz=None) -> datetime:
    """When a period begins, in UTC: 00:00 office time on its first day (daylight saving included)."""
    return datetime.combine(first_day, time(0), tzinfo=tz or office_zone()).astimezone(UTC)


def reminder_at(first_day: date, tz=None) -> datetime:
    """The neutral reminder's moment in a period: its first day at `CHECKIN_REMINDER_AT`, office time."""
    hours, minutes = current_app.config.get("CHECKIN_REMINDER_AT", "17:00").split(":")
    return datetime.combine(first_day, time(int(hours), int(minutes)), tzinfo=tz or office_zone()).astimezone(UTC)


def missed_in_a_row(latest_period: date | None, since_on: date, anchor: date, rhythm: CheckinRhythm,
                    today: date) -> tuple[int, date | None]:
    """How many periods ended without an answer since the last answer (or since check-ins were
    switched on, or the rhythm last changed), and the first of them."""
    length = PERIOD_DAYS[rhythm]
    begin = max(since_on, anchor)
    if latest_period is not None:
        begin = max(begin, latest_period + timedelta(days=1))
    first = period_on(begin, rhythm, anchor)
    if first < begin:
        first += timedelta(days=length)
    missed = max(0, (period_on(today, rhythm, anchor) - first).days // length)
    return missed, (first if missed else None)


@dataclass
class Status:
    """Whether and how a member is asked now."""

    rhythm: CheckinRhythm
    period_on: date  # the current period's first day
    period_days: int
    answer: Checkin | None  # the member's current answer for this period
    missed: int
    missed_since: date | None

    @property
    def due(self) -> bool:
        return self.answer is None

    @property
    def last_day(self) -> date:
        return self.period_on + timedelta(days=self.period_days - 1)


def status(session: Session, member: Member, now: datetime | None = None) -> Status | None:
    """The member's check-in now; None when check-ins are off for them or their case."""
    # The setting, the schedule and the member's two latest answers, in one statement (every
    # family page asks it for the check-in offer).
    latest_two = (sa.select(Checkin.id).where(Checkin.member_id == member.id, Checkin.replaced_at.is_(None))
                  .order_by(Checkin.period_on.desc(), Checkin.id.desc()).limit(2))
    rows = session.execute(
        sa.select(CheckinMember, CheckinSchedule, Checkin)
        .join(CheckinSchedule, CheckinSchedule.case_id == CheckinMember.case_id)
        .outerjoin(Checkin, Checkin.id.in_(latest_two))
        .where(CheckinMember.member_id == member.id, CheckinMember.enabled)
    ).all()
    if not rows or member.case.phase is Phase.closed:
        return None
    setting, schedule = rows[0][0], rows[0][1]
    today = local_day(now or utcnow())
    current = period_on(today, schedule.rhythm, schedule.anchor_on)
    recent = sorted((row[2] for row in rows if row[2] is not None), key=lambda c: (c.period_on, c.id), reverse=True)
    answer = next((c for c in recent if c.period_on == current), None)
    latest = max((c.period_on for c in recent if c.period_on <= current), default=None)
    missed, since = missed_in_a_row(latest, setting.since_on, schedule.anchor_on, schedule.rhythm, today)
    return Status(schedule.rhythm, current, PERIOD_DAYS[schedule.rhythm], answer, missed, since)


# --- answering ------------------------------------------------------------------------

class NotAllowed(Exception):
    """Check-ins are off for this member (or it is a preview): nothing is saved."""


class BadAnswer(ValueError):
    """A value outside the scale, a face for an adult, a sentence over the limit."""


@dataclass(frozen=True)
class Answer:
    face: int | None = None
    home: int | None = None
    together: int | None = None
    help: int | None = None
    sentence: str = ""
    topic: str | None = None


def check(given: Answer, kind: MemberKind) -> None:
    """The rules the forms check, once more for any other way in."""
    if kind is MemberKind.child:
        if given.face not in FACES or any(v is not None for v in (given.home, given.together, given.help)):
            raise BadAnswer("face")
        if given.topic not in (None, *TOPICS):
            raise BadAnswer("topic")
        return
    asked = questions_for(kind)
    for name in ("home", "together", "help"):
        value = getattr(given, name)
        if (name in asked) != (value is not None) or (value is not None and value not in SCALE):
            raise BadAnswer(name)
    if given.face is not None or given.topic is not None or len(given.sentence) > SENTENCE_MAX:
        raise BadAnswer("sentence")


def level(given: Answer) -> float:
    return FACE_LEVELS[given.face] if given.face is not None else float(given.home)


def answer(viewer: Viewer, given: Answer) -> tuple[Checkin, Checkin | None]:
    """Save the member's answer for the current period; the earlier one of the same period,
    if any, is marked replaced (and kept). Returns (the answer, the one it replaced)."""
    if not viewer.may_check_in():
        raise NotAllowed
    member, session = viewer.member, viewer.session
    check(given, member.kind)
    now = utcnow()
    current = status(session, member, now)
    if current is None:
        raise NotAllowed
    for attempt in (1, 2):  # a double submit racing this one: the later replaces the earlier
        try:
            with session.begin_nested():
                earlier = session.scalar(sa.select(Checkin).where(
                    Checkin.member_id == member.id, Checkin.period_on == current.period_on,
                    Checkin.replaced_at.is_(None)))
                if earlier is not None:
                    earlier.replaced_at = now
                    session.flush()
                saved = Checkin(
                    case_id=member.case_id, member_id=member.id, period_on=current.period_on, answered_at=now,
                    phase=member.case.phase, face=given.face, home=given.home, together=given.together,
                    help=given.help, level=level(given), sentence=given.sentence.strip() or None, topic=given.topic)
                session.add(saved)
                session.flush()
            return saved, earlier
        except sa.exc.IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def history(session: Session, member_id: int, with_replaced: bool = False) -> list[Checkin]:
    """A member's answers, oldest first (the current one of each period, or all of them)."""
    query = sa.select(Checkin).where(Checkin.member_id == member_id)
    if not with_replaced:
        query = query.where(Checkin.replaced_at.is_(None))
    return list(session.scalars(query.order_by(Checkin.period_on, Checkin.answered_at, Checkin.id)))


# --- early warnings -------------------------------------------------------------------

@dataclass(frozen=True)
class EarlyWarning:
    member_id: int
    reason: str  # one of REASONS
    key: str  # the answer's id, or the first missed period (ISO date)
    checkin: Checkin | None = None
    missed: int = 0
    since: date | None = None
    drop: int = 0  # how far the answer fell (points, or faces)

    @property
    def faces(self) -> bool:
        return self.checkin is not None and self.checkin.face is not None


def _values(checkin: Checkin) -> dict[str, int]:
    names = ("face",) if checkin.face is not None else ("home", "together", "help")
    return {n: getattr(checkin, n) for n in names if getattr(checkin, n) is not None}


def answer_warnings(member_id: int, answers: list[Checkin]) -> list[EarlyWarning]:
    """Fall, bottom and talk in a member's current answers (oldest first): a pure rule."""
    found = []
    previous: Checkin | None = None
    for checkin in answers:
        values = _values(checkin)
        if previous is not None:
            before = _values(previous)
            limit = FACE_FALL if "face" in values else FALL
            drop = max((before[name] - value for name, value in values.items() if name in before), default=0)
            if drop >= limit:
                found.append(EarlyWarning(member_id, "fall", str(checkin.id), checkin, drop=drop))
        if any(value == BOTTOM for value in values.values()):
            found.append(EarlyWarning(member_id, "bottom", str(checkin.id), checkin))
        if checkin.topic:
            found.append(EarlyWarning(member_id, "talk", str(checkin.id), checkin))
        previous = checkin
    return found


def open_warnings(session: Session, case_ids: Iterable[int] | sa.Select,
                  now: datetime | None = None) -> dict[int, list[EarlyWarning]]:
    """The warnings not yet marked as seen, per case, for the members who are asked: three
    statements whatever the number of cases and members. `case_ids` may be a statement that
    selects them (the caseload's), so hundreds of ids are not sent as parameters."""
    ids = case_ids if isinstance(case_ids, sa.Select) else list(case_ids)
    if not isinstance(ids, sa.Select) and not ids:
        return {}
    today = local_day(now or utcnow())
    asked = session.execute(
        sa.select(CheckinMember, CheckinSchedule)
        .join(CheckinSchedule, CheckinSchedule.case_id == CheckinMember.case_id)
        .join(Case, Case.id == CheckinMember.case_id)
        .join(Member, Member.id == CheckinMember.member_id)
        .where(CheckinMember.case_id.in_(ids), CheckinMember.enabled, Member.active, Case.phase != Phase.closed)
    ).all()
    if not asked:
        return {}
    ranked = (
        sa.select(Checkin.id, sa.func.row_number().over(
            partition_by=Checkin.member_id, order_by=(Checkin.period_on.desc(), Checkin.id.desc())).label("n"))
        .where(Checkin.case_id.in_(ids), Checkin.replaced_at.is_(None))
        .subquery()
    )
    answers: dict[int, list[Checkin]] = {}
    for checkin in session.scalars(
            sa.select(Checkin).join(ranked, ranked.c.id == Checkin.id).where(ranked.c.n <= RECENT)
            .order_by(Checkin.member_id, Checkin.period_on, Checkin.id)):
        answers.setdefault(checkin.member_id, []).append(checkin)
    seen = set(session.execute(
        sa.select(CheckinWarningSeen.member_id, CheckinWarningSeen.reason, CheckinWarningSeen.key)
        .where(CheckinWarningSeen.case_id.in_(ids))).all())
    found: dict[int, list[EarlyWarning]] = {}
    for setting, schedule in asked:
        own = answers.get(setting.member_id, [])
        warnings = answer_warnings(setting.member_id, own)
        latest = own[-1].period_on if own else None
        missed, since = missed_in_a_row(latest, setting.since_on, schedule.anchor_on, schedule.rhythm, today)
        if missed >= MISSED_IN_A_ROW:
            warnings.append(EarlyWarning(setting.member_id, "missed", since.isoformat(), missed=missed, since=since))
        fresh = [w for w in warnings if (w.member_id, w.reason, w.key) not in seen]
        if fresh:
            found.setdefault(setting.case_id, []).extend(fresh)
    return found


# --- what the worker reminds of ------------------------------------------------------

@dataclass(frozen=True)
class Due:
    member_id: int
    case_id: int
    period_on: date
    remind_at: datetime


def due_reminders(session: Session, now: datetime) -> list[Due]:
    """Members asked in an open case whose current period is unanswered and whose reminder
    moment has come (a few statements for all of them)."""
    tz = office_zone()
    today = local_day(now, tz)
    asked = session.execute(
        sa.select(CheckinMember.member_id, CheckinMember.case_id, CheckinSchedule.rhythm, CheckinSchedule.anchor_on)
        .join(CheckinSchedule, CheckinSchedule.case_id == CheckinMember.case_id)
        .join(Case, Case.id == CheckinMember.case_id)
        .join(Member, Member.id == CheckinMember.member_id)
        .where(CheckinMember.enabled, Member.active, Case.phase != Phase.closed)
    ).all()
    candidates = []
    for member_id, case_id, rhythm, anchor in asked:
        first = period_on(today, rhythm, anchor)
        at = reminder_at(first, tz)
        if at <= now:
            candidates.append(Due(member_id, case_id, first, at))
    if not candidates:
        return []
    answered = set(session.execute(
        sa.select(Checkin.member_id, Checkin.period_on)
        .where(Checkin.member_id.in_([d.member_id for d in candidates]), Checkin.replaced_at.is_(None),
               Checkin.period_on >= min(d.period_on for d in candidates))).all())
    return [d for d in candidates if (d.member_id, d.period_on) not in answered]


__all__ = ["Answer", "BadAnswer", "CHILD_QUESTION", "FACES", "FACE_LABELS", "NotAllowed", "QUESTIONS", "SCALE",
           "SENTENCE_MAX", "Status", "TOPICS", "EarlyWarning", "answer", "answer_warnings",
           "due_reminders", "history", "missed_in_a_row", "open_warnings", "period_on", "period_start",
           "questions_for", "reminder_at", "status"]
