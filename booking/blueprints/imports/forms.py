"""The upload form: what kind of data, the file, and whether it is only a dry run."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length

from .messages import KIND_LABELS


class ImportForm(FlaskForm):
    kind = SelectField(_l("Dataart"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()],
                       validators=[DataRequired(_l("Vælg en dataart."))])
    file = FileField(_l("Fil (CSV eller XLSX)"), validators=[FileRequired(_l("Vælg en fil."))])
    dry_run = BooleanField(_l("Kun prøvekørsel (intet gemmes)"), default=True)


class ConfirmForm(FlaskForm):
    """Import the file a dry run has just checked (kept on the server meanwhile)."""

    token = HiddenField(validators=[DataRequired(), Length(min=16, max=64)])
