"""Translations of caseworker-written content, one form per language, for every kind
of object that has them: plan items (in the draft, published with the plan),
appointments and contacts (shown to the family at once).

The German text on the object stays the binding original; each translated field
is one `ContentTranslation` row, saved with the revision the form showed, so a
stale save is refused with the caseworker's text kept (as everywhere else).
"""
from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.utils import secure_filename
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import Length, Optional

from portal import audit, concurrency, translation_work
from portal.access import staff_required
from portal.db import db
from portal.forms import FlaskForm
from portal.labels import APPOINTMENT_TYPE_LABELS, KIND_LABELS
from portal.models import Case, Plan
from portal.staff import bp
from portal.staff.common import load_case
from portal.staff.forms import TranslationImportForm
from portal.staff.operations import translations as translation_ops

# object type → {field: (label, longest text)}; the field names are the object's attributes.
TRANSLATED_FIELDS: dict[str, dict[str, tuple]] = {
    "plan_item": {"text": (_l("Text"), 2000), "simple_text": (_l("Simple text"), 1000)},
    "appointment": {"place": (_l("Where"), 300), "bring": (_l("Please bring"), 1000), "note": (_l("Note"), 2000)},
    "contact": {"note": (_l("Note"), 2000)},
}


def languages() -> list[str]:
    return [code for code in current_app.config["LANGUAGES"] if code != "de"]


@cache
def form_class(object_type: str) -> type[FlaskForm]:
    """A form with a text area and its row's revision per translated field, and the checked flag."""
    attributes: dict = {}
    for name, (label, longest) in TRANSLATED_FIELDS[object_type].items():
        attributes[f"{name}_revision"] = HiddenField()
        attributes[name] = TextAreaField(label, validators=[Optional(), Length(max=longest)])
    attributes["checked"] = BooleanField(_l("Checked by an interpreter"))
    return type(f"{object_type.title().replace('_', '')}TranslationForm", (FlaskForm,), attributes)


def rows_for(object_type: str, object_id: int) -> dict:
    return translation_ops.rows_for(db.session, object_type, object_id)


def _form(object_type: str, language: str, rows: dict, formdata: bool = True) -> FlaskForm:
    Form = form_class(object_type)
    form = Form(prefix=language) if formdata else Form(formdata=None, prefix=language)
    if not formdata:
        for name in TRANSLATED_FIELDS[object_type]:
            row = rows.get((language, name))
            getattr(form, name).data = row.text if row else ""
            getattr(form, f"{name}_revision").data = concurrency.revision_of(row)
        form.checked.data = any(rows[k].checked for k in rows if k[0] == language)
    return form


def translations_page(case: Case, object_type: str, obj, endpoints: tuple[str, str], endpoint_args: dict,
                      back: str, saved_message: str, language: str | None = None):
    """GET (language None) shows every language's form; POST saves one language.

    `endpoints` are (the page, the save) with `endpoint_args` (the save also
    takes `language`); `back` is the page the caseworker came from.
    """
    page_endpoint, save_endpoint = endpoints
    fields = TRANSLATED_FIELDS[object_type]
    originals = [(label, getattr(obj, name)) for name, (label, _longest) in fields.items() if getattr(obj, name)]
    rows = rows_for(object_type, obj.id)
    forms = {code: _form(object_type, code, rows, formdata=False) for code in languages()}

    def render(status: int, conflict: str | None = None):
        db.session.commit()  # the case read was audited by load_case
        return render_template(
            "staff/translations.html", case=case, originals=originals, forms=forms, rows=rows,
            fields=list(fields), conflict=conflict, save_endpoint=save_endpoint, endpoint_args=endpoint_args, back=back,
        ), status

    if language is None:
        return render(200)
    if language not in languages():
        abort(404)
    form = forms[language] = _form(object_type, language, rows)
    if not form.validate_on_submit():
        return render(400)
    try:
        translation_ops.save_translation(
            db.session, case, object_type, obj, language, {name: getattr(form, name).data for name in fields},
            form.checked.data, {name: getattr(form, f"{name}_revision").data for name in fields}, by=current_user)
    except concurrency.Stale:
        pass
    else:
        db.session.commit()
        flash(saved_message, "info")
        return redirect(url_for(page_endpoint, **endpoint_args, _anchor=language))
    rows.clear()
    rows.update(rows_for(object_type, obj.id))
    for name in fields:
        concurrency.accept_current(getattr(form, f"{name}_revision"), rows.get((language, name)))
    flash(_("Someone else changed this translation in the meantime. Your text is kept below; "
            "compare it with the saved one and save again."), "error")
    return render(409, conflict=language)


# --- the case's translations: what is missing, files for the interpreter service ----------

