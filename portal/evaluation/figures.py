"""Every figure of the evaluation, as SQL aggregates over the facts and the portal's events.

`evaluate(session, teams, period, minimum)` runs a fixed number of queries for both
periods together (the chosen one and the one before), whatever the number of cases: each
query reads its rows once and counts for every period with `COUNT(*) FILTER (…)`, or
groups by the period a row falls in; medians and quartiles come from one list of
durations per figure, fetched as counts per number of days, without names or ids. No ORM object of a case,
member or person is loaded. The raw numbers then pass `suppression` before anything
leaves this module: `Evaluation` holds only `Cell`s.
"""
from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from portal.evaluation import suppression
from portal.evaluation.periods import Period, add_months
from portal.evaluation.sql import days_between, greatest, hours_between, least
from portal.evaluation.suppression import Cell
from portal.models import (
    Appointment,
    AppointmentAnswer,
    AppointmentStatus,
    Audience,
    CareRecord,
    Case,
    CaseworkerChange,
    Checkin,
    Member,
    MemberKind,
    Phase,
    PhaseChange,
    Placement,
    Plan,
    PlanVersion,
    Question,
    ReentryReason,
    VersionResponse,
)

SIX_MONTHS = 182  # days; "at least 6 months" and "within 6 months"
TWELVE_MONTHS = 365
SHORT_STAY = 8  # CFSR: stays under 8 days are left out
ADULT_AGE = 18  # CFSR: children 18 and over are left out
OPEN_PHASES = (Phase.clarification, Phase.planning, Phase.preparation, Phase.return_, Phase.aftercare)
HOME_PHASES = (Phase.return_, Phase.aftercare, Phase.closed)
CHILD_KINDS = (MemberKind.child, MemberKind.youth)
STABLE_MARGIN = 1.0  # check-ins: a family's score "stayed stable" when it fell by at most this much


@dataclass
class Raw:
    """One period's numbers before suppression (kept inside this module and its tests)."""

    stock: dict[str, int] = field(default_factory=dict)  # phase -> children
    new_cases: int = 0
    children_in_new_cases: int = 0
    returns: int = 0
    returns_total: int = 0
    returns_by_placement: dict[str, int] = field(default_factory=dict)
    returns_by_month: dict[date, int] = field(default_factory=dict)
    days_from_care: list[int] = field(default_factory=list)
    days_from_programme: list[int] = field(default_factory=list)
    days_before_programme: list[int] = field(default_factory=list)
    stable6_base: int = 0
    stable6: int = 0
    stable12_base: int = 0
    stable12: int = 0
    reentries_by_reason: dict[str, int] = field(default_factory=dict)
    permanency_base: int = 0
    permanency: int = 0
    reentry12_base: int = 0
    reentry12: int = 0
    continuity_base: int = 0
    continuity: int = 0
    caseworker_changes: int = 0
    open_cases: int = 0
    versions: int = 0
    versions_agreed: int = 0
    appointments: int = 0
    appointments_coming: int = 0
    questions: int = 0
    questions_open: int = 0
    hours_to_answer: list[float] = field(default_factory=list)
    caseloads: list[int] = field(default_factory=list)
    care_children: int = 0
    care_days: int = 0
    care_cents: int = 0
    missing_entered: int = 0
    missing_placement: int = 0
    missing_return: int = 0
    missing_rate: int = 0  # children at home in the period whose days have no rate to be valued with
    checkin_families: int = 0  # families with check-ins in at least two periods of after-care
    checkin_stable: int = 0  # of those, whose score stayed stable or rose

    @property
    def stock_total(self) -> int:
        return sum(self.stock.values())

    @property
    def reentries(self) -> int:
        return sum(self.reentries_by_reason.values())


