"""Management: the weekly timeliness indicator per unit (or caseworker) and for the whole
municipality against the targets, for a chosen period with the current week, as trend charts and
a table; the law's shares per unit and target group; and what a change of law on a date does to
the live cases."""

from __future__ import annotations

from datetime import date

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from ...db import db
from ...extensions import settings
from ...services.bounds import within
from ...services.clock import today_local
from ...services.law.changes import KINDS, law_diff_page
from ...services.law.context import LawConfig
from ...services.law.programmes import LawError
from ...services.manager_view import manager_view
from ..bounds import outside_calendar
from . import bp
from .chart import legend, trend_chart
from .params import read_choice


@bp.route("/")
def home() -> ResponseReturnValue:
    choice = read_choice(request.args)
    view = manager_view(
        db.session,
        settings().targets,
        today_local(),
        weeks=choice.weeks,
        by=choice.by,
        exemption_warn_share=settings().rules.exemption_warn_share,
    )
    charts = []
    for trend in view.trends:
        name = trend.name or _("Hele kommunen")
        charts.append((trend, name, trend_chart(view, trend, name)))
    return render_template(
        "manager/home.html",
        view=view,
        choice=choice,
        charts=charts,
        legend=legend(view),
        targets=view.targets,
        groups=view.groups,
        weeks=view.weeks,
    ), (422 if choice.error else 200)


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw and len(raw) == 10 else None
    except ValueError:
        return None


@bp.route("/lovaendringer")
def changes() -> ResponseReturnValue:
    raw = request.args.get("dato", "").strip()
    day = _day(raw)
    error = _("Skriv datoen som ÅÅÅÅ-MM-DD.") if raw and day is None else None
    if day is not None and not within(day):
        day, error = None, outside_calendar(raw)
    diff = None
    if day is not None:
        try:
            diff = law_diff_page(db.session, day, viewer_id=current_user.staff_id,
                                 config=LawConfig.from_settings(settings()))
        except LawError:
            error = _("Der er intet regelsæt i kraft dagen før %(day)s.",
                      day=format_date(day))
    return render_template("manager/changes.html", diff=diff, raw=raw, error=error,
                           kinds=KINDS), (422 if error else 200)
