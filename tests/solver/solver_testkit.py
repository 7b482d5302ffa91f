"""Builders of small `jobcenter-plan/1` instances and a solve-and-check helper."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from solver import SolverSettings, check, load_problem, solve
from solver.solution import Solution

SAMPLES = Path(__file__).parent / "samples"


def base(**extra: Any) -> dict[str, Any]:
    """One caseworker, one citizen, nothing else; tests add what they need."""
    data: dict[str, Any] = {
        "format": "jobcenter-plan/1",
        "timezone": "Europe/Copenhagen",
        "today": "2027-03-01",
        "settings": {"rebook_days": 7, "rehab_lead_days": 14},
        "caseworkers": [{"id": "cw-1", "unit": "u-1", "max_per_day": 5},
                        {"id": "cw-2", "unit": "u-1"},
                        {"id": "cw-3", "unit": "u-2"}],
        "citizens": [{"id": "c-1", "unit": "u-1", "caseworker": "cw-1"}],
        "slots": [],
        "conversations": [],
        "bookings": [],
        "rehab_meetings": [],
        "rehab_cases": [],
    }
    data.update(copy.deepcopy(extra))
    return data


def slot(ident: str, day: str = "2027-03-02", cw: str = "cw-1", minutes: int = 30,
         channel: str = "in_person", capacity: int = 1, time: str = "09:00") -> dict[str, Any]:
    return {"id": ident, "caseworker": cw, "start": f"{day}T{time}", "minutes": minutes,
            "channel": channel, "capacity": capacity}


def conv(ident: str, earliest: str = "2027-03-01", deadline: str = "2027-03-10",
         citizen: str = "c-1", **extra: Any) -> dict[str, Any]:
    return {"id": ident, "citizen": citizen, "earliest": earliest, "deadline": deadline, **extra}


def solve_checked(data: dict[str, Any], time_limit_s: float = 10.0,
                  expect_valid: bool = True) -> Solution:
    """Solve and run the independent checker on the result (every solver test does)."""
    problem = load_problem(data)
    solution = solve(problem, SolverSettings(time_limit_s=time_limit_s, num_workers=1))
    round_trip = Solution.from_json(solution.to_json())
    broken = check(problem, round_trip)
    if expect_valid:
        assert broken == [], broken
    return solution


def placements(solution: Solution) -> dict[str, str]:
    return dict(solution.conversations)
