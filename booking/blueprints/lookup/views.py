"""Find a citizen by CPR number (through the keyed hash; the number is never stored), and the
citizen's page: programmes and pauses, obligations under the law in force, exemptions,
bookings, attendance and letters."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ...db import db
from ...extensions import settings
from ...models import TARGET_GROUPS, Role
from ...services.access_scope import find_for_viewer
from ...services.accounts import revoke_links
from ...services.clock import today_local
from ...services.errors import NotFound, ServiceError
from ...services.law.citizen_page import citizen_page
from ...services.law.context import LawConfig
from ...services.law.exemptions import exempt, revoke_exemption
from ...services.law.programmes import add_pause, change_target_group, end_pause
from ...services.security import CprError
from . import bp
from .forms import (
    MAX_ID,
    ChangeGroupForm,
    CprSearchForm,
    EndPauseForm,
    ExemptForm,
    PauseForm,
    RevokeForm,
)
from .messages import law_message, message
from .purpose import has_purpose

CITIZEN = f"<int(min=1, max={MAX_ID}):citizen_id>"


@bp.route("/", methods=["GET", "POST"])
def search() -> ResponseReturnValue:
    form = CprSearchForm()
    found, error, status = None, None, 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                found = find_for_viewer(
                    db.session,
                    current_user,
                    form.cpr.data or "",
                    settings().security.cpr_hash_key,
                    previous_key=settings().security.cpr_hash_key_previous,
                )
            except CprError as exc:
                error = message(exc)
            else:
                status = 200 if found else 404
                if found is None:
                    error = _("Der findes ingen borger med det CPR-nummer.")
        form.cpr.data = ""  # never echo the number back into the page
    if error:
        form.cpr.errors = [*form.cpr.errors, error]
    # another unit's citizen: only their unit, until a purpose is stated (lookup/purpose.py)
    shown = found is not None and (found.in_scope or has_purpose(found.citizen.id))
    return render_template(
        "lookup/search.html", form=form, citizen=found.citizen if found else None,
        shown=shown,
    ), status


def _may_change() -> bool:
    """Caseworkers and managers (and admins) change programmes, pauses and exemptions."""
    return bool(current_user.has_role(Role.caseworker, Role.manager))


def _config() -> LawConfig:
    return LawConfig.from_settings(settings())


@bp.route(f"/{CITIZEN}")
def citizen(citizen_id: int) -> ResponseReturnValue:
    try:
        page = citizen_page(
            db.session, citizen_id, viewer_id=current_user.staff_id, today=today_local(),
            config=_config(),
        )
    except NotFound:
        abort(404)
    group_form = ChangeGroupForm()
    group_form.group.choices = [SelectChoice(g, g) for g in TARGET_GROUPS]
    return render_template(
        "lookup/citizen.html",
        page=page,
        may_change=_may_change(),
        group_form=group_form,
        pause_form=PauseForm(formdata=None),
        end_form=EndPauseForm(formdata=None, end=page.today),
        exempt_form=ExemptForm(formdata=None),
        revoke_form=RevokeForm(formdata=None),
        groups=TARGET_GROUPS,
    )


def _back(citizen_id: int) -> ResponseReturnValue:
    return redirect(url_for("lookup.citizen", citizen_id=citizen_id))


def _form_problem(form: ChangeGroupForm | PauseForm | EndPauseForm | ExemptForm | RevokeForm,
                  citizen_id: int) -> ResponseReturnValue:
    errors = [str(e) for field in form for e in field.errors]
    flash(" ".join(errors) or _("Formularen kunne ikke bruges. Prøv igen."), "error")
    return _back(citizen_id)


def _run(citizen_id: int, done: str, action: Callable[[], object]) -> ResponseReturnValue:
    """Call the service (``action``), then back to the page with its message."""
    try:
        action()
    except NotFound:
        abort(404)
    except ServiceError as err:
        flash(law_message(err), "error")
    else:
        flash(done, "success")
    return _back(citizen_id)


@bp.post(f"/{CITIZEN}/maalgruppe")
def change_group(citizen_id: int) -> ResponseReturnValue:
    if not _may_change():
        abort(403)
    form = ChangeGroupForm()
    form.group.choices = [SelectChoice(g, g) for g in TARGET_GROUPS]
    if not form.validate_on_submit():
        return _form_problem(form, citizen_id)
    return _run(citizen_id, _("Målgruppen er skiftet, og forpligtelserne er genberegnet."),
                lambda: change_target_group(
                    db.session, citizen_id, form.group.data or "", form.start.data,
                    staff_id=current_user.staff_id, config=_config()))


@bp.post(f"/{CITIZEN}/pauser")
def pause_add(citizen_id: int) -> ResponseReturnValue:
    if not _may_change():
        abort(403)
    form = PauseForm()
    if not form.validate_on_submit():
        return _form_problem(form, citizen_id)
    return _run(citizen_id, _("Pausen er registreret, og fristerne er genberegnet."),
                lambda: add_pause(
                    db.session, form.programme.data, form.start.data, form.end.data,
                    form.reason.data or "", staff_id=current_user.staff_id, config=_config()))


@bp.post(f"/{CITIZEN}/pauser/<int(min=1, max={MAX_ID}):pause_id>/slut")
def pause_end(citizen_id: int, pause_id: int) -> ResponseReturnValue:
    if not _may_change():
        abort(403)
    form = EndPauseForm()
    if not form.validate_on_submit():
        return _form_problem(form, citizen_id)
    return _run(citizen_id, _("Pausen er afsluttet, og fristerne er genberegnet."),
                lambda: end_pause(db.session, pause_id, form.end.data,
                                  staff_id=current_user.staff_id, config=_config()))


@bp.post(f"/{CITIZEN}/fritagelser")
def exemption_add(citizen_id: int) -> ResponseReturnValue:
    if not _may_change():
        abort(403)
    form = ExemptForm()
    if not form.validate_on_submit():
        return _form_problem(form, citizen_id)
    try:
        result = exempt(db.session, form.obligation.data, form.reason.data or "",
                        staff_id=current_user.staff_id,
                        warn_at=settings().rules.exemption_warn_share)
    except NotFound:
        abort(404)
    except ServiceError as err:
        flash(law_message(err), "error")
        return _back(citizen_id)
    flash(_("Borgeren er fritaget for forpligtelsen."), "success")
    if result.share.warn:
        warning = _("Advarsel: %(share)s %% af målgruppen i enheden er nu fritaget "
                    "(højst %(most)s %%).", share=round(result.share.share * 100),
                    most=round((result.most or 0) * 100))
        flash(warning, "error")
    return _back(citizen_id)


@bp.post(f"/{CITIZEN}/fritagelser/<int(min=1, max={MAX_ID}):exemption_id>/tilbagekald")
def exemption_revoke(citizen_id: int, exemption_id: int) -> ResponseReturnValue:
    if not _may_change():
        abort(403)
    form = RevokeForm()
    if not form.validate_on_submit():
        return _form_problem(form, citizen_id)
    return _run(citizen_id, _("Fritagelsen er tilbagekaldt; forpligtelsen gælder igen."),
                lambda: revoke_exemption(db.session, exemption_id, form.reason.data or "",
                                         staff_id=current_user.staff_id))


@bp.post(f"/{CITIZEN}/links/tilbagekald")
def links_revoke(citizen_id: int) -> ResponseReturnValue:
    """Every personal link of the citizen stops working, and the sessions opened with them end
    (CSRF-checked like every post; audited). ``flask citizen-link`` makes a new one."""
    if not _may_change():
        abort(403)
    return _run(citizen_id, _("Borgerens personlige links er tilbagekaldt, og borgeren er "
                              "logget ud. Borgeren skal have et nyt link for at logge ind."),
                lambda: revoke_links(db.session, citizen_id, staff_id=current_user.staff_id))
