from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from portal.auth import throttle
from portal.forms import FlaskForm
from portal.passwords import FAMILY_MINIMUM, STAFF_MINIMUM, PasswordChangeRefused, change_password


class SignInForm(FlaskForm):
    username = StringField(_l("Sign-in name"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class CodeForm(FlaskForm):
    """The second factor: six digits from the app, or a recovery code."""

    code = StringField(
        _l("Code"),
        description=_l("The 6 digits your authenticator app shows now, or one of your recovery codes."),
        validators=[DataRequired(message=_l("Please enter the code.")), Length(max=40)],
    )


NEW_PASSWORD_HINTS = {
    FAMILY_MINIMUM: _l("At least 8 characters. A few words in a row are easy to remember and hard to guess."),
    STAFF_MINIMUM: _l("At least 12 characters. A few words in a row are easy to remember and hard to guess."),
}


class PasswordChangeForm(FlaskForm):
    """Changing one's own password; staff and families alike (the hint names their minimum)."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(message=_l("Please enter your current password.")),
                                            Length(max=256)])
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(message=_l("Please choose a new password.")), Length(max=256)],
    )
    new_password_again = PasswordField(
        _l("New password again"),
        validators=[EqualTo("new_password", message=_l("The two passwords are not the same."))],
    )

    def __init__(self, minimum: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.minimum = minimum
        self.new_password.description = NEW_PASSWORD_HINTS[minimum]

    def save(self, session, principal) -> bool:
        """Change `principal`'s password (the caller commits); on refusal the reasons go
        onto the fields, and a wrong current password counts as a failed attempt."""
        try:
            change_password(session, principal, self.current_password.data, self.new_password.data, self.minimum)
        except PasswordChangeRefused as refused:
            if "current_password" in refused.problems:
                throttle.failed()
            for name, message in refused.problems.items():
                self[name].errors.append(message)
            return False
        return True


class StartForm(FlaskForm):
    """Redeem an invitation: the code from the letter, then the new account."""

    code = StringField(
        _l("Code from your letter"),
        validators=[DataRequired(message=_l("Please enter the code from your letter.")), Length(max=80)],
    )
    username = StringField(
        _l("Choose a sign-in name"),
        description=_l("3 to 40 characters: small Latin letters a–z, digits, dot, dash or underscore; start with a letter or digit."),
        validators=[DataRequired(message=_l("Please choose a sign-in name.")), Length(max=80)],
    )
    password = PasswordField(
        _l("Choose a password"),
        description=_l("At least 8 characters. A few words in a row are easy to remember and hard to guess."),
        validators=[DataRequired(message=_l("Please choose a password.")), Length(max=256)],
    )
    password_again = PasswordField(
        _l("Password again"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
    )


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"))
    next = HiddenField()


class EmptyForm(FlaskForm):
    """A one-button form for a CSRF-protected POST action."""
