"""The caseworker's forms. Labels and messages are lazy so they follow the reader's language."""
from __future__ import annotations

from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.forms import FlaskForm, email_address, phone_number, within_plan_years
from portal.i18n import office_tz
from portal.labels import (
    APPOINTMENT_TYPE_LABELS,
    AUDIENCE_LABELS,
    CONTACT_TYPE_LABELS,
    KIND_LABELS,
    MEMBER_KIND_LABELS,
    OWNER_LABELS,
    PHASE_LABELS,
    PLACEMENT_LABELS,
    REENTRY_REASON_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
)
from portal.models import (
    AppointmentType,
    Audience,
    ContactType,
    ItemKind,
    ItemStatus,
    Owner,
)
from portal.staff.operations.appointments import AppointmentFields
from portal.staff.operations.contacts import TEXT_FIELDS, ContactFields
from portal.staff.operations.plan import ItemFields


def _choices(labels: dict) -> list[tuple[str, object]]:
    return [(key.value, label) for key, label in labels.items()]


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def check_chosen_people(audience, people) -> None:
    """A choice of people is never dropped silently: ticking people means an audience of
    exactly them, and an audience of chosen people needs someone chosen."""
    if audience.errors:  # no valid audience chosen: that message comes first
        return
    if audience.data == Audience.people.value:
        if not people.data:
            people.errors.append(_l("Please choose at least one person, or pick another audience."))
    elif people.data:
        audience.errors.append(_l(
            "You ticked people below, but “%(audience)s” is chosen. To share with the ticked people only, "
            "choose “%(people)s”; otherwise untick them.",
            audience=dict(audience.choices).get(audience.data, audience.data),
            people=AUDIENCE_LABELS[Audience.people]))


class PeopleRequired:
    """Forms with an audience and the people it may choose (`audience_fields` names the two)."""

    audience_fields = ("audience", "people")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        audience, people = (getattr(self, name) for name in self.audience_fields)
        before = len(audience.errors) + len(people.errors)
        check_chosen_people(audience, people)
        return valid and len(audience.errors) + len(people.errors) == before


class CaseForm(FlaskForm):
    title = StringField(_l("Name of the case"), validators=[DataRequired(), Length(max=120)],
                        description=_l("How the office calls it, e.g. “Familie Sommer”."))
    reference = StringField(_l("File reference"), validators=[DataRequired(), Length(max=40)])


class MemberForm(FlaskForm):
    display_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=80)])
    kind = SelectField(_l("Role in the family"), choices=_choices(MEMBER_KIND_LABELS))
    birth_year = IntegerField(_l("Year of birth"), validators=[Optional(), NumberRange(min=1900, max=2100)])
    language = SelectField(_l("Language"))


class MemberEditForm(FlaskForm):
    revision = HiddenField()
    kind = SelectField(_l("Role in the family"), choices=_choices(MEMBER_KIND_LABELS))
    language = SelectField(_l("Language"))


class PhaseForm(FlaskForm):
    revision = HiddenField()
    phase = SelectField(_l("New phase"), choices=_choices(PHASE_LABELS))


class AssignmentForm(FlaskForm):
    revision = HiddenField()
    primary = SelectField(_l("Caseworker"), coerce=str)
    deputy = SelectField(_l("Deputy"), coerce=str)
    note = TextAreaField(
        _l("Handover note"), validators=[Optional(), Length(max=4000)],
        description=_l("Needed when the caseworker changes: what the new caseworker should know first. "
                       "They read it on top of the case."))

    def validate_deputy(self, field):
        if field.data and field.data == self.primary.data:
            raise ValidationError(_l("The deputy must be another person than the caseworker."))


