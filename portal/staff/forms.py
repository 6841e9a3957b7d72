from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.labels import AUDIENCE_LABELS, KIND_LABELS, MEMBER_KIND_LABELS, OWNER_LABELS, STATUS_LABELS
from portal.models import Audience

def _choices(labels: dict) -> list[tuple[str, object]]:
    return [(key.value, label) for key, label in labels.items()]


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CaseForm(FlaskForm):
    title = StringField(_l("Name of the case"), validators=[DataRequired(), Length(max=120)],
                        description=_l("How the office calls it, e.g. “Familie Sommer”."))
    reference = StringField(_l("File reference"), validators=[DataRequired(), Length(max=40)])


class MemberForm(FlaskForm):
    display_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=80)])
    kind = SelectField(_l("Role in the family"), choices=_choices(MEMBER_KIND_LABELS))
    birth_year = IntegerField(_l("Year of birth"), validators=[Optional(), NumberRange(min=1900, max=2100)])
    language = SelectField(_l("Language"))


class ItemForm(FlaskForm):
    revision = HiddenField()
    kind = SelectField(_l("Kind"), choices=_choices(KIND_LABELS))
    parent_id = SelectField(_l("Belongs to goal"), coerce=str, validate_choice=True)
    text = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=2000)])
    simple_text = TextAreaField(_l("Simple text for children and easy-read"), validators=[Optional(), Length(max=1000)])
    owner = SelectField(_l("Who does it"), choices=_choices(OWNER_LABELS))
    due_on = DateField(_l("Due by"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=_choices(STATUS_LABELS))
    audience = SelectField(_l("Who in the family sees it"), choices=_choices(AUDIENCE_LABELS))
    people = CheckboxList(_l("Chosen people"), coerce=int)

    def validate_people(self, field):
        if self.audience.data == Audience.people.value and not field.data:
            raise ValidationError(_l("Please choose at least one person, or pick another audience."))


class PublishForm(FlaskForm):
    based_on = HiddenField(validators=[InputRequired()])
    note = TextAreaField(_l("Note to the family"),
                         validators=[DataRequired(_l("Please write a short note to the family: what is new in this version?")),
                                     Length(max=2000)],
                         description=_l("In plain words: what is new in this version."))


def past_due(value: date | None) -> bool:
    return value is not None and value < date.today()
