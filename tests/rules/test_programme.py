"""`ProgrammeObligations` (slots built once, cut per call) gives exactly what
`compute_obligations` gives, for every packaged rule set and group, random programmes, histories
and `until` dates."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from booking.rules import HeldConversation, compute_obligations
from booking.rules.in_force import packaged_rule_sets
from booking.rules.programme import ProgrammeObligations

KINDS = ("conversation", "conversation", "conversation", "offer", "rehab_presentation",
         "reassessment")
HOLDERS = ("jobcentre", "jobcentre", "unemployment_fund")


def _history(rng: random.Random, start: dt.date, days: int) -> list[HeldConversation]:
    held = []
    day = start - dt.timedelta(days=rng.randrange(20))
    for _ in range(rng.randrange(12)):
        day += dt.timedelta(days=rng.randrange(1, max(2, days // 6)))
        held.append(HeldConversation(day, kind=rng.choice(KINDS), holder=rng.choice(HOLDERS),
                                     joint=rng.random() < 0.3,
                                     fund_declined=rng.random() < 0.1))
    return held


@pytest.mark.parametrize("rule_set", packaged_rule_sets(), ids=lambda r: r.id)
def test_equal_to_compute_obligations(rule_set):
    rng = random.Random(rule_set.id)
    compared = 0
    for group in rule_set.groups:
        for _ in range(6):
            start = rule_set.effective_from + dt.timedelta(days=rng.randrange(300))
            end = (None if rng.random() < 0.5
                   else start + dt.timedelta(days=rng.randrange(20, 700)))
            birth = start - dt.timedelta(days=365 * rng.randint(18, 64) + rng.randrange(365))
            prog = ProgrammeObligations(rule_set, group, start, birth_date=birth,
                                        programme_end=end,
                                        horizon=start + dt.timedelta(days=900))
            held: list[HeldConversation] = []
            for step in range(8):
                if step % 2:
                    held = _history(rng, start, 600)
                until = start + dt.timedelta(days=rng.randrange(-10, 900))
                expected = compute_obligations(rule_set, group, start, held, until=until,
                                               birth_date=birth, programme_end=end)
                assert prog.at(held, until) == expected, (group, start, end, until, held)
                compared += len(expected)
    assert compared > 100


def test_past_the_horizon_is_refused():
    rule_set = packaged_rule_sets()[0]
    group = next(iter(rule_set.groups))
    start = rule_set.effective_from
    prog = ProgrammeObligations(rule_set, group, start, birth_date=dt.date(1980, 1, 1),
                                horizon=start + dt.timedelta(days=30))
    with pytest.raises(ValueError, match="past the horizon"):
        prog.at([], start + dt.timedelta(days=31))


@pytest.mark.parametrize("rule_set", packaged_rule_sets(), ids=lambda r: r.id)
def test_a_growing_history_list_is_matched_on_from_where_it_was(rule_set):
    """One list appended to in date order (as the simulation holds conversations), asked after
    each event with `until` on or after it and sometimes before it: every answer equals
    `compute_obligations`."""
    rng = random.Random("grow" + rule_set.id)
    for group in rule_set.groups:
        start = rule_set.effective_from + dt.timedelta(days=rng.randrange(200))
        end = None if rng.random() < 0.5 else start + dt.timedelta(days=rng.randrange(60, 500))
        birth = dt.date(1975, 3, 3)
        prog = ProgrammeObligations(rule_set, group, start, birth_date=birth, programme_end=end,
                                    horizon=start + dt.timedelta(days=1200))
        held: list[HeldConversation] = []
        day = start - dt.timedelta(days=5)
        for _ in range(14):
            day += dt.timedelta(days=rng.randrange(0, 60))
            held.append(HeldConversation(day, kind=rng.choice(KINDS), holder=rng.choice(HOLDERS),
                                         joint=rng.random() < 0.3))
            until = day + dt.timedelta(days=rng.choice([-20, 0, 30, 400]))
            expected = compute_obligations(rule_set, group, start, held, until=until,
                                           birth_date=birth, programme_end=end)
            assert prog.at(held, until) == expected, (group, until, held)
        held.insert(0, HeldConversation(start + dt.timedelta(days=1)))  # no longer only grown
        until = day + dt.timedelta(days=10)
        assert prog.at(held, until) == compute_obligations(
            rule_set, group, start, held, until=until, birth_date=birth, programme_end=end)
