from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..bounds import InCalendar, id_range

WEEKDAYS = [
    SelectChoice(0, _l("Mandag")),
    SelectChoice(1, _l("Tirsdag")),
    SelectChoice(2, _l("Onsdag")),
    SelectChoice(3, _l("Torsdag")),
    SelectChoice(4, _l("Fredag")),
]


class ScheduleForm(FlaskForm):
    weekday = SelectField(_l("Ugedag"), choices=WEEKDAYS, coerce=int)
    capacity = IntegerField(
        _l("Pladser pr. møde"),
        validators=[
            InputRequired(_l("Skriv antal pladser.")),
            NumberRange(1, 30, _l("Pladser skal være mellem 1 og 30.")),
        ],
    )
    location = StringField(_l("Sted"), validators=[Optional(), Length(max=200)])
    valid_from = DateField(
        _l("Fra dato"), validators=[InputRequired(_l("Vælg en dato.")), InCalendar()]
    )


class GenerateForm(FlaskForm):
    weeks = IntegerField(
        _l("Antal uger frem"),
        default=12,
        validators=[
            InputRequired(_l("Skriv et antal uger.")),
            NumberRange(1, 52, _l("Antal uger skal være mellem 1 og 52.")),
        ],
    )


class ClosureForm(FlaskForm):
    start_date = DateField(
        _l("Første lukkedag"), validators=[InputRequired(_l("Vælg en dato.")), InCalendar()]
    )
    end_date = DateField(
        _l("Sidste lukkedag"), validators=[InputRequired(_l("Vælg en dato.")), InCalendar()]
    )
    reason = StringField(
        _l("Årsag"),
        validators=[DataRequired(_l("Skriv en årsag, fx sommerferie.")), Length(max=200)],
    )

    def validate_end_date(self, field: DateField) -> None:
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError(_l("Sidste lukkedag kan ikke ligge før den første."))


class ClosureImportForm(FlaskForm):
    file = FileField(_l("iCalendar-fil (.ics)"), validators=[FileRequired(_l("Vælg en fil."))])


class MoveForm(FlaskForm):
    """The meeting chosen for a case; the service checks that it is an upcoming one."""

    meeting_id = IntegerField(_l("Flyt til møde"), validators=[InputRequired(), id_range()])
