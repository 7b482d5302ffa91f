"""Random tiny instances: the solver's on-time weight equals a brute-force optimum, the
checker finds no broken rule, and the status is optimal exactly when the bound is reached."""

from __future__ import annotations

import itertools
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver import check, load_problem
from solver.solution import Solution

from .solver_testkit import base, solve_checked

DAYS = ["2027-02-28", "2027-03-01", "2027-03-02", "2027-03-03", "2027-03-04"]
CHANNELS = ["in_person", "phone", "video"]


@st.composite
def instances(draw: st.DrawFn) -> dict[str, Any]:
    caseworkers = [{"id": "cw-1", "unit": "u-1"}, {"id": "cw-2", "unit": "u-1"},
                   {"id": "cw-3", "unit": "u-2"}]
    for cw in caseworkers:
        limit = draw(st.sampled_from([None, 1, 2]))
        if limit is not None:
            cw["max_per_day"] = limit
    citizens = []
    for i in range(draw(st.integers(1, 3))):
        citizens.append({
            "id": f"c-{i}", "unit": draw(st.sampled_from(["u-1", "u-2"])),
            "caseworker": draw(st.sampled_from(["cw-1", "cw-2", "cw-3"])),
            "show_probability": draw(st.sampled_from([0.5, 0.9, 1.0])),
            "channels": draw(st.lists(st.sampled_from(CHANNELS), min_size=1, max_size=3,
                                      unique=True))})
    slots = []
    for i in range(draw(st.integers(1, 5))):
        slots.append({"id": f"s-{i}", "caseworker": draw(st.sampled_from(["cw-1", "cw-2", "cw-3"])),
                      "start": f"{draw(st.sampled_from(DAYS))}T09:{i:02d}",
                      "minutes": draw(st.sampled_from([30, 45])),
                      "channel": draw(st.sampled_from(CHANNELS)),
                      "capacity": draw(st.sampled_from([1, 1, 2]))})
    conversations = []
    for i in range(draw(st.integers(1, 4))):
        a, b = sorted(draw(st.lists(st.integers(0, 4), min_size=2, max_size=2)))
        conversations.append({
            "id": f"d-{i}", "citizen": draw(st.sampled_from([c["id"] for c in citizens])),
            "earliest": DAYS[a], "deadline": DAYS[b],
            "minutes": draw(st.sampled_from([30, 45])),
            "pool": draw(st.sampled_from(["caseworker", "unit"])),
            "weight": draw(st.sampled_from([1, 2, 0.5, 1.25]))})
    bookings = []
    if draw(st.booleans()):
        bookings.append({"conversation": "d-0", "slot": draw(st.sampled_from(slots))["id"],
                         "locked": draw(st.booleans())})
    meetings = [{"id": f"m-{i}", "date": DAYS[draw(st.integers(0, 4))],
                 "capacity": draw(st.integers(0, 2))} for i in range(draw(st.integers(0, 2)))]
    cases = []
    for i in range(draw(st.integers(0, 3))):
        cases.append({"id": f"r-{i}", "citizen": citizens[0]["id"],
                      "ready": draw(st.sampled_from(["2027-02-10", "2027-02-16", "2027-02-20"])),
                      "deadline": DAYS[draw(st.integers(0, 4))],
                      "material_sent": draw(st.booleans()),
                      "weight": draw(st.sampled_from([1, 2]))})
    return base(caseworkers=caseworkers, citizens=citizens, slots=slots,
                conversations=conversations, bookings=bookings, rehab_meetings=meetings,
                rehab_cases=cases)


def brute_force(data: dict[str, Any]) -> tuple[float, float]:
    """Best on-time weight over every assignment the independent checker accepts."""
    problem = load_problem(data)
    slot_date = {s.id: s.date for s in problem.slots}
    convs = problem.conversations
    best_conv = 0.0
    for choice in itertools.product([None, *slot_date], repeat=len(convs)):
        placed = [(c.id, s) for c, s in zip(convs, choice, strict=True) if s is not None]
        unplanned = [(c.id, "x") for c, s in zip(convs, choice, strict=True) if s is None]
        unplanned += [(r.id, "x") for r in problem.rehab_cases]
        if check(problem, Solution("feasible", placed, [], unplanned, {})):
            continue
        value = sum(c.weight for c, s in zip(convs, choice, strict=True)
                    if s is not None and slot_date[s] <= c.deadline)
        best_conv = max(best_conv, value)
    meeting_date = {m.id: m.date for m in problem.rehab_meetings}
    best_rehab = 0.0
    cases = problem.rehab_cases
    for choice in itertools.product([None, *meeting_date], repeat=len(cases)):
        placed = [(r.id, m) for r, m in zip(cases, choice, strict=True) if m is not None]
        unplanned = [(r.id, "x") for r, m in zip(cases, choice, strict=True) if m is None]
        sol = Solution("feasible", [], placed, unplanned, {})
        if [line for line in check(problem, sol) if line.startswith("rehab")]:
            continue
        value = sum(r.weight for r, m in zip(cases, choice, strict=True)
                    if m is not None and meeting_date[m] <= r.deadline)
        best_rehab = max(best_rehab, value)
    return best_conv, best_rehab


EXAMPLES = int(os.environ.get("SOLVER_HYPOTHESIS_EXAMPLES", "80"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_matches_brute_force(data: dict[str, Any]) -> None:
    solution = solve_checked(data)  # runs the checker
    best_conv, best_rehab = brute_force(data)
    st_ = solution.stats
    assert abs(st_["conversation_on_time_weight"] - best_conv) < 1e-9
    assert abs(st_["rehab_on_time_weight"] - best_rehab) < 1e-9
    assert st_["conversation_upper_bound_weight"] >= best_conv - 1e-9
    assert (solution.status == "optimal") == (
        st_["on_time_weight"] >= st_["upper_bound_on_time_weight"] - 1e-9)
    assert st_["on_time"] <= st_["upper_bound_on_time"]
