"""The plan editor: draft items, their order, audience, entrusting person, consent and translations."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal import concurrency, pictograms, publishing, translation_work
from portal.access import staff_required
from portal.auth.forms import EmptyForm
from portal.db import db
from portal.i18n import user_content_choice
from portal.models import Case, ItemKind, Owner, Plan, PlanItem
from portal.staff import bp, plan_rows
from portal.staff import translations as content_translations
from portal.staff.common import case_plan, load_case, member_choices
from portal.staff.forms import ConsentForm, ItemForm, RemoveForm, StepForm, past_due
from portal.staff.operations import consent as consent_ops
from portal.staff.operations import plan as plan_ops


def _item_or_404(plan: Plan, item_id: int) -> PlanItem:
    item = db.session.scalar(sa.select(PlanItem).where(PlanItem.id == item_id, PlanItem.plan_id == plan.id))
    if item is None:
        abort(404)
    return item


def _item_form(case: Case, plan: Plan, item: PlanItem | None = None, submitted: bool | None = None,
               goals: list[tuple[int, str]] | None = None) -> ItemForm:
    """The item form: from the request when it was submitted, else showing `item` (or blank).
    `goals` (id, text) are the goals it offers as parent, the plan's goals unless given."""
    submitted = request.method == "POST" if submitted is None else submitted
    form = ItemForm() if submitted else ItemForm(formdata=None, obj=item)
    if goals is None:
        goals = [(i.id, i.text) for i in plan.items if i.kind is ItemKind.goal]
    form.parent_id.choices = [("", _("— none —"))] + [
        user_content_choice(str(id_), text[:80]) for id_, text in goals if item is None or id_ != item.id]
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


def _step_form(goal: PlanItem | plan_ops.DraftItem, submitted: bool = False) -> StepForm:
    prefix = f"s{goal.id}"
    if submitted:
        return StepForm(prefix=prefix)
    form = StepForm(formdata=None, prefix=prefix)
    form.owner.data = goal.owner.value
    return form


def _render_plan(case: Case, plan: Plan, status: int = 200, form: ItemForm | None = None,
                 steps: dict | None = None, open_step: int | None = None):
    """The plan editor: the draft as a tree (goals with their steps, steps without a goal, milestones),
    each item with what is needed to scan it and its frequent actions (up, down, mark done, and one
    link to the item's own page, which has everything else). A goal's step form is shown when asked
    for (`open_step`, from `?step=<goal>`) or sent back with errors (`steps`), the input kept."""
    # The items are read as rows with the draft's snapshot that the unpublished changes compare
    # (`plan_ops.draft_items`), not as ORM objects; what is the same for many items is made once
    # per page (`portal.staff.plan_rows`: the items' URLs, labels lines, shapes of rows).
    languages = translation_work.case_languages(case)
    draft = publishing.draft_snapshots(db.session, [plan.id]).get(plan.id, {})
    diff = publishing.unpublished_changes(db.session, plan, draft)
    db.session.commit()  # the audited read
    items = plan_ops.draft_items(draft, case.members)
    tree = plan_ops.tree(items)
    steps = steps or {branch.goal.id: _step_form(branch.goal) for branch in tree.goals if branch.goal.id == open_step}
    goals = [(branch.goal.id, branch.goal.text) for branch in tree.goals]
    action_form = EmptyForm()
    labels = plan_rows.ItemLabels(translation_work.item_states(db.session, plan.id, items, languages))
    return render_template(
        "staff/plan.html", case=case, plan=plan, items=items, tree=tree, steps=steps,
        form=form or _item_form(case, plan, goals=goals), diff=diff, action_form=action_form, past_due=past_due,
        languages=languages, rows=plan_rows.ItemRows(labels, plan_rows.item_urls(case), action_form.hidden_tag()),
    ), status


@bp.route("/cases/<int:case_id>/plan", methods=["GET", "POST"])
@staff_required()
def plan(case_id: int):
    case = load_case(case_id)
    plan = case_plan(case)
    if request.method == "POST":
        form = _item_form(case, plan)
        if form.validate_on_submit():
            item = plan_ops.create_item(db.session, case, plan, form.item_fields(), by=current_user)
            db.session.commit()
            _saved_message(item)
            return redirect(url_for("staff.plan", case_id=case.id, _anchor=f"item-{item.id}"))
        return _render_plan(case, plan, 400, form=form)
    return _render_plan(case, plan, open_step=request.args.get("step", type=int))


