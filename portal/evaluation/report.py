"""The evaluation as sections of labelled rows, for the page, the print layout and the exports.

Every section has a title, a definition in plain words and rows; every row a label
and one `Cell` per period. The page, the CSV and the XLSX all read these rows, so
they cannot disagree. Texts are lazy: they are read in the reader's language.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from flask_babel import format_decimal, lazy_gettext as _l, ngettext
from flask_babel import gettext as _

from portal.evaluation.figures import Evaluation, Figures, Quartiles
from portal.evaluation.suppression import Cell
from portal.labels import PHASE_LABELS, PLACEMENT_LABELS, REENTRY_REASON_LABELS
from portal.models import Phase, Placement, ReentryReason

# How a row's numbers are written: a count, a share (percent), days, hours, euros, a decimal.
COUNT, SHARE, DAYS, HOURS, EUROS, DECIMAL = "count", "share", "days", "hours", "euros", "decimal"


@dataclass(frozen=True)
class Row:
    key: str  # stable, language-independent name (the exports' first column)
    label: object
    unit: str
    current: Cell
    previous: Cell
    indent: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    title: object
    definition: object
    rows: list[Row]
    chart: str | None = None  # the chart drawn from this section, if any


def _row(key, label, unit, current: Figures, previous: Figures, name: str, indent: bool = False) -> Row:
    def read(figures: Figures) -> Cell:
        value = figures
        for part in name.split("."):
            value = value[part] if isinstance(value, dict) else getattr(value, part)
        return value

    return Row(key, label, unit, read(current), read(previous), indent)


def _quartile_rows(key: str, measure, unit: str, current: Figures, previous: Figures, name: str) -> list[Row]:
    statistics = (("median", _l("median")), ("lower", _l("lower quartile")), ("upper", _l("upper quartile")),
                  ("values", _l("children counted")))
    rows = []
    for part, statistic in statistics:
        a: Quartiles = getattr(current, name)
        b: Quartiles = getattr(previous, name)
        rows.append(Row(f"{key}.{part}", _LabelPair(measure, statistic), COUNT if part == "values" else unit,
                        getattr(a, part), getattr(b, part), indent=part != "median"))
    return rows


class _LabelPair:
    """"measure – statistic", joined in the reader's language when shown."""

    def __init__(self, measure, statistic) -> None:
        self.measure, self.statistic = measure, statistic

    def __str__(self) -> str:
        return _("%(measure)s – %(statistic)s", measure=str(self.measure), statistic=str(self.statistic))

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))


def assumption() -> str:
    rates = current_app.config["DAILY_RATES"]
    return _(
        "Assumption: without the return, each child would have stayed in the same placement, at the same "
        "daily rate, on every day spent at home in the period, until a re-entry into care or the end of the "
        "period. The rate is the child's own where the case page records one, else the office's rate for the "
        "kind of placement: residential care %(residential)s, foster care %(foster)s, taken into care "
        "%(custody)s, other %(other)s a day. The costs of after-care and of the programme itself are not "
        "subtracted.",
        **{kind: euros(rates[kind]) for kind in ("residential", "foster", "custody", "other")},
    )


def suppression_note(minimum: int) -> str:
    return ngettext(
        "Counts from 1 to %(below)d are shown as “fewer than %(num)d”; a figure from which such a count could "
        "be worked out (a total minus its other parts, a share of a small number) is hidden too. No name, file "
        "reference, date of birth or free text is part of the evaluation.",
        "Counts from 1 to %(below)d are shown as “fewer than %(num)d”; a figure from which such a count could "
        "be worked out (a total minus its other parts, a share of a small number) is hidden too. No name, file "
        "reference, date of birth or free text is part of the evaluation.",
        minimum, below=minimum - 1)


def euros(value: float) -> str:
    from flask_babel import format_currency

    return format_currency(Decimal(str(value)), "EUR")


