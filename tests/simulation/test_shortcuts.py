"""The simulation's shortcuts give what the plain computation gives: the needs a policy sees
(`open_needs`), the re-plan's problem built from typed values (`plan`), the kept draws
(`draws`), the days a citizen is known to have no next need (`quiet_until`), the calibration's
sorting, the seat search by day, and the garbage collector left as it was."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import gc
import random

import pytest

from solver.problem import ProblemError, load_problem, related
from solver.simulation import solver_policy
from solver.simulation.calibration import calibration
from solver.simulation.cli import run_seed
from solver.simulation.draws import randint, stream, uniform
from solver.simulation.open_needs import OpenNeeds
from solver.simulation.plan import document, snapshot
from solver.simulation.policies import SolverPolicy
from solver.simulation.population import next_obligation, population, quiet_until
from solver.simulation.run import World
from solver.simulation.scenario import resolve_rule_set
from solver.simulation.world import Citizen, CitizenSpec, Need, Seats, first_index

DAY = dt.timedelta(days=1)


def _need(rng: random.Random, rank: int, start: dt.date) -> Need:
    spec = CitizenSpec(f"c{rank:03d}", "g", "u", "u-1", start, None, 0.5, dt.date(1980, 1, 1),
                       "never")
    cit = Citizen(spec, [])
    cit.rank = rank
    appear = start + dt.timedelta(days=rng.randrange(30))
    known = appear - dt.timedelta(days=rng.randrange(20))
    deadline = appear + dt.timedelta(days=rng.randrange(5, 40))
    return Need(cit, "k", appear, deadline, None, ("in_person",), 45, False, appear, known,
                deadline, appear)


def test_open_needs_are_those_a_filter_and_a_sort_give():
    rng = random.Random(5)
    start = dt.date(2027, 1, 4)
    needs = OpenNeeds()
    live: dict[int, Need] = {}
    day = start
    for rank in range(600):
        if live and rng.random() < 0.4:
            gone = live.pop(rng.choice(list(live)))
            needs.remove(gone)
        need = _need(rng, rank, day)
        live[rank] = need
        needs.add(need)
        if rng.random() < 0.2:
            day += dt.timedelta(days=rng.randrange(3))
        for early in (False, True):
            shown = needs.visible(day, early)
            expected = sorted((n for n in live.values()
                               if (n.known if early else n.appear) <= day),
                              key=lambda n: (n.deadline, n.cit.id))
            assert shown == expected
    assert needs.visible(start, False) == sorted(
        (n for n in live.values() if n.appear <= start), key=lambda n: (n.deadline, n.cit.id))


def test_the_replan_problem_is_the_document_it_reads_from(small, monkeypatch):
    """Every weekly re-plan of a short run: the problem built from typed values equals
    `load_problem` of its document."""
    built = []
    plan_instance = solver_policy.plan_instance

    def spy(*args, **kwargs):
        inst = plan_instance(*args, **kwargs)
        built.append(inst)
        return inst

    monkeypatch.setattr(solver_policy, "plan_instance", spy)
    run_seed(small, seed=2, weeks=3, policies=("solver",))
    assert len(built) >= 3
    for inst in built:
        assert inst.problem.conversations and inst.problem.slots
        assert load_problem(document(inst.problem)) == inst.problem
        assert load_problem(inst.data) == inst.problem


def test_related_refuses_what_load_problem_refuses(small):
    rule_set = resolve_rule_set(small)
    specs = population(small, rule_set, 1, small.warmup_weeks + 2)
    world = World(small, rule_set, 1, 2, specs, SolverPolicy())
    world.run()
    inst, _solution = snapshot(world, small.start + dt.timedelta(weeks=small.warmup_weeks))
    good = inst.problem
    assert good.slots and related(good) is good
    twice = dataclasses.replace(good, slots=good.slots + good.slots[:1])
    with pytest.raises(ProblemError) as refused:
        related(twice)
    with pytest.raises(ProblemError) as loaded:
        load_problem(document(twice))
    assert refused.value.problems == loaded.value.problems


def test_kept_draws_are_the_streams_draws():
    for key in (("rebook", "c1", "k", 2), ("selfbook", "c9", "x")):
        for low, high in ((0, 3), (5, 9)):
            assert randint(11, low, high, *key) == stream(11, *key).randint(low, high)
    assert uniform(11, "show", "c1", "k", 0) == stream(11, "show", "c1", "k", 0).random()


def test_no_next_need_before_quiet_until(small):
    rule_set = resolve_rule_set(small)
    specs = population(small, rule_set, 3, small.warmup_weeks + 8)
    quiet = 0
    for spec in specs[:200]:
        held = list(spec.history)
        day = max(spec.start, small.start)
        if next_obligation(rule_set, spec, held, day) is not None:
            continue
        until = quiet_until(rule_set, spec, day)
        assert until > day
        probe = day
        while probe < min(until, day + dt.timedelta(days=400)):
            assert next_obligation(rule_set, spec, held, probe) is None, (spec.id, probe)
            probe += dt.timedelta(days=7)
        quiet += 1
    assert quiet > 0


def test_calibration_sorts_and_sums_as_written_plainly():
    rng = random.Random(3)
    records = [(rng.choice([0.3, 0.5, 0.6799999999999999, 0.68, rng.random()]),
                rng.choice([0.6, 0.85]), round(rng.random(), 4), rng.random() < 0.7)
               for _ in range(5000)]
    est = [r[0] for r in records]
    truth = [r[2] for r in records]
    came = [1.0 if r[3] else 0.0 for r in records]
    order = sorted(range(len(records)), key=lambda i: (est[i], truth[i]))
    cal = calibration(records)
    assert cal["brier"] == sum((e - c) ** 2 for e, c in zip(est, came, strict=True)) / len(records)
    for b, decile in enumerate(cal["deciles"]):
        idx = order[b * 500:(b + 1) * 500]
        assert decile == {"n": 500, "estimate": sum(est[i] for i in idx) / 500,
                          "came": sum(came[i] for i in idx) / 500,
                          "truth": sum(truth[i] for i in idx) / 500}


def test_seats_by_day_are_found_as_by_bisection(small):
    rule_set = resolve_rule_set(small)
    world = World(small, rule_set, 1, 2, [], SolverPolicy())
    seats = next(iter(world.seats_by_cw.values()))
    assert isinstance(seats, Seats) and len(seats) > 20
    plain = list(seats)
    day = seats[0].day - DAY
    while day <= seats[-1].day + DAY:
        assert first_index(seats, day) == first_index(plain, day) == bisect.bisect_left(
            [s.day for s in plain], day)
        day += DAY


@pytest.mark.parametrize("enabled", [True, False])
def test_a_seed_leaves_the_garbage_collector_as_it_was(tiny, enabled):
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        run_seed(tiny, seed=1, weeks=1, policies=("edf",))
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
