from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal import audit, concurrency, invitations, publishing, sharing
from portal.access import staff_required
from portal.auth.forms import EmptyForm
from portal.db import db
from portal.i18n import LANGUAGE_NAMES
from portal.qr import qr_svg
from portal.models import (
    Audience,
    Case,
    ItemKind,
    ItemStatus,
    Member,
    MemberKind,
    Owner,
    PhaseChange,
    Plan,
    PlanItem,
)
from portal.staff import bp
from portal.staff.forms import CaseForm, ItemForm, MemberForm, PublishForm, past_due


def load_case(case_id: int) -> Case:
    """Load a case the signed-in staff member may open, and record the read."""
    case = sharing.get_case_or_404(db.session, current_user, case_id)
    audit.record(db.session, "case.read", case_id=case.id)
    return case


def case_plan(case: Case) -> Plan:
    return db.session.scalar(sa.select(Plan).where(Plan.case_id == case.id))


@bp.route("/")
@staff_required()
def caseload():
    cases = db.session.scalars(sa.select(Case).where(sharing.cases_for(current_user)).order_by(Case.title)).all()
    return render_template("staff/caseload.html", cases=cases)


@bp.route("/cases/new", methods=["GET", "POST"])
@staff_required()
def case_new():
    if current_user.team_id is None:
        abort(404)
    form = CaseForm()
    if form.validate_on_submit():
        taken = db.session.scalar(sa.select(Case.id).where(Case.reference == form.reference.data.strip()))
        if taken:
            form.reference.errors.append(_("This file reference is already in use."))
        else:
            case = Case(
                team_id=current_user.team_id,
                title=form.title.data.strip(),
                reference=form.reference.data.strip(),
                primary_caseworker=current_user,
            )
            db.session.add_all([case, Plan(case=case)])
            db.session.flush()
            db.session.add(PhaseChange(case_id=case.id, phase=case.phase, changed_by=current_user))
            audit.record(db.session, "case.create", case_id=case.id)
            db.session.commit()
            return redirect(url_for("staff.case", case_id=case.id))
    return render_template("staff/case_new.html", form=form)


def _member_form() -> MemberForm:
    form = MemberForm()
    form.language.choices = list(LANGUAGE_NAMES.items())
    return form


@bp.route("/cases/<int:case_id>")
@staff_required()
def case(case_id: int):
    case = load_case(case_id)
    db.session.commit()
    return render_template(
        "staff/case.html", case=case, member_form=_member_form(), action_form=EmptyForm(),
        open_invitation=lambda m: invitations.open_invitation(db.session, m),
    )


@bp.route("/cases/<int:case_id>/members", methods=["POST"])
@staff_required()
def member_add(case_id: int):
    case = load_case(case_id)
    form = _member_form()
    if form.validate_on_submit():
        member = Member(
            case=case,
            kind=MemberKind(form.kind.data),
            display_name=form.display_name.data.strip(),
            birth_year=form.birth_year.data,
            language=form.language.data,
        )
        db.session.add(member)
        db.session.flush()
        audit.record(db.session, "member.create", case_id=case.id, obj=member)
        db.session.commit()
        flash(_("%(name)s was added.", name=member.display_name), "info")
        return redirect(url_for("staff.case", case_id=case.id))
    db.session.commit()
    return render_template(
        "staff/case.html", case=case, member_form=form, action_form=EmptyForm(),
        open_invitation=lambda m: invitations.open_invitation(db.session, m),
    ), 400


@bp.route("/cases/<int:case_id>/members/<int:member_id>/invitation", methods=["POST"])
@staff_required()
def invitation_create(case_id: int, member_id: int):
    """Shown once, in the answer to the POST: the code is never stored in clear."""
    case = load_case(case_id)
    member = db.session.scalar(sa.select(Member).where(Member.id == member_id, Member.case_id == case.id))
    if member is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    invitation, code = invitations.create_invitation(db.session, member, current_user)
    audit.record(db.session, "invitation.create", case_id=case.id, obj=invitation)
    db.session.commit()
    start_url = url_for("auth.start", code=code, _external=True)
    with force_locale(member.language or "de"):
        return render_template(
            "staff/invitation_letter.html", member=member, invitation=invitation, code=code,
            qr=qr_svg(start_url, _("QR code to set up the account")),
            start_url=url_for("auth.start", _external=True),
        )


# --- plan editor ----------------------------------------------------------------

