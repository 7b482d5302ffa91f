"""The caseworker's working time: the weekly template with a preview of the slots it makes
("Vis forslag", no script needed), saved and published ("Gem og udgiv tiderne").

These pages have their own blueprint (``staff_time``, under ``/sagsbehandler`` like the
caseworker's pages) because a planner edits a caseworker's time too, and the caseworker
blueprint admits caseworkers and managers only. Who may edit whose time is the service's
decision (:mod:`booking.services.staff_time.scope`); ``?caseworker=ID`` picks another's.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...models import Channel, Role
from ...services.clock import today_local
from ...services.errors import FormErrors, NotFound, ServiceError
from ...services.staff_time.scope import Editor, TimeForbidden, choices, editor_for
from ...services.staff_time.week_plan import (
    DEFAULT_WEEKS,
    MAX_ROWS,
    MAX_WEEKS,
    Plan,
    TemplateRow,
    current_rows,
    plan_weeks,
    save_template,
)
from ..access import staff_only
from ..bounds import database_id
from .messages import CHANNEL_LABELS
from .time_forms import WEEKDAY_NAMES, TemplateForm
from .time_messages import message

time_bp = Blueprint("staff_time", __name__)
staff_only(time_bp, Role.caseworker, Role.manager, Role.planner)


def asked_caseworker() -> int | None:
    asked: int | None = request.args.get("caseworker", type=database_id)
    return asked


def current_editor() -> Editor:
    """The caseworker whose time is shown, or 404/403."""
    try:
        return editor_for(db.session, current_user.staff_id, asked_caseworker())
    except TimeForbidden:
        abort(403)
    except NotFound:
        abort(404)


def picker() -> list[Any]:
    """The caseworkers a planner or manager may switch between (none for a caseworker)."""
    if current_user.role == Role.caseworker:
        return []
    return choices(db.session, current_user.staff_id)


def no_caseworker_page(endpoint: str) -> ResponseReturnValue:
    """A planner or manager without a caseworker row of their own picks one first."""
    return render_template("caseworker/time_pick.html", caseworkers=picker(), endpoint=endpoint)


def _block_data(row: TemplateRow) -> dict[str, Any]:
    return {"weekday": str(row.weekday), "start": row.start, "end": row.end,
            "minutes": row.minutes, "channel": row.channel.value, "location": row.location or "",
            "self_bookable": row.self_bookable, "remove": False}


def _blank() -> dict[str, Any]:
    return {"weekday": "", "start": None, "end": None, "minutes": 45,
            "channel": Channel.in_person.value, "location": "", "self_bookable": True,
            "remove": False}


def _rows(form: TemplateForm) -> tuple[list[TemplateRow], list[int], dict[int, str]]:
    """The filled blocks as rows, the block index of each row, and problems by block index."""
    rows: list[TemplateRow] = []
    index: list[int] = []
    problems: dict[int, str] = {}
    for i, entry in enumerate(form.blocks.entries):
        block = entry.form
        if block.remove.data or not block.weekday.data:
            continue
        if block.start.data is None or block.end.data is None or block.minutes.data is None:
            problems[i] = message(ServiceError("incomplete", row=i + 1))
            continue
        rows.append(TemplateRow(
            weekday=int(block.weekday.data), start=block.start.data, end=block.end.data,
            minutes=block.minutes.data, channel=Channel(block.channel.data),
            location=(block.location.data or "").strip() or None,
            self_bookable=bool(block.self_bookable.data)))
        index.append(i)
    return rows, index, problems


def _map_errors(err: ServiceError, index: list[int], problems: dict[int, str]) -> list[str]:
    """Block problems go beside their block (numbered as on the page); the rest above."""
    if isinstance(err, FormErrors):
        for key, problem in err.fields.items():
            n = int(key.removeprefix("row-"))
            block = index[n - 1]
            params = dict(problem.params, row=block + 1)
            if "other" in params:
                params["other"] = index[int(params["other"]) - 1] + 1
            problems[block] = message(ServiceError(problem.code, **params))
        return []
    return [message(err)]


def _render(editor: Editor, form: TemplateForm, plan: Plan | None,
            problems: dict[int, str], general: list[str]) -> ResponseReturnValue:
    if len(form.blocks.entries) <= MAX_ROWS and all(
            e.form.weekday.data for e in form.blocks.entries):
        form.blocks.append_entry(_blank())
    return render_template(
        "caseworker/time_template.html", editor=editor, form=form, plan=plan,
        problems=problems, general=general, caseworkers=picker(), weekday_names=WEEKDAY_NAMES,
        channel_labels=CHANNEL_LABELS,
    ), 200 if not (problems or general) else 422


def _start() -> date:
    return today_local() + timedelta(days=1)


@time_bp.route("/arbejdstid", methods=["GET", "POST"])
def template_page() -> ResponseReturnValue:
    if asked_caseworker() is None and current_user.caseworker_id is None:
        return no_caseworker_page("staff_time.template_page")
    editor = current_editor()
    cw_id = editor.caseworker.id
    optional = settings().calendar.optional_closed
    if request.method == "GET":
        saved = current_rows(db.session, cw_id)
        weeks = request.args.get("weeks", DEFAULT_WEEKS, type=int)
        weeks = weeks if 1 <= weeks <= MAX_WEEKS else DEFAULT_WEEKS
        form = TemplateForm(data={"blocks": [_block_data(r) for r in saved] or [_blank()],
                                  "weeks": weeks})
        plan = plan_weeks(db.session, cw_id, saved, _start(), weeks, optional)
        return _render(editor, form, plan, {}, [])
    form = TemplateForm()
    if not form.validate():
        general = [str(e) for e in form.weeks.errors]
        problems = {i: " ".join(str(e) for errs in entry.form.errors.values() for e in errs)
                    for i, entry in enumerate(form.blocks.entries) if entry.form.errors}
        csrf = getattr(form, "csrf_token", None)
        if csrf is not None and csrf.errors:
            general = [_("Formularen er udløbet. Genindlæs siden, og prøv igen.")]
        return _render(editor, form, None, problems, general)
    rows, index, problems = _rows(form)
    if problems:
        return _render(editor, form, None, problems, [])
    weeks = form.weeks.data or DEFAULT_WEEKS
    try:
        if form.save.data:
            plan = save_template(db.session, cw_id, rows, start=_start(), weeks=weeks,
                                 optional_closed=optional, staff_id=current_user.staff_id)
        else:
            plan = plan_weeks(db.session, cw_id, rows, _start(), weeks, optional)
    except ServiceError as err:
        general = _map_errors(err, index, problems)
        return _render(editor, form, None, problems, general)
    if form.save.data:
        flash(_("Arbejdstiden er gemt: %(new)s nye tider, %(changed)s ændrede og %(removed)s "
                "fjernede ledige tider.", new=plan.new, changed=plan.changed,
                removed=plan.removed), "success")
        return redirect(url_for("staff_time.template_page", caseworker=asked_caseworker(),
                                weeks=weeks))
    return _render(editor, form, plan, {}, [])
