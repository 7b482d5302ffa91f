"""Rehabilitation-team planning day to day: the plan, alerts, accept / move / material sent."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...services.clock import now_utc, today_local
from ...services.errors import NotFound
from ...services.rehab import planning, status
from ...services.rehab.assign import PlanError
from ...tasks import replan_rehab_task
from . import bp
from .forms import MoveForm
from .messages import day, message, note_action, note_text

# the case list's filters as the address shows them (?vis=...), and back
FILTER_WORDS = {
    "all": "alle",
    "unplanned": "uden-plads",
    "at_risk": "i-risiko",
    "material_due": "materiale",
}
FILTER_KEYS = {word: key for key, word in FILTER_WORDS.items()}
FILTER_LABELS = {
    "all": _l("Alle"),
    "unplanned": _l("Uden plads"),
    "at_risk": _l("I risiko"),
    "material_due": _l("Materiale skal sendes"),
}
STATES = {
    "queued": _l("I kø"),
    "running": _l("Beregner planen"),
    "done": _l("Færdig"),
    "failed": _l("Fejlet"),
    "lost": _l("Stoppet uden resultat"),
    "idle": _l("Ingen planlægning i gang"),
}


def _page_number() -> int:
    raw = request.args.get("side", "1")
    return int(raw) if raw.isdigit() and len(raw) < 6 else 1


def _back() -> ResponseReturnValue:
    """Back to the case list as it was (the filter and page the form came from)."""
    word = request.form.get("vis", "")
    side = request.form.get("side", "")
    return redirect(
        url_for(
            "planner.home",
            vis=word if word in FILTER_KEYS and word != "alle" else None,
            side=side if side.isdigit() and len(side) < 6 and side != "1" else None,
        )
        + "#sager"
    )


@bp.route("/")
def home() -> ResponseReturnValue:
    page = planning.plan_page(
        db.session,
        settings(),
        today=today_local(),
        show=FILTER_KEYS.get(request.args.get("vis", ""), "all"),
        page=_page_number(),
    )
    return render_template(
        "planner/home.html",
        page=page,
        today=page.today,
        lead_days=page.lead_days,
        meetings=page.meetings,
        lines=page.lines,
        alerts=page.alerts,
        at_risk=page.at_risk,
        planned=page.planned,
        filters=[(key, FILTER_WORDS[key], FILTER_LABELS[key]) for key in planning.FILTERS],
        filter_word=FILTER_WORDS[page.show],
        filter_label=FILTER_LABELS[page.show],
        replan_state=STATES.get(page.replan.state if page.replan else "idle"),
        note_text=note_text,
        note_action=note_action,
    )


@bp.get("/planlaeg.json")
def replan_progress() -> ResponseReturnValue:
    """The latest re-plan's state for the page's poller (static/progress.js)."""
    found = status.replan_status(db.session, now_utc())
    return jsonify(
        {
            "state": found.state,
            "state_text": str(STATES[found.state]),
            "elapsed_s": round(found.elapsed_s),
            "finished": found.finished,
        }
    )


@bp.route("/planlaeg", methods=["POST"])
def replan() -> ResponseReturnValue:
    status.request_replan(db.session, staff_id=current_user.staff_id)
    # committed: the worker (or the inline queue) can see the request now
    replan_rehab_task()
    found = status.replan_status(db.session, now_utc())
    if found.state == "done":
        flash(
            _(
                "Planen er lavet: %(on_time)s til tiden, %(late)s for sent, %(unplanned)s "
                "uden plads.",
                on_time=found.summary.get("on_time", 0),
                late=found.summary.get("late", 0),
                unplanned=found.summary.get("unplanned", 0),
            ),
            "info",
        )
    elif found.state == "failed":
        flash(
            _("Planlægningen fejlede. Prøv igen; kontakt support, hvis det gentager sig."),
            "error",
        )
    return redirect(url_for("planner.home"))


@bp.route("/sager/<int:case_id>/godkend", methods=["POST"])
def accept_case(case_id: int) -> ResponseReturnValue:
    try:
        case = planning.accept_case(db.session, case_id, staff_id=current_user.staff_id)
    except NotFound:
        abort(404)
    except PlanError as err:
        flash(message(err), "error")
    else:
        flash(_("Mødet er godkendt for %(name)s.", name=case.citizen.name), "info")
    return _back()


@bp.route("/sager/<int:case_id>/flyt", methods=["POST"])
def move_case(case_id: int) -> ResponseReturnValue:
    form = MoveForm()
    try:
        meeting = planning.move_case(
            db.session,
            case_id,
            form.meeting_id.data if form.validate_on_submit() else None,
            staff_id=current_user.staff_id,
            settings=settings(),
            today=today_local(),
        )
    except NotFound:
        abort(404)
    except PlanError as err:
        flash(message(err), "error")
    else:
        flash(_("Sagen er flyttet til mødet %(date)s.", date=day(meeting.date)), "info")
    return _back()


@bp.route("/sager/<int:case_id>/materiale-sendt", methods=["POST"])
def material_sent(case_id: int) -> ResponseReturnValue:
    try:
        case = planning.mark_material_sent(db.session, case_id, staff_id=current_user.staff_id)
    except NotFound:
        abort(404)
    except PlanError as err:
        flash(message(err), "error")
    else:
        flash(_("Materialet er markeret som sendt for %(name)s.", name=case.citizen.name), "info")
    return _back()
