"""Forms of the caseworker's time pages: the weekly template (a list of blocks), an absence,
an absence import and the feed's new address."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TimeField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ...services.staff_time.week_plan import (
    DEFAULT_WEEKS,
    LOCATION_MAX,
    MAX_MINUTES,
    MAX_ROWS,
    MAX_WEEKS,
    MIN_MINUTES,
)
from ..bounds import InCalendar

WEEKDAY_NAMES = [
    _l("Mandag"), _l("Tirsdag"), _l("Onsdag"), _l("Torsdag"), _l("Fredag"), _l("Lørdag"),
    _l("Søndag"),
]
CHANNEL_CHOICES = [
    SelectChoice("in_person", _l("Personligt fremmøde")),
    SelectChoice("phone", _l("Telefonisk")),
    SelectChoice("video", _l("Video")),
]


class BlockForm(Form):
    """One weekly block; a block without a weekday is empty and ignored."""

    weekday = SelectField(
        _l("Ugedag"),
        choices=[SelectChoice("", _l("Ingen (tom blok)"))]
        + [SelectChoice(str(i), n) for i, n in enumerate(WEEKDAY_NAMES)],
        validators=[Optional()],
    )
    start = TimeField(_l("Fra kl."), validators=[Optional()])
    end = TimeField(_l("Til kl."), validators=[Optional()])
    minutes = IntegerField(
        _l("Minutter pr. samtale"),
        validators=[
            Optional(),
            NumberRange(MIN_MINUTES, MAX_MINUTES,
                        _l("Skriv et antal minutter mellem 5 og 480.")),
        ],
    )
    channel = SelectField(_l("Fremmødeform"), choices=CHANNEL_CHOICES)
    location = StringField(_l("Sted"), validators=[Optional(), Length(max=LOCATION_MAX)])
    self_bookable = BooleanField(_l("Borgeren kan selv booke"), default=True)
    remove = BooleanField(_l("Fjern blokken"))


class TemplateForm(FlaskForm):
    blocks = FieldList(FormField(BlockForm), min_entries=1, max_entries=MAX_ROWS + 1)
    weeks = IntegerField(
        _l("Vis uger frem"),
        default=DEFAULT_WEEKS,
        validators=[
            InputRequired(_l("Skriv et antal uger.")),
            NumberRange(1, MAX_WEEKS, _l("Antal uger skal være mellem 1 og 12.")),
        ],
    )
    preview = SubmitField(_l("Vis forslag"))
    save = SubmitField(_l("Gem og udgiv tiderne"))


class AbsenceForm(FlaskForm):
    first_day = DateField(
        _l("Fra dato"), validators=[InputRequired(_l("Vælg en dato.")), InCalendar()]
    )
    first_time = TimeField(_l("Fra kl. (tom: hele dagen)"), validators=[Optional()])
    last_day = DateField(
        _l("Til og med dato"), validators=[InputRequired(_l("Vælg en dato.")), InCalendar()]
    )
    last_time = TimeField(_l("Til kl. (tom: hele dagen)"), validators=[Optional()])
    reason = StringField(_l("Årsag (fx ferie eller kursus)"),
                         validators=[Optional(), Length(max=200)])


class AbsenceImportForm(FlaskForm):
    file = FileField(_l("iCalendar-fil (.ics)"), validators=[FileRequired(_l("Vælg en fil."))])


class ButtonForm(FlaskForm):
    """A button (CSRF checked)."""
