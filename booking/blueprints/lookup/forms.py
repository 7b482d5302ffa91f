"""Forms of the citizen look-up room: the CPR search and the citizen page's actions."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..bounds import InCalendar

MAX_ID = 2**31 - 1


class CprSearchForm(FlaskForm):
    """Posted, never a GET: a CPR number must not end up in URLs, history or access logs."""

    cpr = StringField(
        _l("CPR-nummer"),
        validators=[DataRequired(_l("Skriv et CPR-nummer.")), Length(max=20)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )


class ChangeGroupForm(FlaskForm):
    """A new target group from a date (the running programme ends the day before)."""

    group = SelectField(_l("Ny målgruppe"), validators=[DataRequired(_l("Vælg en målgruppe."))])
    start = DateField(_l("Fra dato"), validators=[InputRequired(_l("Vælg en dato.")), InCalendar()])


class PauseForm(FlaskForm):
    programme = IntegerField(validators=[InputRequired(), NumberRange(1, MAX_ID)])
    start = DateField(
        _l("Pause fra"), validators=[InputRequired(_l("Vælg en dato.")), InCalendar()]
    )
    end = DateField(_l("Pause til (tom: løber stadig)"), validators=[Optional(), InCalendar()])
    reason = StringField(
        _l("Årsag"),
        validators=[DataRequired(_l("Skriv en årsag, fx arbejde.")), Length(max=200)],
    )


class EndPauseForm(FlaskForm):
    end = DateField(
        _l("Sidste pausedag"), validators=[InputRequired(_l("Vælg en dato.")), InCalendar()]
    )


class ExemptForm(FlaskForm):
    obligation = IntegerField(validators=[InputRequired(), NumberRange(1, MAX_ID)])
    reason = TextAreaField(
        _l("Konkret vurdering"),
        validators=[DataRequired(_l("Skriv den konkrete vurdering.")), Length(max=500)],
    )


class RevokeForm(FlaskForm):
    reason = StringField(
        _l("Årsag til tilbagekaldelse"),
        validators=[DataRequired(_l("Skriv en årsag.")), Length(max=500)],
    )


class PurposeForm(FlaskForm):
    """Why a citizen of another unit is opened (written to the audit trail)."""

    purpose = TextAreaField(
        _l("Formål"),
        validators=[DataRequired(_l("Skriv formålet."))],  # its length: services.access_scope
    )
