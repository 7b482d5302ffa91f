"""Estimated, not known, show probabilities: the app's estimator fed by the attendance the
simulated job centre observed, and its calibration (Brier score, reliability by decile)."""

from __future__ import annotations

import inspect

import pytest

from solver.attendance import estimate_show_probability
from solver.simulation import world as world_module
from solver.simulation.calibration import calibration
from solver.simulation.cli import run_seed
from solver.simulation.policies import SolverPolicy
from solver.simulation.population import population
from solver.simulation.run import World
from solver.simulation.scenario import resolve_rule_set


def test_calibration_by_hand():
    records = [(0.5, 0.5, 0.5, True), (0.5, 0.5, 0.5, False), (0.9, 0.8, 1.0, True),
               (0.1, 0.8, 0.0, False)]
    cal = calibration(records, bins=2)
    assert cal["n"] == 4
    assert cal["brier"] == pytest.approx((0.25 + 0.25 + 0.01 + 0.01) / 4)
    assert cal["brier_prior"] == pytest.approx((0.25 + 0.25 + 0.04 + 0.64) / 4)
    assert cal["brier_truth"] == pytest.approx((0.25 + 0.25 + 0 + 0) / 4)
    assert cal["mean_abs_error"] == pytest.approx((0 + 0 + 0.1 + 0.1) / 4)
    low, high = cal["deciles"]  # sorted by estimate: 0.1, 0.5 (came), 0.5 (missed), 0.9
    assert low == pytest.approx({"n": 2, "estimate": 0.3, "came": 0.5, "truth": 0.25})
    assert high == pytest.approx({"n": 2, "estimate": 0.7, "came": 0.5, "truth": 0.75})
    assert calibration([])["n"] == 0


def test_the_estimate_follows_what_the_job_centre_saw(tiny):
    """tiny-hand under EDF (see test_hand_checked): A comes on 13 January; B misses on 20
    January and comes on 3 February. Nobody has history, so every first estimate is the prior
    (`[policy] prior_mean`, 0.8); B's second is the Beta posterior after one miss:
    (0.8·4 + 0) / (4 + 1) = 0.64."""
    r = run_seed(tiny, seed=1, weeks=5, policies=("edf",))["edf"]
    assert r.calibration == [(0.8, 0.8, 1.0, True), (0.8, 0.8, 0.5, False),
                             (pytest.approx(0.64), 0.8, 0.5, True)]
    assert estimate_show_probability(0, 1, 0.8) == pytest.approx(0.64)


def test_no_policy_reads_the_drawn_show_probability(small, monkeypatch):
    """Every read of a citizen's true probability during a solver-policy run comes from the
    world itself (the show draw, the calibration record, the load figure), never a policy."""
    readers: set[str] = set()

    class Watched(world_module.CitizenSpec):
        def __getattribute__(self, name: str):
            if name == "p":
                caller = inspect.stack()[1]
                readers.add(f"{caller.filename.rsplit('/', 1)[-1]}:{caller.function}")
            return super().__getattribute__(name)

    rule_set = resolve_rule_set(small)
    specs = [Watched(**{f: getattr(s, f) for f in s.__dataclass_fields__})
             for s in population(small, rule_set, 1, small.warmup_weeks + 4)]
    result = World(small, rule_set, 1, 4, specs, SolverPolicy()).run()
    assert result.held > 0
    assert readers <= {"world.py:show_draw", "attendance.py:_observe", "measure.py:_measure"}
    assert "world.py:show_draw" in readers


def test_the_estimate_beats_the_prior_and_not_the_truth(small):
    """On the small scenario (two seeds, solver policy), the estimate's Brier score lies between
    the truth's (the outcome's own noise) and the prior's (no history used)."""
    records = []
    for seed in (1, 2):
        records += run_seed(small, seed=seed, weeks=8, policies=("solver",))["solver"].calibration
    cal = calibration(records)
    assert cal["n"] > 500
    assert cal["brier_truth"] < cal["brier"] < cal["brier_prior"]
    means = [d["estimate"] for d in cal["deciles"]]
    assert means == sorted(means)
