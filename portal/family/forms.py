"""Forms of the family's pages; every limit comes with a message in plain words."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.forms import FlaskForm

QUESTION_MAX = 1000
REASON_MAX = 500
COMMENT_MAX = 1000


class QuestionForm(FlaskForm):
    text = TextAreaField(
        _l("Your question"),
        description=_l("Your caseworker reads it and answers here."),
        validators=[
            DataRequired(message=_l("Please write your question.")),
            Length(max=QUESTION_MAX, message=_l("Please keep your question to at most %(max)d characters.")),
        ],
    )


class AppointmentAnswerForm(FlaskForm):
    # i18n: the two one-tap answers to an appointment
    coming = RadioField(
        _l("Your answer"), choices=[("yes", _l("I will come")), ("no", _l("I cannot come"))],
        validators=[DataRequired(message=_l("Please choose whether you will come."))],
    )
    reason = TextAreaField(
        _l("If you cannot come: why? (optional)"),
        validators=[Length(max=REASON_MAX, message=_l("Please keep the reason to at most %(max)d characters."))],
    )


class VersionResponseForm(FlaskForm):
    agrees = RadioField(
        _l("Your answer"), choices=[("yes", _l("I agree")), ("no", _l("I do not agree"))],
        validators=[DataRequired(message=_l("Please choose whether you agree."))],
    )
    comment = TextAreaField(
        _l("Comment (optional)"),
        validators=[Length(max=COMMENT_MAX, message=_l("Please keep your comment to at most %(max)d characters."))],
    )


class SettingsForm(FlaskForm):
    language = SelectField(_l("Language"))
    easy_read = BooleanField(_l("Easy read: short sentences and pictures"))
