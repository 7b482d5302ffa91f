"""Pooled windows: group call-ins the solver policy makes from individual caseworker time.

A window is a unit's free in-person morning seats on one day (several caseworkers' consecutive
seats, at most `pool_seats`), run as one group call-in: arrivals are served by the next free
caseworker of the pool. Invitations are sized with the exact distribution of the arrivals — the
sum of the invitees' own predicted show probabilities, a Poisson-binomial variable, built by
dynamic programming one invitee at a time (`solver.sizing`, shared with the app):

    P_i(k) = P_{i-1}(k) · (1 − p_i) + P_{i-1}(k − 1) · p_i

A citizen is invited only if, with them, P(arrivals > seats) stays at or below `pool_risk`
(`[policy]` of the scenario); a window then keeps the fewest seats M with P(arrivals > M) at or
below the risk and gives the others back as individual seats. The seats counted are those whose
caseworker turns up: each caseworker of the window is away on the day with the share of
caseworker days the job centre has seen lost to sickness so far (`absent`), independently, so
the present seats are a distribution too (`present_seats`) and

    P(overflow) = Σ_s P(s seats present) · P(arrivals > s).

Only predictions and what was observed are used, never outcomes. In the planning instance a
window is one slot with capacity = its invitations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from ..sizing import ArrivalTail, arrival_distribution, tail_of
from .world import Need, Seat, Session

if TYPE_CHECKING:
    from .run import World

NOON = "12:00"  # a window is a morning: in-person seats starting before noon
#: the job centre's own group call-ins are invited only while their expected arrivals beyond
#: the seats stay at or below this share of their expected arrivals (`within_share`)
AWAY_SHARE = 0.015


def invite_count(candidates: Sequence[float], capacity: int, risk: float,
                 invited: Sequence[float] = ()) -> int:
    """How many of `candidates` (in order) to invite besides `invited`: the largest prefix that
    keeps P(arrivals > capacity) at or below `risk` (adding an invitee never lowers it)."""
    tail = tail_of(tuple(invited), capacity)
    count = 0
    for p in candidates:  # one invitee more at a time: the distribution is carried on
        tail = tail.copy().add(p)
        if tail.overflow > risk + 1e-12:
            break
        count += 1
    return count


def seats_needed(probabilities: Sequence[float], risk: float, most: int) -> int:
    """The fewest seats M (at most `most`) with P(arrivals > M) at or below `risk`: the
    arrival distribution is built once and its upper tail summed from the top."""
    top = min(most, len(probabilities))
    pmf = arrival_distribution(probabilities)
    above = [0.0] * (top + 1)  # above[m] = P(arrivals > m)
    above[top] = sum(pmf[top + 1:])
    for m in range(top - 1, -1, -1):
        above[m] = above[m + 1] + pmf[m + 1]
    return next((m for m in range(top + 1) if above[m] <= risk + 1e-12), most)


def window_seat(s: Seat) -> bool:
    """A seat a window may ever take: in person, in the morning (`World.window_seats`)."""
    return s.channel == "in_person" and s.time < NOON


def _is_spare(s: Seat) -> bool:
    """A window seat (`window_seat`) a window may take now: neither booked nor pooled."""
    return s.need is None and s.session is None


def _spare_per_cw(world: World, unit: str, day: dt.date) -> dict[str, int]:
    """How many spare seats (`_is_spare`) each caseworker of the unit has on the day."""
    count: dict[str, int] = {}
    for s in world.window_seats.get((unit, day), ()):
        if s.need is None and s.session is None:  # `_is_spare`, inline: asked millions of times
            count[s.cw] = count.get(s.cw, 0) + 1
    return count


def _spare(world: World, unit: str, day: dt.date, taken: Iterable[Seat] = ()) -> list[Seat]:
    """Free in-person morning seats of the unit on the day, whole caseworker mornings first
    (the caseworker with the most free morning seats, then by id), each in time order."""
    skip = {id(s) for s in taken}
    free = [s for s in world.window_seats.get((unit, day), ())
            if _is_spare(s) and id(s) not in skip]
    per_cw: dict[str, int] = {}
    for s in free:
        per_cw[s.cw] = per_cw.get(s.cw, 0) + 1
    free.sort(key=lambda s: (-per_cw[s.cw], s.cw, s.time))
    return free


def window_on(world: World, unit: str, day: dt.date) -> Session | None:
    return next((s for s in world.sessions_by_day.get(day, [])
                 if s.made and s.unit == unit), None)


def present_seats(groups: Iterable[int], absent: float) -> tuple[float, ...]:
    """``dist[s]`` = P(s seats present) when caseworker i holds ``groups[i]`` of the seats and
    is away with probability `absent`, each independently (built one caseworker at a time)."""
    return _present_seats(tuple(sorted(groups)), absent)


@lru_cache(maxsize=4096)
def _present_seats(groups: tuple[int, ...], absent: float) -> tuple[float, ...]:
    dist = [1.0]
    for n in groups:
        nxt = [0.0] * (len(dist) + n)
        for s, q in enumerate(dist):
            nxt[s] += q * absent
            nxt[s + n] += q * (1 - absent)
        dist = nxt
    return tuple(dist)


def present_overflow(tail: ArrivalTail, groups: Sequence[int], absent: float) -> float:
    """P(arrivals > present seats) for the arrivals `tail` (its capacity is all the seats,
    ``sum(groups)``): the overflow at each count of present seats, weighed by its chance."""
    if absent <= 0 or not groups:
        return float(tail.overflow)
    dist = present_seats(groups, absent)
    above = float(tail.overflow)  # P(arrivals > s), from s = capacity down
    risk = dist[tail.capacity] * above
    for s in range(tail.capacity - 1, -1, -1):
        above += tail.pmf[s + 1]
        risk += dist[s] * above
    return risk


def seat_owners(world: World, sess: Session, most: int) -> list[str]:
    """The caseworker of each seat the window has or could take, in the order `fit` keeps
    them (its own seats by time, then spare ones of the unit), at most `most`."""
    own = [s.cw for s in sorted(sess.seats, key=lambda s: (s.time, s.cw))]
    if not sess.made:
        return own
    return (own + [s.cw for s in _spare(world, sess.unit, sess.day)])[:max(most, len(own))]


def window_groups(world: World, sess: Session, most: int,
                  spare: dict[str, int] | None = None) -> list[int]:
    """`groups_of(seat_owners(...))` without ordering the seats: the window's own seats, then
    the spare ones of the caseworkers with the most spare morning seats first (by id on a
    tie), up to `capacity` (`spare`: `_spare_per_cw`, if already counted)."""
    own: dict[str, int] = {}
    for s in sess.seats:
        own[s.cw] = own.get(s.cw, 0) + 1
    if not sess.made:
        return list(own.values())
    if spare is None:
        spare = _spare_per_cw(world, sess.unit, sess.day)
    room = max(0, most - len(sess.seats))
    for cw in sorted(spare, key=lambda cw: (-spare[cw], cw)):
        if room <= 0:
            break
        take = min(room, spare[cw])
        own[cw] = own.get(cw, 0) + take
        room -= take
    return list(own.values())


def groups_of(owners: Sequence[str]) -> list[int]:
    """How many of the seats each caseworker holds."""
    count: dict[str, int] = {}
    for cw in owners:
        count[cw] = count.get(cw, 0) + 1
    return list(count.values())


def capacity(world: World, sess: Session, most: int) -> int:
    """The seats the window can have: its own plus spare ones of the unit, at most `most`."""
    if not sess.made:
        return len(sess.seats)
    spare = sum(1 for s in world.window_seats.get((sess.unit, sess.day), ()) if _is_spare(s))
    return min(most, len(sess.seats) + spare)


def has_room(world: World, sess: Session, need: Need, view_p: Callable[[Need], float],
             risk: float, most: int, absent: float = 0.0) -> bool:
    """A made window has room for `need` when P(arrivals > present seats) stays within the
    risk with them (with every caseworker present first: the cheap question)."""
    spare = _spare_per_cw(world, sess.unit, sess.day) if sess.made else {}
    seats = (min(most, len(sess.seats) + sum(spare.values())) if sess.made
             else len(sess.seats))  # `capacity`, counted once
    invited = tuple(view_p(n) for n in sess.invitees)
    tail = _invited_tail(invited, seats).copy().add(view_p(need))
    if tail.overflow > risk + 1e-12:  # with every caseworker present: no room, sick or not
        return False
    if absent <= 0:
        return True
    groups = window_groups(world, sess, most, spare)
    if tail.overflow + 1 - (1 - absent) ** len(groups) <= risk + 1e-12:
        return True  # even if any caseworker's absence sent every extra arrival home
    return present_overflow(tail, groups, absent) <= risk + 1e-12


@lru_cache(maxsize=4096)
def _pmf(invited: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(arrival_distribution(invited))


def expected_overflow(invited: tuple[float, ...], seats: int, p: float | None = None) -> float:
    """E[(arrivals − seats)+] of the invitees (and one more with probability `p`)."""
    pmf = _pmf(invited)
    if p is not None:
        pmf = tuple(pmf[k] * (1 - p) + (pmf[k - 1] * p if k else 0.0) for k in range(len(pmf))
                    ) + (pmf[-1] * p,)
    return sum((k - seats) * pmf[k] for k in range(seats + 1, len(pmf)))


def within_share(invited: tuple[float, ...], p: float | None, seats: int) -> bool:
    """The expected arrivals beyond the seats (of the invitees and one more with probability
    `p`) at most `AWAY_SHARE` of their expected arrivals."""
    expected = sum(invited) + (p or 0.0)
    return expected_overflow(invited, seats, p) <= AWAY_SHARE * expected + 1e-12


@lru_cache(maxsize=4096)
def _invited_tail(invited: tuple[float, ...], capacity: int) -> ArrivalTail:
    """The arrivals of a window's invitees, kept: every need of the day asks the same windows
    whether one more fits (only the last step is computed per question)."""
    return tail_of(invited, capacity)


def open_window(world: World, unit: str, day: dt.date, most: int) -> Session | None:
    """A new (still empty) window of the unit on the day, if it has a spare morning seat."""
    seats = _spare(world, unit, day)[:most]
    if not seats:
        return None
    sess = Session(f"pool/{unit}/{day}", unit, day, min(s.time for s in seats),
                   min(s.minutes for s in seats), [], made=True)
    world.sessions_by_day[day].append(sess)
    world.sessions_by_day[day].sort(key=lambda s: (s.made, s.time, s.id))
    return sess


def fit(world: World, sess: Session, view_p: Callable[[Need], float], risk: float,
        most: int, absent: float = 0.0, cover: bool = False) -> None:
    """Give the window the fewest seats M with P(arrivals > present seats) at or below the
    risk (taking spare seats or giving seats back, latest first); an empty window is
    dissolved. With `cover` (an invitee on their last chance) a window of one caseworker's
    seats also takes the first spare seat of another, where the unit has one."""
    ps = [view_p(n) for n in sess.invitees]
    top = capacity(world, sess, most)
    want = max(1, seats_needed(ps, risk, top)) if ps else 0
    if ps and absent > 0:  # sickness only adds risk: from the seats needed with all present
        owners = seat_owners(world, sess, most)
        while want < top and present_overflow(
                tail_of(ps, want), groups_of(owners[:want]), absent) > risk + 1e-12:
            want += 1
    if len(sess.seats) < want:
        for seat in _spare(world, sess.unit, sess.day)[:want - len(sess.seats)]:
            seat.session = sess
            sess.seats.append(seat)
    while len(sess.seats) > want:
        seat = max(sess.seats, key=lambda s: (s.time, s.cw))
        seat.session = None
        sess.seats.remove(seat)
    if cover and len({s.cw for s in sess.seats}) == 1 and len(sess.seats) < most:
        own = sess.seats[0].cw
        other = next((s for s in _spare(world, sess.unit, sess.day) if s.cw != own), None)
        if other is not None:
            other.session = sess
            sess.seats.append(other)
    sess.seats.sort(key=lambda s: (s.time, s.cw))
    if sess.seats:
        sess.time = sess.seats[0].time
        sess.minutes = min(s.minutes for s in sess.seats)
    elif not sess.invitees:
        world.sessions_by_day[sess.day].remove(sess)
