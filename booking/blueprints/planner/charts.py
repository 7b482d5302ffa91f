"""The scenario comparison chart: the shared SVG line chart (solver.chart) with the page's
translated words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import format_percent
from flask_babel import gettext as _
from markupsafe import Markup

from solver.chart import Series, line_chart

from ...models import RehabScenario
from ...settings import TargetSettings

# a dash pattern per scenario, so colour is never the only difference
DASHES = (None, "8 4", "2 3", "12 4 2 4", "4 4")
TARGET_COLOUR, TARGET_DASH = "#555555", "1 3"


def target_series(values: Sequence[float], weeks: int) -> list[Series]:
    """The targets as flat grey dotted lines named in the legend (beside the plot), not as
    labels inside it where they would cross the scenarios' lines."""
    return [
        Series(
            _("Mål %(share)s", share=format_percent(value)),
            [value] * weeks,
            colour=TARGET_COLOUR,
            dash=TARGET_DASH,
        )
        for value in sorted(set(values))
    ]


def _shares(result: dict[str, Any]) -> list[float | None]:
    return [week.get("share") for week in result["weeks"]]


def scenario_chart(scenarios: Sequence[RehabScenario], targets: TargetSettings) -> Markup:
    """Share presented on time, week by week, one line per scenario, the targets as lines."""
    weeks = len(scenarios[0].result["weeks"]) if scenarios and scenarios[0].result else 0
    series = [
        Series(s.name, _shares(s.result), dash=DASHES[i % len(DASHES)])
        for i, s in enumerate(scenarios)
        if s.result
    ] + target_series((targets.interim, targets.goal), weeks)
    svg = line_chart(
        series,
        x_labels=[_("uge %(n)s", n=i + 1) for i in range(weeks)],
        title=_("Andel forelagt til tiden pr. uge"),
        description=_(
            "Linjediagram med en linje pr. scenarie; samme tal står i tabellen under diagrammet."
        ),
    )
    return Markup(svg)  # noqa: S704 - built by line_chart, which escapes every text
