"""What every form of the portal shares: the base class, and the fields whose rules
come from libraries made for them (e-mail addresses, phone numbers, dates).

`FlaskForm` here is the only form base: text a person typed is cleaned of control
characters before it is validated. PostgreSQL cannot store NUL in text, a sign-in
name with NUL would otherwise reach a query, and none of them belongs in anything
a person writes (tab and line breaks stay).
"""
from __future__ import annotations

import re
from datetime import date, datetime

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm as _FlaskForm
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.validators import ValidationError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Dates a person can mean in a return plan: anything outside is a typo (year 0001,
# 9999) and would overflow when moved between time zones or into a calendar file.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
PHONE_REGION = "DE"  # numbers written without a country code are German


def without_control_characters(value):
    return _CONTROL.sub("", value) if isinstance(value, str) else value


class FlaskForm(_FlaskForm):
    """Every form: text input (not passwords) is cleaned of control characters before validation,
    and hidden fields render without an `id`: pages hold several forms (the case page, the
    account page), and `hidden_tag()` would give each form's token the same `id="csrf_token"`,
    which is invalid HTML and confuses assistive technology. Nothing refers to them by id."""

    class Meta:
        def render_field(self, field, render_kw):
            if field.type in ("HiddenField", "CSRFTokenField"):
                render_kw = {**render_kw, "id": False}
            return super().render_field(field, render_kw)

        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, (StringField, TextAreaField)) and not issubclass(field_class, PasswordField):
                filters = tuple(unbound_field.kwargs.get("filters", ())) + (without_control_characters,)
                options = {**options, "filters": filters}
            return unbound_field.bind(form=form, **options)


def within_plan_years(_form, field) -> None:
    """A date or time between 2000 and 2099 (or none)."""
    value = field.data
    if isinstance(value, datetime):
        value = value.date()
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ValidationError(_l("Please enter a date between %(first)s and %(last)s.",
                                 first=EARLIEST.year, last=LATEST.year))


def email_address(_form, field) -> None:
    """An address a mail program can write to, and nothing else: no `?bcc=`, no second
    address, no display name (email-validator's syntax check; no network). The
    normalized form (domain in lower case and IDNA) is what gets stored."""
    if not field.data:
        return
    try:
        field.data = validate_email(field.data.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValidationError(_l("Please enter one e-mail address, like name@example.org.")) from None


def phone_number(_form, field) -> None:
    """A number that can be dialled, as phonenumbers (Google's libphonenumber data) knows
    them: a full number, or a German short number such as 116 117; without a country
    code it is read as German. It is kept as typed (the writer's grouping reads best);
    letters (vanity numbers) are refused, so that the `tel:` link dials what it shows."""
    if not field.data:
        return
    field.data = " ".join(field.data.split())
    if not dialable(field.data):
        raise ValidationError(_l("Please enter a phone number, like 0551 123456 or +49 551 123456."))


def dialable(text: str) -> bool:
    """A full number or a German short number, in digits (see `phone_number`)."""
    try:
        number = phonenumbers.parse(text, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return False
    return not any(c.isalpha() for c in text) and (
        phonenumbers.is_valid_number(number) or phonenumbers.is_valid_short_number_for_region(number, PHONE_REGION))
