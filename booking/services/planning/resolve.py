"""Solving a live plan without cancelling a booking: lock what the solver dropped, solve again
only where it matters.

The solver may leave an unlocked booking without a place (its seat wins more on-time weight
for another conversation); the planner never proposes a cancellation, so such bookings are
locked and the plan solved again. Units that share no citizen or caseworker are independent
parts of the problem (every hard rule stays inside them), so only the group of units holding
the dropped bookings is solved again, and the figures are put together part by part: the
on-time weight and the proven bound of a problem are the sums over its independent parts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from fractions import Fraction
from typing import Any

import solver
from solver.solution import Unplanned

from .problem import LivePlan
from .proposals import Outcome, lock_bookings, outcome

MAX_RESOLVES = 3


def solve_plan(
    plan: LivePlan,
    settings: solver.SolverSettings,
    progress: Callable[[str, int], None] | None = None,
) -> tuple[solver.Solution, Outcome]:
    """Solve ``plan`` and turn the solution into proposals (no booking left without a place;
    ``figures["resolves"]`` counts the partial re-solves)."""
    if progress is not None:
        progress("solving", plan.stats["conversations"])
    solution = _solve(plan.document, settings)
    result = outcome(plan, solution)
    rounds = 0
    while result.unplaced_movable and rounds < MAX_RESOLVES:
        rounds += 1
        units = _group(plan.document, result.unplaced_movable)
        before = _part(plan.document, units)
        old_bound = solver.upper_bound(solver.load_problem(before))
        lock_bookings(plan, result.unplaced_movable)
        after = _part(plan.document, units)
        again = _solve(after, settings)
        solution = _merge(solution, again, before, old_bound)
        result = outcome(plan, solution)
    if result.unplaced_movable:
        raise RuntimeError("bookings left without a place: " + ", ".join(result.unplaced_movable))
    result.figures["resolves"] = rounds
    return solution, result


def _solve(document: dict[str, Any], settings: solver.SolverSettings) -> solver.Solution:
    solution = solver.solve(solver.load_problem(document), settings)
    if solution.status == "error":
        raise RuntimeError(str(solution.stats.get("error")))
    return solution


def _group(document: dict[str, Any], keys: list[str]) -> set[str]:
    """The units (document ids) that depend on each other through citizens and their
    coordinating caseworkers, around the conversations ``keys``."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    unit_of = {w["id"]: w["unit"] for w in document["caseworkers"]}
    for c in document["citizens"]:
        parent[find(c["unit"])] = find(unit_of[c["caseworker"]])
    citizens = {c["id"]: c["unit"] for c in document["citizens"]}
    owner = {c["id"]: citizens[c["citizen"]] for c in document["conversations"]}
    roots = {find(owner[k]) for k in keys}
    return {u for u in set(unit_of.values()) | set(citizens.values()) if find(u) in roots}


def _part(document: dict[str, Any], units: set[str]) -> dict[str, Any]:
    """The document restricted to ``units`` (whole independent parts of the problem)."""
    workers = [w for w in document["caseworkers"] if w["unit"] in units]
    ids = {w["id"] for w in workers}
    citizens = [c for c in document["citizens"] if c["unit"] in units]
    people = {c["id"] for c in citizens}
    conversations = [c for c in document["conversations"] if c["citizen"] in people]
    keys = {c["id"] for c in conversations}
    return {**document, "caseworkers": workers, "citizens": citizens,
            "slots": [s for s in document["slots"] if s["caseworker"] in ids],
            "conversations": conversations,
            "bookings": [b for b in document["bookings"] if b["conversation"] in keys],
            "rehab_meetings": [], "rehab_cases": []}


def _placed_figures(part: dict[str, Any], placed: dict[str, str]) -> tuple[Fraction, int]:
    """On-time weight and days late of the placements of the part's conversations."""
    day = {s["id"]: s["start"][:10] for s in part["slots"]}
    weight, late = Fraction(0), 0
    for c in part["conversations"]:
        slot = placed.get(c["id"])
        if slot is None:
            continue
        if day[slot] <= c["deadline"]:
            weight += Fraction(str(c.get("weight", 1)))
        else:
            late += (_ordinal(day[slot]) - _ordinal(c["deadline"]))
    return weight, late


def _ordinal(text: str) -> int:
    return date.fromisoformat(text).toordinal()


def _number(x: Fraction) -> int | float:
    return int(x) if x.denominator == 1 else float(x)


def _merge(first: solver.Solution, again: solver.Solution, part: dict[str, Any],
           old_bound: dict[str, Any]) -> solver.Solution:
    """``first`` with the part solved ``again``; the figures put together part by part."""
    keys = {c["id"] for c in part["conversations"]}
    placed = [(c, s) for c, s in first.conversations if c not in keys] + list(again.conversations)
    unplanned = [u for u in first.unplanned if u.id not in keys] + list(again.unplanned)
    old_weight, old_late = _placed_figures(part, dict(first.conversations))
    st = dict(first.stats)
    weight = (Fraction(str(st["on_time_weight"])) - old_weight
              + Fraction(str(again.stats["on_time_weight"])))
    bound = (Fraction(str(st["upper_bound_on_time_weight"]))
             - Fraction(str(old_bound["upper_bound_on_time_weight"]))
             + Fraction(str(again.stats["upper_bound_on_time_weight"])))
    st.update(on_time_weight=_number(weight), upper_bound_on_time_weight=_number(bound),
              late_days_total=st.get("late_days_total", 0) - old_late
              + again.stats.get("late_days_total", 0),
              solve_seconds=round(st.get("solve_seconds", 0.0)
                                  + again.stats.get("solve_seconds", 0.0), 3),
              unplanned=len(unplanned))
    status = first.status if first.status == "infeasible" or again.status == "infeasible" \
        else ("optimal" if weight >= bound else "feasible")
    return solver.Solution(status, sorted(placed), [], [Unplanned(u.id, u.reason, u.code,
                                                                  u.params)
                                                         for u in unplanned], st)