def _describe(gap: translation_work.Gap | None) -> str:
    """What an entry is, for the interpreter (a comment in the file); None: the file's header."""
    if gap is None:
        return "\n".join(f"# {line}" for line in (
            _("Texts of the NeuStart family portal for the interpreter service."),
            _("Translate each German text (msgid) into the file's language (msgstr). Leave msgctxt unchanged."),
            _("An entry marked fuzzy has a translation that still needs checking."),
        ))
    label = TRANSLATED_FIELDS[gap.object_type][gap.field][0]
    if gap.object_type == "plan_item":
        what = str(KIND_LABELS[gap.obj.kind])
    elif gap.object_type == "appointment":
        what = _("%(kind)s on %(date)s", kind=APPOINTMENT_TYPE_LABELS[gap.obj.type],
                 date=format_date(gap.obj.starts_at, "medium"))
    else:
        what = _("Contact: %(name)s", name=gap.obj.name)
    return f"{what} – {label}"


def _edit_url(case: Case, gap_or_entry) -> str:
    kind, obj = gap_or_entry.object_type, gap_or_entry.obj
    if kind == "plan_item":
        return url_for("staff.translations", case_id=case.id, item_id=obj.id)
    if kind == "appointment":
        return url_for("staff.appointment_translations", case_id=case.id, appointment_id=obj.id)
    return url_for("staff.contact_translations", case_id=case.id, contact_id=obj.id)


def _render_case_translations(case: Case, status: int = 200, form: TranslationImportForm | None = None,
                              report: dict | None = None):
    plan = db.session.scalar(sa.select(Plan).where(Plan.case_id == case.id))
    gaps = translation_work.case_gaps(db.session, case, plan, current_user)
    readers = [m for m in case.members if translation_work.needs_translation(m) and m.active]
    db.session.commit()  # the audited read
    return render_template(
        "staff/case_translations.html", case=case, gaps=gaps, readers=readers, form=form or TranslationImportForm(
            formdata=None), report=report, describe=_describe, edit_url=lambda g: _edit_url(case, g),
    ), status


@bp.route("/cases/<int:case_id>/translations")
@staff_required()
def case_translations(case_id: int):
    """Every text the family reads untranslated, per language, and the interpreter files."""
    return _render_case_translations(load_case(case_id))


@bp.route("/cases/<int:case_id>/translations/<language>.po")
@staff_required()
def translation_export(case_id: int, language: str):
    """The missing and unchecked texts of one language as one PO file for the interpreter service."""
    case = load_case(case_id)
    if language not in languages():
        abort(404)
    plan = db.session.scalar(sa.select(Plan).where(Plan.case_id == case.id))
    gaps = translation_work.case_gaps(db.session, case, plan, current_user).get(language, [])
    data = translation_work.export_po(case, language, gaps, _describe)
    audit.record(db.session, audit.Action.translation_export, case_id=case.id, actor=current_user)
    db.session.commit()
    name = secure_filename(f"{case.reference}-{language}.po") or f"translations-{language}.po"
    return Response(data, mimetype="text/x-gettext-translation",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/cases/<int:case_id>/translations/import", methods=["POST"])
@staff_required()
def translation_import(case_id: int):
    """Read a returned file: all of it goes in, or none; a message for every entry that did not go in as checked."""
    case = load_case(case_id)
    form = TranslationImportForm()
    if not form.validate_on_submit():
        return _render_case_translations(case, 400, form=form)
    plan = db.session.scalar(sa.select(Plan).where(Plan.case_id == case.id))
    data = form.file.data.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        form.file.errors.append(_("The file is too large for a translation file of one case."))
        return _render_case_translations(case, 400, form=form)
    try:
        language, entries = translation_work.read_po_file(data, case, plan, db.session)
    except translation_work.ImportRefused as refused:
        form.file.errors.append(_import_refusal(refused))
        return _render_case_translations(case, 400, form=form)
    try:
        translation_ops.import_translations(db.session, case, language, entries, form.interpreter.data,
                                            form.checked_on.data, by=current_user)
    except concurrency.Stale:
        flash(_("Someone saved translations of this case at the same moment. Nothing was imported; "
                "please import the file again."), "error")
        return _render_case_translations(case, 409, form=form)
    report = {"language": language, "entries": entries,
              "checked": sum(1 for e in entries if e.outcome == translation_work.IMPORTED),
              "unchecked": sum(1 for e in entries if e.outcome in (translation_work.SOURCE_CHANGED,
                                                                   translation_work.UNCERTAIN)),
              "skipped": sum(1 for e in entries if e.outcome not in translation_work.WRITTEN)}
    return _render_case_translations(case, 200, report=report)  # commits the import with the page's read


MAX_IMPORT_BYTES = 2 * 1024 * 1024


def _import_refusal(refused: translation_work.ImportRefused) -> str:
    if refused.reason == translation_work.OTHER_CASE:
        return _("This file was exported for another case. Nothing was imported.")
    if refused.reason == translation_work.NO_LANGUAGE:
        return _("The file does not say which language it is in. Nothing was imported.")
    if refused.reason == translation_work.WRONG_LANGUAGE:
        return _("The file's language is not one the portal translates into. Nothing was imported.")
    if refused.reason == translation_work.EMPTY:
        return _("The file holds no texts. Nothing was imported.")
    if refused.line is not None:
        return _("The file is not a readable translation file (a PO file); the problem is in line %(line)d. "
                 "Nothing was imported.", line=refused.line + 1)
    return _("The file is not a readable translation file (a PO file). Nothing was imported.")
