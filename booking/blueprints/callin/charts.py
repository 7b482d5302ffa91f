"""The charts of the call-in figures page: the shared SVG line chart (solver.chart) with the
page's translated words. The tables under each chart hold the same figures."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from solver.chart import Series, line_chart

from ...extensions import select_locale
from ...models import SessionState
from ...services.callin.figures import IndicatorPoint
from ...services.callin.pages import SessionRow

# a dash pattern per line, so colour is never the only difference (the legend repeats it)
SOLID, DASHED = None, "8 4"


def _short(day: object) -> str:
    return format_date(day, "d MMM" if select_locale() == "en" else "d. MMM")


def indicator_chart(points: Sequence[IndicatorPoint]) -> Markup | None:
    """Share of resource-programme citizens with a conversation in the indicator's months,
    week by week (None: no weeks)."""
    if not points:
        return None
    svg = line_chart(
        [Series(_("Andel med samtale"), [p.share for p in points], dash=SOLID)],
        x_labels=[_short(p.day) for p in points],
        title=_("Ressourceforløbsborgere med en samtale inden for de seneste 2 måneder"),
        description=_(
            "Linjediagram over andelen uge for uge; samme tal står i tabellen under diagrammet."
        ),
    )
    return Markup(svg)  # noqa: S704 - built by line_chart, which escapes every text


def show_rate_chart(rows: Sequence[SessionRow]) -> Markup | None:
    """Per closed session (oldest first): the share of the invited who came, against the
    share the sizing expected (None: no closed session with invitees)."""
    done = [
        (gs, f)
        for gs, f in sorted(rows, key=lambda row: (row[0].starts_at, row[0].id))
        if gs.state == SessionState.closed and f.invited
    ]
    if not done:
        return None
    svg = line_chart(
        [
            Series(_("Mødt"), [f.arrived / f.invited for _gs, f in done], dash=SOLID),
            Series(_("Forventet"), [f.expected / f.invited for _gs, f in done], dash=DASHED),
        ],
        x_labels=[_short(gs.starts_at) for gs, _f in done],
        title=_("Fremmøde pr. afsluttet fælles indkald"),
        description=_(
            "Linjediagram med to linjer: andelen af de indkaldte, der mødte (fuldt optrukket), "
            "og den andel, beregningen forventede (stiplet); samme tal står i tabellen under "
            "diagrammet."
        ),
    )
    return Markup(svg)  # noqa: S704 - built by line_chart, which escapes every text
