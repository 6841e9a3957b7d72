"""The programme's evaluation for team leads (their team) and the department head (every team).

Views only load, check, call and render: the figures come from `portal.evaluation`,
who may see which teams from `portal.sharing.evaluation_teams`. Every opening and
every export is audited. No case is reachable from here.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, current_app, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from portal import audit, sharing
from portal.access import staff_required
from portal.db import db
from portal.evaluation import charts, exports, figures, periods, report
from portal.i18n import current_language, text_direction
from portal.models import Role, Team
from portal.staff import bp


def _today() -> date:
    return datetime.now(ZoneInfo(current_app.config["OFFICE_TIMEZONE"])).date()


def period_label(period: periods.Period) -> str:
    if period.kind == "year":
        return str(period.start.year)
    if period.kind == "quarter":
        return _("Quarter %(quarter)d %(year)d", quarter=period.quarter, year=period.start.year)
    return _("%(start)s to %(end)s", start=format_date(period.start, "medium"), end=format_date(period.end, "medium"))


class Choice:
    """What the reader chose on the page (the GET form), checked; `problems` says what is wrong."""

    def __init__(self, args, teams: list[Team], today: date) -> None:
        self.args, self.teams, self.problems = args, teams, []
        self.period: periods.Period | None = None
        try:
            self.period = periods.from_args(args, today)
        except periods.BadPeriod as bad:
            self.problems.append(("period", bad.message))
        wanted = args.get("team", "")
        by_id = {str(team.id): team for team in teams}
        if wanted and wanted not in by_id:
            self.problems.append(("team", _("Please choose one of the teams listed.")))
        chosen = [by_id[wanted]] if wanted in by_id else teams
        self.team_ids = [team.id for team in chosen]
        self.team = by_id.get(wanted) if len(teams) > 1 else (teams[0] if teams else None)

    @property
    def scope_label(self) -> str:
        return self.team.name if self.team is not None else _("All teams of the office")


def _load() -> tuple[Choice, figures.Evaluation | None]:
    if not sharing.may_evaluate(current_user):
        abort(404)
    teams = list(db.session.scalars(sa.select(Team).where(sharing.evaluation_teams(current_user)).order_by(Team.name)))
    if not teams:
        abort(404)
    today = _today()
    choice = Choice(request.args, teams, today)
    if choice.problems:
        return choice, None
    minimum = current_app.config["EVALUATION_MIN_COUNT"]
    return choice, figures.evaluate(db.session, choice.team_ids, choice.period, minimum, today)


@bp.route("/evaluation")
@staff_required(Role.lead, Role.head)
def evaluation():
    choice, result = _load()
    if result is None:
        return render_template("staff/evaluation.html", choice=choice, today=_today(), result=None), 400
    audit.record(db.session, audit.Action.evaluation_read)
    db.session.commit()
    rtl = text_direction(current_language()) == "rtl"
    return render_template(
        "staff/evaluation.html", choice=choice, today=_today(), result=result, sections=report.sections(result),
        charts=charts.draw_all(result, rtl), period_label=period_label(result.current.period),
        previous_label=period_label(result.previous.period), cell_text=report.cell_text,
        assumption=report.assumption(), suppression_note=report.suppression_note(result.minimum),
        query=request.query_string.decode("ascii", "ignore"),
    )


def _export(kind: str):
    choice, result = _load()
    if result is None:
        abort(400)
    audit.record(db.session, audit.Action.evaluation_export)
    db.session.commit()
    rows = exports.table(result, choice.scope_label, period_label(result.current.period),
                         period_label(result.previous.period))
    name = f"evaluation-{result.current.period.start.isoformat()}-{result.current.period.end.isoformat()}.{kind}"
    if kind == "csv":
        body, mimetype = exports.to_csv(rows), "text/csv"
    else:
        body = exports.to_xlsx(rows, _("Evaluation"))
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return current_app.response_class(body, mimetype=mimetype,
                                      headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/evaluation/export.csv")
@staff_required(Role.lead, Role.head)
def evaluation_csv():
    return _export("csv")


@bp.route("/evaluation/export.xlsx")
@staff_required(Role.lead, Role.head)
def evaluation_xlsx():
    return _export("xlsx")
