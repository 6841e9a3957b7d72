"""Translations of caseworker-written content, one form per language, for every kind
of object that has them: plan items (in the draft, published with the plan),
appointments and contacts (shown to the family at once).

The German text on the object stays the binding original; each translated field
is one `ContentTranslation` row, saved with the revision the form showed, so a
stale save is refused with the caseworker's text kept (as everywhere else).
"""
from __future__ import annotations

from functools import cache

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import Length, Optional

from flask_login import current_user

from portal import concurrency
from portal.db import db
from portal.models import Case
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
