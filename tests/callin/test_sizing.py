"""Invitee sizing: the exact Poisson-binomial distribution against hand-computed cases."""

from __future__ import annotations

from fractions import Fraction as F
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver.sizing import (
    arrival_distribution,
    evaluate,
    overflow_risk,
    size_invitation,
)


def test_distribution_of_three_unequal_probabilities_by_hand():
    # P0 = 1/2·2/3·3/4; P1 = 6/24 + 3/24 + 2/24; P2 = 3/24 + 2/24 + 1/24; P3 = 1/2·1/3·1/4
    assert arrival_distribution([F(1, 2), F(1, 3), F(1, 4)]) == [
        F(6, 24),
        F(11, 24),
        F(6, 24),
        F(1, 24),
    ]


def test_overflow_risk_is_the_upper_tail_exactly():
    probs = [F(1, 2), F(1, 3), F(1, 4)]
    assert overflow_risk(probs, 0) == F(18, 24)
    assert overflow_risk(probs, 1) == F(7, 24)
    assert overflow_risk(probs, 2) == F(1, 24)
    assert overflow_risk(probs, 3) == 0
    assert evaluate(probs, 1) == (F(13, 12), F(7, 24))


@pytest.mark.parametrize(
    ("probs", "capacity", "level", "count", "risk"),
    [
        # two coin flips into one seat: both together arrive with 1/4
        ([F(1, 2), F(1, 2)], 1, F(3, 10), 2, F(1, 4)),
        ([F(1, 2), F(1, 2)], 1, F(1, 5), 1, 0),
        # capacity 2: the third invitee adds P(all three) = 0.9·0.8·0.5 = 0.36 > 0.10
        ([F(9, 10), F(4, 5), F(1, 2), F(1, 2)], 2, F(1, 10), 2, 0),
        # four coins, capacity 2: n = 3 risks 1/8; n = 4 risks (4 + 1)/16
        ([F(1, 2)] * 4, 2, F(1, 10), 2, 0),
        ([F(1, 2)] * 4, 2, F(3, 20), 3, F(1, 8)),
        ([F(1, 2)] * 4, 2, F(5, 16), 4, F(5, 16)),  # exactly at the level is allowed
        # unreliable citizens, one seat: n = 2 risks 1/25; n = 3 risks 3·(1/25)·(4/5) + 1/125
        ([F(1, 5)] * 4, 1, F(1, 10), 2, F(1, 25)),
        ([F(1, 5)] * 4, 1, F(21, 200), 3, F(13, 125)),
        # nobody can be seated
        ([F(1, 2)], 0, F(1, 10), 0, 0),
    ],
)
def test_size_invitation_hand_computed(probs, capacity, level, count, risk):
    sizing = size_invitation(probs, capacity, level)
    assert (sizing.count, sizing.risk) == (count, risk)
    assert sizing.expected == sum(probs[:count], F(0))


def test_size_counts_those_already_invited():
    # two sure arrivals fill two seats; one more at 1/20 risks 1/20, two more 1 − 19/20·47/50
    assert size_invitation([F(1, 20)], 2, F(1, 10), invited=[1, 1]).count == 1
    sizing = size_invitation([F(1, 20), F(3, 50)], 2, F(1, 10), invited=[1, 1])
    assert (sizing.count, sizing.already, sizing.total) == (1, 2, 3)
    assert 1 - F(19, 20) * F(47, 50) > F(1, 10)


def test_all_candidates_fit_is_reported():
    sizing = size_invitation([0.5, 0.5], 5, 0.1)
    assert sizing.count == 2 and sizing.limited_by_candidates and sizing.risk == 0


@pytest.mark.parametrize("bad", [-0.1, 1.5, "0.5"])
def test_probabilities_outside_0_1_are_refused(bad):
    with pytest.raises(ValueError):
        arrival_distribution([0.5, bad])


def test_risk_level_must_be_a_probability():
    with pytest.raises(ValueError):
        size_invitation([0.5], 1, 0)
    with pytest.raises(ValueError):
        size_invitation([0.5], -1, 0.1)


@settings(max_examples=60, deadline=None)
@given(
    probs=st.lists(st.fractions(min_value=0, max_value=1, max_denominator=12), max_size=7),
    capacity=st.integers(min_value=0, max_value=7),
)
def test_matches_brute_force_enumeration(probs, capacity):
    pmf = [F(0)] * (len(probs) + 1)
    for outcome in product((0, 1), repeat=len(probs)):
        weight = F(1)
        for came, p in zip(outcome, probs, strict=True):
            weight *= p if came else 1 - p
        pmf[sum(outcome)] += weight
    assert arrival_distribution(probs) == pmf
    assert overflow_risk(probs, capacity) == sum(pmf[capacity + 1 :], F(0))
    sizing = size_invitation(probs, capacity, F(1, 10))
    assert overflow_risk(probs[: sizing.count], capacity) <= F(1, 10)
    if sizing.count < len(probs):
        assert overflow_risk(probs[: sizing.count + 1], capacity) > F(1, 10)
