"""Appointments of a case: create, edit, move, cancel, and each member's answer.

Times are entered in the office's time zone and stored in UTC. Moving or
cancelling an appointment sets `status` and `changed_at`, so the family sees it
marked as changed.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import concurrency
from portal.access import staff_required
from portal.auth.forms import EmptyForm
from portal.db import db
from portal.models import Appointment, Case
from portal.staff import bp
from portal.staff import translations as content_translations
from portal.staff.common import case_object_or_404, load_case, member_choices
from portal.staff.forms import AppointmentForm, to_local
from portal.staff.operations import appointments as appointment_ops


def _form(case: Case, appointment: Appointment | None = None) -> AppointmentForm:
    form = AppointmentForm(obj=None if request.method == "POST" else appointment)
    form.people.choices = member_choices(case)
    if request.method != "POST" and appointment is not None:
        form.type.data = appointment.type.value
        form.audience.data = appointment.audience.value
        form.people.data = [p.id for p in appointment.people]
        form.starts_at.data = to_local(appointment.starts_at)
        form.ends_at.data = to_local(appointment.ends_at)
        form.revision.data = str(appointment.revision)
    return form


@bp.route("/cases/<int:case_id>/appointments", methods=["GET", "POST"])
@staff_required()
def appointments(case_id: int):
    case = load_case(case_id)
    form = _form(case)
    if form.validate_on_submit():
        appointment_ops.create_appointment(db.session, case, form.appointment_fields(), by=current_user)
        db.session.commit()
        flash(_("The appointment is saved. Whoever it is shared with sees it now."), "info")
        return redirect(url_for("staff.appointments", case_id=case.id))
    listed = db.session.scalars(
        sa.select(Appointment).where(Appointment.case_id == case.id).order_by(Appointment.starts_at.desc())
    ).all()
    db.session.commit()
    return render_template("staff/appointments.html", case=case, appointments=listed, form=form), (
        400 if request.method == "POST" else 200)


@bp.route("/cases/<int:case_id>/appointments/<int:appointment_id>", methods=["GET", "POST"])
@staff_required()
def appointment_edit(case_id: int, appointment_id: int):
    case = load_case(case_id)
    appointment = case_object_or_404(Appointment, appointment_id, case)
    form = _form(case, appointment)
    status = 400 if request.method == "POST" else 200
    conflict = False
    if form.validate_on_submit():
        try:
            appointment_ops.update_appointment(db.session, case, appointment, form.appointment_fields(),
                                               form.revision.data, by=current_user)
        except concurrency.Stale:
            conflict, status = True, 409
            concurrency.accept_current(form.revision, appointment)
            flash(_("Someone else changed this appointment while you were editing. Your entries are kept below; "
                    "compare them with the saved appointment and save again."), "error")
        else:
            db.session.commit()
            flash(_("The appointment is saved. Whoever it is shared with sees it now."), "info")
            return redirect(url_for("staff.appointments", case_id=case.id))
    db.session.commit()
    return render_template("staff/appointment_edit.html", case=case, appointment=appointment, form=form,
                           conflict=conflict, action_form=EmptyForm()), status


@bp.route("/cases/<int:case_id>/appointments/<int:appointment_id>/cancel", methods=["POST"])
@staff_required()
def appointment_cancel(case_id: int, appointment_id: int):
    case = load_case(case_id)
    appointment = case_object_or_404(Appointment, appointment_id, case)
    if not EmptyForm().validate_on_submit():
        abort(400)
    appointment_ops.cancel_appointment(db.session, case, appointment, by=current_user)
    db.session.commit()
    flash(_("The appointment is cancelled. The family sees it marked as cancelled."), "info")
    return redirect(url_for("staff.appointments", case_id=case.id))


# --- translations of place, what to bring and the note (portal.staff.translations) ---

def _translations(case_id: int, appointment_id: int, language: str | None = None):
    case = load_case(case_id)
    appointment = case_object_or_404(Appointment, appointment_id, case)
    args = {"case_id": case.id, "appointment_id": appointment.id}
    return content_translations.translations_page(
        case, "appointment", appointment, ("staff.appointment_translations", "staff.appointment_translation_save"),
        args, url_for("staff.appointment_edit", **args), _("The translation is saved. The family sees it at once."),
        language,
    )


@bp.route("/cases/<int:case_id>/appointments/<int:appointment_id>/translations")
@staff_required()
def appointment_translations(case_id: int, appointment_id: int):
    return _translations(case_id, appointment_id)


@bp.route("/cases/<int:case_id>/appointments/<int:appointment_id>/translations/<language>", methods=["POST"])
@staff_required()
def appointment_translation_save(case_id: int, appointment_id: int, language: str):
    return _translations(case_id, appointment_id, language)