def _bounds(period: Period) -> tuple[datetime, datetime]:
    """The period's first and (exclusive) last moment in UTC, by the office's days."""
    zone = ZoneInfo(current_app.config["OFFICE_TIMEZONE"])
    start = datetime.combine(period.start, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(period.end + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


def _latest(model, column, value, moments: Sequence[datetime]) -> sa.Subquery:
    """Per case, `value` of the newest `model` row before each of `moments` (the phase or the
    caseworker at a period's end), as columns `at_0`, `at_1`, …: one pass over the rows for all
    moments. A row is in force from its own time until the next row's (`lead`), so the one in
    force at a moment is the newest before it."""
    order = (column, model.id)
    rows = sa.select(
        model.case_id.label("case_id"), value.label("value"), column.label("since"),
        sa.func.lead(column, type_=column.type).over(partition_by=model.case_id, order_by=order).label("until"),
    ).subquery()
    in_force = lambda moment: sa.and_(rows.c.since < moment,  # noqa: E731
                                      sa.or_(rows.c.until.is_(None), rows.c.until >= moment))
    return (
        sa.select(rows.c.case_id,
                  *[sa.func.max(sa.case((in_force(moment), rows.c.value))).label(f"at_{k}")
                    for k, moment in enumerate(moments)])
        .group_by(rows.c.case_id)
        .subquery()
    )


def _which(conditions: Sequence[sa.ColumnElement[bool]]) -> sa.ColumnElement[int]:
    """The index of the period whose condition a row meets (periods do not overlap), else NULL:
    a query groups by it to count events for every period in one pass. Build it once per query
    and use that one expression in the columns and in GROUP BY: PostgreSQL matches them by
    their bound parameters."""
    return sa.case(*[(condition, k) for k, condition in enumerate(conditions)], else_=sa.null())


def _rate_cents() -> sa.ColumnElement[int]:
    """The child's own daily rate, else the office's default for the placement (in cents)."""
    rates = current_app.config["DAILY_RATES"]
    default = sa.case(
        *[(CareRecord.placement == kind, int(round(rates[kind.value] * 100))) for kind in Placement],
        else_=None,
    )
    return sa.func.coalesce(CareRecord.daily_rate_cents, default)


def _child_counts(period: Period) -> dict[str, sa.ColumnElement[int]]:
    """One period's counts over every child of the teams, each with its own condition, by the
    name of the `Raw` field it fills."""
    start_at, end_at = _bounds(period)
    start, end = period.start, period.end
    since_return = days_between(CareRecord.returned_on, CareRecord.reentered_on)
    stay = days_between(CareRecord.entered_care_on, CareRecord.returned_on)
    entry_age = sa.extract("year", CareRecord.entered_care_on) - Member.birth_year
    return_age = sa.extract("year", CareRecord.returned_on) - Member.birth_year
    not_short = sa.or_(CareRecord.returned_on.is_(None), stay >= SHORT_STAY)
    cfsr_window = (add_months(end, -24) + timedelta(days=1), add_months(end, -12))
    six_before, twelve_before = add_months(end, -6), add_months(end, -12)
    permanency_cohort = sa.and_(CareRecord.entered_care_on.between(*cfsr_window), not_short,
                                sa.or_(Member.birth_year.is_(None), entry_age < ADULT_AGE))
    reentry_cohort = sa.and_(CareRecord.returned_on.between(*cfsr_window), not_short,
                             sa.or_(Member.birth_year.is_(None), return_age < ADULT_AGE))
    reentered_within = lambda days: sa.and_(CareRecord.reentered_on.is_not(None), since_return <= days)  # noqa: E731
    home_from = greatest(CareRecord.returned_on, start)
    home_until = least(sa.func.coalesce(CareRecord.reentered_on, end + timedelta(days=1)), end + timedelta(days=1))
    at_home_in_period = sa.and_(CareRecord.returned_on <= end,
                                sa.or_(CareRecord.reentered_on.is_(None), CareRecord.reentered_on > start))
    home_days = days_between(home_from, home_until)
    rate = _rate_cents()
    count = lambda condition: sa.func.count().filter(condition)  # noqa: E731
    return {
        "children_in_new_cases": count(sa.and_(Case.created_at >= start_at, Case.created_at < end_at)),
        "returns": count(CareRecord.returned_on.between(start, end)),
        "returns_total": count(CareRecord.returned_on <= end),
        "stable6_base": count(CareRecord.returned_on <= six_before),
        "stable6": count(sa.and_(CareRecord.returned_on <= six_before, sa.not_(reentered_within(SIX_MONTHS)))),
        "stable12_base": count(CareRecord.returned_on <= twelve_before),
        "stable12": count(sa.and_(CareRecord.returned_on <= twelve_before,
                                  sa.not_(reentered_within(TWELVE_MONTHS)))),
        "permanency_base": count(permanency_cohort),
        "permanency": count(sa.and_(permanency_cohort, CareRecord.returned_on.is_not(None), stay <= TWELVE_MONTHS)),
        "reentry12_base": count(reentry_cohort),
        "reentry12": count(sa.and_(reentry_cohort, reentered_within(TWELVE_MONTHS))),
        "care_children": count(at_home_in_period),
        "care_days": sa.func.coalesce(sa.func.sum(home_days).filter(at_home_in_period), 0),
        "care_cents": sa.func.coalesce(sa.func.sum(home_days * rate).filter(at_home_in_period), 0),
        "missing_rate": count(sa.and_(at_home_in_period, rate.is_(None))),
    }


def raw_figures(session: Session, team_ids: Sequence[int], period: Period) -> Raw:
    """One period's numbers for the cases of `team_ids`."""
    return raw_figures_of(session, team_ids, [period])[0]


def raw_figures_of(session: Session, team_ids: Sequence[int], periods: Sequence[Period]) -> list[Raw]:
    """The numbers of each of `periods` (which do not overlap) for the cases of `team_ids`, in a
    fixed number of queries: each query reads its rows once for every period, counting with
    `COUNT(*) FILTER` per period or grouping by the period a row falls in (`_which`)."""
    raws = [Raw() for _period in periods]
    moments = [_bounds(period) for period in periods]
    in_teams = Case.team_id.in_(team_ids)
    children = (
        sa.select()
        .select_from(Member)
        .join(Case, Case.id == Member.case_id)
        .outerjoin(CareRecord, CareRecord.member_id == Member.id)
        .where(in_teams, Member.kind.in_(CHILD_KINDS))
    )
    ends = [end_at for _start_at, end_at in moments]
    new_case = [sa.and_(Case.created_at >= start_at, Case.created_at < end_at) for start_at, end_at in moments]

    # 1. Cases at each period's end, grouped by their phase and primary caseworker at every end:
    # the children in the programme by phase (the stock) and what is missing for it, the open
    # cases by caseworker (the caseload), and the new cases. Children are counted per case first,
    # so that the phase and the caseworker at each end are worked out once per case.
    phases_at_end = _latest(PhaseChange, PhaseChange.changed_at, PhaseChange.phase, ends)
    carers_at_end = _latest(CaseworkerChange, CaseworkerChange.changed_at, CaseworkerChange.caseworker_id, ends)
    per_case = (
        sa.select(Member.case_id.label("case_id"), sa.func.count().label("children"),
                  sa.func.count().filter(CareRecord.entered_care_on.is_(None)).label("no_entry"),
                  sa.func.count().filter(sa.and_(CareRecord.placement.is_(None),
                                                 CareRecord.daily_rate_cents.is_(None))).label("no_placement"),
                  sa.func.count().filter(CareRecord.returned_on.is_(None)).label("no_return"))
        .outerjoin(CareRecord, CareRecord.member_id == Member.id)
        .where(Member.kind.in_(CHILD_KINDS))
        .group_by(Member.case_id)
        .subquery()
    )
    home_phases = [p.value for p in HOME_PHASES]
    phase, carer, counts = [], [], {}
    for k, end_at in enumerate(ends):
        phase.append(sa.func.coalesce(phases_at_end.c[f"at_{k}"], Phase.clarification.value).label(f"phase_{k}"))
        carer.append(carers_at_end.c[f"at_{k}"].label(f"carer_{k}"))
        open_ = sa.and_(Case.created_at < end_at, phase[k] != Phase.closed.value)
        counts |= {
            f"stock_{k}": sa.func.sum(per_case.c.children).filter(open_),
            f"missing_entered_{k}": sa.func.sum(per_case.c.no_entry).filter(open_),
            f"missing_placement_{k}": sa.func.sum(per_case.c.no_placement).filter(open_),
            f"missing_return_{k}": sa.func.sum(per_case.c.no_return).filter(sa.and_(open_, phase[k].in_(home_phases))),
            f"open_{k}": sa.func.count().filter(open_),
            f"new_{k}": sa.func.count().filter(new_case[k]),
        }
    loads: list[dict[int | None, int]] = [{} for _period in periods]
    for row in session.execute(
        sa.select(*phase, *carer, *[column.label(name) for name, column in counts.items()])
        .select_from(Case)
        .outerjoin(per_case, per_case.c.case_id == Case.id)
        .outerjoin(phases_at_end, phases_at_end.c.case_id == Case.id)
        .outerjoin(carers_at_end, carers_at_end.c.case_id == Case.id)
        .where(in_teams)
        .group_by(*phase, *carer)
    ).mappings():
        for k, raw in enumerate(raws):
            if row[f"stock_{k}"]:
                value = str(row[f"phase_{k}"])
                raw.stock[value] = raw.stock.get(value, 0) + int(row[f"stock_{k}"])
                raw.missing_entered += int(row[f"missing_entered_{k}"])
                raw.missing_placement += int(row[f"missing_placement_{k}"])
                raw.missing_return += int(row[f"missing_return_{k}"] or 0)
            if row[f"open_{k}"]:
                loads[k][row[f"carer_{k}"]] = loads[k].get(row[f"carer_{k}"], 0) + row[f"open_{k}"]
            raw.new_cases += row[f"new_{k}"]
    for raw, load in zip(raws, loads):
        raw.open_cases = sum(load.values())
        raw.caseloads = sorted(number for caseworker, number in load.items() if caseworker is not None)

    # 2. Counts over every child of the teams, each with its own condition.
    child_counts = [_child_counts(period) for period in periods]
    row = session.execute(children.add_columns(*[
        column.label(f"{name}_{k}") for k, counts in enumerate(child_counts) for name, column in counts.items()
    ])).mappings().one()
    for k, (raw, counts) in enumerate(zip(raws, child_counts)):
        for name in counts:
            setattr(raw, name, int(row[f"{name}_{k}"]))

    # 3. Returns in each period by placement and by month; re-entries by reason.
    returned_in = [CareRecord.returned_on.between(period.start, period.end) for period in periods]
    returned_when = _which(returned_in)
    month = sa.extract("year", CareRecord.returned_on) * 100 + sa.extract("month", CareRecord.returned_on)
    for k, kind, key, number in session.execute(
        children.add_columns(returned_when, CareRecord.placement, month, sa.func.count())
        .where(sa.or_(*returned_in)).group_by(returned_when, CareRecord.placement, month)
    ):
        by_placement, by_month = raws[k].returns_by_placement, raws[k].returns_by_month
        by_placement[str(kind or "")] = by_placement.get(str(kind or ""), 0) + number
        first_day = date(int(key) // 100, int(key) % 100, 1)
        by_month[first_day] = by_month.get(first_day, 0) + number
    reentered_in = [CareRecord.reentered_on.between(period.start, period.end) for period in periods]
    reentered_when = _which(reentered_in)
    for k, reason, number in session.execute(
        children.add_columns(reentered_when, CareRecord.reentry_reason, sa.func.count())
        .where(sa.or_(*reentered_in)).group_by(reentered_when, CareRecord.reentry_reason)
    ):
        raws[k].reentries_by_reason[str(reason or ReentryReason.other.value)] = number

    # 4. Durations in days (no names): to return, from entering care and from entering the programme,
    # and in care before the programme; fetched as how many children took each number of days.
    stay = days_between(CareRecord.entered_care_on, CareRecord.returned_on)
    new_case_when = _which(new_case)
    measures = {  # Raw field: the period a child counts in, its days, which children count
        "days_from_care": (returned_when, stay, [sa.or_(*returned_in), stay.is_not(None)]),
        "days_from_programme": (returned_when, greatest(days_between(Case.created_at, CareRecord.returned_on), 0),
                                [sa.or_(*returned_in)]),
        "days_before_programme": (new_case_when, greatest(days_between(CareRecord.entered_care_on, Case.created_at), 0),
                                  [sa.or_(*new_case), CareRecord.entered_care_on.is_not(None)]),
    }
    for name, k, days, number in session.execute(sa.union_all(*[
        children.add_columns(sa.literal(name), when, days, sa.func.count()).where(*counted).group_by(when, days)
        for name, (when, days, counted) in measures.items()
    ])):
        getattr(raws[k], name).extend([int(days)] * number)

    # 5. Continuity of the primary caseworker, and its changes.
    first_return = (
        sa.select(CareRecord.case_id.label("case_id"), sa.func.min(CareRecord.returned_on).label("first_return"))
        .join(Case, Case.id == CareRecord.case_id)
        .where(in_teams)
        .group_by(CareRecord.case_id)
        .having(sa.or_(*[sa.func.min(CareRecord.returned_on).between(period.start, period.end)
                         for period in periods]))
        .subquery()
    )
    per_case = (
        sa.select(first_return.c.case_id, first_return.c.first_return,
                  sa.func.count(CaseworkerChange.id).label("carers"))
        .join(CaseworkerChange, sa.and_(CaseworkerChange.case_id == first_return.c.case_id,
                                        days_between(CaseworkerChange.changed_at, first_return.c.first_return) >= 0))
        .group_by(first_return.c.case_id, first_return.c.first_return)
        .subquery()
    )
    first_in = _which([per_case.c.first_return.between(period.start, period.end) for period in periods])
    for k, base, kept in session.execute(
        sa.select(first_in, sa.func.count(), sa.func.count().filter(per_case.c.carers <= 1)).group_by(first_in)
    ):
        raws[k].continuity_base, raws[k].continuity = base, kept
    earlier = sa.orm.aliased(CaseworkerChange)
    had_one_before = (  # a change, not the case's first caseworker
        sa.select(earlier.id)
        .where(earlier.case_id == CaseworkerChange.case_id,
               sa.or_(earlier.changed_at < CaseworkerChange.changed_at,
                      sa.and_(earlier.changed_at == CaseworkerChange.changed_at, earlier.id < CaseworkerChange.id)))
        .exists()
    )
    changed_in = [sa.and_(CaseworkerChange.changed_at >= start_at, CaseworkerChange.changed_at < end_at)
                  for start_at, end_at in moments]
    changed_when = _which(changed_in)
    for k, number in session.execute(
        sa.select(changed_when, sa.func.count()).select_from(CaseworkerChange)
        .join(Case, Case.id == CaseworkerChange.case_id)
        .where(in_teams, sa.or_(*changed_in), had_one_before).group_by(changed_when)
    ):
        raws[k].caseworker_changes = number

    # 6. Working with the family: agreement to versions, answers to appointments, questions.
    published_in = [sa.and_(PlanVersion.published_at >= start_at, PlanVersion.published_at < end_at)
                    for start_at, end_at in moments]
    published = (
        sa.select(PlanVersion.id, _which(published_in).label("period"))
        .join(Plan, Plan.id == PlanVersion.plan_id)
        .join(Case, Case.id == Plan.case_id)
        .where(in_teams, sa.or_(*published_in))
        .subquery()
    )
    parent_answers = (  # per version published in a period: parents who agreed, who disagreed
        sa.select(VersionResponse.version_id.label("version_id"),
                  sa.func.count().filter(VersionResponse.agrees.is_(True)).label("yes"),
                  sa.func.count().filter(VersionResponse.agrees.is_(False)).label("no"))
        .join(Member, Member.id == VersionResponse.member_id)
        .where(Member.kind == MemberKind.parent, VersionResponse.version_id.in_(sa.select(published.c.id)))
        .group_by(VersionResponse.version_id)
        .subquery()
    )
    for k, versions, agreed in session.execute(
        sa.select(published.c.period, sa.func.count(),
                  sa.func.count().filter(sa.and_(parent_answers.c.yes > 0, parent_answers.c.no == 0)))
        .select_from(published)
        .outerjoin(parent_answers, parent_answers.c.version_id == published.c.id)
        .group_by(published.c.period)
    ):
        raws[k].versions, raws[k].versions_agreed = versions, agreed
    coming = sa.select(AppointmentAnswer.appointment_id).where(AppointmentAnswer.coming.is_(True))
    starts_in = [sa.and_(Appointment.starts_at >= start_at, Appointment.starts_at < end_at)
                 for start_at, end_at in moments]
    starts_when = _which(starts_in)
    for k, appointments, answered_coming in session.execute(
        sa.select(starts_when, sa.func.count(), sa.func.count().filter(Appointment.id.in_(coming)))
        .select_from(Appointment)
        .join(Case, Case.id == Appointment.case_id)
        .where(in_teams, Appointment.audience != Audience.staff, Appointment.status != AppointmentStatus.cancelled,
               sa.or_(*starts_in))
        .group_by(starts_when)
    ):
        raws[k].appointments, raws[k].appointments_coming = appointments, answered_coming
    asked_in = [sa.and_(Question.asked_at >= start_at, Question.asked_at < end_at) for start_at, end_at in moments]
    for k, hours in session.execute(
        sa.select(_which(asked_in), sa.case((Question.replied_at.is_(None), None),
                                            else_=hours_between(Question.asked_at, Question.replied_at)))
        .join(Case, Case.id == Question.case_id)
        .where(in_teams, sa.or_(*asked_in))
    ):
        raws[k].questions += 1
        if hours is None:
            raws[k].questions_open += 1
        else:
            raws[k].hours_to_answer.append(max(0.0, float(hours)))

    # 7. How families say things are at home during after-care (check-ins): per family, the mean of
    # its members' answers in each check-in period, the first one's against the last one's, within
    # each evaluated period.
    answered_in = [sa.and_(Checkin.answered_at >= start_at, Checkin.answered_at < end_at)
                   for start_at, end_at in moments]
    answered_when = _which(answered_in)
    per_period = (
        sa.select(answered_when.label("period"), Checkin.case_id.label("case_id"),
                  Checkin.period_on.label("period_on"), sa.func.avg(Checkin.level).label("mean"))
        .join(Case, Case.id == Checkin.case_id)
        .where(in_teams, Checkin.phase == Phase.aftercare, Checkin.replaced_at.is_(None), sa.or_(*answered_in))
        .group_by(answered_when, Checkin.case_id, Checkin.period_on)
        .subquery()
    )
    family = (per_period.c.period, per_period.c.case_id)
    ranked = sa.select(
        per_period.c.period, per_period.c.case_id, per_period.c.mean,
        sa.func.row_number().over(partition_by=family, order_by=per_period.c.period_on).label("first"),
        sa.func.row_number().over(partition_by=family, order_by=per_period.c.period_on.desc()).label("last"),
    ).subquery()
    families = (
        sa.select(ranked.c.period,
                  sa.func.max(sa.case((ranked.c.first == 1, ranked.c.mean))).label("first_mean"),
                  sa.func.max(sa.case((ranked.c.last == 1, ranked.c.mean))).label("last_mean"),
                  sa.func.count().label("periods"))
        .group_by(ranked.c.period, ranked.c.case_id)
        .subquery()
    )
    for k, number, stable in session.execute(
        sa.select(families.c.period, sa.func.count(),
                  sa.func.count().filter(families.c.last_mean >= families.c.first_mean - STABLE_MARGIN))
        .where(families.c.periods >= 2)
        .group_by(families.c.period)
    ):
        raws[k].checkin_families, raws[k].checkin_stable = number, stable
    return raws


# --- what leaves the module: suppressed cells with their labels ------------------

@dataclass(frozen=True)
class Quartiles:
    median: Cell
    lower: Cell
    upper: Cell
    values: Cell  # how many values


@dataclass
class Figures:
    """One period's figures, ready to show: every count and statistic is a `Cell`."""

    period: Period
    stock: dict[str, Cell]
    stock_total: Cell
    new_cases: Cell
    children_in_new_cases: Cell
    returns: Cell
    returns_total: Cell
    returns_by_placement: dict[str, Cell]
    returns_by_month: list[tuple[date, Cell]]
    from_care: Quartiles
    from_programme: Quartiles
    before_programme: Quartiles
    stable6_base: Cell
    stable6: Cell
    stable6_share: Cell
    stable12_base: Cell
    stable12: Cell
    stable12_share: Cell
    reentries: Cell
    reentries_by_reason: dict[str, Cell]
    permanency_base: Cell
    permanency: Cell
    permanency_share: Cell
    reentry12_base: Cell
    reentry12: Cell
    reentry12_share: Cell
    continuity_base: Cell
    continuity: Cell
    continuity_share: Cell
    caseworker_changes: Cell
    changes_per_case: Cell
    versions: Cell
    versions_agreed: Cell
    versions_agreed_share: Cell
    appointments: Cell
    appointments_coming: Cell
    appointments_coming_share: Cell
    questions: Cell
    questions_open: Cell
    hours_to_answer: Quartiles
    open_cases: Cell
    caseworkers: Cell
    caseload_median: Cell
    caseload_max: Cell
    care_children: Cell
    care_days: Cell
    care_euros: Cell
    missing_entered: Cell
    missing_placement: Cell
    missing_return: Cell
    missing_rate: Cell
    checkin_families: Cell
    checkin_stable: Cell
    checkin_fell: Cell
    checkin_stable_share: Cell


def quartiles(values: list[float], minimum: int) -> Quartiles:
    n = len(values)
    if n == 0:
        return Quartiles(Cell(None), Cell(None), Cell(None), Cell(0))
    ordered = sorted(values)
    lower, median, upper = (statistics.quantiles(ordered, n=4, method="inclusive") if n > 1
                            else (ordered[0], ordered[0], ordered[0]))
    return Quartiles(suppression.statistic(median, n, minimum), suppression.statistic(lower, n, minimum),
                     suppression.statistic(upper, n, minimum), suppression.count(n, minimum))


def suppress(raw: Raw, period: Period, minimum: int) -> Figures:
    count = lambda value: suppression.count(value, minimum)  # noqa: E731
    share = lambda part, base: suppression.share(part, base, minimum)  # noqa: E731
    phases = [p.value for p in OPEN_PHASES]
    stock_cells, stock_total = suppression.group([raw.stock.get(p, 0) for p in phases], raw.stock_total, minimum)
    kinds = [k.value for k in Placement] + [""]
    by_kind, _total = suppression.group([raw.returns_by_placement.get(k, 0) for k in kinds], raw.returns, minimum)
    months = period.months()
    by_month, _total = suppression.group([raw.returns_by_month.get(m, 0) for m in months], raw.returns, minimum)
    reasons = [r.value for r in ReentryReason]
    by_reason, reentries = suppression.group([raw.reentries_by_reason.get(r, 0) for r in reasons], raw.reentries,
                                             minimum)
    loads = raw.caseloads
    changes = count(raw.caseworker_changes)
    per_case = (suppression.statistic(raw.caseworker_changes / raw.open_cases, raw.open_cases, minimum)
                if changes.shown and raw.open_cases else Cell(None, changes.suppressed, "secondary" if changes.suppressed else ""))
    (checkin_stable, checkin_fell), checkin_families = suppression.group(
        [raw.checkin_stable, raw.checkin_families - raw.checkin_stable], raw.checkin_families, minimum)
    care_ok = not suppression.small(raw.care_children, minimum)
    hidden = Cell(None, True, "base")
    return Figures(
        period=period,
        stock=dict(zip(phases, stock_cells)),
        stock_total=stock_total,
        new_cases=count(raw.new_cases),
        children_in_new_cases=count(raw.children_in_new_cases),
        returns=count(raw.returns),
        returns_total=count(raw.returns_total),
        returns_by_placement=dict(zip(kinds, by_kind)),
        returns_by_month=list(zip(months, by_month)),
        from_care=quartiles(raw.days_from_care, minimum),
        from_programme=quartiles(raw.days_from_programme, minimum),
        before_programme=quartiles(raw.days_before_programme, minimum),
        stable6_base=count(raw.stable6_base),
        stable6=count(raw.stable6),
        stable6_share=share(raw.stable6, raw.stable6_base),
        stable12_base=count(raw.stable12_base),
        stable12=count(raw.stable12),
        stable12_share=share(raw.stable12, raw.stable12_base),
        reentries=reentries,
        reentries_by_reason=dict(zip(reasons, by_reason)),
        permanency_base=count(raw.permanency_base),
        permanency=count(raw.permanency),
        permanency_share=share(raw.permanency, raw.permanency_base),
        reentry12_base=count(raw.reentry12_base),
        reentry12=count(raw.reentry12),
        reentry12_share=share(raw.reentry12, raw.reentry12_base),
        continuity_base=count(raw.continuity_base),
        continuity=count(raw.continuity),
        continuity_share=share(raw.continuity, raw.continuity_base),
        caseworker_changes=changes,
        changes_per_case=per_case,
        versions=count(raw.versions),
        versions_agreed=count(raw.versions_agreed),
        versions_agreed_share=share(raw.versions_agreed, raw.versions),
        appointments=count(raw.appointments),
        appointments_coming=count(raw.appointments_coming),
        appointments_coming_share=share(raw.appointments_coming, raw.appointments),
        questions=count(raw.questions),
        questions_open=count(raw.questions_open),
        hours_to_answer=quartiles(raw.hours_to_answer, minimum),
        open_cases=count(raw.open_cases),
        caseworkers=count(len(loads)),
        caseload_median=suppression.statistic(statistics.median(loads) if loads else None, len(loads), minimum),
        caseload_max=suppression.statistic(max(loads) if loads else None, len(loads), minimum),
        care_children=count(raw.care_children),
        care_days=Cell(raw.care_days) if care_ok else hidden,
        care_euros=Cell(raw.care_cents / 100) if care_ok else hidden,
        missing_entered=count(raw.missing_entered),
        missing_placement=count(raw.missing_placement),
        missing_return=count(raw.missing_return),
        missing_rate=count(raw.missing_rate),
        checkin_families=checkin_families,
        checkin_stable=checkin_stable,
        checkin_fell=checkin_fell,
        checkin_stable_share=share(raw.checkin_stable, raw.checkin_families),
    )


@dataclass
class Evaluation:
    current: Figures
    previous: Figures
    minimum: int
    made_on: date


def evaluate(session: Session, team_ids: Sequence[int], period: Period, minimum: int,
             today: date | None = None) -> Evaluation:
    """The chosen period's figures and the previous period's, suppressed."""
    current, previous = raw_figures_of(session, team_ids, [period, period.previous()])
    return Evaluation(
        current=suppress(current, period, minimum),
        previous=suppress(previous, period.previous(), minimum),
        minimum=minimum,
        made_on=today or date.today(),
    )
