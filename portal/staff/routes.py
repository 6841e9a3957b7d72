"""Caseload, the case page (members, invitations, phase, activity) and assignment by a lead."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal import audit, concurrency, invitations, sharing
from portal import caseload as caseload_data
from portal.access import staff_required
from portal.auth.forms import EmptyForm
from portal.db import db
from portal.i18n import language_choices, user_content_choice
from portal.inbox import Carried
from portal.labels import MEMBER_KIND_LABELS
from portal.models import AuditEvent, Case, MemberKind, Phase, Role, SafetyAlert, StaffUser
from portal.notifications import status as notify_status
from portal.qr import qr_svg
from portal.staff import bp
from portal.staff.common import case_member_or_404, case_object_or_404, load_case
from portal.staff.inbox import back_to_inbox
from portal.staff.forms import AssignmentForm, CaseForm, MemberEditForm, MemberForm, PhaseForm
from portal.staff.operations import cases as case_ops
from portal.staff.operations import inbox as inbox_ops
from portal.staff.operations import members as member_ops

RECENT_ACTIVITY = 25


@bp.route("/")
@staff_required()
def caseload():
    if current_user.role is Role.admin:  # no cases: the admin's start page
        return render_template("staff/admin_home.html")
    if current_user.role is Role.head:  # no cases either: the head reads the evaluation
        return redirect(url_for("staff.evaluation"))
    filters = caseload_data.Filters.from_args(request.args)
    load = caseload_data.caseload(db.session, current_user, filters, request.args.get("page", 1, type=int) or 1)
    alerts = caseload_data.open_alerts(db.session, current_user)
    audit.record(db.session, audit.Action.caseload_read, actor=current_user)
    db.session.commit()  # the audited read (one event; the page shows no case's content)
    return render_template("staff/caseload.html", load=load, alerts=alerts, filters=filters,
                           sorts=caseload_data.Sort, carried=Carried, action_form=EmptyForm())


@bp.route("/cases/<int:case_id>/alerts/<int:alert_id>/acknowledge", methods=["POST"])
@staff_required()
def alert_acknowledge(case_id: int, alert_id: int):
    case = load_case(case_id)
    alert = case_object_or_404(SafetyAlert, alert_id, case)
    if not EmptyForm().validate_on_submit():
        abort(400)
    inbox_ops.acknowledge_alert(db.session, case, alert, by=current_user)
    db.session.commit()
    flash(_("The alert is marked as taken care of."), "info")
    return redirect(back_to_inbox(case) if request.form.get("next") else url_for("staff.caseload"))


@bp.route("/cases/new", methods=["GET", "POST"])
@staff_required(Role.caseworker, Role.lead)
def case_new():
    if current_user.team_id is None:
        abort(404)
    form = CaseForm()
    if form.validate_on_submit():
        try:
            case = case_ops.open_case(db.session, current_user.team, form.title.data, form.reference.data,
                                      by=current_user)
        except case_ops.ReferenceTaken:
            form.reference.errors.append(_("This file reference is already in use."))
        else:
            db.session.commit()
            return redirect(url_for("staff.case", case_id=case.id))
    return render_template("staff/case_new.html", form=form), 400 if request.method == "POST" else 200


# --- the case page ----------------------------------------------------------------

# The case page holds several forms; only the one that was submitted reads the request,
# the others show the saved state (`formdata=None`).

def _member_form(submitted: bool = False) -> MemberForm:
    form = MemberForm() if submitted else MemberForm(formdata=None)
    form.language.choices = language_choices()
    return form


def _phase_form(case: Case, submitted: bool = False) -> PhaseForm:
    if submitted:
        return PhaseForm()
    form = PhaseForm(formdata=None)
    form.phase.data = case.phase.value
    form.revision.data = str(case.revision)
    return form


def _assignment_form(case: Case, submitted: bool = False) -> AssignmentForm | None:
    """Only a lead of the case's team assigns, transfers and sets the deputy."""
    if current_user.role is not Role.lead or case.team_id != current_user.team_id:
        return None
    form = AssignmentForm() if submitted else AssignmentForm(formdata=None)
    team = _team_staff(case)
    form.primary.choices = [user_content_choice(str(s.id), s.display_name) for s in team]
    form.deputy.choices = [("", _("— no deputy —"))] + [user_content_choice(str(s.id), s.display_name) for s in team]
    if not submitted:
        form.primary.data = str(case.primary_caseworker_id or "")
        form.deputy.data = str(case.deputy_caseworker_id or "")
        form.revision.data = str(case.revision)
    return form


