"""Solver tests: every solution a test produces goes through `solver.check`
(see `solver_testkit.solve_checked`)."""
