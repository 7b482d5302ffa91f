"""Rettidig solver: conversations to caseworker slots, rehabilitation cases to team meetings.

Pure Python on OR-Tools; never imports the web application. Two parts:

* the allocation, this package outside `simulation/`: the `jobcenter-plan/1` format
  (`schema`, `problem`, `solution`; validation in `validation`), the solver (`model`, `flow`,
  `allocate`, `rehab`, `explain`, `api`), the independent checker (`check`), the command line
  (`cli`), benchmarks (`generate`, `bench`), and helpers the web app shares (`sizing`, `chart`).
  It imports nothing from `booking` and nothing from the simulation.
* the simulation, `simulation/` (`python -m solver.simulate`): a Monte-Carlo of booking
  policies that uses the allocation and the rules engine `booking.rules`.
"""

from .api import SolverSettings, solve, upper_bound
from .check import check
from .problem import Problem, ProblemError, load_problem
from .solution import Solution

__all__ = ["Problem", "ProblemError", "Solution", "SolverSettings", "check", "load_problem",
           "solve", "upper_bound"]