def _team_staff(case: Case) -> list[StaffUser]:
    """Who can carry a case of the team: its active caseworkers and leads."""
    return list(db.session.scalars(
        sa.select(StaffUser).where(StaffUser.team_id == case.team_id, StaffUser.active,
                                   StaffUser.role.in_([Role.caseworker, Role.lead]))
        .order_by(StaffUser.display_name)
    ))


def _render_case(case: Case, status: int = 200, **forms):
    # What was done to the case (reads are many and say nothing about its state).
    activity = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.case_id == case.id, AuditEvent.action != "case.read")
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(RECENT_ACTIVITY)
    ).all()
    edit_forms = forms.pop("edit_forms", {})
    for member in case.members:
        if member.id not in edit_forms:
            form = MemberEditForm(formdata=None, prefix=f"m{member.id}")
            form.language.choices = language_choices()
            form.kind.data, form.language.data = member.kind.value, member.language or "de"
            form.revision.data = str(member.revision)
            edit_forms[member.id] = form
    from portal.staff.care import care_forms

    context = {
        "care_forms": {**care_forms(case), **forms.pop("care_forms", {})},
        "handover": case_ops.latest_handover(case),
        "member_form": _member_form(),
        "phase_form": _phase_form(case),
        "assignment_form": _assignment_form(case),
        **forms,
    }
    db.session.commit()  # the audited read
    return render_template(
        "staff/case.html", case=case, action_form=EmptyForm(), activity=activity, edit_forms=edit_forms,
        open_invitation=lambda m: invitations.open_invitation(db.session, m),
        notify_status=notify_status.for_members(db.session, case.members), **context,
    ), status


@bp.route("/cases/<int:case_id>")
@staff_required()
def case(case_id: int):
    return _render_case(load_case(case_id))


@bp.route("/cases/<int:case_id>/members", methods=["POST"])
@staff_required()
def member_add(case_id: int):
    case = load_case(case_id)
    form = _member_form(submitted=True)
    if form.validate_on_submit():
        member = member_ops.add_member(db.session, case, MemberKind(form.kind.data), form.display_name.data,
                                       form.birth_year.data, form.language.data, by=current_user)
        db.session.commit()
        flash(_("%(name)s was added.", name=member.display_name), "info")
        return redirect(url_for("staff.case", case_id=case.id))
    return _render_case(case, 400, member_form=form)


@bp.route("/cases/<int:case_id>/members/<int:member_id>", methods=["POST"])
@staff_required()
def member_edit(case_id: int, member_id: int):
    case = load_case(case_id)
    member = case_member_or_404(case, member_id)
    form = MemberEditForm(prefix=f"m{member.id}")
    form.language.choices = language_choices()
    if not form.validate_on_submit():
        return _render_case(case, 400, edit_forms={member.id: form})
    try:
        member_ops.update_member(db.session, case, member, MemberKind(form.kind.data), form.language.data,
                                 form.revision.data, by=current_user)
    except concurrency.Stale:
        concurrency.accept_current(form.revision, member)
        flash(_("Someone else changed %(name)s in the meantime: now %(kind)s. Your choice is kept below; "
                "save again to apply it.", name=member.display_name,
                kind=str(MEMBER_KIND_LABELS[member.kind])), "error")
        return _render_case(case, 409, edit_forms={member.id: form})
    db.session.commit()
    flash(_("%(name)s was saved.", name=member.display_name), "info")
    return redirect(url_for("staff.case", case_id=case.id))


