"""The what-if comparison chart: weekly share of conversations on time under the simulation's
solver policy, one line per what-if with its 95 % band across seeds, against the target lines
(the shared SVG line chart, solver.chart, with the page's translated words)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from markupsafe import Markup

from solver.chart import Series, line_chart

from ...models import WhatIfRun
from ...settings import TargetSettings
from ..planner.charts import target_series

DASHES = (None, "8 4", "2 3", "12 4 2 4", "4 4")
REFORM_LINE = 0.75  # the 2026 reform's 75 % rule: the third line the issue asks for


def target_values(targets: TargetSettings) -> list[float]:
    return sorted({REFORM_LINE, targets.interim, targets.goal})


def whatif_chart(runs: Sequence[WhatIfRun], targets: TargetSettings) -> Markup:
    done = [r for r in runs if r.result and "solver" in r.result["policies"]]
    weeks = max((r.result["weeks"] for r in done if r.result), default=0)
    series = []
    lowest = 1.0
    for i, run in enumerate(done):
        assert run.result is not None
        weekly = run.result["policies"]["solver"]["weekly"]
        lows = [max(0.0, min(1.0, w["lo"])) for w in weekly]
        highs = [max(0.0, min(1.0, w["hi"])) for w in weekly]
        lowest = min([lowest, *lows])
        series.append(
            Series(
                run.name,
                [w["mean"] for w in weekly],
                dash=DASHES[i % len(DASHES)],
                band=(lows, highs) if run.result["seeds"] > 1 else None,
            )
        )
    svg = line_chart(
        series + target_series(target_values(targets), weeks),
        x_labels=[_("uge %(n)s", n=i + 1) for i in range(weeks)],
        title=_("Andel samtaler holdt til tiden pr. uge"),
        description=_(
            "Linjediagram med en linje pr. beregning (gennemsnit af alle kørsler) og et skraveret "
            "bånd for 95 %-intervallet; vandrette linjer er målene. Samme tal står i tabellerne "
            "under diagrammet."
        ),
        y_min=max(0.0, min(0.7, int(lowest * 10) / 10 - 0.05)),
    )
    return Markup(svg)  # noqa: S704 - built by line_chart, which escapes every text
