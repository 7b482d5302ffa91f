"""Same seed, same figures; common random numbers; the clairvoyant reference on top;
every plan of every policy passes solver.check."""

from __future__ import annotations

import pytest

from solver.simulation.cli import DEFAULT_POLICIES, run, run_seed
from solver.simulation.draws import stream, uniform
from solver.simulation.population import population
from solver.simulation.run import World
from solver.simulation.scenario import resolve_rule_set
from solver.simulation.world import show_draw

WEEKS = 6


@pytest.fixture(scope="module")
def runs(small):
    return run(small, [1, 2], WEEKS, DEFAULT_POLICIES, check_plans=True)


def test_same_seed_gives_identical_figures(small, runs):
    again = run(small, [1, 2], WEEKS, DEFAULT_POLICIES, check_plans=False, jobs=2)
    for name in DEFAULT_POLICIES:
        for a, b in zip(runs[name], again[name], strict=True):
            for key in ("on_time", "due", "weekly_on_time", "late_days", "held", "missed",
                        "rehab_on_time", "turned_away", "seats"):
                assert a[key] == b[key], (name, key)


def test_other_seed_gives_other_figures(runs):
    a, b = runs["edf"]
    assert (a["due"], a["held"]) != (b["due"], b["held"])


def test_every_plan_passes_the_checker(runs):
    for name in DEFAULT_POLICIES:
        for r in runs[name]:
            assert r["plans_checked"] > 0, name
            assert r["broken"] == [], (name, r["broken"][:5])


def test_clairvoyant_is_never_below_any_policy(runs):
    def share(r):
        return sum(r["on_time"].values()) / max(1, sum(r["due"].values()))
    for i in range(2):
        best = share(runs["clairvoyant"][i])
        for name in DEFAULT_POLICIES:
            assert best >= share(runs[name][i]) - 1e-12, name
        assert runs["clairvoyant"][i]["missed"] == 0


def test_streams_are_keyed_not_shared():
    assert uniform(7, "show", "c1", "k", 0) == uniform(7, "show", "c1", "k", 0)
    assert uniform(7, "show", "c1", "k", 0) != uniform(7, "show", "c1", "k", 1)
    assert uniform(7, "show", "c1", "k", 0) != uniform(8, "show", "c1", "k", 0)
    first = stream(7, "inflow", "g", 3)
    drawn = [first.random() for _ in range(3)]
    other = stream(7, "inflow", "g", 3)
    assert drawn == [other.random() for _ in range(3)]  # a stream is its key, not its history


def test_population_does_not_depend_on_the_policy(small):
    rule_set = resolve_rule_set(small)
    specs = population(small, rule_set, 5, small.warmup_weeks + WEEKS)
    assert specs == population(small, rule_set, 5, small.warmup_weeks + WEEKS)
    assert specs != population(small, rule_set, 6, small.warmup_weeks + WEEKS)


def test_a_policy_change_does_not_change_the_draws(small):
    """Record every show draw a policy asks for; where two policies ask for the same (citizen,
    conversation, attempt), they get the same answer, and it equals the stream's value."""
    rule_set = resolve_rule_set(small)
    specs = population(small, rule_set, 3, small.warmup_weeks + WEEKS)
    seen: dict[str, dict[tuple, bool]] = {}
    import solver.simulation.run as sim_run

    original = sim_run.show_draw
    for name in ("today", "edf", "solver"):
        record: dict[tuple, bool] = {}

        def spy(seed, need, attempt, record=record):
            out = original(seed, need, attempt)
            record[(need.cit.id, need.key, attempt)] = out
            return out

        sim_run.show_draw = spy
        try:
            from solver.simulation.policies import POLICIES

            World(small, rule_set, 3, WEEKS, specs, POLICIES[name]()).run()
        finally:
            sim_run.show_draw = original
        seen[name] = record
    common = set(seen["today"]) & set(seen["edf"]) & set(seen["solver"])
    assert len(common) > 50
    for key in common:
        assert seen["today"][key] == seen["edf"][key] == seen["solver"][key]
    spec = {s.id: s for s in specs}
    for (cid, key, attempt), value in list(seen["edf"].items())[:200]:
        assert value == (uniform(3, "show", cid, key, attempt) < spec[cid].p)
    assert show_draw is original


def test_same_world_for_every_policy(small):
    runs = run_seed(small, 4, 3, ("today", "solver"))
    assert runs["today"].seats == runs["solver"].seats
    assert runs["today"].due.keys() == runs["solver"].due.keys()
