"""The inbox: what the family sent, across every case the staff member reaches, oldest first.

`/staff/inbox` lists the entries of every case `sharing.cases_for` admits;
`/staff/cases/<id>/inbox` is the same list filtered to one case. Questions are
answered and answers marked handled right there (`operations.inbox`).

Reading is audited without a flood: the per-case inbox records `case.read` like
every case page; the inbox across cases records one `inbox.read` per view and a
`case.read` for each case whose entries it shows, once per staff member, case
and office day (`audit.record_case_reads`), so the family's "who opened our
file" still names the reader.
"""
from __future__ import annotations

from datetime import datetime, time
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import audit, concurrency
from portal import inbox as inbox_data
from portal.access import staff_required
from portal.auth.forms import EmptyForm
from portal.db import db, utcnow
from portal.i18n import office_tz
from portal.models import AppointmentAnswer, Appointment, Case, Plan, PlanVersion, Question, Role, VersionResponse
from portal.staff import bp
from portal.staff.common import case_object_or_404, load_case, member_choices
from portal.staff.forms import ReplyForm
from portal.staff.operations import inbox as inbox_ops


def _reply_form(question: Question, submitted: bool = False) -> ReplyForm:
    form = ReplyForm(prefix=f"q{question.id}") if submitted else ReplyForm(formdata=None, prefix=f"q{question.id}")
    form.readers.choices = [c for c in member_choices(question.member.case) if c[0] != question.member_id]
    if not submitted:
        form.reply.data = question.reply or ""
        form.readers.data = [r.id for r in question.readers]
        form.revision.data = str(question.revision)
    return form


def _render(case: Case | None, status: int = 200, forms: dict | None = None, conflict: int | None = None):
    filters = inbox_data.Filters.from_args(request.args, case.id if case else None)
    number = max(request.args.get("page", 1, type=int) or 1, 1)
    page = inbox_data.page(db.session, current_user, filters, number)
    if case is None:
        audit.record(db.session, audit.Action.inbox_read, actor=current_user)
        today = datetime.combine(utcnow().astimezone(office_tz()).date(), time(), tzinfo=office_tz())
        audit.record_case_reads(db.session, current_user, page.case_ids, since=today)
    forms = forms or {}
    for entry in page.entries:
        if entry.kind is inbox_data.Kind.question:
            forms.setdefault(entry.obj.id, _reply_form(entry.obj))
    db.session.commit()  # the audited reads
    return render_template(
        "staff/inbox.html", case=case, page=page, filters=filters, forms=forms, conflict=conflict,
        action_form=EmptyForm(), kinds=inbox_data.Kind, statuses=inbox_data.Status, carried=inbox_data.Carried,
        here=request.full_path.rstrip("?"), show_carried=case is None and current_user.role is not Role.admin,
    ), status


@bp.route("/inbox")
@staff_required(Role.caseworker, Role.lead)
def inbox_all():
    return _render(None)


@bp.route("/cases/<int:case_id>/inbox")
@staff_required()
def inbox(case_id: int):
    return _render(load_case(case_id))


def back_to_inbox(case: Case) -> str:
    """Where a form of the inbox returns to: the inbox page it was sent from (filters kept), else the case's."""
    target = request.form.get("next", "")
    parts = urlsplit(target)
    if not parts.scheme and not parts.netloc and not target.startswith("//") and parts.path in (
            url_for("staff.inbox_all"), url_for("staff.inbox", case_id=case.id)) and "\\" not in target:
        return target
    return url_for("staff.inbox", case_id=case.id)


@bp.route("/cases/<int:case_id>/inbox/<int:question_id>", methods=["POST"])
@staff_required()
def question_reply(case_id: int, question_id: int):
    """Reply; only the asker sees question and reply, plus the readers chosen here, each only
    while they may see the plan item the question is about (`portal.sharing`)."""
    case = load_case(case_id)
    question = case_object_or_404(Question, question_id, case)
    form = _reply_form(question, submitted=True)
    if not form.validate_on_submit():
        return _render(case, 400, {question.id: form})
    try:
        inbox_ops.reply(db.session, case, question, form.reply.data, form.readers.data, form.revision.data,
                        by=current_user)
    except inbox_ops.ReadersRefused as refused:
        for reader in refused.members:
            form.readers.errors.append(_(
                "%(name)s does not see the plan item this question is about, so they cannot read the question "
                "either.", name=reader.display_name))
        return _render(case, 400, {question.id: form})
    except concurrency.Stale:
        concurrency.accept_current(form.revision, question)
        flash(_("Someone else replied to this question in the meantime. Your reply is kept below; "
                "compare it with the saved reply and send again."), "error")
        return _render(case, 409, {question.id: form}, conflict=question.id)
    db.session.commit()
    flash(_("The reply is sent. %(name)s sees it now.", name=question.member.display_name), "info")
    return redirect(back_to_inbox(case))


@bp.route("/cases/<int:case_id>/inbox/answers/<int:answer_id>/handled", methods=["POST"])
@staff_required()
def answer_handled(case_id: int, answer_id: int):
    case = load_case(case_id)
    answer = db.session.scalar(
        sa.select(AppointmentAnswer).join(Appointment, Appointment.id == AppointmentAnswer.appointment_id)
        .where(AppointmentAnswer.id == answer_id, Appointment.case_id == case.id))
    if answer is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    inbox_ops.mark_answer_handled(db.session, case, answer, by=current_user)
    db.session.commit()
    flash(_("Marked as handled."), "info")
    return redirect(back_to_inbox(case))


@bp.route("/cases/<int:case_id>/inbox/responses/<int:response_id>/handled", methods=["POST"])
@staff_required()
def response_handled(case_id: int, response_id: int):
    case = load_case(case_id)
    response = db.session.scalar(
        sa.select(VersionResponse).join(PlanVersion, PlanVersion.id == VersionResponse.version_id)
        .join(Plan, Plan.id == PlanVersion.plan_id).where(VersionResponse.id == response_id, Plan.case_id == case.id))
    if response is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    inbox_ops.mark_response_handled(db.session, case, response, by=current_user)
    db.session.commit()
    flash(_("Marked as handled."), "info")
    return redirect(back_to_inbox(case))
