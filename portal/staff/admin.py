"""The administrator's pages: staff accounts. An admin reaches no case content at all
(`portal.sharing.cases_for` gives an admin no case); the office directory is in `contacts`."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import concurrency
from portal.access import staff_required
from portal.auth.forms import EmptyForm
from portal.db import db
from portal.i18n import user_content_choice
from portal.models import Role, StaffUser, Team
from portal.staff import bp
from portal.staff.forms import StaffCreateForm, StaffEditForm
from portal.staff.operations import accounts as account_ops


def _team_choices() -> list[tuple[str, str]]:
    teams = db.session.scalars(sa.select(Team).order_by(Team.name)).all()
    return [("", _("— no team —"))] + [user_content_choice(str(t.id), t.name) for t in teams]


def _team_id(value: str) -> int | None:
    return int(value) if value else None


@bp.route("/admin/staff", methods=["GET", "POST"])
@staff_required(Role.admin)
def admin_staff():
    form = StaffCreateForm()
    form.team.choices = _team_choices()
    if form.validate_on_submit():
        try:
            staff = account_ops.create_staff(db.session, form.username.data, form.display_name.data,
                                             Role(form.role.data), _team_id(form.team.data), form.password.data,
                                             by=current_user)
        except account_ops.AccountRefused as refused:
            if refused.field == "password":
                form.password.errors.append(refused.reason)
            else:
                form.username.errors.append(_("This sign-in name is already taken."))
        else:
            db.session.commit()
            flash(_("The account %(name)s is created.", name=staff.username), "info")
            return redirect(url_for("staff.admin_staff"))
    accounts = db.session.scalars(sa.select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.display_name)).all()
    return render_template("staff/admin_staff.html", accounts=accounts, form=form), (
        400 if request.method == "POST" else 200)


def _account_or_404(staff_id: int) -> StaffUser:
    staff = db.session.get(StaffUser, staff_id)
    if staff is None:
        abort(404)
    return staff


@bp.route("/admin/staff/<int:staff_id>", methods=["GET", "POST"])
@staff_required(Role.admin)
def admin_staff_edit(staff_id: int):
    staff = _account_or_404(staff_id)
    form = StaffEditForm(obj=None if request.method == "POST" else staff)
    form.team.choices = _team_choices()
    if request.method != "POST":
        form.role.data, form.team.data = staff.role.value, str(staff.team_id or "")
        form.revision.data = str(staff.revision)
    status = 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            account_ops.update_staff(db.session, staff, form.display_name.data, Role(form.role.data),
                                     _team_id(form.team.data), form.revision.data, by=current_user)
        except account_ops.AccountRefused:
            form.role.errors.append(_("You cannot take away your own administrator role."))
        except concurrency.Stale:
            status = 409
            concurrency.accept_current(form.revision, staff)
            flash(_("Someone else changed this account in the meantime. Your entries are kept below; "
                    "compare them with the saved account and save again."), "error")
        else:
            db.session.commit()
            flash(_("The account is saved."), "info")
            return redirect(url_for("staff.admin_staff"))
    return render_template(
        "staff/admin_staff_edit.html", account=staff, form=form, action_form=EmptyForm(),
        can_reset_two_factor="auth.reset_two_factor" in current_app.view_functions,
    ), status


@bp.route("/admin/staff/<int:staff_id>/deactivate", methods=["POST"])
@staff_required(Role.admin)
def admin_staff_deactivate(staff_id: int):
    """Deactivation ends every session of the account at once."""
    staff = _account_or_404(staff_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        account_ops.deactivate_staff(db.session, staff, by=current_user)
    except account_ops.AccountRefused:
        flash(_("You cannot deactivate your own account."), "error")
        return redirect(url_for("staff.admin_staff_edit", staff_id=staff.id))
    db.session.commit()
    flash(_("%(name)s can no longer sign in.", name=staff.display_name), "info")
    return redirect(url_for("staff.admin_staff"))
