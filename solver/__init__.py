"""Rettidig solver: conversations to caseworker slots, rehabilitation cases to team meetings.

Pure Python on OR-Tools; never imports the web application.
"""

from .api import SolverSettings, solve, upper_bound
from .check import check
from .problem import Problem, ProblemError, load_problem
from .solution import Solution

__all__ = ["Problem", "ProblemError", "Solution", "SolverSettings", "check", "load_problem",
           "solve", "upper_bound"]
