"""What a caseworker's caseload page shows per case, what needs attention, and the alerts above it.

Cases come only from `portal.sharing.cases_for`; everything else is read for
those cases in batches: a fixed number of queries per page, whether the
caseworker carries 1 case or 200 (`tests/staff/test_caseload.py` counts them).

A case needs attention when one of these holds (`Attention`):
- an "I don't feel safe" alert is not acknowledged;
- someone's current answer to the latest plan version disagrees and is not handled;
- a question has waited longer than two working days for a reply;
- an answer to an appointment has not been seen (marked handled);
- a member reads a language in which published items they see have no
  translation (asked of each member's `sharing.Viewer`, all in one statement);
- a check-in warns early (`portal.checkins.open_warnings`: a fall by 3 or more, the
  bottom of the scale, three check-ins missed in a row, a child who wants to talk),
  until the caseworker marks it as seen.
"""
from __future__ import annotations

import collections
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, lazyload, selectinload

from portal import checkins, publishing, sharing, translation_work
from portal.notifications import status as notification_status
from portal.audit import Action
from portal.db import UTCDateTime, utcnow
from portal.inbox import Carried, answer_open, carried_clause
from portal.models import (
    Appointment,
    AppointmentAnswer,
    AppointmentStatus,
    AuditEvent,
    Case,
    Member,
    Phase,
    Plan,
    PlanVersion,
    PublishedItem,
    Question,
    SafetyAlert,
    StaffUser,
    VersionResponse,
)

PAGE_SIZE = 50
WAITING_WORKING_DAYS = 2
PHASE_ORDER = {phase: index for index, phase in enumerate(Phase)}


class Sort(StrEnum):
    attention = "attention"
    appointment = "appointment"
    activity = "activity"
    phase = "phase"
    name = "name"


@dataclass
class Untranslated:
    member: Member
    items: int  # published items the member sees without a translation in their language


@dataclass
class Attention:
    alerts: int = 0
    disagreements: int = 0
    waiting_questions: int = 0  # longer than two working days
    unseen_answers: int = 0
    untranslated: list[Untranslated] = field(default_factory=list)
    unreachable: list[Member] = field(default_factory=list)  # their last notification was refused
    checkin_warnings: list[tuple[Member, checkins.EarlyWarning]] = field(default_factory=list)  # not yet seen

    @property
    def total(self) -> int:
        return (self.alerts + self.disagreements + self.waiting_questions + self.unseen_answers
                + len(self.untranslated) + len(self.unreachable) + len(self.checkin_warnings))

    def __bool__(self) -> bool:
        return self.total > 0


@dataclass
class CaseRow:
    case: Case
    attention: Attention
    next_appointment: Appointment | None = None
    last_activity: datetime | None = None
    open_questions: int = 0
    cannot_come: int = 0  # answers "I cannot come" to upcoming appointments
    answers: int = 0  # all answers to upcoming appointments
    unpublished: int = 0  # items added, removed or changed in the draft
    latest: PlanVersion | None = None


@dataclass
class Filters:
    search: str = ""
    phase: Phase | None = None
    carried: Carried = Carried.all
    attention_only: bool = False
    sort: Sort = Sort.attention

    @classmethod
    def from_args(cls, args) -> Filters:
        """From a query string; anything unknown is ignored, never an error."""
        phase = args.get("phase")
        return cls(
            search=" ".join(args.get("q", "").split())[:80],
            phase=Phase(phase) if phase in {p.value for p in Phase} else None,
            carried=Carried(args["carried"]) if args.get("carried") in Carried.__members__ else Carried.all,
            attention_only=args.get("attention") == "1",
            sort=Sort(args["sort"]) if args.get("sort") in Sort.__members__ else Sort.attention,
        )


@dataclass
class Caseload:
    rows: list[CaseRow]  # this page
    total: int  # cases matching the filters
    needing_attention: int
    page: int
    pages: int


