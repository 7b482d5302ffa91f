"""Command line: `python -m solver solve|check|bound` (see `plan-format.md`).

Exit status: 0 fine; 1 `check` found broken rules, or `solve` could not produce a valid plan
(status infeasible or error); 2 malformed input (one `path: message` line per problem).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .api import SolverSettings, solve, upper_bound
from .check import check
from .problem import Problem, ProblemError, load_problem
from .solution import Solution


class InputError(Exception):
    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def _read_json(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as exc:
        raise InputError([f"{path}: cannot read ({exc.strerror or exc})"]) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError([f"{path}: not valid JSON ({exc})"]) from None


def _problem(path: str) -> Problem:
    data = _read_json(path)
    try:
        return load_problem(data)
    except ProblemError as exc:
        raise InputError(exc.problems) from None


def _cmd_solve(args: argparse.Namespace) -> int:
    problem = _problem(args.instance)
    settings = SolverSettings(time_limit_s=args.time_limit, num_workers=args.workers)
    solution = solve(problem, settings)
    text = json.dumps(solution.to_json(), indent=1, ensure_ascii=False)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text + "\n")
        st = solution.stats
        print(f"{solution.status}: on-time weight {st['on_time_weight']} of at most "
              f"{st['upper_bound_on_time_weight']}, {st['on_time']} on time, {st['late']} late, "
              f"{st['unplanned']} unplanned, {st['solve_seconds']} s", file=sys.stderr)
    else:
        print(text)
    return 0 if solution.status in ("optimal", "feasible") else 1


def _cmd_check(args: argparse.Namespace) -> int:
    problem = _problem(args.instance)
    try:
        solution = Solution.from_json(_read_json(args.solution))
    except ProblemError as exc:
        raise InputError([f"{args.solution}: {line}" for line in exc.problems]) from None
    broken = check(problem, solution)
    for line in broken:
        print(line)
    if not broken:
        print("ok: no hard rule is broken")
    return 1 if broken else 0


def _cmd_bound(args: argparse.Namespace) -> int:
    print(json.dumps(upper_bound(_problem(args.instance))))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m solver", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_solve = sub.add_parser("solve", help="solve an instance")
    p_solve.add_argument("instance")
    p_solve.add_argument("-o", "--output", help="write the solution here (default: stdout)")
    p_solve.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    p_solve.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    p_solve.set_defaults(run=_cmd_solve)
    p_check = sub.add_parser("check", help="list every broken hard rule of a solution")
    p_check.add_argument("instance")
    p_check.add_argument("solution")
    p_check.set_defaults(run=_cmd_check)
    p_bound = sub.add_parser("bound", help="print the proven upper bound")
    p_bound.add_argument("instance")
    p_bound.set_defaults(run=_cmd_bound)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except InputError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return 2