class CareForm(FlaskForm):
    """A child's or youth's care facts; contradictions are found by `facts.care_problems`."""

    revision = HiddenField()
    entered_care_on = DateField(_l("In care since"), validators=[Optional()])
    placement = SelectField(_l("Kind of placement"), coerce=str, default="",
                            choices=[("", _l("— not recorded —"))] + _choices(PLACEMENT_LABELS))
    daily_rate = DecimalField(_l("Daily rate of this placement (euros)"), places=2, validators=[Optional()],
                              description=_l("Leave empty to use the office's rate for the kind of placement."))
    returned_on = DateField(_l("Returned home on"), validators=[Optional()])
    aftercare_ended_on = DateField(_l("After-care ended on"), validators=[Optional()])
    reentered_on = DateField(_l("Came back into care on"), validators=[Optional()],
                             description=_l("Only if the child had to leave home again after the return."))
    reentry_reason = SelectField(_l("Why the child came back into care"), coerce=str, default="",
                                 choices=[("", _l("— none —"))] + _choices(REENTRY_REASON_LABELS))

    def facts(self):
        from portal.evaluation.facts import CareFacts
        from portal.models import Placement, ReentryReason

        return CareFacts(
            entered_care_on=self.entered_care_on.data, placement=Placement(self.placement.data) if self.placement.data else None,
            daily_rate=self.daily_rate.data, returned_on=self.returned_on.data,
            aftercare_ended_on=self.aftercare_ended_on.data, reentered_on=self.reentered_on.data,
            reentry_reason=ReentryReason(self.reentry_reason.data) if self.reentry_reason.data else None,
        )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        from portal.evaluation.facts import care_problems

        for name, message in care_problems(self.facts()):
            self[name].errors = [*self[name].errors, message]
        return not self.errors


class ItemForm(PeopleRequired, FlaskForm):
    revision = HiddenField()
    kind = SelectField(_l("Kind"), choices=_choices(KIND_LABELS))
    parent_id = SelectField(_l("Belongs to goal"), coerce=str, default="")
    text = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=2000)])
    simple_text = TextAreaField(_l("Simple text for children and easy-read"), validators=[Optional(), Length(max=1000)])
    pictogram = SelectField(_l("Picture for the simple text"), coerce=str, default="")
    owner = SelectField(_l("Who does it"), choices=_choices(OWNER_LABELS))
    due_on = DateField(_l("Due by"), validators=[Optional(), within_plan_years])
    status = SelectField(_l("Status"), choices=_choices(STATUS_LABELS))
    audience = SelectField(_l("Who in the family sees it"), choices=_choices(AUDIENCE_LABELS))
    people = CheckboxList(_l("Chosen people"), coerce=int)
    entrusted_by = SelectField(
        _l("Entrusted by"), coerce=str, default="",
        description=_l("Who told this in confidence. Others see it only with that person's recorded consent."),
    )

    def item_fields(self) -> ItemFields:
        return ItemFields(
            kind=ItemKind(self.kind.data), text=self.text.data, parent_id=_id(self.parent_id.data),
            simple_text=self.simple_text.data, pictogram=self.pictogram.data or None, owner=Owner(self.owner.data),
            due_on=self.due_on.data, status=ItemStatus(self.status.data), audience=Audience(self.audience.data),
            people=list(self.people.data or ()), entrusted_by=_id(self.entrusted_by.data),
        )


class StepForm(FlaskForm):
    """A step added directly under its goal; it is shared like the goal."""

    text = TextAreaField(_l("New step"), validators=[DataRequired(), Length(max=2000)])
    owner = SelectField(_l("Who does it"), choices=_choices(OWNER_LABELS))
    due_on = DateField(_l("Due by"), validators=[Optional()])


class RemoveForm(FlaskForm):
    revision = HiddenField()


class ConsentForm(FlaskForm):
    given_by = SelectField(_l("Who consents"), coerce=str)
    recipients = CheckboxList(_l("May be shown to"), coerce=int)

    def validate_recipients(self, field):
        if not field.data:
            raise ValidationError(_l("Please choose at least one person the consent covers."))


class PublishForm(PeopleRequired, FlaskForm):
    audience_fields = ("note_audience", "note_people")
    based_on = HiddenField(validators=[InputRequired()])
    note = TextAreaField(_l("Note to the family"),
                         validators=[DataRequired(_l("Please write a short note to the family: what is new in this version?")),
                                     Length(max=2000)],
                         description=_l("In plain words: what is new in this version."))
    note_audience = SelectField(_l("Who reads the note"), default=Audience.family.value,
                                choices=[c for c in _choices(AUDIENCE_LABELS) if c[0] != Audience.staff.value],
                                description=_l("Like an item: a note that speaks of something only some people see "
                                               "goes to those people only."))
    note_people = CheckboxList(_l("Chosen people"), coerce=int)