def open_alerts(session: Session, staff: StaffUser) -> list[SafetyAlert]:
    """Unacknowledged "I don't feel safe" alerts in the staff member's cases, oldest first."""
    return list(session.scalars(
        sa.select(SafetyAlert).join(Case, Case.id == SafetyAlert.case_id)
        .where(sharing.cases_for(staff), SafetyAlert.acknowledged_at.is_(None))
        .options(joinedload(SafetyAlert.member).joinedload(Member.case))
        .order_by(SafetyAlert.raised_at)
    ))


def working_days_before(now: datetime, days: int, tz) -> datetime:
    """The moment `days` working days (Monday to Friday) before `now`, in the office's time zone."""
    local = now.astimezone(tz)
    day = local.date()
    left = days
    while left:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    if local.weekday() >= 5:  # at the weekend the clock stands still from the end of Friday
        return datetime.combine(day, time(), tzinfo=tz)
    return datetime.combine(day, local.time(), tzinfo=tz)


def caseload(session: Session, staff: StaffUser, filters: Filters | None = None, page: int = 1,
             now: datetime | None = None, tz=None) -> Caseload:
    """The staff member's cases as the caseload page shows them, needing attention first by default."""
    from portal.i18n import office_tz

    filters = filters or Filters()
    now = now or utcnow()
    conditions = [sharing.cases_for(staff), carried_clause(staff, filters.carried)]
    if filters.phase is not None:
        conditions.append(Case.phase == filters.phase)
    if filters.search:
        pattern = f"%{filters.search.lower()}%"
        conditions.append(sa.or_(sa.func.lower(Case.title).like(pattern), sa.func.lower(Case.reference).like(pattern)))
    cases = list(session.scalars(
        sa.select(Case).where(*conditions).options(selectinload(Case.members), joinedload(Case.primary_caseworker))
        .order_by(Case.title, Case.id)).unique())
    if not cases:
        return Caseload([], 0, 0, 1, 1)
    # The batched reads below name the cases by this subquery, not by a list of hundreds of ids.
    ids = sa.select(Case.id).where(*conditions)
    waiting_since = working_days_before(now, WAITING_WORKING_DAYS, tz or office_tz())
    attention = _attention(session, cases, ids, waiting_since)
    next_appointment, answers = _appointments(session, ids, now)
    activity = _last_activity(session, ids)
    open_questions = dict(session.execute(
        sa.select(Question.case_id, sa.func.count()).where(Question.case_id.in_(ids), Question.reply.is_(None))
        .group_by(Question.case_id)).all())
    rows = [CaseRow(case=case, attention=attention[case.id], next_appointment=next_appointment.get(case.id),
                    last_activity=activity.get(case.id), open_questions=open_questions.get(case.id, 0),
                    answers=answers.get(case.id, (0, 0))[0], cannot_come=answers.get(case.id, (0, 0))[1])
            for case in cases]
    if filters.attention_only:
        rows = [row for row in rows if row.attention]
    rows.sort(key=_sort_key(filters.sort))
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = rows[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    _plans(session, shown)
    return Caseload(shown, len(rows), sum(1 for row in rows if row.attention), page, pages)


def _sort_key(sort: Sort):
    far = datetime.max.replace(tzinfo=None)
    match sort:
        case Sort.appointment:
            return lambda r: (r.next_appointment is None,
                              r.next_appointment.starts_at.replace(tzinfo=None) if r.next_appointment else far,
                              r.case.title)
        case Sort.activity:
            return lambda r: (r.last_activity is None,
                              -(r.last_activity.timestamp()) if r.last_activity else 0, r.case.title)
        case Sort.phase:
            return lambda r: (PHASE_ORDER[r.case.phase], r.case.title)
        case Sort.name:
            return lambda r: (r.case.title.lower(), r.case.id)
        case _:
            return lambda r: (not r.attention, -r.attention.alerts, -r.attention.total, r.case.title.lower())


def _attention(session: Session, cases: list[Case], ids: sa.Select, waiting_since: datetime) -> dict[int, Attention]:
    # A case that came into scope after the cases were read is not on this page.
    found: dict[int, Attention] = collections.defaultdict(Attention)
    found.update({case.id: Attention() for case in cases})
    members = [m for case in cases for m in case.members]
    delivery = notification_status.for_members(
        session, members, ids=sa.select(Member.id).where(Member.case_id.in_(ids)))
    for case_id, count in session.execute(
            sa.select(SafetyAlert.case_id, sa.func.count()).where(
                SafetyAlert.case_id.in_(ids), SafetyAlert.acknowledged_at.is_(None)).group_by(SafetyAlert.case_id)):
        found[case_id].alerts = count
    latest = sa.select(sa.func.max(PlanVersion.number)).where(
        PlanVersion.plan_id == Plan.id).correlate(Plan).scalar_subquery()
    later = sa.orm.aliased(VersionResponse)
    answered_again = sa.exists().where(later.version_id == VersionResponse.version_id,
                                       later.member_id == VersionResponse.member_id, later.id > VersionResponse.id)
    for case_id, count in session.execute(
            sa.select(Plan.case_id, sa.func.count())
            .join(PlanVersion, PlanVersion.plan_id == Plan.id)
            .join(VersionResponse, VersionResponse.version_id == PlanVersion.id)
            .where(Plan.case_id.in_(ids), PlanVersion.number == latest, sa.not_(answered_again),
                   VersionResponse.agrees.is_(False), VersionResponse.handled_at.is_(None))
            .group_by(Plan.case_id)):
        found[case_id].disagreements = count
    for case_id, count in session.execute(
            sa.select(Question.case_id, sa.func.count()).where(
                Question.case_id.in_(ids), Question.reply.is_(None), Question.asked_at < waiting_since)
            .group_by(Question.case_id)):
        found[case_id].waiting_questions = count
    for case_id, count in session.execute(
            sa.select(Appointment.case_id, sa.func.count())
            .join(AppointmentAnswer, AppointmentAnswer.appointment_id == Appointment.id)
            .where(Appointment.case_id.in_(ids), answer_open()).group_by(Appointment.case_id)):
        found[case_id].unseen_answers = count
    for member, count in untranslated_items(session, members).items():
        found[member.case_id].untranslated.append(Untranslated(member, count))
    for member in members:
        if sharing.account_open(member) and delivery[member.id].failing:
            found[member.case_id].unreachable.append(member)
    by_id = {member.id: member for member in members}
    for case_id, warnings in checkins.open_warnings(session, ids).items():
        found[case_id].checkin_warnings += [(by_id[w.member_id], w) for w in warnings]
    return found


def untranslated_items(session: Session, members: list[Member]) -> dict[Member, int]:
    """For each member who reads another language than German: how many of the published items
    they see (the rule of their `sharing.Viewer`) have no translation in that language.

    One statement for all members, whatever their number (`sharing.seen_by`)."""
    readers = {m.id: m for m in members if translation_work.needs_translation(m) and sharing.account_open(m)}
    counts: dict[Member, int] = {}
    for member_id, simple_text, translations in sharing.seen_by(
            session, PublishedItem, list(readers.values()), "simple_text", "translations"):
        member = readers[member_id]
        if translation_work.lacks_translation(translations, member.language, simple_text,
                                              sharing.Reader(member.kind, member.easy_read).reads_simply):
            counts[member] = counts.get(member, 0) + 1
    return counts


def _appointments(session: Session, ids: sa.Select, now: datetime):
    coming = (Appointment.case_id.in_(ids), Appointment.starts_at >= now,
              Appointment.status != AppointmentStatus.cancelled)
    order = sa.func.row_number().over(partition_by=Appointment.case_id,
                                      order_by=(Appointment.starts_at, Appointment.id)).label("n")
    firsts = sa.select(Appointment.id, order).where(*coming).subquery()
    next_appointment = {appointment.case_id: appointment for appointment in session.scalars(
        sa.select(Appointment).join(firsts, firsts.c.id == Appointment.id).where(firsts.c.n == 1)
        .options(lazyload(Appointment.people)))}
    answers = {
        case_id: (total, cannot)
        for case_id, total, cannot in session.execute(
            sa.select(Appointment.case_id, sa.func.count(), sa.func.count().filter(AppointmentAnswer.coming.is_(False)))
            .join(Appointment, Appointment.id == AppointmentAnswer.appointment_id)
            .where(Appointment.case_id.in_(ids), Appointment.starts_at >= now,
                   Appointment.status != AppointmentStatus.cancelled)
            .group_by(Appointment.case_id))
    }
    return next_appointment, answers


def _last_activity(session: Session, ids: sa.Select) -> dict[int, datetime]:
    """The family's last sign, per case: a question, an answer, a response to the plan, an alert, a sign-in."""
    family_signins = sa.select(AuditEvent.case_id.label("case_id"), AuditEvent.at.label("at")).where(
        AuditEvent.case_id.in_(ids), AuditEvent.action == Action.signin.value, AuditEvent.actor.like("member:%"))
    moments = sa.union_all(
        sa.select(Question.case_id.label("case_id"), Question.asked_at.label("at")).where(Question.case_id.in_(ids)),
        sa.select(Appointment.case_id, AppointmentAnswer.answered_at)
        .join(Appointment, Appointment.id == AppointmentAnswer.appointment_id).where(Appointment.case_id.in_(ids)),
        sa.select(Plan.case_id, VersionResponse.answered_at)
        .join(PlanVersion, PlanVersion.id == VersionResponse.version_id).join(Plan, Plan.id == PlanVersion.plan_id)
        .where(Plan.case_id.in_(ids)),
        sa.select(SafetyAlert.case_id, SafetyAlert.raised_at).where(SafetyAlert.case_id.in_(ids)),
        family_signins,
    ).subquery()
    latest = sa.type_coerce(sa.func.max(moments.c.at), UTCDateTime())
    return dict(session.execute(sa.select(moments.c.case_id, latest).group_by(moments.c.case_id)).all())


def _plans(session: Session, rows: list[CaseRow]) -> None:
    """The plan column of the rows on this page: unpublished changes, the last version and who agreed.

    Drafts and latest versions are compared as rows (`publishing.draft_snapshots`,
    `latest_snapshots`): a fixed number of statements and no ORM object per item."""
    if not rows:
        return
    plans = dict(session.execute(
        sa.select(Plan.case_id, Plan.id).where(Plan.case_id.in_([row.case.id for row in rows]))).all())
    latest_number = (sa.select(PlanVersion.plan_id, sa.func.max(PlanVersion.number).label("number"))
                     .where(PlanVersion.plan_id.in_(list(plans.values()))).group_by(PlanVersion.plan_id).subquery())
    latest = {version.plan_id: version for version in session.scalars(
        sa.select(PlanVersion)
        .join(latest_number, sa.and_(PlanVersion.plan_id == latest_number.c.plan_id,
                                     PlanVersion.number == latest_number.c.number))
        .options(selectinload(PlanVersion.responses).selectinload(VersionResponse.member)))}
    drafts = publishing.draft_snapshots(session, list(plans.values()))
    published = publishing.latest_snapshots(session, list(plans.values()))
    for row in rows:
        plan_id = plans.get(row.case.id)
        if plan_id is None:
            continue
        row.latest = latest.get(plan_id)
        diff = publishing.compare(published.get(plan_id, {}), drafts.get(plan_id, {}))
        row.unpublished = len(diff.added) + len(diff.removed) + len(diff.changed)


__all__ = ["Attention", "CaseRow", "Caseload", "Filters", "PAGE_SIZE", "Sort", "Untranslated", "caseload",
           "open_alerts", "untranslated_items", "working_days_before"]
