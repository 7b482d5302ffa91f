"""API keys of the systems that use ``/api/v1``: issue (the key is shown once), list and
revoke. The keys themselves are in :mod:`booking.services.api.keys`."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ...db import db
from ...services.api import keys
from ...services.errors import FormErrors, NotFound
from ..messages import translate
from . import bp

NO_STORE = {"Cache-Control": "no-store"}

SCOPE_LABELS = {
    "citizens:read": _l("Læse borgere (CPR-nummer kun maskeret)"),
    "citizens:write": _l("Oprette borgere med deres første forløb"),
    "programmes:read": _l("Læse borgeres forløb"),
    "history:read": _l("Læse afholdte samtaler"),
    "history:write": _l("Registrere afholdte samtaler"),
    "obligations:read": _l("Læse samtaler, der skal holdes (frister)"),
    "slots:read": _l("Læse ledige tider"),
    "bookings:read": _l("Læse bookinger"),
    "bookings:write": _l("Booke og aflyse samtaler"),
}
MESSAGES = {
    "required": _l("Udfyld feltet."),
    "too_long": _l("Højst %(max)s tegn."),
    "name_taken": _l("Der er allerede en nøgle med det navn."),
    "unknown_scope": _l("Ukendt adgang: %(scopes)s."),
}


class ApiKeyForm(FlaskForm):
    name = StringField(_l("Systemets navn"), validators=[
        DataRequired(_l("Udfyld feltet.")), Length(max=keys.NAME_MAX)])
    scopes = SelectMultipleField(
        _l("Adgang"), choices=[SelectChoice(s, SCOPE_LABELS[s]) for s in keys.SCOPES],
        validators=[DataRequired(_l("Vælg mindst én adgang."))],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


class RevokeForm(FlaskForm):
    """Only the CSRF token."""


def _page(form: ApiKeyForm, issued: keys.IssuedKey | None = None) -> ResponseReturnValue:
    page = render_template("admin/api_keys.html", form=form, revoke=RevokeForm(),
                           clients=keys.clients(db.session), issued=issued,
                           scope_labels=SCOPE_LABELS)
    return page, 200, NO_STORE


@bp.route("/api-noegler", methods=["GET", "POST"])
def api_keys() -> ResponseReturnValue:
    form = ApiKeyForm()
    if form.validate_on_submit():
        try:
            issued = keys.issue(db.session, form.name.data or "", list(form.scopes.data or []),
                                staff_id=current_user.staff_id)
        except FormErrors as err:
            for name, problem in err.fields.items():
                field = getattr(form, name)
                field.errors = [*field.errors, translate(problem, MESSAGES)]
        else:
            flash(_("Nøglen til %(name)s er udstedt.", name=issued.client.name), "info")
            return _page(ApiKeyForm(formdata=None), issued)
    return _page(form)


@bp.post("/api-noegler/<int:client_id>/spaer")
def revoke_api_key(client_id: int) -> ResponseReturnValue:
    if RevokeForm().validate_on_submit():
        try:
            client = keys.revoke(db.session, client_id, staff_id=current_user.staff_id)
        except NotFound:
            flash(_("Nøglen findes ikke."), "error")
        else:
            flash(_("Nøglen til %(name)s er spærret.", name=client.name), "info")
    return redirect(url_for("admin.api_keys"))
