"""How many to invite: the exact distribution of arrivals (Poisson-binomial), pure.

Each invitee *i* comes with their own probability p_i, independently; the number of arrivals is
the sum of unequal Bernoulli variables, a Poisson-binomial variable. Its distribution is built
exactly by dynamic programming, one invitee at a time:

    P_i(k) = P_{i-1}(k) · (1 − p_i) + P_{i-1}(k − 1) · p_i

Arrival counts above the capacity are kept as one "overflow" bucket, so adding an invitee costs
O(capacity). The arithmetic is whatever the probabilities are: floats in the app, ``Fraction``
in the tests for exact hand-computed cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any


def arrival_distribution(probabilities: Iterable[Any]) -> list[Any]:
    """``pmf[k]`` = P(exactly k of the invitees arrive), k = 0 … n (exact, no truncation)."""
    pmf: list[Any] = [1]
    for p in probabilities:
        _check(p)
        q = 1 - p
        nxt = [pmf[0] * q]
        for k in range(1, len(pmf)):
            nxt.append(pmf[k] * q + pmf[k - 1] * p)
        nxt.append(pmf[-1] * p)
        pmf = nxt
    return pmf


def overflow_risk(probabilities: Iterable[Any], capacity: int) -> Any:
    """P(arrivals > capacity): the chance that more come than the pool can hold."""
    if capacity < 0:
        raise ValueError("capacity must not be negative")
    return _Tail(capacity).extend(probabilities).overflow


def expected_arrivals(probabilities: Iterable[Any]) -> Any:
    return sum(probabilities, 0)


@dataclass(frozen=True)
class Sizing:
    """The suggestion: invite ``count`` more (after ``already`` invited)."""

    capacity: int
    risk_level: float
    already: int
    count: int
    expected: Any  # expected arrivals of already + count
    risk: Any  # P(arrivals > capacity) for already + count
    limited_by_candidates: bool  # every candidate fits under the risk level

    @property
    def total(self) -> int:
        return self.already + self.count


def size_invitation(
    candidates: Sequence[Any],
    capacity: int,
    risk_level: Any,
    *,
    invited: Sequence[Any] = (),
) -> Sizing:
    """The largest prefix of ``candidates`` (in their order) that keeps the overflow risk of
    the already ``invited`` plus the prefix at or below ``risk_level``.

    Adding an invitee never lowers the overflow risk (the sum only grows), so the first
    candidate that would push it over the level ends the prefix.
    """
    if capacity < 0:
        raise ValueError("capacity must not be negative")
    if not 0 < risk_level < 1:
        raise ValueError("risk_level must lie strictly between 0 and 1")
    tail = _Tail(capacity).extend(invited)
    count = 0
    for p in candidates:
        trial = tail.copy().add(p)
        if trial.overflow > risk_level:
            break
        tail = trial
        count += 1
    return Sizing(
        capacity=capacity,
        risk_level=float(risk_level),
        already=len(invited),
        count=count,
        expected=expected_arrivals([*invited, *candidates[:count]]),
        risk=tail.overflow,
        limited_by_candidates=count == len(candidates),
    )


def evaluate(probabilities: Sequence[Any], capacity: int) -> tuple[Any, Any]:
    """(expected arrivals, overflow risk) of a chosen set of invitees."""
    return expected_arrivals(probabilities), overflow_risk(probabilities, capacity)


class _Tail:
    """P(arrivals = k) for k ≤ capacity, plus P(arrivals > capacity) in one bucket."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.pmf: list[Any] = [1] + [0] * capacity
        self.overflow: Any = 0

    def copy(self) -> _Tail:
        other = _Tail.__new__(_Tail)
        other.capacity, other.pmf, other.overflow = self.capacity, list(self.pmf), self.overflow
        return other

    def add(self, p: Any) -> _Tail:
        _check(p)
        q = 1 - p
        pmf = self.pmf
        self.overflow = self.overflow + pmf[-1] * p
        for k in range(len(pmf) - 1, 0, -1):
            pmf[k] = pmf[k] * q + pmf[k - 1] * p
        pmf[0] = pmf[0] * q
        return self

    def extend(self, probabilities: Iterable[Any]) -> _Tail:
        for p in probabilities:
            self.add(p)
        return self


ArrivalTail = _Tail  # P(arrivals = k) for k ≤ capacity and P(arrivals > capacity)


def tail_of(probabilities: Iterable[Any], capacity: int) -> _Tail:
    """The arrival distribution of ``probabilities`` up to ``capacity`` (``.copy().add(p)`` to
    ask about one invitee more; ``.overflow`` is P(arrivals > capacity))."""
    if capacity < 0:
        raise ValueError("capacity must not be negative")
    return _Tail(capacity).extend(probabilities)


def _check(p: Any) -> None:
    if type(p) is float and 0.0 <= p <= 1.0:  # the common case, without the ABC check
        return
    if not isinstance(p, Real) or p < 0 or not p <= 1:
        raise ValueError(f"a show probability must lie in [0, 1], got {p!r}")
