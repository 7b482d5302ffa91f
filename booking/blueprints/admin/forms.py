"""Forms of the administration room: a staff account, the confirmations of its actions and
the audit trail's filter (a GET form: no CSRF token, it changes nothing)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Field, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ...services.bounds import within
from ..bounds import database_id, outside_calendar

DANISH_DATE = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_day(raw: str) -> date | None:
    """A date typed the Danish way (17-11-2026, 17.11.2026, 17/11/2026) or as a date picker
    sends it (2026-11-17); None when it is no such date."""
    text = raw.strip()
    danish, iso = DANISH_DATE.fullmatch(text), ISO_DATE.fullmatch(text)
    try:
        if danish:
            return date(int(danish[3]), int(danish[2]), int(danish[1]))
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        return None
    return None


class DanishDateField(StringField):
    """A date in a text box, written dd-mm-åååå; shown back the same way."""

    data: Any

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.raw_data = valuelist
        raw = str(valuelist[0]) if valuelist else ""
        self.data = None
        if not raw.strip():
            return
        day = parse_day(raw)
        if day is None:
            raise ValueError(gettext("Skriv datoen som dd-mm-åååå, fx 17-11-2026."))
        if not within(day):
            raise ValueError(outside_calendar(raw))
        self.data = day

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return self.data.strftime("%d-%m-%Y") if isinstance(self.data, date) else ""


class UserForm(FlaskForm):
    username = StringField(
        _l("Brugernavn"),
        validators=[DataRequired(_l("Skriv et brugernavn.")), Length(max=64)],
        render_kw={"autocomplete": "off"},
    )
    full_name = StringField(
        _l("Fulde navn"),
        validators=[DataRequired(_l("Skriv brugerens navn.")), Length(max=120)],
        render_kw={"autocomplete": "off"},
    )
    email = EmailField(
        _l("E-mail (valgfri)"), validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "off"},
    )
    role = SelectField(_l("Rolle"), validators=[DataRequired(_l("Vælg en rolle."))])
    unit = SelectField(_l("Enhed"), validate_choice=False)
    initials = StringField(
        _l("Initialer (sagsbehandlere; tom: dannes af navnet)"),
        validators=[Optional(), Length(max=8)],
    )

    def validate_unit(self, field: Field) -> None:
        if not field.data:
            return
        try:
            database_id(str(field.data))
        except ValueError:
            raise ValidationError(gettext("Vælg en enhed på listen.")) from None


class EditUserForm(UserForm):
    """The same fields; the user name does not change after creation."""

    username = None


class ConfirmForm(FlaskForm):
    """A button that changes something: the CSRF token is all it carries."""


class TrailFilterForm(FlaskForm):
    class Meta:
        csrf = False

    staff = SelectField(_l("Medarbejder"), validate_choice=False)
    citizen = StringField(
        _l("Borger (id eller navn)"), validators=[Optional(), Length(max=120)],
        render_kw={"autocomplete": "off"},
    )
    action = SelectField(_l("Handling"), validate_choice=False)
    first = DanishDateField(_l("Fra dato (dd-mm-åååå)"), render_kw={"autocomplete": "off"})
    last = DanishDateField(_l("Til dato (dd-mm-åååå)"), render_kw={"autocomplete": "off"})

    def validate_last(self, field: Field) -> None:
        if self.first.data and field.data and field.data < self.first.data:
            raise ValidationError(gettext("Til-datoen ligger før fra-datoen."))
