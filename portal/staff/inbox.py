"""The case's inbox: "I don't feel safe" alerts first, then the family's questions and replies."""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import concurrency
from portal.access import staff_required
from portal.auth.forms import EmptyForm
from portal.db import db
from portal.models import Case, Question, SafetyAlert
from portal.staff import bp
from portal.staff.common import case_object_or_404, case_plan, load_case, member_choices
from portal.staff.forms import ReplyForm
from portal.staff.operations import inbox as inbox_ops


def _reply_form(case: Case, question: Question, submitted: bool = False) -> ReplyForm:
    form = ReplyForm(prefix=f"q{question.id}") if submitted else ReplyForm(formdata=None, prefix=f"q{question.id}")
    form.readers.choices = [c for c in member_choices(case) if c[0] != question.member_id]
    if not submitted:
        form.reply.data = question.reply or ""
        form.readers.data = [r.id for r in question.readers]
        form.revision.data = str(question.revision)
    return form


def _render(case: Case, status: int = 200, forms: dict | None = None, conflict: int | None = None):
    alerts = db.session.scalars(
        sa.select(SafetyAlert).where(SafetyAlert.case_id == case.id)
        .order_by(SafetyAlert.acknowledged_at.is_not(None), SafetyAlert.raised_at.desc())
    ).all()
    questions = db.session.scalars(
        sa.select(Question).where(Question.case_id == case.id)
        .order_by(Question.reply.is_not(None), Question.asked_at.desc())
    ).all()
    items = {i.id: i for i in case_plan(case).items} if case_plan(case) else {}
    forms = forms or {}
    for question in questions:
        forms.setdefault(question.id, _reply_form(case, question))
    db.session.commit()
    return render_template("staff/inbox.html", case=case, alerts=alerts, questions=questions, forms=forms,
                           items=items, conflict=conflict, action_form=EmptyForm()), status


@bp.route("/cases/<int:case_id>/inbox")
@staff_required()
def inbox(case_id: int):
    return _render(load_case(case_id))


@bp.route("/cases/<int:case_id>/inbox/<int:question_id>", methods=["POST"])
@staff_required()
def question_reply(case_id: int, question_id: int):
    """Reply; only the asker sees question and reply, plus the readers chosen here, each only
    while they may see the plan item the question is about (`portal.sharing`)."""
    case = load_case(case_id)
    question = case_object_or_404(Question, question_id, case)
    form = _reply_form(case, question, submitted=True)
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
    return redirect(url_for("staff.inbox", case_id=case.id, _anchor=f"question-{question.id}"))