def _item_form(case: Case, plan: Plan, item: PlanItem | None = None) -> ItemForm:
    form = ItemForm(obj=None if request.method == "POST" else item)
    goals = [i for i in plan.items if i.kind is ItemKind.goal and (item is None or i.id != item.id)]
    form.parent_id.choices = [("", _("— none —"))] + [(str(g.id), g.text[:80]) for g in goals]
    form.people.choices = [(m.id, m.display_name) for m in case.members]
    if request.method != "POST" and item is not None:
        form.kind.data = item.kind.value
        form.parent_id.data = str(item.parent_id or "")
        form.owner.data = item.owner.value
        form.status.data = item.status.value
        form.audience.data = item.audience.value
        form.people.data = [p.id for p in item.people]
        form.revision.data = str(item.revision)
    return form


def _apply(form: ItemForm, item: PlanItem, case: Case) -> None:
    members = {m.id: m for m in case.members}
    item.kind = ItemKind(form.kind.data)
    item.parent_id = int(form.parent_id.data) if form.parent_id.data and item.kind is ItemKind.step else None
    item.text = form.text.data.strip()
    item.simple_text = (form.simple_text.data or "").strip() or None
    item.owner = Owner(form.owner.data)
    item.due_on = form.due_on.data
    item.status = ItemStatus(form.status.data)
    item.audience = Audience(form.audience.data)
    item.people = [members[i] for i in form.people.data if i in members] if item.audience is Audience.people else []


@bp.route("/cases/<int:case_id>/plan", methods=["GET", "POST"])
@staff_required()
def plan(case_id: int):
    case = load_case(case_id)
    plan = case_plan(case)
    form = _item_form(case, plan)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            item = PlanItem(plan=plan, position=len(plan.items) + 1)
            _apply(form, item, case)
            db.session.add(item)
            db.session.flush()
            audit.record(db.session, "plan_item.create", case_id=case.id, obj=item)
            db.session.commit()
            if past_due(item.due_on):
                flash(_("Saved. Note: the due date is in the past."), "warning")
            else:
                flash(_("Saved to the draft. The family sees it after you publish."), "info")
            return redirect(url_for("staff.plan", case_id=case.id))
        status = 400
    diff = publishing.unpublished_changes(db.session, plan)
    db.session.commit()
    return render_template("staff/plan.html", case=case, plan=plan, form=form, diff=diff), status


@bp.route("/cases/<int:case_id>/plan/items/<int:item_id>", methods=["GET", "POST"])
@staff_required()
def item_edit(case_id: int, item_id: int):
    case = load_case(case_id)
    plan = case_plan(case)
    item = db.session.scalar(sa.select(PlanItem).where(PlanItem.id == item_id, PlanItem.plan_id == plan.id))
    if item is None:
        abort(404)
    form = _item_form(case, plan, item)
    conflict = False
    if form.validate_on_submit():

        def apply() -> None:
            _apply(form, item, case)
            audit.record(db.session, "plan_item.update", case_id=case.id, obj=item)

        if concurrency.save_unless_stale(db.session, item, form.revision.data, apply):
            flash(_("Saved to the draft."), "info")
            return redirect(url_for("staff.plan", case_id=case.id))
        conflict = True
        flash(_("Someone else changed this item while you were editing. Your text is kept below; "
                "compare it with the saved version and save again."), "error")
        concurrency.accept_current(form.revision, item)
    db.session.commit()
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    return render_template("staff/item_edit.html", case=case, item=item, form=form, conflict=conflict), status


@bp.route("/cases/<int:case_id>/publish", methods=["GET", "POST"])
@staff_required()
def publish(case_id: int):
    case = load_case(case_id)
    plan = case_plan(case)
    latest = publishing.latest_version(db.session, plan)
    form = PublishForm()
    if request.method == "GET":
        form.based_on.data = str(latest.number if latest else 0)
    if form.validate_on_submit():
        try:
            version = publishing.publish(db.session, plan, current_user, form.note.data, int(form.based_on.data))
        except (publishing.AlreadyPublished, ValueError):
            db.session.rollback()
            flash(_("This plan was already published in the meantime. Nothing was published twice."), "warning")
            return redirect(url_for("staff.plan", case_id=case_id))
        audit.record(db.session, "plan.publish", case_id=case.id, obj=version)
        db.session.commit()
        flash(_("Version %(number)d is published. The family sees it now.", number=version.number), "info")
        return redirect(url_for("staff.plan", case_id=case.id))
    diff = publishing.unpublished_changes(db.session, plan)
    db.session.commit()
    status = 400 if request.method == "POST" else 200
    return render_template("staff/publish.html", case=case, form=form, diff=diff, latest=latest), status
