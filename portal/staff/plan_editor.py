"""The plan editor: draft items, their order, audience, entrusting person, consent and translations."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import concurrency, pictograms, publishing
from portal.access import staff_required
from portal.auth.forms import EmptyForm
from portal.db import db
from portal.i18n import user_content_choice
from portal.models import Case, ItemKind, Plan, PlanItem
from portal.staff import bp
from portal.staff import translations as content_translations
from portal.staff.common import case_plan, load_case, member_choices
from portal.staff.forms import ConsentForm, ItemForm, past_due
from portal.staff.operations import consent as consent_ops
from portal.staff.operations import plan as plan_ops


def _item_or_404(plan: Plan, item_id: int) -> PlanItem:
    item = db.session.scalar(sa.select(PlanItem).where(PlanItem.id == item_id, PlanItem.plan_id == plan.id))
    if item is None:
        abort(404)
    return item


def _item_form(case: Case, plan: Plan, item: PlanItem | None = None, submitted: bool | None = None) -> ItemForm:
    """The item form: from the request when it was submitted, else showing `item` (or blank)."""
    submitted = request.method == "POST" if submitted is None else submitted
    form = ItemForm() if submitted else ItemForm(formdata=None, obj=item)
    goals = [i for i in plan.items if i.kind is ItemKind.goal and (item is None or i.id != item.id)]
    form.parent_id.choices = [("", _("— none —"))] + [user_content_choice(str(g.id), g.text[:80]) for g in goals]
    form.pictogram.choices = [("", _("— no picture —"))] + pictograms.names()
    form.people.choices = member_choices(case)
    form.entrusted_by.choices = [("", _("— nobody: office knowledge —"))] + [
        user_content_choice(str(m.id), m.display_name) for m in case.members
    ]
    if not submitted and item is not None:
        form.kind.data = item.kind.value
        form.parent_id.data = str(item.parent_id or "")
        form.pictogram.data = item.pictogram or ""
        form.owner.data = item.owner.value
        form.status.data = item.status.value
        form.audience.data = item.audience.value
        form.people.data = [p.id for p in item.people]
        form.entrusted_by.data = str(item.entrusted_by_id or "")
        form.revision.data = str(item.revision)
    return form


def _saved_message(item: PlanItem) -> None:
    if past_due(item.due_on):
        flash(_("Saved. Note: the due date is in the past."), "warning")
    else:
        flash(_("Saved to the draft. What you added or shared more widely reaches the family when you publish; "
                "anything you took away from someone applies now."), "info")


@bp.route("/cases/<int:case_id>/plan", methods=["GET", "POST"])
@staff_required()
def plan(case_id: int):
    case = load_case(case_id)
    plan = case_plan(case)
    form = _item_form(case, plan)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            item = plan_ops.create_item(db.session, case, plan, form.item_fields(), by=current_user)
            db.session.commit()
            _saved_message(item)
            return redirect(url_for("staff.plan", case_id=case.id))
        status = 400
    diff = publishing.unpublished_changes(db.session, plan)
    db.session.commit()
    return render_template("staff/plan.html", case=case, plan=plan, form=form, diff=diff,
                           action_form=EmptyForm(), past_due=past_due), status


@bp.route("/cases/<int:case_id>/plan/items/<int:item_id>", methods=["GET", "POST"])
@staff_required()
def item_edit(case_id: int, item_id: int):
    case = load_case(case_id)
    plan = case_plan(case)
    item = _item_or_404(plan, item_id)
    form = _item_form(case, plan, item)
    conflict = False
    if form.validate_on_submit():
        try:
            plan_ops.update_item(db.session, case, plan, item, form.item_fields(), form.revision.data,
                                 by=current_user)
        except concurrency.Stale:
            conflict = True
            concurrency.accept_current(form.revision, item)
            flash(_("Someone else changed this item while you were editing. Your text is kept below; "
                    "compare it with the saved version and save again."), "error")
        else:
            db.session.commit()
            _saved_message(item)
            return redirect(url_for("staff.plan", case_id=case.id))
    return _render_item(case, item, form, 409 if conflict else (400 if request.method == "POST" else 200),
                        conflict=conflict)


def _consent_form(case: Case, item: PlanItem, submitted: bool = False) -> ConsentForm:
    form = ConsentForm() if submitted else ConsentForm(formdata=None)
    form.given_by.choices = [user_content_choice(str(m.id), m.display_name) for m in case.members]
    form.recipients.choices = [(m.id, m.display_name) for m in case.members if m.id != item.entrusted_by_id]
    if not submitted and item.entrusted_by_id:
        form.given_by.data = str(item.entrusted_by_id)
    return form


def _render_item(case: Case, item: PlanItem, form: ItemForm, status: int = 200, **extra):
    context = {"consent_form": _consent_form(case, item), "conflict": False, **extra}
    db.session.commit()  # the audited read
    return render_template("staff/item_edit.html", case=case, item=item, form=form,
                           action_form=EmptyForm(), past_due=past_due, **context), status


@bp.route("/cases/<int:case_id>/plan/items/<int:item_id>/move/<any(up, down):direction>", methods=["POST"])
@staff_required()
def item_move(case_id: int, item_id: int, direction: str):
    """Swap the item with its neighbour in the draft's order (positions are renumbered 1..n)."""
    case = load_case(case_id)
    plan = case_plan(case)
    item = _item_or_404(plan, item_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    plan_ops.move_item(db.session, case, plan, item, direction, by=current_user)
    db.session.commit()
    return redirect(url_for("staff.plan", case_id=case.id, _anchor=f"item-{item.id}"))


@bp.route("/cases/<int:case_id>/plan/items/<int:item_id>/done", methods=["POST"])
@staff_required()
def item_done(case_id: int, item_id: int):
    case = load_case(case_id)
    item = _item_or_404(case_plan(case), item_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    plan_ops.mark_done(db.session, case, item, by=current_user)
    db.session.commit()
    flash(_("Marked as done in the draft."), "info")
    return redirect(url_for("staff.plan", case_id=case.id, _anchor=f"item-{item.id}"))


# --- consent (§ 65 SGB VIII) ---------------------------------------------------------

@bp.route("/cases/<int:case_id>/plan/items/<int:item_id>/consents", methods=["POST"])
@staff_required()
def consent_add(case_id: int, item_id: int):
    """Only the person who entrusted the item can consent to others seeing it."""
    case = load_case(case_id)
    item = _item_or_404(case_plan(case), item_id)
    form = _consent_form(case, item, submitted=True)
    if form.validate_on_submit():
        members = {m.id: m for m in case.members}
        given_by = members.get(int(form.given_by.data)) if form.given_by.data.isdigit() else None
        try:
            consent_ops.record_consent(db.session, case, item, given_by,
                                       [members[i] for i in form.recipients.data if i in members], by=current_user)
        except consent_ops.ConsentRefused as refused:
            form.given_by.errors.append(_consent_refusal(refused))
        else:
            db.session.commit()
            flash(_("The consent is recorded. It applies after you publish."), "info")
            return redirect(url_for("staff.item_edit", case_id=case.id, item_id=item.id, _anchor="consent"))
    return _render_item(case, item, _item_form(case, case_plan(case), item, submitted=False), 400,
                        consent_form=form)


def _consent_refusal(refused: consent_ops.ConsentRefused) -> str:
    if refused.reason == consent_ops.NOBODY_ENTRUSTED:
        return _("Nobody entrusted this item, so no consent is needed.")
    if refused.reason == consent_ops.NOT_THE_ENTRUSTING_PERSON:
        return _("Only %(name)s entrusted this item, so only %(name)s can consent to sharing it.",
                 name=refused.entrusted_by.display_name)
    return _("Please choose at least one person the consent covers.")


@bp.route("/cases/<int:case_id>/plan/items/<int:item_id>/consents/<int:consent_id>/withdraw", methods=["POST"])
@staff_required()
def consent_withdraw(case_id: int, item_id: int, consent_id: int):
    case = load_case(case_id)
    item = _item_or_404(case_plan(case), item_id)
    consent = next((c for c in item.consents if c.id == consent_id), None)
    if consent is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    consent_ops.withdraw_consent(db.session, case, item, consent, by=current_user)
    db.session.commit()
    flash(_("The consent is withdrawn. It applies now: the item is no longer shown to whom the consent covered."),
          "info")
    return redirect(url_for("staff.item_edit", case_id=case.id, item_id=item.id, _anchor="consent"))


# --- translations (portal.staff.translations, shared with appointments and contacts) ---

def _translations(case_id: int, item_id: int, language: str | None = None):
    case = load_case(case_id)
    item = _item_or_404(case_plan(case), item_id)
    return content_translations.translations_page(
        case, "plan_item", item, ("staff.translations", "staff.translation_save"),
        {"case_id": case.id, "item_id": item.id}, url_for("staff.item_edit", case_id=case.id, item_id=item.id),
        _("The translation is saved to the draft."), language,
    )


@bp.route("/cases/<int:case_id>/plan/items/<int:item_id>/translations", endpoint="translations")
@staff_required()
def translations_view(case_id: int, item_id: int):
    return _translations(case_id, item_id)


@bp.route("/cases/<int:case_id>/plan/items/<int:item_id>/translations/<language>", methods=["POST"])
@staff_required()
def translation_save(case_id: int, item_id: int, language: str):
    """Save one language; each field's row is checked against the revision the form showed."""
    return _translations(case_id, item_id, language)
