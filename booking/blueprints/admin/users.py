"""Staff accounts: create, edit (name, e-mail, role, unit, initials), deactivate and
re-activate, and a one-time link that sets a new password (shown to hand over)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...models import Role
from ...services import admin_users
from ...services.admin import UserPage, user_page
from ...services.admin_users import AdminError, PasswordLink, UserInput
from ...services.errors import FormErrors, NotFound
from . import bp
from .forms import ConfirmForm, EditUserForm, UserForm
from .messages import message, role_label

NO_STORE = {"Cache-Control": "no-store"}


def _choices(form: UserForm, page: UserPage) -> None:
    form.role.choices = [(r.value, role_label(r)) for r in Role if r != Role.citizen]
    form.unit.choices = [("", _("Ingen enhed"))] + [
        (str(u.id), f"{u.name} ({u.code})") for u in page.units
    ]


def _input(form: UserForm) -> UserInput:
    unit = form.unit.data
    return UserInput(
        full_name=form.full_name.data or "",
        role=Role(form.role.data),
        unit_id=int(unit) if unit else None,
        email=form.email.data or None,
        initials=form.initials.data or None,
        username=form.username.data or "" if form.username is not None else "",
    )


def _field_errors(form: UserForm, err: FormErrors) -> None:
    for name, problem in err.fields.items():
        field = getattr(form, name, None)
        if field is None:  # pragma: no cover - every code names a field of the form
            flash(message(problem), "error")
        else:
            field.errors = [*field.errors, message(problem)]


def _link(token: str) -> str:
    return url_for("auth.reset_password", token=token, _external=True)


def _shown(made: PasswordLink) -> ResponseReturnValue:
    page = render_template("admin/password_link.html", link=made,
                           hours=settings().security.reset_link_hours)
    return page, 200, NO_STORE


@bp.route("/brugere/ny", methods=["GET", "POST"])
def new_user() -> ResponseReturnValue:
    page = user_page(db.session, None)
    form = UserForm()
    _choices(form, page)
    if form.validate_on_submit():
        cfg = settings()
        try:
            user, made = admin_users.create_user(
                db.session, current_app.extensions["passwords"], _input(form),
                actor_id=current_user.staff_id, secret=cfg.app.secret_key,
                hours=cfg.security.reset_link_hours, link=_link,
            )
        except FormErrors as err:
            _field_errors(form, err)
        else:
            flash(_("Brugeren %(name)s er oprettet.", name=user.full_name), "info")
            return _shown(made)
    status = 422 if form.errors else 200
    return render_template("admin/user_form.html", form=form, page=page), status


@bp.route("/brugere/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int) -> ResponseReturnValue:
    try:
        page = user_page(db.session, user_id)
    except NotFound:
        abort(404)
    assert page.user is not None
    form = EditUserForm(obj=None if request.method == "POST" else page.user)
    _choices(form, page)
    if not request.method == "POST":
        form.role.data = page.user.role.value
        form.unit.data = str(page.user.unit_id or "")
        form.initials.data = page.initials or ""
    if form.validate_on_submit():
        try:
            admin_users.update_user(db.session, user_id, _input(form),
                                    actor_id=current_user.staff_id)
        except FormErrors as err:
            _field_errors(form, err)
        else:
            flash(_("Ændringerne er gemt."), "info")
            return redirect(url_for("admin.edit_user", user_id=user_id))
    status = 422 if form.errors else 200
    return render_template("admin/user_form.html", form=form, page=page,
                           confirm=ConfirmForm()), status


@bp.route("/brugere/<int:user_id>/deaktiver", methods=["POST"])
def deactivate_user(user_id: int) -> ResponseReturnValue:
    return _set_active(user_id, False)


@bp.route("/brugere/<int:user_id>/aktiver", methods=["POST"])
def reactivate_user(user_id: int) -> ResponseReturnValue:
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool) -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        user = admin_users.set_active(db.session, user_id, active,
                                      actor_id=current_user.staff_id)
    except NotFound:
        abort(404)
    except AdminError as err:
        flash(message(err), "error")
    else:
        if active:
            flash(_("%(name)s er aktiv igen.", name=user.full_name), "info")
        else:
            flash(_("%(name)s er deaktiveret.", name=user.full_name), "info")
    return redirect(url_for("admin.edit_user", user_id=user_id))


@bp.route("/brugere/<int:user_id>/adgangskode", methods=["POST"])
def password_link(user_id: int) -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    cfg = settings()
    try:
        made = admin_users.issue_password_link(
            db.session, user_id, actor_id=current_user.staff_id, secret=cfg.app.secret_key,
            hours=cfg.security.reset_link_hours, link=_link,
        )
    except NotFound:
        abort(404)
    except AdminError as err:
        flash(message(err), "error")
        return redirect(url_for("admin.edit_user", user_id=user_id))
    return _shown(made)
