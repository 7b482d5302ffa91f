"""`ProgrammeObligations`' shortcuts for the simulation give exactly what `each` and
`compute_obligations` give: `first_open`, `each_fulfilled`, `next_start`, programmes that share
their slots (same group and start day, other ends and horizons) and history lists that begin
with the same events."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from booking.rules import HeldConversation, compute_obligations
from booking.rules.in_force import packaged_rule_sets
from booking.rules.programme import ProgrammeObligations

KINDS = ("conversation", "conversation", "conversation", "offer", "rehab_presentation")
HOLDERS = ("jobcentre", "jobcentre", "unemployment_fund")


def _event(rng: random.Random, day: dt.date) -> HeldConversation:
    return HeldConversation(day, kind=rng.choice(KINDS), holder=rng.choice(HOLDERS),
                            joint=rng.random() < 0.3, fund_declined=rng.random() < 0.1)


def _history(rng: random.Random, start: dt.date, events: int) -> list[HeldConversation]:
    held, day = [], start - dt.timedelta(days=rng.randrange(10))
    for _ in range(events):
        day += dt.timedelta(days=rng.randrange(0, 60))
        held.append(_event(rng, day))
    return held


def _programmes(rule_set, seed: str, per_group: int = 4):
    """(group, start, birth, end, programme) for random programmes of every group."""
    rng = random.Random(seed + rule_set.id)
    for group in rule_set.groups:
        for _ in range(per_group):
            start = rule_set.effective_from + dt.timedelta(days=rng.randrange(300))
            end = None if rng.random() < 0.5 else start + dt.timedelta(days=rng.randrange(30, 600))
            birth = start - dt.timedelta(days=365 * rng.randint(18, 64) + rng.randrange(365))
            prog = ProgrammeObligations(rule_set, group, start, birth_date=birth,
                                        programme_end=end,
                                        horizon=start + dt.timedelta(days=900))
            yield rng, group, start, birth, end, prog


@pytest.mark.parametrize("rule_set", packaged_rule_sets(), ids=lambda r: r.id)
def test_first_open_and_each_fulfilled_agree_with_each(rule_set):
    checked = 0
    for rng, _group, start, _birth, _end, prog in _programmes(rule_set, "first"):
        held: list[HeldConversation] = []
        for _ in range(8):
            held = held + [_event(rng, start + dt.timedelta(days=rng.randrange(600)))]
            held.sort(key=lambda e: e.date)
            until = start + dt.timedelta(days=rng.randrange(-10, 850))
            day = until - dt.timedelta(days=rng.randrange(400))
            every = list(prog.each(held, until))
            pairs = list(prog.each_fulfilled(held, until))
            assert [dataclasses.replace(ob, fulfilled_on=done) for ob, done in pairs] == every
            assert all(ob.fulfilled_on is None for ob, _done in pairs)

            def accept(ob, day=day):
                return ob.bookable and (ob.closes is None or ob.closes >= day)

            expected = next((ob for ob in every if ob.is_open and accept(ob)), None)
            assert prog.first_open(held, until, accept) == expected
            checked += expected is not None
    assert checked > 10


@pytest.mark.parametrize("rule_set", packaged_rule_sets(), ids=lambda r: r.id)
def test_nothing_new_starts_before_next_start(rule_set):
    """For every `until` between a cut and `next_start` the answer is the same; from
    `next_start` on (when there is one within the horizon) a programme without an end has one
    more obligation (with an end, one owed past the end may stay out)."""
    grew = 0
    for rng, _group, start, _birth, end, prog in _programmes(rule_set, "next", per_group=10):
        held = _history(rng, start, rng.randrange(6))
        until = start + dt.timedelta(days=rng.randrange(300))
        first = prog.next_start(until)
        answer = prog.at(held, until)
        last = min(first or prog.horizon, prog.horizon) - dt.timedelta(days=1)
        for probe in (until + dt.timedelta(days=1), last):
            if until <= probe <= prog.horizon:
                assert prog.at(held, probe) == answer
        if first is not None and first <= prog.horizon and end is None:
            assert len(prog.at(held, first)) > len(answer)
            grew += 1
    assert grew > 0


@pytest.mark.parametrize("rule_set", packaged_rule_sets(), ids=lambda r: r.id)
def test_programmes_of_one_start_share_slots_and_still_answer_alike(rule_set):
    """Same group, start and age, other ends and horizons (the shared slots are built to the
    largest, cut for each): every answer equals `compute_obligations`."""
    rng = random.Random("share" + rule_set.id)
    for group in rule_set.groups:
        start = rule_set.effective_from + dt.timedelta(days=rng.randrange(200))
        birth = dt.date(1980, 5, 17)
        for end_days, horizon_days in ((None, 200), (90, 900), (None, 700), (400, 300)):
            end = None if end_days is None else start + dt.timedelta(days=end_days)
            prog = ProgrammeObligations(rule_set, group, start, birth_date=birth,
                                        programme_end=end,
                                        horizon=start + dt.timedelta(days=horizon_days))
            held = _history(rng, start, 5)
            for until_days in (-5, 30, 150, horizon_days):
                until = start + dt.timedelta(days=until_days)
                assert prog.at(held, until) == compute_obligations(
                    rule_set, group, start, held, until=until, birth_date=birth,
                    programme_end=end), (group, end, until)


@pytest.mark.parametrize("rule_set", packaged_rule_sets(), ids=lambda r: r.id)
def test_lists_that_begin_alike_are_matched_alike(rule_set):
    """Two history lists with the same first events (one run's and another's, from one
    citizen's history), each then growing its own way: every answer equals
    `compute_obligations`."""
    rng = random.Random("begin" + rule_set.id)
    for group in rule_set.groups:
        start = rule_set.effective_from + dt.timedelta(days=rng.randrange(200))
        birth = dt.date(1971, 2, 3)
        prog = ProgrammeObligations(rule_set, group, start, birth_date=birth,
                                    horizon=start + dt.timedelta(days=900))
        history = tuple(_history(rng, start, 4))
        day = max((e.date for e in history), default=start)
        runs = [list(history) for _ in range(3)]
        for step in range(6):
            for held in runs:
                if step:
                    held.append(_event(rng, day + dt.timedelta(days=rng.randrange(1, 40) * step)))
                until = held[-1].date + dt.timedelta(days=30) if held else start
                assert prog.at(held, until) == compute_obligations(
                    rule_set, group, start, held, until=until, birth_date=birth)
