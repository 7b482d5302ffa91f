"""The phone list (ringeliste) of no-shows: record each call, call them in again."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ...db import db
from ...models import CallOutcome, GroupSession
from ...services.callin import CallinError
from ...services.callin import phone_list as calls
from ...services.callin.list_pages import phone_page
from ...services.clock import now_utc
from . import bp
from .forms import CallForm
from .messages import message
from .views import municipality, sender


def _target_choices(targets: list[GroupSession]) -> list[SelectChoice]:
    return [SelectChoice(0, _("Vælg indkald"))] + [
        SelectChoice(
            gs.id, f"{format_datetime(gs.starts_at, 'EEEE d. MMMM y HH:mm')} – {gs.location}"
        )
        for gs in targets
    ]


@bp.route("/ringeliste")
def phone_list() -> ResponseReturnValue:
    page = phone_page(db.session, staff_id=current_user.staff_id, now=now_utc())
    choices = _target_choices(page.targets)
    forms = {}
    for line in page.lines:
        if line.pending:
            form = CallForm(prefix=f"c{line.invitation.id}")
            form.target.choices = choices
            forms[line.invitation.id] = form
    return render_template("callin/phone_list.html", lines=page.lines, forms=forms)


@bp.route("/ringeliste/<int:invitation_id>", methods=["POST"])
def record(invitation_id: int) -> ResponseReturnValue:
    form = CallForm(prefix=f"c{invitation_id}")
    form.target.choices = _target_choices(calls.upcoming_targets(db.session, now_utc()))
    if not form.validate_on_submit():
        errors = [e for field in (form.outcome, form.target, form.note) for e in field.errors]
        flash(" ".join(str(e) for e in errors) or _("Vælg resultatet af opkaldet."), "error")
        return redirect(url_for("callin.phone_list") + f"#call-{invitation_id}")
    outcome = CallOutcome(form.outcome.data)
    try:
        result = calls.record_call(
            db.session,
            invitation_id,
            outcome,
            staff_id=current_user.staff_id,
            now=now_utc(),
            note=form.note.data,
            target_session_id=form.target.data or None,
            municipality=municipality(),
            sender=sender(),
        )
    except CallinError as err:
        flash(message(err), "error")
        return redirect(url_for("callin.phone_list") + f"#call-{invitation_id}")
    if result.reinvitation is not None:
        flash(_("Opkaldet er registreret, og borgeren er indkaldt igen."), "success")
    elif result.no_session:
        flash(
            _(
                "Opkaldet er registreret. Der er intet fælles indkald med plads før fristen – "
                "planlæg et nyt, og genindkald derefter."
            ),
            "error",
        )
    else:
        flash(_("Opkaldet er registreret."), "success")
    return redirect(url_for("callin.phone_list"))


@bp.route("/ringeliste/genindkald", methods=["POST"])
def reinvite() -> ResponseReturnValue:
    made = calls.reinvite_not_reached(
        db.session,
        staff_id=current_user.staff_id,
        now=now_utc(),
        municipality=municipality(),
        sender=sender(),
    )
    flash(_("%(n)s ikke-truffede borgere er indkaldt igen.", n=len(made)), "success")
    return redirect(url_for("callin.phone_list"))
