from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class CprSearchForm(FlaskForm):
    """Posted, never a GET: a CPR number must not end up in URLs, history or access logs."""

    cpr = StringField(
        _l("CPR-nummer"),
        validators=[DataRequired(_l("Skriv et CPR-nummer.")), Length(max=20)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
