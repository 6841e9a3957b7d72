"""Whom the family can call: the case's contacts, and the office-wide directory."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import concurrency, sharing
from portal.access import staff_required
from portal.db import db
from portal.models import Audience, Case, Contact, Office
from portal.staff import bp
from portal.staff import translations as content_translations
from portal.staff.common import case_object_or_404, load_case, member_choices
from portal.staff.forms import ContactForm
from portal.staff.operations import contacts as contact_ops


def _form(contact: Contact | None, case: Case | None) -> ContactForm:
    form = ContactForm(obj=None if request.method == "POST" else contact)
    form.people.choices = member_choices(case) if case else []
    if case is None:  # the directory is for every family of the office: no chosen people
        form.audience.choices = [c for c in form.audience.choices if c[0] != Audience.people.value]
    if request.method != "POST" and contact is not None:
        form.type.data = contact.type.value
        form.audience.data = contact.audience.value
        form.people.data = [p.id for p in contact.people]
        form.revision.data = str(contact.revision)
    return form


def _edit(contact: Contact, case: Case | None, back: str, template: str, **context):
    form = _form(contact, case)
    status = 400 if request.method == "POST" else 200
    conflict = False
    if form.validate_on_submit():
        try:
            contact_ops.update_contact(db.session, contact, case, form.contact_fields(), form.revision.data,
                                       by=current_user)
        except concurrency.Stale:
            conflict, status = True, 409
            concurrency.accept_current(form.revision, contact)
            flash(_("Someone else changed this contact while you were editing. Your entries are kept below; "
                    "compare them with the saved contact and save again."), "error")
        else:
            db.session.commit()
            flash(_("The contact is saved."), "info")
            return redirect(back)
    db.session.commit()
    return render_template(template, contact=contact, form=form, conflict=conflict, case=case, **context), status


# --- the case's contacts ----------------------------------------------------------------

@bp.route("/cases/<int:case_id>/contacts", methods=["GET", "POST"])
@staff_required()
def contacts(case_id: int):
    case = load_case(case_id)
    form = _form(None, case)
    if form.validate_on_submit():
        contact_ops.create_contact(db.session, case.team.office_id, case, form.contact_fields(), by=current_user)
        db.session.commit()
        flash(_("The contact is saved."), "info")
        return redirect(url_for("staff.contacts", case_id=case.id))
    listed = db.session.scalars(
        sa.select(Contact).where(Contact.case_id == case.id).order_by(Contact.position, Contact.id)
    ).all()
    db.session.commit()
    return render_template("staff/contacts.html", case=case, contacts=listed, form=form), (
        400 if request.method == "POST" else 200)


@bp.route("/cases/<int:case_id>/contacts/<int:contact_id>", methods=["GET", "POST"])
@staff_required()
def contact_edit(case_id: int, contact_id: int):
    case = load_case(case_id)
    contact = case_object_or_404(Contact, contact_id, case)
    return _edit(contact, case, url_for("staff.contacts", case_id=case.id), "staff/contact_edit.html")


def _translations(case_id: int, contact_id: int, language: str | None = None):
    case = load_case(case_id)
    contact = case_object_or_404(Contact, contact_id, case)
    args = {"case_id": case.id, "contact_id": contact.id}
    return content_translations.translations_page(
        case, "contact", contact, ("staff.contact_translations", "staff.contact_translation_save"),
        args, url_for("staff.contact_edit", **args), _("The translation is saved. The family sees it at once."),
        language,
    )


@bp.route("/cases/<int:case_id>/contacts/<int:contact_id>/translations")
@staff_required()
def contact_translations(case_id: int, contact_id: int):
    """Translations of the contact's note (portal.staff.translations)."""
    return _translations(case_id, contact_id)


@bp.route("/cases/<int:case_id>/contacts/<int:contact_id>/translations/<language>", methods=["POST"])
@staff_required()
def contact_translation_save(case_id: int, contact_id: int, language: str):
    return _translations(case_id, contact_id, language)


# --- the office-wide directory ------------------------------------------------------------

def _directory_keeper() -> None:
    if not sharing.may_manage_directory(current_user) or _office_id() is None:
        abort(404)


def _office_id() -> int | None:
    """Staff belong to an office through their team; an admin without a team keeps the only office."""
    if current_user.team is not None:
        return current_user.team.office_id
    return db.session.scalar(sa.select(Office.id).order_by(Office.id).limit(1))


@bp.route("/directory", methods=["GET", "POST"])
@staff_required()
def directory():
    _directory_keeper()
    form = _form(None, None)
    if form.validate_on_submit():
        contact_ops.create_contact(db.session, _office_id(), None, form.contact_fields(), by=current_user)
        db.session.commit()
        flash(_("The contact is saved."), "info")
        return redirect(url_for("staff.directory"))
    listed = db.session.scalars(
        sa.select(Contact).where(Contact.case_id.is_(None), Contact.office_id == _office_id())
        .order_by(Contact.position, Contact.id)
    ).all()
    return render_template("staff/directory.html", contacts=listed, form=form), (
        400 if request.method == "POST" else 200)


@bp.route("/directory/<int:contact_id>", methods=["GET", "POST"])
@staff_required()
def directory_edit(contact_id: int):
    _directory_keeper()
    contact = db.session.scalar(sa.select(Contact).where(
        Contact.id == contact_id, Contact.case_id.is_(None), Contact.office_id == _office_id()))
    if contact is None:
        abort(404)
    return _edit(contact, None, url_for("staff.directory"), "staff/contact_edit.html")
