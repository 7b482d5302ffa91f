"""The page a one-time password link opens: a staff member chooses a new password. Posting is
rate-limited like the log-in (per client address, and per link), so a link cannot be guessed
or a password tried out in bulk; the link works once."""

from __future__ import annotations

import hashlib

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField
from wtforms.validators import DataRequired, Length, ValidationError

from ...db import db
from ...extensions import client_address, limiter, settings
from ...services import admin_users
from ...services.admin_users import PASSWORD_MAX, AdminError, ResetLinkError
from ..admin.messages import message
from . import bp

NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


class ResetForm(FlaskForm):
    password = PasswordField(
        _l("Ny adgangskode"),
        validators=[DataRequired(_l("Skriv en adgangskode.")), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "new-password"},
    )
    repeat = PasswordField(
        _l("Gentag adgangskoden"),
        validators=[DataRequired(_l("Skriv adgangskoden igen."))],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_repeat(self, field: Field) -> None:
        if field.data != self.password.data:
            raise ValidationError(_("De to adgangskoder er ikke ens."))


def _limit() -> str:
    return settings().security.login_rate_limit


def _address_limit() -> str:
    return settings().security.login_rate_limit_per_address


def _token_key() -> str:
    token = str(request.view_args.get("token", "")) if request.view_args else ""
    return "reset-link/" + hashlib.sha256(token.encode()).hexdigest()[:32]


@bp.route("/adgangskode/<token>", methods=["GET", "POST"])
@limiter.limit(_limit, key_func=_token_key, methods=["POST"])
@limiter.limit(_address_limit, key_func=client_address, methods=["POST"])
def reset_password(token: str) -> ResponseReturnValue:
    cfg = settings()
    secret, hours = cfg.app.secret_key, cfg.security.reset_link_hours
    try:
        target = admin_users.check_password_link(db.session, secret, token, hours)
    except ResetLinkError as err:
        page = render_template("auth/reset.html", problem=message(err), form=None, target=None)
        return page, 403, NO_STORE
    form = ResetForm()
    if form.validate_on_submit():
        try:
            admin_users.use_password_link(
                db.session, current_app.extensions["passwords"], secret, token, hours,
                form.password.data or "",
            )
        except ResetLinkError as err:
            page = render_template("auth/reset.html", problem=message(err), form=None,
                                   target=None)
            return page, 403, NO_STORE
        except AdminError as err:
            form.password.errors = [*form.password.errors, message(err)]
        else:
            flash(_("Din nye adgangskode er gemt. Log ind med den."), "info")
            return redirect(url_for("auth.login"))
    status = 422 if form.errors else 200
    page = render_template("auth/reset.html", problem=None, form=form, target=target,
                           least=admin_users.PASSWORD_MIN)
    return page, status, NO_STORE
