"""`python -m solver.simulate SCENARIO …`: the simulation's command (see `solver.simulation`)."""

from __future__ import annotations

import sys

from .simulation.cli import DEFAULT_POLICIES, main, run, run_seed

__all__ = ["DEFAULT_POLICIES", "main", "run", "run_seed"]

if __name__ == "__main__":
    sys.exit(main())
