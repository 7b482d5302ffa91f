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
from ...services.callin.list_pages import PhonePage, phone_page
from ...services.clock import now_utc
from . import bp
from .forms import CallForm
from .messages import day_words, message, working_days_text
from .views import callin_settings, municipality, optional_closed, sender


def _target_choices(targets: list[GroupSession]) -> list[SelectChoice]:
    return [SelectChoice(0, _("Vælg indkald"))] + [
        SelectChoice(
            gs.id, f"{format_datetime(gs.starts_at, 'EEEE d. MMMM y HH:mm')} – {gs.location}"
        )
        for gs in targets
    ]


def _page() -> PhonePage:
    return phone_page(
        db.session,
        callin_settings(),
        staff_id=current_user.staff_id,
        now=now_utc(),
        optional_closed=optional_closed(),
    )


def _render(
    page: PhonePage, posted: dict[int, CallForm] | None = None, status: int = 200
) -> ResponseReturnValue:
    """The list with a form per pending call; ``posted``: a form sent back with its errors."""
    choices = _target_choices(page.targets)
    forms = {}
    for line in page.lines:
        if line.pending:
            inv_id = line.invitation.id
            form = (posted or {}).get(inv_id) or CallForm(prefix=f"c{inv_id}", formdata=None)
            form.target.choices = choices
            forms[inv_id] = form
    notice = callin_settings().min_notice_working_days
    return (
        render_template(
            "callin/phone_list.html",
            lines=page.lines,
            forms=forms,
            today=page.today,
            first_day=page.first_day,
            notice_text=working_days_text(notice),
        ),
        status,
    )


@bp.route("/ringeliste")
def phone_list() -> ResponseReturnValue:
    return _render(_page())


@bp.route("/ringeliste/<int:invitation_id>", methods=["POST"])
def record(invitation_id: int) -> ResponseReturnValue:
    form = CallForm(prefix=f"c{invitation_id}")
    if not form.validate_on_submit():
        # shown again at the call with the reason (a 422), nothing recorded
        page = _page()
        if any(ln.pending and ln.invitation.id == invitation_id for ln in page.lines):
            return _render(page, {invitation_id: form}, 422)
        flash(_("Opkaldet kunne ikke registreres: borgeren er ikke på ringelisten."), "error")
        return redirect(url_for("callin.phone_list"))
    outcome = CallOutcome(form.outcome.data)
    try:
        result = calls.record_call(
            db.session,
            invitation_id,
            outcome,
            callin_settings(),
            staff_id=current_user.staff_id,
            now=now_utc(),
            note=form.note.data,
            target_session_id=form.target.data or None,
            municipality=municipality(),
            sender=sender(),
            optional_closed=optional_closed(),
        )
    except CallinError as err:
        flash(message(err), "error")
        return redirect(url_for("callin.phone_list") + f"#call-{invitation_id}")
    if result.reinvitation is not None:
        flash(
            _(
                "Opkaldet er registreret, og borgeren er indkaldt igen til %(day)s.",
                day=day_words(result.reinvitation.session.starts_at),
            ),
            "success",
        )
    elif result.no_session:
        first = day_words(result.first_day) if result.first_day else ""
        if result.deadline is not None:
            text = _(
                "Opkaldet er registreret, men borgeren er ikke indkaldt igen: der er intet fælles "
                "indkald med plads fra %(first)s (første dag med %(notice)s varsel) til fristen "
                "%(deadline)s. Planlæg et nyt, og genindkald derefter.",
                first=first,
                notice=working_days_text(callin_settings().min_notice_working_days),
                deadline=day_words(result.deadline),
            )
        else:
            text = _(
                "Opkaldet er registreret, men borgeren er ikke indkaldt igen: der er intet fælles "
                "indkald med plads fra %(first)s (første dag med %(notice)s varsel). Planlæg et "
                "nyt, og genindkald derefter.",
                first=first,
                notice=working_days_text(callin_settings().min_notice_working_days),
            )
        flash(text, "error")
    else:
        flash(_("Opkaldet er registreret."), "success")
    return redirect(url_for("callin.phone_list"))


@bp.route("/ringeliste/genindkald", methods=["POST"])
def reinvite() -> ResponseReturnValue:
    made = calls.reinvite_not_reached(
        db.session,
        callin_settings(),
        staff_id=current_user.staff_id,
        now=now_utc(),
        municipality=municipality(),
        sender=sender(),
        optional_closed=optional_closed(),
    )
    flash(_("%(n)s ikke-truffede borgere er indkaldt igen.", n=len(made)), "success")
    return redirect(url_for("callin.phone_list"))
