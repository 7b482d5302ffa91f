"""The citizen's forms: filters (GET), choosing a time, cancelling (CSRF on the POSTs)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp

CHANNEL_LABELS = {
    "in_person": _l("Personligt fremmøde"),
    "phone": _l("Telefon"),
    "video": _l("Video"),
}


class FilterForm(FlaskForm):
    """Narrow the free times by channel and week (GET, no state change, no CSRF)."""

    class Meta:
        csrf = False

    kanal = RadioField(_l("Fremmødeform"), choices=[SelectChoice("", _l("Alle"))], default="")
    uge = SelectField(_l("Uge"), choices=[SelectChoice("", _l("Alle uger"))], default="")
    vis = SubmitField(_l("Vis tider"))


class ChooseSlotForm(FlaskForm):
    """Pick one free time. ``request_key`` is new for each page shown: a second submit of the
    same page (double click, refresh, back) returns the booking already made."""

    slot = StringField(
        _l("Ledige tider"),
        validators=[
            InputRequired(_l("Vælg en tid.")),
            Regexp(r"^\d{1,9}$", message=_l("Vælg en af de viste tider.")),
        ],
    )
    request_key = HiddenField(validators=[Optional(), Length(max=64)])
    submit = SubmitField(_l("Book den valgte tid"))


class CancelForm(FlaskForm):
    submit = SubmitField(_l("Ja, aflys samtalen"))