class AppointmentForm(PeopleRequired, FlaskForm):
    revision = HiddenField()
    type = SelectField(_l("Kind of appointment"), choices=_choices(APPOINTMENT_TYPE_LABELS))
    starts_at = DateTimeLocalField(_l("Starts"), format="%Y-%m-%dT%H:%M", validators=[InputRequired(), within_plan_years])
    ends_at = DateTimeLocalField(_l("Ends"), format="%Y-%m-%dT%H:%M", validators=[Optional(), within_plan_years])
    at_home = BooleanField(_l("At the family's home"),
                           description=_l("The family sees “at home”: no address and no map."))
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    bring = TextAreaField(_l("What to bring"), validators=[Optional(), Length(max=1000)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    audience = SelectField(_l("Who in the family sees it"), choices=_choices(AUDIENCE_LABELS))
    people = CheckboxList(_l("Chosen people"), coerce=int)

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must be after the start."))

    def appointment_fields(self) -> AppointmentFields:
        """Times are entered in the office's time zone and stored in UTC."""
        return AppointmentFields(
            type=AppointmentType(self.type.data), starts_at=to_utc(self.starts_at.data), ends_at=to_utc(self.ends_at.data),
            at_home=self.at_home.data, place=None if self.at_home.data else self.place.data,
            bring=self.bring.data, note=self.note.data, audience=Audience(self.audience.data),
            people=list(self.people.data or ()),
        )


class ContactForm(PeopleRequired, FlaskForm):
    revision = HiddenField()
    type = SelectField(_l("Kind of contact"), choices=_choices(CONTACT_TYPE_LABELS))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role_label = StringField(_l("What they do"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40), phone_number])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=200), email_address])
    opening_hours = StringField(_l("When to reach them"), validators=[Optional(), Length(max=200)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=1000)])
    audience = SelectField(_l("Who in the family sees it"), choices=_choices(AUDIENCE_LABELS))
    people = CheckboxList(_l("Chosen people"), coerce=int)

    def contact_fields(self) -> ContactFields:
        return ContactFields(type=ContactType(self.type.data), audience=Audience(self.audience.data),
                             people=list(self.people.data or ()),
                             **{name: getattr(self, name).data for name in TEXT_FIELDS})


class ReplyForm(FlaskForm):
    revision = HiddenField()
    reply = TextAreaField(_l("Reply"), validators=[DataRequired(), Length(max=4000)])
    readers = CheckboxList(_l("Also show question and reply to"), coerce=int,
                           description=_l("Only the person who asked sees it unless you choose others."))


class StaffCreateForm(FlaskForm):
    username = StringField(_l("Sign-in name"), validators=[DataRequired(), Length(min=3, max=80)])
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=_choices(ROLE_LABELS))
    team = SelectField(_l("Team"), coerce=str)
    password = PasswordField(_l("Initial password"), validators=[DataRequired()],
                             description=_l("At least 12 characters; the person changes it later."))


class StaffEditForm(FlaskForm):
    revision = HiddenField()
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=_choices(ROLE_LABELS))
    team = SelectField(_l("Team"), coerce=str)


def _id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def to_utc(local: datetime | None) -> datetime | None:
    """A time entered in the office's time zone, in UTC."""
    return local.replace(tzinfo=office_tz()).astimezone(UTC) if local else None


def to_local(value: datetime | None) -> datetime | None:
    """A stored UTC time as the form shows it: the office's time zone, without a zone."""
    return value.astimezone(office_tz()).replace(tzinfo=None) if value else None


def past_due(value: date | None) -> bool:
    return value is not None and value < date.today()


class TranslationImportForm(FlaskForm):
    file = FileField(_l("File from the interpreter service"),
                     validators=[FileRequired(_l("Please choose the file the interpreter service sent back."))],
                     description=_l("The .po file exported here, with the translations filled in."))
    interpreter = StringField(_l("Checked by (interpreter)"), validators=[DataRequired(), Length(max=120)])
    checked_on = DateField(_l("Checked on"), validators=[InputRequired()], default=date.today)
