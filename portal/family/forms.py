"""Forms of the family's pages; every limit comes with a message in plain words."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.forms import FlaskForm, email_address

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
    # The appointment's revision on the member's page: a moved appointment is answered anew.
    revision = HiddenField()
    # i18n: the two one-tap answers to an appointment
    coming = RadioField(
        _l("Your answer"), choices=[("yes", _l("I will come")), ("no", _l("I cannot come"))],
        validators=[DataRequired(message=_l("Please choose whether you will come."))],
    )
    interpreter = BooleanField(_l("I need an interpreter at this appointment"))
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
    """The language is chosen with the language control at the top of every page."""

    easy_read = BooleanField(_l("Easy read: short sentences and pictures"))
    calendar_reminders = BooleanField(_l("A reminder in my calendar the day before each appointment"))
    calendar_details = BooleanField(
        _l("Show the place and the kind of appointment in my calendar"),
        description=_l("Calendar apps often copy entries to other services (Google, Apple, Microsoft), and "
                       "anyone who sees your calendar reads them, for example \"family court\" and its address. "
                       "Leave this off and the entries only say \"Appointment\" with the time."),
    )


class NotificationEmailForm(FlaskForm):
    """The address for notifications; empty removes it (checked like every e-mail field: `portal.forms`)."""

    email = StringField(
        _l("E-mail address for notifications"),
        description=_l("Leave it empty to get no e-mails."),
        validators=[Optional(), Length(max=254, message=_l("Please keep the address to at most %(max)d characters.")),
                    email_address],
    )


class NotificationTopicsForm(FlaskForm):
    plan = BooleanField()
    appointments = BooleanField()
    replies = BooleanField()
    reminders = BooleanField()
    checkins = BooleanField()
