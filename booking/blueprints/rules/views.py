"""The rule calculator: the obligations of a made-up case under the sets in force (or one
chosen set), for staff and for checking the rule sets. Nothing about a real citizen is read or
written, so the page is a GET form."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from ...db import db
from ...extensions import settings
from ...models import TARGET_GROUPS
from ...services.clock import today_local
from ...services.law.calculator import calculator_page
from . import bp
from .messages import FIELDS, message


def _lines(name: str) -> list[str]:
    return [line.strip() for line in request.args.get(name, "").splitlines() if line.strip()]


@bp.route("/")
def calculator() -> ResponseReturnValue:
    args = request.args
    page = calculator_page(
        db.session,
        group=args.get("gruppe"),
        start=args.get("start"),
        rule_set=args.get("regelsaet"),
        held=_lines("afholdt"),
        pauses=_lines("pauser"),
        birth_date=args.get("foedt"),
        today=args.get("dato"),
        default_today=today_local(),
        optional_closed=settings().calendar.optional_closed,
        asked="gruppe" in args,
    )
    errors = {}
    if page.error is not None:
        errors[FIELDS.get(page.error.field, page.error.field)] = message(page.error)
    return render_template(
        "rules/calculator.html", page=page, errors=errors, values=args, groups=TARGET_GROUPS,
    ), (422 if errors else 200)
