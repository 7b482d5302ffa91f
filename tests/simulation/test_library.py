"""The scenario library: at least eight job centres that load, split into a tuning half and a
held-out half; the runner's verdicts."""

from __future__ import annotations

import pytest

from solver.simulation.library import TUNING, half_means, library_files, main, table, verdicts
from solver.simulation.scenario import load_scenario, resolve_rule_set


def test_the_library_spans_what_job_centres_face():
    scenarios = [load_scenario(p) for p in library_files()]
    assert len(scenarios) >= 8
    for s in scenarios:
        resolve_rule_set(s)
    rule_sets = {str(s.rule_set) for s in scenarios}
    assert {"copenhagen-2017", "lab-2024", "reform-2026-07"} <= rule_sets
    assert any(len(s.units) == 1 for s in scenarios) and any(len(s.units) > 1 for s in scenarios)
    assert any(s.rehab.meetings for s in scenarios) and any(not s.rehab.meetings
                                                            for s in scenarios)
    with_groups = [any(u.group_callins for u in s.units) for s in scenarios]
    assert any(with_groups) and not all(with_groups)
    names = {s.name for s in scenarios}
    assert set(TUNING) <= names
    assert abs(len(names - set(TUNING)) - len(TUNING)) <= 1  # two halves


def test_every_file_runs_the_policy_with_the_same_parameters():
    """One policy for the whole library: its `[policy]` parameters are chosen on the tuning
    half and the held-out files carry the same, so nothing is tuned to a file held out."""
    params = {p.stem: load_scenario(p).policy for p in library_files()}
    assert len(set(params.values())) == 1, params
    assert next(iter(params.values())).pool_risk > 0  # pooled windows everywhere


def test_verdicts():
    row = {"solver_minus_edf_pp": {"lo": 0.4}, "turned_away_share": 0.004}
    assert verdicts(row) == []
    row = {"solver_minus_edf_pp": {"lo": -0.1}, "turned_away_share": 0.02}
    assert verdicts(row) == ["solver-edf interval not above 0", "turned away > 1 %"]


def test_the_halves_report_the_share_of_the_closable_gap():
    rows = [{"file": f"{i}.toml", "half": half, "load": 0.5, "show": 0.8,
             "on_time": {"edf": 0.9, "solver": 0.95, "clairvoyant": 1.0},
             "solver_minus_edf_pp": {"mean": 5.0, "lo": 4.0, "hi": 6.0},
             "gap_closed": gap, "gap_ceiling": ceil, "turned_away_share": 0.001}
            for i, (half, gap, ceil) in enumerate([("tuning", 0.3, 0.6), ("tuning", 0.5, 0.6),
                                                  ("held out", 0.2, 0.4)])]
    assert half_means(rows[:2]) == pytest.approx((0.4, 0.6))
    halves = [" ".join(line.split()) for line in table(rows).splitlines()
              if "mean gap closed" in line]
    assert halves == [
        "mean gap closed, tuning 40 % (NOT reached: target 50 %; at most 60 % for any policy "
        "without foresight, of which 67 % closed)",
        "mean gap closed, held out 20 % (NOT reached: target 50 %; at most 40 % for any policy "
        "without foresight, of which 50 % closed)"]


def test_the_runner_prints_both_halves(capsys):
    small = [p for p in library_files() if p.stem == "small"]
    code = main([str(small[0]), "--weeks", "2", "--seeds", "2", "--jobs", "1"])
    out = capsys.readouterr().out
    assert code in (0, 1)
    assert "small.toml" in out and "tuning" in out and "mean gap closed, tuning" in out
