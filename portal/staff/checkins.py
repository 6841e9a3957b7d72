"""Check-ins of a case for its caseworker: who is asked and how often, each member's trend,
and the early warnings, marked as seen with a note (issue 15).

Views load the case (audited read), check the form, call `operations.checkins` and
render; the trends come from `portal.checkins` and are drawn by `portal.checkin_charts`.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal import checkin_charts, checkins, concurrency
from portal.access import staff_required
from portal.db import db
from portal.forms import FlaskForm
from portal.i18n import current_language, text_direction
from portal.models import Case, CheckinRhythm
from portal.staff import bp
from portal.staff.common import load_case
from portal.staff.forms import CheckboxList
from portal.staff.operations import checkins as checkin_ops

RHYTHM_LABELS = {CheckinRhythm.weekly: _l("Every week"), CheckinRhythm.fortnightly: _l("Every two weeks")}
REASON_LABELS = {"fall": _l("Fell by 3 or more"), "bottom": _l("Bottom of the scale"),
                 "missed": _l("Three check-ins missed in a row"), "talk": _l("A child wants to talk")}


class CheckinSettingsForm(FlaskForm):
    revision = HiddenField()
    rhythm = RadioField(_l("How often"), choices=[(r.value, label) for r, label in RHYTHM_LABELS.items()],
                        validators=[DataRequired(message=_l("Please choose how often check-ins are asked."))])
    members = CheckboxList(_l("Who is asked"), coerce=int,
                           description=_l("Each person answers for themselves; nobody else in the family sees "
                                          "the answers."))


class WarningSeenForm(FlaskForm):
    member = HiddenField()
    reason = HiddenField()
    key = HiddenField()
    note = TextAreaField(
        _l("Note (what you did or will do)"),
        validators=[DataRequired(message=_l("Please write a short note.")),
                    Length(max=checkin_ops.NOTE_MAX, message=_l("Please keep the note to at most %(max)d characters."))])


def _settings_form(case: Case, submitted: bool = False) -> CheckinSettingsForm:
    form = CheckinSettingsForm() if submitted else CheckinSettingsForm(formdata=None)
    form.members.choices = [(m.id, m.display_name) for m in case.members if m.active]
    if not submitted:
        schedule = checkin_ops.schedule_of(db.session, case)
        form.revision.data = concurrency.revision_of(schedule)
        form.rhythm.data = (schedule.rhythm if schedule else CheckinRhythm.weekly).value
        form.members.data = [i for i, row in checkin_ops.settings(db.session, case).items() if row.enabled]
    return form


def _render(case: Case, status: int = 200, settings_form: CheckinSettingsForm | None = None,
            seen_forms: dict | None = None):
    rtl = text_direction(current_language()) == "rtl"
    asked = checkin_ops.settings(db.session, case)
    warnings = checkins.open_warnings(db.session, [case.id]).get(case.id, [])
    people = []
    for member in case.members:
        answers = checkins.history(db.session, member.id)
        if member.id not in asked and not answers:
            continue
        everything = checkins.history(db.session, member.id, with_replaced=True)
        label = _("Trend of %(name)s's check-ins. The numbers are in the table below.", name=member.display_name)
        people.append({
            "member": member,
            "asked": member.id in asked and asked[member.id].enabled,
            "status": checkins.status(db.session, member),
            "answers": list(reversed(everything)),
            "chart": checkin_charts.member_chart(answers, label, rtl, width=560, height=200),
            "legend": checkin_charts.legend(answers),
            "questions": checkins.questions_for(member.kind),
            "warnings": [w for w in warnings if w.member_id == member.id],
        })
    db.session.commit()  # the audited read
    return render_template(
        "staff/checkins.html", case=case, people=people, settings_form=settings_form or _settings_form(case),
        seen_forms=seen_forms or {}, seen=checkin_ops.seen_warnings(db.session, case),
        rhythm_labels=RHYTHM_LABELS, reason_labels=REASON_LABELS, faces=checkins.FACE_LABELS,
        question_labels=checkins.COLUMNS,
        schedule=checkin_ops.schedule_of(db.session, case), seen_form=WarningSeenForm(formdata=None),
    ), status


@bp.route("/cases/<int:case_id>/checkins", endpoint="checkins")
@staff_required()
def checkins_page(case_id: int):
    return _render(load_case(case_id))


@bp.route("/cases/<int:case_id>/checkins/settings", methods=["POST"])
@staff_required()
def checkin_settings(case_id: int):
    case = load_case(case_id)
    form = _settings_form(case, submitted=True)
    if not form.validate_on_submit():
        return _render(case, 400, settings_form=form)
    try:
        checkin_ops.set_checkins(db.session, case, CheckinRhythm(form.rhythm.data), set(form.members.data or ()),
                                 form.revision.data, by=current_user)
    except checkin_ops.CaseClosed:
        flash(_("This case is closed; nobody is asked any more."), "error")
        return _render(case, 400, settings_form=form)
    except concurrency.Stale as stale:
        concurrency.accept_current(form.revision, stale.obj)
        flash(_("Someone else changed the check-ins of this case in the meantime. Your choice is kept below; "
                "save again to apply it."), "error")
        return _render(case, 409, settings_form=form)
    db.session.commit()
    flash(_("The check-ins were saved."), "info")
    return redirect(url_for("staff.checkins", case_id=case.id))


@bp.route("/cases/<int:case_id>/checkins/seen", methods=["POST"])
@staff_required()
def checkin_seen(case_id: int):
    """Mark one open warning as seen, with a note; a warning that is gone gets a message, nothing else."""
    case = load_case(case_id)
    form = WarningSeenForm()
    members = {str(m.id): m for m in case.members}
    member = members.get(form.member.data or "")
    if not form.validate_on_submit() or member is None:
        if member is None and not form.errors:
            flash(_("This warning is no longer open."), "error")
        return _render(case, 400, seen_forms={(form.member.data, form.reason.data, form.key.data): form})
    try:
        checkin_ops.mark_seen(db.session, case, member, form.reason.data or "", form.key.data or "",
                              form.note.data, by=current_user)
    except checkin_ops.NoSuchWarning:
        flash(_("This warning is no longer open: someone marked it as seen, or the person is not asked any more."),
              "error")
        return _render(case, 400)
    db.session.commit()
    flash(_("The warning is marked as seen; your note is kept."), "info")
    return redirect(url_for("staff.checkins", case_id=case.id, _anchor=f"member-{member.id}"))

