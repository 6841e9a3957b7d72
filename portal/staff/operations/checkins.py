"""Check-ins on the staff side: who is asked and how often, and warnings marked as seen (issue 15)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit, checkins, concurrency
from portal.db import utcnow
from portal.models import Case, CheckinMember, CheckinRhythm, CheckinSchedule, CheckinWarningSeen, Member, StaffUser

NOTE_MAX = 500


class CaseClosed(Exception):
    """A closed case asks nobody any more."""


class NoSuchWarning(Exception):
    """The warning is not (or no longer) open: already seen, or its member not asked any more."""


def schedule_of(session: Session, case: Case) -> CheckinSchedule | None:
    return session.get(CheckinSchedule, case.id)


def settings(session: Session, case: Case) -> dict[int, CheckinMember]:
    """Who of the family is asked (and who was), by member id."""
    return {row.member_id: row for row in session.scalars(
        sa.select(CheckinMember).where(CheckinMember.case_id == case.id))}


def set_checkins(session: Session, case: Case, rhythm: CheckinRhythm, member_ids: set[int], revision: str | None,
                 by: StaffUser) -> None:
    """Ask exactly the members `member_ids` (of this case, with an open account), at `rhythm`.

    A new rhythm starts with the current week: its periods are counted from this week's
    Monday. A member switched on is asked from the current period on (it is due at once);
    switching off keeps every answer. `concurrency.Stale` if someone saved since the form
    was shown (`revision` is the schedule's, or empty before there was one)."""
    if case.is_closed:
        raise CaseClosed
    schedule = schedule_of(session, case)
    today = checkins.local_day(utcnow())
    this_monday = checkins.monday(today)
    with concurrency.saving(session, (schedule, revision or concurrency.NO_ROW), conflicts=(sa.exc.IntegrityError,)):
        if schedule is None:
            schedule = CheckinSchedule(case_id=case.id, rhythm=rhythm, anchor_on=this_monday, updated_by_id=by.id)
            session.add(schedule)
            audit.record(session, audit.Action.checkin_schedule, case_id=case.id, actor=by)
        elif schedule.rhythm is not rhythm:
            schedule.rhythm, schedule.anchor_on, schedule.updated_by_id = rhythm, this_monday, by.id
            audit.record(session, audit.Action.checkin_schedule, case_id=case.id, actor=by)
        members = {m.id: m for m in case.members if m.active}
        wanted = {i for i in member_ids if i in members}
        current = settings(session, case)
        starts = checkins.period_on(today, schedule.rhythm, schedule.anchor_on)
        for member_id in sorted(wanted):
            row = current.get(member_id)
            if row is None:
                session.add(CheckinMember(member_id=member_id, case_id=case.id, enabled=True, since_on=starts))
            elif not row.enabled:
                row.enabled, row.since_on = True, starts
            else:
                continue
            audit.record(session, audit.Action.checkin_on, case_id=case.id, obj=members[member_id], actor=by)
        for member_id, row in current.items():
            if row.enabled and member_id not in wanted:
                row.enabled = False
                audit.record(session, audit.Action.checkin_off, case_id=case.id, obj=row.member, actor=by)
        schedule.updated_at = utcnow()


def mark_seen(session: Session, case: Case, member: Member, reason: str, key: str, note: str,
              by: StaffUser) -> CheckinWarningSeen:
    """The caseworker saw a warning that is open now, and says what follows, in a short note (kept)."""
    open_now = checkins.open_warnings(session, [case.id]).get(case.id, [])
    if not any(w.member_id == member.id and w.reason == reason and w.key == key for w in open_now):
        raise NoSuchWarning
    seen = CheckinWarningSeen(case_id=case.id, member_id=member.id, reason=reason, key=key, note=note.strip(),
                              seen_by_id=by.id)
    session.add(seen)
    session.flush()
    audit.record(session, audit.Action.checkin_warning_seen, case_id=case.id, obj=member, actor=by)
    session.flush()
    return seen


def seen_warnings(session: Session, case: Case) -> list[CheckinWarningSeen]:
    """Every warning of the case marked as seen, newest first, with its note."""
    return list(session.scalars(
        sa.select(CheckinWarningSeen).where(CheckinWarningSeen.case_id == case.id)
        .order_by(CheckinWarningSeen.seen_at.desc(), CheckinWarningSeen.id.desc())))


__all__ = ["CaseClosed", "NOTE_MAX", "NoSuchWarning", "mark_seen", "schedule_of", "seen_warnings", "set_checkins",
           "settings"]
