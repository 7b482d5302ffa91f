"""The objective of `plan-format.md` as arc values and one integer cost per arc.

Each arc into the caseworker side carries `wpart`, the on-time weight of the conversation placed
that way (tier 1), and `lower`, the value of the lower tiers:

* tier 2: `b_place` for being placed at all, less `C_LATE` per day late;
* tier 3: `D_ROBUST` per tenth of no-show risk, if a rebooking still fits before the deadline;
* tier 4: `E_KEEP` for an unlocked booking that stays in its slot;
* tier 5: `F_NONCOORD` less for a unit colleague instead of the coordinating caseworker, and a
  convex cost per conversation crowded onto one caseworker-day (`SPREAD_STEPS`).

`arc_costs` scales tier 1 above everything below it, within the 64-bit budget of OR-Tools.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..model import Index
from .graph import Graph
from .groups import Groups

SPREAD_STEPS = 16  # convex cost k for the k-th conversation of a caseworker-day (capped)
F_NONCOORD = 8  # tier 5: a unit colleague instead of the coordinating caseworker
E_KEEP = 32  # tier 4: an unlocked booking stays in its slot
D_ROBUST = 64  # tier 3: per tenth of no-show risk, if a rebooking still fits before deadline
C_LATE = 1024  # tier 2: per day late
COST_BUDGET = 1 << 61

Costs = npt.NDArray[np.int64]


class Objective:
    """The value of placing conversation c on day d; `mode` "bound" counts tier 1 only."""

    def __init__(self, ix: Index, groups: Groups, mode: str) -> None:
        self.ix, self.mode = ix, mode
        horizon = ix.today if groups.last_day is None else groups.last_day
        self.b_place = C_LATE * (max(0, horizon - min(ix.conv_deadline, default=horizon)) + 2)

    def value(self, c: int, d: int) -> tuple[int, int]:
        """(on-time weight, lower-tier value) of conversation c placed on day d."""
        ix = self.ix
        dl = ix.conv_deadline[c]
        on_time = d <= dl
        if self.mode == "bound":
            return (ix.conv_wint[c] if on_time else 0), 0
        lower = self.b_place - C_LATE * max(0, d - dl)
        if d + ix.rebook_days <= dl:
            lower += D_ROBUST * round(10 * (1.0 - ix.cit_prob[ix.conv_cit[c]]))
        return (ix.conv_wint[c] if on_time else 0), lower


def arc_costs(graph: Graph, mode: str, stick_arcs: list[int],
              pen_arcs: dict[int, int]) -> tuple[Costs, int]:
    """One cost per arc (min-cost flow minimises) and the scale `a` of tier 1.

    Bound mode: minus the on-time weight. Plan mode: `-(wpart * a + lower * 2)`, where `a` puts
    one unit of weight above any sum of lower tiers; a sticky arc (the day the previous round
    chose) is one cheaper, a penalised one (a rule-7 crossing to repair) `a / 2` per unit dearer.
    """
    wpart = np.asarray(graph.wpart, dtype=np.int64)
    lower = np.asarray(graph.lower, dtype=np.int64)
    if mode == "bound":
        return -wpart, 1
    top = int(np.abs(lower).max(initial=1))
    wmax = int(wpart.max(initial=1)) or 1
    budget = COST_BUDGET // (graph.n_nodes + 1) // 4
    a = max(top * 2, min(top * 1_000_000, (budget - top) // wmax))
    cost: Costs = -(wpart * a + lower * 2)
    if stick_arcs:
        cost[np.asarray(stick_arcs, dtype=np.int64)] -= 1
    for arc, units in pen_arcs.items():
        cost[arc] += units * (a // 2)
    return cost, a
