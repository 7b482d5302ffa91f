"""`solve` and `upper_bound`: the public entry points of the solver."""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .allocate import allocate_conversations, conversation_bound
from .explain import ERROR_CODE, explain_conversations, explain_rehab, reason_text
from .model import build_index
from .problem import Problem
from .rehab import allocate_rehab
from .solution import Solution, Unplanned


@dataclass(frozen=True)
class SolverSettings:
    time_limit_s: float = 60.0
    num_workers: int = 2
    #: False: the plan only, without the proven upper bounds (the same plan, sooner): the
    #: status is then "feasible" (or "infeasible") and the stats have no `upper_bound_*`
    bounds: bool = True


def _number(x: Fraction) -> int | float:
    return int(x) if x.denominator == 1 else float(x)


def upper_bound(problem: Problem) -> dict[str, Any]:
    """Proven upper bounds on on-time placements (count and weight), conversations + rehab."""
    ix = build_index(problem)
    conv_w, conv_n = conversation_bound(ix)
    rehab = allocate_rehab(problem)
    weight = Fraction(conv_w, ix.weight_scale) + Fraction(rehab.bound_wint, rehab.scale)
    return {"upper_bound_on_time": conv_n + rehab.bound_count,
            "upper_bound_on_time_weight": _number(weight),
            "upper_bound_conversation_weight": _number(Fraction(conv_w, ix.weight_scale)),
            "upper_bound_rehab_weight": _number(Fraction(rehab.bound_wint, rehab.scale))}


def solve(problem: Problem, settings: SolverSettings | None = None) -> Solution:
    """Allocate conversations to slots and cases to meetings; see `plan-format.md`.

    An unexpected internal failure gives status "error" (with `stats.error`), never a plan
    that was not produced by the whole pipeline.
    """
    t0 = time.perf_counter()
    try:
        return _solve(problem, settings or SolverSettings(), t0)
    except Exception as exc:  # noqa: BLE001 - reported in the solution, as the contract asks
        params = {"error": type(exc).__name__, "message": str(exc)}
        reason = reason_text(ERROR_CODE, params)
        items = [c.id for c in problem.conversations] + [r.id for r in problem.rehab_cases]
        return Solution(status="error",
                        unplanned=[Unplanned(i, reason, ERROR_CODE, params) for i in items],
                        stats={"on_time": 0, "late": 0, "unplanned": len(items),
                               "upper_bound_on_time": 0,
                               "solve_seconds": round(time.perf_counter() - t0, 3),
                               "error": reason})


def _solve(problem: Problem, settings: SolverSettings, t0: float) -> Solution:
    ix = build_index(problem)
    conv = allocate_conversations(ix, settings.time_limit_s, num_workers=settings.num_workers,
                                  bounds=settings.bounds)
    rehab = allocate_rehab(problem)
    conv_reasons = explain_conversations(ix, conv.placed)
    rehab_reasons = explain_rehab(problem, rehab.placed)

    conv_on_time = [c for c, s in conv.placed.items() if ix.slot_day[s] <= ix.conv_deadline[c]]
    cases = problem.rehab_cases
    meetings = problem.rehab_meetings
    rehab_on_time = [i for i, j in rehab.placed.items()
                     if meetings[j].date <= cases[i].deadline]
    conv_w = Fraction(sum(ix.conv_wint[c] for c in conv_on_time), ix.weight_scale)
    conv_bound = Fraction(conv.bound_weight, ix.weight_scale)
    rehab_w = Fraction(rehab.on_time_wint, rehab.scale)
    rehab_bound = Fraction(rehab.bound_wint, rehab.scale)
    placed_n = len(conv.placed) + len(rehab.placed)
    on_time_n = len(conv_on_time) + len(rehab_on_time)
    if ix.locked_conflicts:
        status = "infeasible"
    elif settings.bounds and conv_w + rehab_w >= conv_bound + rehab_bound:
        status = "optimal"
    else:
        status = "feasible"
    lateness = sum(max(0, ix.slot_day[s] - ix.conv_deadline[c]) for c, s in conv.placed.items())
    moved = sum(1 for c, (s, locked) in ix.booking.items()
                if not locked and conv.placed.get(c) != s)
    stats: dict[str, Any] = {
        "on_time": on_time_n,
        "late": placed_n - on_time_n,
        "unplanned": len(conv_reasons) + len(rehab_reasons),
        "upper_bound_on_time": conv.bound_count + rehab.bound_count,
        "solve_seconds": round(time.perf_counter() - t0, 3),
        "on_time_weight": _number(conv_w + rehab_w),
        "upper_bound_on_time_weight": _number(conv_bound + rehab_bound),
        "conversation_on_time_weight": _number(conv_w),
        "conversation_upper_bound_weight": _number(conv_bound),
        "rehab_on_time_weight": _number(rehab_w),
        "rehab_upper_bound_weight": _number(rehab_bound),
        "late_days_total": lateness,
        "moved_bookings": moved,
    }
    if not settings.bounds:
        for key in [k for k in stats if "upper_bound" in k]:
            del stats[key]
    if ix.locked_conflicts:
        stats["locked_conflicts"] = ix.locked_conflicts
    stats.update({f"flow_{k}": v for k, v in conv.stats.items()})
    unplanned = [Unplanned(ix.conv_ids[c], r.text, r.code, r.params)
                 for c, r in sorted(conv_reasons.items())]
    unplanned += [Unplanned(cases[i].id, r.text, r.code, r.params)
                  for i, r in sorted(rehab_reasons.items())]
    return Solution(
        status=status,
        conversations=[(ix.conv_ids[c], ix.slot_ids[s]) for c, s in sorted(conv.placed.items())],
        rehab=[(cases[i].id, meetings[j].id) for i, j in sorted(rehab.placed.items())],
        unplanned=unplanned,
        stats=stats,
    )
