"""The what-if form: changes to the live state, per unit and for the rehabilitation team."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange


class WholeNumber(IntegerField):
    """An integer field whose refusal of text that is no whole number reads in Danish."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        try:
            self.data = int(str(valuelist[0]).strip())
        except ValueError:
            self.data = None  # type: ignore[assignment]  # WTForms: no value read
            raise ValueError(_l("Skriv et helt tal.")) from None


def _required() -> InputRequired:
    return InputRequired(_l("Skriv et helt tal."))


class UnitChangeForm(Form):
    """One unit's changes (a sub-form: the CSRF token is the outer form's)."""

    code = HiddenField(validators=[DataRequired(), Length(max=32)])
    caseworkers = WholeNumber(
        _l("Sagsbehandlere (+/−)"),
        default=0,
        validators=[
            _required(),
            NumberRange(-50, 50, _l("Ændringen i sagsbehandlere skal være mellem −50 og 50.")),
        ],
    )
    hours_percent = WholeNumber(
        _l("Ugentlig tid pr. sagsbehandler (%)"),
        default=100,
        validators=[
            _required(),
            NumberRange(
                10, 300, _l("Ugentlig tid skal være mellem %(min)s og %(max)s %% af i dag.")
            ),
        ],
    )
    group_callins = WholeNumber(
        _l("Fælles indkald pr. uge"),
        default=0,
        validators=[
            _required(),
            NumberRange(0, 5, _l("Fælles indkald pr. uge skal være mellem 0 og 5.")),
        ],
    )


class WhatIfForm(FlaskForm):
    name = StringField(
        _l("Navn"),
        validators=[
            DataRequired(_l("Giv beregningen et navn.")),
            Length(max=120, message=_l("Navnet må højst have 120 tegn.")),
        ],
    )
    units = FieldList(FormField(UnitChangeForm), min_entries=0, max_entries=50)
    rehab_meetings = WholeNumber(
        _l("Møder i rehabiliteringsteamet pr. uge"),
        validators=[
            _required(),
            NumberRange(0, 5, _l("Møder pr. uge skal være mellem 0 og 5.")),
        ],
    )
    rehab_capacity = WholeNumber(
        _l("Pladser pr. møde"),
        validators=[
            _required(),
            NumberRange(1, 30, _l("Pladser pr. møde skal være mellem 1 og 30.")),
        ],
    )
