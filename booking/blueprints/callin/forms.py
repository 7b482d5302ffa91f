"""Forms of the call-in room (CSRF through Flask-WTF)."""

from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from ...models import CallOutcome
from ..bounds import MAX_ID, InCalendar, database_id


class PlanForm(FlaskForm):
    day = DateField(_l("Dato"), validators=[InputRequired(_l("Vælg en dato.")), InCalendar()])
    start = TimeField(
        _l("Fra kl."), default=time(9), validators=[InputRequired(_l("Skriv et starttidspunkt."))]
    )
    end = TimeField(
        _l("Til kl."), default=time(12), validators=[InputRequired(_l("Skriv et sluttidspunkt."))]
    )
    location = StringField(
        _l("Sted"),
        default="Jobcentret, mødelokale 1",
        validators=[DataRequired(_l("Skriv hvor indkaldet foregår.")), Length(max=200)],
    )
    minutes = IntegerField(
        _l("Minutter pr. samtale"),
        default=30,
        validators=[
            InputRequired(_l("Skriv antal minutter pr. samtale.")),
            NumberRange(5, 240, _l("Minutter pr. samtale skal være mellem 5 og 240.")),
        ],
    )
    unit = SelectField(_l("Borgere fra enhed"), coerce=int, default=0)
    pool = SelectMultipleField(
        _l("Sagsbehandlere i puljen"), coerce=database_id, validate_choice=False
    )
    risk = IntegerField(
        _l("Højst risiko for flere fremmødte end puljen kan nå (%)"),
        validators=[
            InputRequired(_l("Skriv en risiko i procent.")),
            NumberRange(1, 50, _l("Risikoen skal være mellem %(min)s og %(max)s %%.")),
        ],
    )


class InviteForm(FlaskForm):
    count = IntegerField(
        _l("Antal at indkalde"),
        validators=[InputRequired(_l("Skriv et antal.")), NumberRange(min=1, max=MAX_ID)],
    )


OUTCOME_CHOICES = [
    SelectChoice(CallOutcome.reached.value, _l("Truffet")),
    SelectChoice(CallOutcome.not_reached.value, _l("Ikke truffet (indkaldes igen)")),
    SelectChoice(CallOutcome.new_time.value, _l("Ny tid aftalt")),
]


class CallForm(FlaskForm):
    outcome = RadioField(
        _l("Resultat af opkaldet"),
        choices=OUTCOME_CHOICES,
        validators=[InputRequired(_l("Vælg resultatet af opkaldet."))],
    )
    # the choices are the page's; the service checks the session chosen (open, with notice)
    target = SelectField(
        _l("Aftalt fælles indkald"), coerce=int, validators=[Optional()], validate_choice=False
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class CentralBookForm(FlaskForm):
    """Staff pick a time for a citizen. ``request_key`` is new for each page shown: a second
    submit of the same page returns the booking already made. ``efter_frist`` confirms a time
    after the statutory deadline."""

    slot = StringField(
        _l("Ledige tider"),
        validators=[
            InputRequired(_l("Vælg en tid.")),
            Regexp(r"^\d{1,9}$", message=_l("Vælg en af de viste tider.")),
        ],
    )
    request_key = HiddenField(validators=[Optional(), Length(max=64)])
    efter_frist = BooleanField(
        _l("Jeg ved, at tiden ligger efter lovens frist, og vil booke den alligevel.")
    )