@bp.route("/cases/<int:case_id>/members/<int:member_id>/deactivate", methods=["POST"])
@staff_required()
def member_deactivate(case_id: int, member_id: int):
    """The session loader refuses inactive members, so this applies on their next request."""
    case = load_case(case_id)
    member = case_member_or_404(case, member_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    member_ops.deactivate_member(db.session, case, member, by=current_user)
    db.session.commit()
    flash(_("%(name)s can no longer sign in.", name=member.display_name), "info")
    return redirect(url_for("staff.case", case_id=case.id))


@bp.route("/cases/<int:case_id>/members/<int:member_id>/invitation", methods=["POST"])
@staff_required()
def invitation_create(case_id: int, member_id: int):
    """Shown once, in the answer to the POST: the code is never stored in clear."""
    case = load_case(case_id)
    member = case_member_or_404(case, member_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        invitation, code = member_ops.invite(db.session, case, member, by=current_user)
    except member_ops.CannotInvite:
        flash(_("%(name)s is deactivated; an invitation would not work.", name=member.display_name), "error")
        return _render_case(case, 400)
    db.session.commit()
    start_url = url_for("auth.start", code=code, _external=True)
    with force_locale(member.language or "de"):
        return render_template(
            "staff/invitation_letter.html", member=member, invitation=invitation, code=code,
            qr=qr_svg(start_url, _("QR code to set up the account")),
            start_url=url_for("auth.start", _external=True),
        )


@bp.route("/cases/<int:case_id>/phase", methods=["POST"])
@staff_required()
def phase_change(case_id: int):
    case = load_case(case_id)
    form = _phase_form(case, submitted=True)
    if not form.validate_on_submit():
        return _render_case(case, 400, phase_form=form)
    try:
        changed = case_ops.change_phase(db.session, case, Phase(form.phase.data), form.revision.data,
                                        by=current_user)
    except case_ops.CaseClosed:
        flash(_("This case is closed; its phase can no longer change."), "error")
        return _render_case(case, 400, phase_form=form)
    except concurrency.Stale:
        concurrency.accept_current(form.revision, case)
        flash(_("Someone else changed this case in the meantime. Please check the phase and try again."), "error")
        return _render_case(case, 409, phase_form=form)
    db.session.commit()  # the change, or (unchanged) the audited read
    if not changed:
        flash(_("The case is already in this phase."), "info")
        return redirect(url_for("staff.case", case_id=case.id))
    flash(_("The phase was changed."), "info")
    return redirect(url_for("staff.case", case_id=case.id))


@bp.route("/cases/<int:case_id>/assignment", methods=["POST"])
@staff_required(Role.lead)
def assignment(case_id: int):
    case = load_case(case_id)
    form = _assignment_form(case, submitted=True)
    if form is None:
        abort(404)
    if not form.validate_on_submit():
        return _render_case(case, 400, assignment_form=form)
    team = {str(s.id): s for s in _team_staff(case)}
    try:
        handover = case_ops.assign(db.session, case, team[form.primary.data], team.get(form.deputy.data),
                                   form.note.data, form.revision.data, by=current_user)
    except case_ops.HandoverNoteMissing:
        form.note.errors.append(_("Please write a handover note for the new caseworker."))
        return _render_case(case, 400, assignment_form=form)
    except concurrency.Stale:
        concurrency.accept_current(form.revision, case)
        flash(_("Someone else changed this case in the meantime. Your choice is kept; save again to apply it."),
              "error")
        return _render_case(case, 409, assignment_form=form)
    db.session.commit()
    if handover:
        flash(_("The case is handed over to %(name)s. The family sees the new caseworker now.",
                name=handover.to.display_name), "info")
    else:
        flash(_("Who carries the case was saved."), "info")
    if not sharing.may_open_case(current_user, case):
        return redirect(url_for("staff.caseload"))
    return redirect(url_for("staff.case", case_id=case.id))