def sections(evaluation: Evaluation) -> list[Section]:
    a, b = evaluation.current, evaluation.previous
    r = lambda key, label, unit, name, indent=False: _row(key, label, unit, a, b, name, indent)  # noqa: E731
    open_phases = (Phase.clarification, Phase.planning, Phase.preparation, Phase.return_, Phase.aftercare)
    return [
        Section("stock", _l("Children in the programme"), _l(
            "Children and youths (parents are not counted) of the cases open at the end of the period, by "
            "the phase their case was in on that day. New cases: families whose case began in the period."),
            [r(f"stock.{p.value}", PHASE_LABELS[p], COUNT, f"stock.{p.value}", True) for p in open_phases]
            + [r("stock.total", _l("All children in the programme at the end of the period"), COUNT, "stock_total"),
               r("new_cases", _l("New cases (families)"), COUNT, "new_cases"),
               r("new_cases.children", _l("Children in the new cases"), COUNT, "children_in_new_cases")]),
        Section("returns", _l("Returns home"), _l(
            "Children and youths whose return home (the date on the case page) falls in the period, by the "
            "placement they came home from; since the programme began: every return up to the end of the period."),
            [r("returns", _l("Returns home in the period"), COUNT, "returns")]
            + [r(f"returns.{k.value}", PLACEMENT_LABELS[k], COUNT, f"returns_by_placement.{k.value}", True)
               for k in Placement]
            + [r("returns.unrecorded", _l("Placement not recorded"), COUNT, "returns_by_placement.", True),
               r("returns.total", _l("Returns home since the programme began"), COUNT, "returns_total")],
            chart="returns"),
        Section("time", _l("Time to return"), _l(
            "For the children who went home in the period: the days from entering care, and from the start of "
            "their case in the programme, to the return. Time in care before the programme: for the children "
            "whose case began in the period, the days from entering care to the start of the case. The median "
            "is the middle value; a quarter of the values lie below the lower quartile, a quarter above the "
            "upper one."),
            _quartile_rows("time.care", _l("Days from entering care to going home"), DAYS, a, b, "from_care")
            + _quartile_rows("time.programme", _l("Days from entering the programme to going home"), DAYS, a, b,
                             "from_programme")
            + _quartile_rows("time.before", _l("Days in care before the programme began"), DAYS, a, b,
                             "before_programme"),
            chart="time"),
        Section("stability", _l("Stability after the return"), _l(
            "Of the children who went home at least 6 or 12 months before the end of the period, those who did "
            "not come back into care within 182 or 365 days of their return. Re-entries: children who came back "
            "into care in the period, by reason."),
            [r("stable6.base", _l("Went home at least 6 months before the end of the period"), COUNT, "stable6_base"),
             r("stable6", _l("Still at home 6 months after the return"), COUNT, "stable6", True),
             r("stable6.share", _l("Share still at home after 6 months"), SHARE, "stable6_share", True),
             r("stable12.base", _l("Went home at least 12 months before the end of the period"), COUNT,
               "stable12_base"),
             r("stable12", _l("Still at home 12 months after the return"), COUNT, "stable12", True),
             r("stable12.share", _l("Share still at home after 12 months"), SHARE, "stable12_share", True),
             r("reentries", _l("Re-entries into care in the period"), COUNT, "reentries")]
            + [r(f"reentries.{k.value}", REENTRY_REASON_LABELS[k], COUNT, f"reentries_by_reason.{k.value}", True)
               for k in ReentryReason],
            chart="stability"),
        Section("cfsr", _l("Established indicators (CFSR)"), _l(
            "Two statewide data indicators of the US federal Child and Family Services Review (CFSR), applied "
            "to the children of the programme. Permanency in 12 months for children entering care: of the "
            "children who entered care in the 12 months that ended one year before the end of the period, the "
            "share who went home within 12 months of entering care. Re-entry to care in 12 months: of the "
            "children who went home in that same 12-month window, the share who came back into care within 12 "
            "months of going home (the CFSR counts children who entered care in a 12-month period and went "
            "home within 12 months; the programme counts every child who went home in the window). Both leave "
            "out stays under 8 days and children 18 or older (by year of birth)."),
            [r("permanency.base", _l("Permanency in 12 months: children who entered care"), COUNT, "permanency_base"),
             r("permanency", _l("went home within 12 months"), COUNT, "permanency", True),
             r("permanency.share", _l("Permanency in 12 months (share)"), SHARE, "permanency_share", True),
             r("reentry12.base", _l("Re-entry to care in 12 months: children who went home"), COUNT,
               "reentry12_base"),
             r("reentry12", _l("came back into care within 12 months"), COUNT, "reentry12", True),
             r("reentry12.share", _l("Re-entry to care in 12 months (share)"), SHARE, "reentry12_share", True)]),
        Section("continuity", _l("Continuity: from one hand"), _l(
            "Cases (families) whose first return home falls in the period, and of those the cases that kept "
            "one primary caseworker from the start of the case to the return. Changes: changes of the primary "
            "caseworker in the period; per open case: divided by the cases open at the end of the period."),
            [r("continuity.base", _l("Cases with a return home in the period"), COUNT, "continuity_base"),
             r("continuity", _l("kept one caseworker from the start to the return"), COUNT, "continuity", True),
             r("continuity.share", _l("Share kept by one caseworker"), SHARE, "continuity_share", True),
             r("changes", _l("Changes of caseworker in the period"), COUNT, "caseworker_changes"),
             r("changes.per_case", _l("Changes of caseworker per open case"), DECIMAL, "changes_per_case", True)]),
        Section("participation", _l("Working with the family"), _l(
            "Plan versions published in the period that at least one parent agreed to and no parent disagreed "
            "with; appointments shared with the family in the period (not cancelled) that a family member "
            "answered with “I will come”; questions families asked in the period, and the hours until the reply."),
            [r("versions", _l("Plan versions published"), COUNT, "versions"),
             r("versions.agreed", _l("agreed to by the parents"), COUNT, "versions_agreed", True),
             r("versions.share", _l("Share agreed to by the parents"), SHARE, "versions_agreed_share", True),
             r("appointments", _l("Appointments shared with the family"), COUNT, "appointments"),
             r("appointments.coming", _l("answered “I will come”"), COUNT, "appointments_coming", True),
             r("appointments.share", _l("Share answered “I will come”"), SHARE, "appointments_coming_share", True),
             r("questions", _l("Questions from families"), COUNT, "questions"),
             r("questions.open", _l("still without a reply"), COUNT, "questions_open", True)]
            + _quartile_rows("questions.hours", _l("Hours until a question was answered"), HOURS, a, b,
                             "hours_to_answer")),
        Section("caseload", _l("Caseload"), _l(
            "Cases open at the end of the period, by their primary caseworker on that day (no names)."),
            [r("caseload.cases", _l("Open cases"), COUNT, "open_cases"),
             r("caseload.caseworkers", _l("Caseworkers carrying cases"), COUNT, "caseworkers"),
             r("caseload.median", _l("Open cases per caseworker – median"), DECIMAL, "caseload_median", True),
             r("caseload.max", _l("Open cases per caseworker – highest"), COUNT, "caseload_max", True)]),
        Section("care_days", _l("Care days not incurred"), _l(
            "For every child who had gone home: the days at home within the period (from the return or the "
            "start of the period until a re-entry into care or the end of the period), times the daily rate "
            "of the child's placement."),
            [r("care.children", _l("Children at home in the period"), COUNT, "care_children"),
             r("care.days", _l("Days at home in the period"), COUNT, "care_days"),
             r("care.euros", _l("Care costs not incurred"), EUROS, "care_euros")]),
        Section("checkins", _l("How families say things are at home"), _l(
            "Families (cases) whose members answered check-ins during after-care in the period, in at least two "
            "periods (a week or two weeks each). A family's score for a period is the mean of its members' "
            "answers to “How are things at home?” on the scale from 1 to 10 (a child's five faces count as 1, "
            "3.25, 5.5, 7.75 and 10). Stable or rose: the family's score in its last period is at most one point "
            "below its score in its first period. No answer, name or sentence leaves the check-ins: only these "
            "counts."),
            [r("checkins.families", _l("Families with check-ins during after-care"), COUNT, "checkin_families"),
             r("checkins.stable", _l("scores stayed stable or rose"), COUNT, "checkin_stable", True),
             r("checkins.fell", _l("scores fell by more than one point"), COUNT, "checkin_fell", True),
             r("checkins.share", _l("Share whose scores stayed stable or rose"), SHARE, "checkin_stable_share",
               True)]),
        Section("missing", _l("Missing data"), _l(
            "Children in the programme at the end of the period whose facts are incomplete. They count in the "
            "stock of children, but not in the figures that need the missing date; caseworkers record the facts "
            "on the case page."),
            [r("missing.entered", _l("without the date they entered care"), COUNT, "missing_entered"),
             r("missing.placement", _l("without a kind of placement or daily rate"), COUNT, "missing_placement"),
             r("missing.return", _l("in the return, after-care or closed phase without a return date"), COUNT,
               "missing_return"),
             r("missing.rate", _l("at home in the period without a daily rate"), COUNT, "missing_rate")]),
    ]


def cell_text(cell: Cell, unit: str, minimum: int) -> str:
    """A cell as the page and the print layout write it, in the reader's language."""
    if cell.suppressed:
        if cell.reason == "small":
            return ngettext("fewer than %(num)d", "fewer than %(num)d", minimum)
        if cell.reason == "base":
            return _("too few to show")
        return _("hidden")
    if cell.value is None:
        return "–"
    return number_text(cell.value, unit)


def number_text(value: float, unit: str) -> str:
    from flask_babel import format_percent

    if unit == SHARE:
        return format_percent(value, "#,##0 %")
    if unit == EUROS:
        return euros(round(value))
    if unit in (DAYS, HOURS, DECIMAL):
        return format_decimal(round(value, 1), "#,##0.#")
    return format_decimal(value, "#,##0")


def cell_value(cell: Cell, unit: str, minimum: int):
    """A cell for the exports: the number where it is shown, else the same words as the page."""
    if cell.shown:
        value = cell.value
        if unit in (DAYS, HOURS, DECIMAL, SHARE):
            return round(float(value), 3 if unit == SHARE else 1)
        if unit == EUROS:
            return round(float(value), 2)
        return int(value)
    return cell_text(cell, unit, minimum)
