"""Show probability from a citizen's own attendance history, with a Beta prior.

The estimator itself is pure and lives in :mod:`solver.attendance`, so that the simulation's
policies estimate exactly as the app does."""

from __future__ import annotations

from solver.attendance import PRIOR_STRENGTH, estimate_show_probability

__all__ = ["PRIOR_STRENGTH", "estimate_show_probability"]