@bp.route("/cases/<int:case_id>/plan/items/<int:item_id>/steps", methods=["POST"])
@staff_required()
def step_add(case_id: int, item_id: int):
    """A step directly under its goal, shared like the goal."""
    case = load_case(case_id)
    plan = case_plan(case)
    goal = _item_or_404(plan, item_id)
    if goal.kind is not ItemKind.goal:
        abort(404)
    form = _step_form(goal, submitted=True)
    if not form.validate_on_submit():
        return _render_plan(case, plan, 400, steps={goal.id: form})
    step = plan_ops.add_step(db.session, case, plan, goal, form.text.data, Owner(form.owner.data), form.due_on.data,
                             by=current_user)
    db.session.commit()
    _saved_message(step)
    return redirect(url_for("staff.plan", case_id=case.id, _anchor=f"item-{step.id}"))


@bp.route("/cases/<int:case_id>/plan/items/<int:item_id>/duplicate", methods=["POST"])
@staff_required()
def item_duplicate(case_id: int, item_id: int):
    case = load_case(case_id)
    plan = case_plan(case)
    item = _item_or_404(plan, item_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    copy = plan_ops.duplicate_item(db.session, case, plan, item, by=current_user)
    db.session.commit()
    flash(_("The copy is in the draft, at the end of its list. Change it here."), "info")
    return redirect(url_for("staff.item_edit", case_id=case.id, item_id=copy.id))


@bp.route("/cases/<int:case_id>/plan/items/<int:item_id>/remove", methods=["GET", "POST"])
@staff_required()
def item_remove(case_id: int, item_id: int):
    """Confirm, then take the item out of the draft (published versions keep it)."""
    case = load_case(case_id)
    plan = case_plan(case)
    item = _item_or_404(plan, item_id)
    form = RemoveForm() if request.method == "POST" else RemoveForm(formdata=None)
    if request.method == "GET":
        form.revision.data = str(item.revision)
    status, conflict = (400 if request.method == "POST" else 200), False
    if form.validate_on_submit():
        try:
            removed = plan_ops.remove_item(db.session, case, plan, item, form.revision.data, by=current_user)
        except concurrency.Stale as stale:
            if stale.gone:
                flash(_("This item was already removed."), "info")
                return redirect(url_for("staff.plan", case_id=case.id))
            concurrency.accept_current(form.revision, item)
            flash(_("Someone else changed this item in the meantime. Nothing was removed; check the saved version "
                    "below and remove it again if you still want to."), "error")
            status, conflict = 409, True
        else:
            db.session.commit()
            flash(ngettext("The item is removed from the draft. The family sees that it was removed when you "
                           "publish.", "%(num)d items are removed from the draft. The family sees that they were "
                           "removed when you publish.", len(removed)), "info")
            return redirect(url_for("staff.plan", case_id=case.id))
    going = plan_ops.removal(plan, item)
    db.session.commit()  # the audited read
    return render_template("staff/item_remove.html", case=case, item=item, going=going, form=form,
                           conflict=conflict), status


@bp.route("/cases/<int:case_id>/plan/order", methods=["POST"])
@staff_required()
def plan_order(case_id: int):
    """A new order for one group of siblings (sent by drag and drop; the buttons move one step)."""
    case = load_case(case_id)
    plan = case_plan(case)
    if not EmptyForm().validate_on_submit():
        abort(400)
    ids = [int(value) for value in request.form.getlist("item") if value.isdigit() and len(value) < 10]
    try:
        plan_ops.reorder(db.session, case, plan, ids, by=current_user)
    except plan_ops.OrderChanged:
        flash(_("The plan changed in the meantime, so the order was not changed. Please try again."), "error")
        return _render_plan(case, plan, 409)
    db.session.commit()
    flash(_("The new order is saved to the draft."), "info")
    return redirect(url_for("staff.plan", case_id=case.id, _anchor=f"item-{ids[0]}"))


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
            return redirect(url_for("staff.plan", case_id=case.id, _anchor=f"item-{item.id}"))
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
    """Swap the item with its neighbour among its siblings (the keyboard-accessible way to reorder)."""
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
