"""Public API, solution format, generator, explanations, and a small benchmark instance."""

from __future__ import annotations

from solver import Problem, SolverSettings, check, load_problem, solve, upper_bound
from solver.bench import main as bench_main
from solver.bench import run_parse
from solver.generate import SHAPES, generate
from solver.solution import Solution

from .solver_testkit import base, conv, slot, solve_checked


def test_solution_json_round_trip() -> None:
    data = base(slots=[slot("s-1")], conversations=[conv("d-1"), conv("d-2", minutes=90)])
    solution = solve_checked(data)
    doc = solution.to_json()
    assert doc["format"] == "jobcenter-plan-solution/1"
    assert doc["conversations"] == [{"conversation": "d-1", "slot": "s-1"}]
    assert doc["unplanned"][0]["id"] == "d-2"
    assert set(doc["stats"]) >= {"on_time", "late", "unplanned", "upper_bound_on_time",
                                 "solve_seconds"}
    assert Solution.from_json(doc) == solution


def test_generated_small_instance_is_optimal_with_two_workers() -> None:
    data = generate(SHAPES["S"], seed=3)
    assert generate(SHAPES["S"], seed=3) == data  # seeded
    problem = load_problem(data)
    solution = solve(problem, SolverSettings(time_limit_s=20, num_workers=2))
    assert check(problem, solution) == []
    assert solution.status == "optimal"
    assert solution.stats["on_time_weight"] == upper_bound(problem)["upper_bound_on_time_weight"]


def test_late_conversations_as_early_as_possible() -> None:
    data = base(slots=[slot("s-3", "2027-03-12"), slot("s-1", "2027-03-10"),
                       slot("s-2", "2027-03-11")],
                conversations=[conv("d-1", deadline="2027-03-05")])
    solution = solve_checked(data)
    assert dict(solution.conversations) == {"d-1": "s-1"}
    assert solution.stats["late"] == 1
    assert solution.stats["late_days_total"] == 5


def test_risky_citizen_early_enough_to_rebook() -> None:
    data = base(citizens=[{"id": "c-1", "unit": "u-1", "caseworker": "cw-1",
                           "show_probability": 0.4},
                          {"id": "c-2", "unit": "u-1", "caseworker": "cw-1"}],
                slots=[slot("early", "2027-03-02"), slot("late", "2027-03-09")],
                conversations=[conv("d-risky", deadline="2027-03-10"),
                               conv("d-safe", citizen="c-2", deadline="2027-03-10")])
    plan = dict(solve_checked(data).conversations)
    assert plan == {"d-risky": "early", "d-safe": "late"}


def test_unlocked_booking_stays_unless_it_helps() -> None:
    data = base(citizens=[{"id": "c-1", "unit": "u-1", "caseworker": "cw-1"},
                          {"id": "c-2", "unit": "u-1", "caseworker": "cw-1"}],
                slots=[slot("a", "2027-03-02"), slot("b", "2027-03-03"),
                       slot("c", "2027-03-08")],
                conversations=[conv("d-1", deadline="2027-03-20"),
                               conv("d-2", citizen="c-2", deadline="2027-03-02")],
                bookings=[{"conversation": "d-1", "slot": "b"}])
    plan = dict(solve_checked(data).conversations)
    assert plan == {"d-1": "b", "d-2": "a"}  # d-1 keeps its booking
    data["bookings"] = [{"conversation": "d-1", "slot": "a"}]
    plan = dict(solve_checked(data).conversations)
    assert plan["d-2"] == "a"  # the booking moves: d-2 can only be on time in slot a


def test_problem_is_typed() -> None:
    problem = load_problem(base(slots=[slot("s-1")], conversations=[conv("d-1", weight=1.5)]))
    assert isinstance(problem, Problem)
    assert problem.conversations[0].weight == 1.5


def test_bench_small_runs(capsys) -> None:  # type: ignore[no-untyped-def]
    assert bench_main(["--size", "S"]) == 0
    out = capsys.readouterr().out
    assert "optimal" in out and out.splitlines()[0].startswith("size")


def test_bench_parse_times_reading_and_validating_a_file() -> None:
    row = run_parse(1, shape="S")
    assert row["conversations"] == len(generate(SHAPES["S"], 1)["conversations"])
    assert row["mb"] > 0 and 0 < row["json_s"] <= row["total_s"]
    assert row["validate_s"] == row["total_s"] - row["json_s"]
