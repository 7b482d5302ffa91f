"""Rehabilitation cases to team meetings: an exact bipartite min-cost flow.

A case may go to a meeting on or after today; unless its material is already at the region,
the meeting must also be at least `rehab_lead_days` after max(ready, today). Objective, in
lexicographic order (exact scaling, the instance is small): on-time weight, number placed,
total lateness in days; earlier meetings break ties.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from .model import integer_weights
from .problem import Problem


@dataclass
class RehabPlan:
    placed: dict[int, int]  # case -> meeting
    on_time_wint: int
    bound_wint: int
    bound_count: int
    scale: int


def first_meeting_day(problem: Problem, case_index: int) -> int:
    """Earliest meeting date (ordinal) the case may be presented at."""
    case = problem.rehab_cases[case_index]
    today = problem.today.toordinal()
    if case.material_sent:
        return today
    return max(case.ready.toordinal(), today) + problem.settings.rehab_lead_days


def _solve(problem: Problem, wint: list[int], mode: str) -> tuple[dict[int, int], int]:
    meetings = problem.rehab_meetings
    cases = problem.rehab_cases
    mdays = [m.date.toordinal() for m in meetings]
    horizon = max(mdays, default=0)
    n = len(cases)
    late_span = max([0] + [horizon - c.deadline.toordinal() for c in cases]) + 1
    today = problem.today.toordinal()
    c_late = max(0, horizon - today) + 1  # above the tie-break: earlier meetings first
    b_place = c_late * (late_span + 1) * (n + 1)
    a_weight = b_place * (n + 1)
    src, snk = 0, 1
    tails, heads, caps, costs, meta = [], [], [], [], []
    for i, case in enumerate(cases):
        first = first_meeting_day(problem, i)
        dl = case.deadline.toordinal()
        tails.append(src)
        heads.append(2 + i)
        caps.append(1)
        costs.append(0)
        for j, day in enumerate(mdays):
            if day < first or meetings[j].capacity <= 0 or (mode == "bound" and day > dl):
                continue
            on_time = day <= dl
            if mode == "bound":
                value = wint[i]
            else:
                value = ((a_weight * wint[i] if on_time else 0) + b_place
                         - c_late * max(0, day - dl) - (day - today))
            meta.append((len(tails), i, j))
            tails.append(2 + i)
            heads.append(2 + n + j)
            caps.append(1)
            costs.append(-value)
    for j, meeting in enumerate(meetings):
        tails.append(2 + n + j)
        heads.append(snk)
        caps.append(meeting.capacity)
        costs.append(0)
    tails.append(src)
    heads.append(snk)
    caps.append(n)
    costs.append(0)
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(
        np.asarray(tails, dtype=np.int32), np.asarray(heads, dtype=np.int32),
        np.asarray(caps, dtype=np.int64), np.asarray(costs, dtype=np.int64))
    mcf.set_node_supply(src, n)
    mcf.set_node_supply(snk, -n)
    for node in range(2, 2 + n + len(meetings)):
        mcf.set_node_supply(node, 0)
    if mcf.solve() != mcf.OPTIMAL:
        raise RuntimeError("rehabilitation flow failed")
    placed = {}
    weight = 0
    for arc, i, j in meta:
        if mcf.flow(arc):
            placed[i] = j
            if mdays[j] <= cases[i].deadline.toordinal():
                weight += wint[i]
    return placed, weight


def allocate_rehab(problem: Problem) -> RehabPlan:
    wint, scale = integer_weights([c.weight for c in problem.rehab_cases])
    placed, weight = _solve(problem, wint, "plan")
    _, bound = _solve(problem, wint, "bound")
    _, bound_count = _solve(problem, [1] * len(wint), "bound")
    return RehabPlan(placed, weight, bound, bound_count, scale)
