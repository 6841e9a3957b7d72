"""The check-in page: "How are things at home?" (issue 15), its forms and its builder.

A child answers with a face (and may say they want to tell their caseworker
something, with a picture); parents and youths answer the scaling questions with an
optional sentence. The page also shows the member's own earlier answers as a small
chart with a table. Everything comes from the member's viewer: whether they are asked
(`viewer.checks_in()`, `checkin_due()`), whether they may answer (`may_check_in()`,
never in a preview) and their own answers (`viewer.own_checkins()`, nobody else's).
Works without JavaScript; one page, one button.
"""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext, pgettext
from wtforms import RadioField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from portal import checkin_charts, checkins
from portal.access import family_required
from portal.db import db
from portal.family import bp, current_viewer
from portal.family.pages import render_family_page
from portal.forms import FlaskForm
from portal.i18n import current_language, text_direction
from portal.sharing import Viewer


def _number(value):
    """A choice as a number; anything else (text, nothing) as None, which the checks refuse."""
    if isinstance(value, int) or value is None:
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _scale_field(question: str) -> RadioField:
    return RadioField(
        checkins.QUESTIONS[question], coerce=_number, validate_choice=False,
        choices=[(n, str(n)) for n in checkins.SCALE],
        validators=[DataRequired(message=_l("Please choose a number from 1 to 10.")),
                    AnyOf(checkins.SCALE, message=_l("Please choose a number from 1 to 10."))],
    )


class ScaleForm(FlaskForm):
    """Parents: all three questions; youths: the first two (`for_member` removes the third)."""

    home = _scale_field("home")
    together = _scale_field("together")
    help = _scale_field("help")
    sentence = TextAreaField(
        _l("Anything you want to add? (optional)"),
        description=_l("One sentence for your caseworker."),
        validators=[Length(max=checkins.SENTENCE_MAX,
                           message=_l("Please keep it to at most %(max)d characters."))],
    )


class FaceForm(FlaskForm):
    face = RadioField(
        checkins.CHILD_QUESTION, coerce=_number, validate_choice=False,
        choices=[(n, label) for n, label in checkins.FACE_LABELS.items()],
        validators=[DataRequired(message=lazy_pgettext("child", "Please tap a face.")),
                    AnyOf(checkins.FACES, message=lazy_pgettext("child", "Please tap a face."))],
    )
    topic = RadioField(
        lazy_pgettext("child", "I want to tell my caseworker something about:"), validate_choice=False,
        choices=[("", lazy_pgettext("child", "Nothing right now"))]
        + [(key, label) for key, (_picto, label) in checkins.TOPICS.items()],
        default="",
        validators=[AnyOf(("", *checkins.TOPICS), message=lazy_pgettext("child", "Please tap one of the pictures."))],
    )


def form_for(viewer: Viewer, submitted: bool = False) -> ScaleForm | FaceForm:
    """The member's form: the submitted one reads the request, a fresh one shows nothing chosen."""
    kind = FaceForm if viewer.child else ScaleForm
    form = kind() if submitted else kind(formdata=None)
    if viewer.child:
        return form
    for name in ("home", "together", "help"):
        if name not in checkins.questions_for(viewer.member.kind):
            delattr(form, name)
    return form


def answer_of(form: ScaleForm | FaceForm) -> checkins.Answer:
    if isinstance(form, FaceForm):
        return checkins.Answer(face=form.face.data, topic=form.topic.data or None)
    return checkins.Answer(**{name: form[name].data for name in ("home", "together", "help") if name in form},
                           sentence=form.sentence.data or "")


# --- the builder -------------------------------------------------------------------

def checkin_page(viewer: Viewer, form: ScaleForm | FaceForm | None = None) -> dict:
    """What the check-in page shows this member (or a caseworker's read-only preview of them)."""
    answers = viewer.own_checkins()
    rtl = text_direction(current_language()) == "rtl"
    label = (pgettext("child", "Your faces over the weeks. The table below shows them too.") if viewer.child
             else _("Your answers over the weeks, from 1 to 10. The table below shows the numbers."))
    return {
        "status": viewer.checkin_status(),
        "form": form if form is not None else (form_for(viewer) if viewer.may_check_in() else None),
        "questions": {name: checkins.QUESTIONS[name] for name in checkins.questions_for(viewer.member.kind)},
        "columns": checkins.COLUMNS,
        "scale": checkins.SCALE,
        "faces": checkins.FACE_LABELS,
        "topics": checkins.TOPICS,
        "answers": list(reversed(answers)),
        "chart": checkin_charts.member_chart(answers, label, rtl),
        "legend": checkin_charts.legend(answers),
        "kept_sentence": None,
    }


# --- the route -----------------------------------------------------------------------

@bp.route("/checkin", methods=["GET", "POST"])
@family_required
def checkin():
    """Show the check-in (GET) or save an answer (POST); errors and refusals keep what was entered."""
    viewer = current_viewer()
    if request.method != "POST":
        return render_family_page("family/checkin.html", viewer, **checkin_page(viewer))
    form = form_for(viewer, submitted=True)
    if not viewer.may_check_in():
        # Switched off in the meantime: say so, and give back what was written.
        flash(pgettext("child", "Your caseworker has switched the faces off for now, so your answer was not "
                                "sent.") if viewer.child else
              _("Your caseworker has switched check-ins off for you, so your answer was not sent. What you "
                "wrote is shown below."), "error")
        context = checkin_page(viewer)
        context["kept_sentence"] = getattr(form, "sentence", None) and form.sentence.data
        return render_family_page("family/checkin.html", viewer, **context), 400
    if not form.validate_on_submit():
        return render_family_page("family/checkin.html", viewer, **checkin_page(viewer, form)), 400
    _saved, replaced = checkins.answer(viewer, answer_of(form))
    db.session.commit()
    if viewer.child:
        flash(pgettext("child", "Thank you! Your caseworker sees your answer."), "info")
    elif replaced is not None:
        flash(_("Thank you. You had already answered this time: your new answer replaces the earlier one "
                "(your caseworker sees both)."), "info")
    else:
        flash(_("Thank you. Only your caseworker sees your answer."), "info")
    return redirect(url_for("family.checkin", _anchor="answers"))
