"""Invariants over random programmes and histories (hypothesis)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules import (
    HeldConversation,
    Pause,
    TargetGroup,
    TimelinessStatus,
    available_rule_sets,
    compute_obligations,
    had_conversation_within,
    is_working_day,
    load_rule_set,
    obligations_in_force,
    planning_date,
    timeliness_status,
)
from booking.rules.dates import Window, add_months, spread_deadlines

RULE_SETS = [load_rule_set(name) for name in available_rule_sets()]
#: (rule set, group): a pinned set, or None = by due date (obligations_in_force)
CASES = [(rs, g) for rs in RULE_SETS for g in rs.groups] + [(None, g) for g in TargetGroup]
dates = st.dates(min_value=date(2014, 1, 1), max_value=date(2032, 12, 31))
events = st.builds(
    HeldConversation,
    date=st.integers(min_value=-30, max_value=900).map(lambda d: timedelta(days=d)),
    joint=st.booleans(),
    kind=st.sampled_from(["conversation", "conversation", "offer", "rehab_presentation",
                          "reassessment"]),
    holder=st.sampled_from(["jobcentre", "jobcentre", "unemployment_fund"]),
    fund_declined=st.booleans(),
)
pauses = st.lists(
    st.tuples(st.integers(min_value=-10, max_value=600),
              st.one_of(st.none(), st.integers(min_value=0, max_value=120))),
    max_size=3,
)
closed_days = st.frozensets(st.integers(min_value=0, max_value=900), max_size=40)


@settings(max_examples=300, deadline=None)
@given(
    case=st.sampled_from(CASES),
    start=dates,
    horizon=st.integers(min_value=0, max_value=1200),
    age=st.integers(min_value=16, max_value=70),
    offsets=st.lists(events, max_size=25),
    end_after=st.one_of(st.none(), st.integers(min_value=0, max_value=800)),
    stops=pauses,
    closed_offsets=closed_days,
)
def test_obligation_invariants(case, start, horizon, age, offsets, end_after, stops,
                               closed_offsets):
    rule_set, group = case
    held = [HeldConversation(start + e.date, e.joint, None, e.kind, e.holder, e.fund_declined)
            for e in offsets]
    until = start + timedelta(days=horizon)
    end = None if end_after is None else start + timedelta(days=end_after)
    paused = [Pause(start + timedelta(days=a), None if n is None else
                    start + timedelta(days=a + n)) for a, n in stops]
    closed = frozenset(start + timedelta(days=d) for d in closed_offsets)
    obligations = obligations_in_force(group, start, held, until=until, rule_set=rule_set,
                                       birth_date=add_months(start, -12 * age),
                                       programme_end=end, pauses=paused, closed=closed)
    by_requirement = defaultdict(list)
    for o in obligations:
        assert o.earliest <= o.deadline <= o.statutory_deadline
        assert is_working_day(o.deadline, closed) or o.deadline == o.earliest
        assert start <= o.earliest <= until
        assert o.rule_set and o.source
        if rule_set is None:  # by due date: the set in force on the statutory deadline
            assert load_rule_set(o.rule_set).in_force(o.statutory_deadline)
        if end is not None:
            assert o.earliest <= end
            assert o.fulfilled_on is not None or o.statutory_deadline <= end
        if o.fulfilled_on is not None:
            assert o.fulfilled_on >= o.earliest
            assert start <= o.fulfilled_on and (end is None or o.fulfilled_on <= end)
            assert o.closes is None or o.fulfilled_on <= o.closes
        if o.kind == "conversation":
            assert o.channels
        by_requirement[(o.requirement_id, o.period)].append(o)
    for slots in by_requirement.values():
        slots.sort(key=lambda o: o.sequence)
        deadlines = [o.deadline for o in slots]
        assert deadlines == sorted(deadlines)
        sequences = [o.sequence for o in slots]
        assert len(set(sequences)) == len(sequences)
    # each event fulfils at most one obligation, of its own kind and holder; joint slots only
    # by joint events or, where the rule allows it, by ones at which the fund was declined
    used = Counter((o.fulfilled_on, o.kind, o.holder) for o in obligations if o.fulfilled_on)
    available = Counter((h.date, h.kind, h.holder) for h in held)
    assert all(used[k] <= available[k] for k in used)
    joint_used = Counter(o.fulfilled_on for o in obligations if o.fulfilled_on and o.joint)
    joint_available = Counter(h.date for h in held if h.joint or h.fund_declined)
    assert all(joint_used[d] <= joint_available[d] for d in joint_used)
    assert len({o.key for o in obligations}) == len(obligations)
    status = timeliness_status(obligations, until)
    assert isinstance(status, TimelinessStatus)


@settings(max_examples=150, deadline=None)
@given(case=st.sampled_from([(rs, g) for rs in RULE_SETS for g in rs.groups]), start=dates,
       stops=pauses.filter(lambda ps: all(n is not None for _, n in ps)))
def test_pauses_only_ever_move_statutory_deadlines_later(case, start, stops):
    rule_set, group = case
    until = start + timedelta(days=800)
    birth = add_months(start, -12 * 40)
    paused = [Pause(start + timedelta(days=a), start + timedelta(days=a + n)) for a, n in stops]
    plain = {o.key: o for o in compute_obligations(rule_set, group, start, [], until=until,
                                                   birth_date=birth)}
    moved = compute_obligations(rule_set, group, start, [], until=until, birth_date=birth,
                                pauses=paused)
    cumulative = {r.id for r in rule_set.group(group).requirements if r.cumulative}
    for o in moved:
        if o.key in plain:
            assert o.statutory_deadline >= plain[o.key].statutory_deadline
            if o.requirement_id not in cumulative:
                assert o.statutory_deadline == plain[o.key].statutory_deadline


@settings(max_examples=400, deadline=None)
@given(earliest=dates, span=st.integers(min_value=-3, max_value=40),
       closed_offsets=st.frozensets(st.integers(min_value=-5, max_value=45), max_size=30))
def test_planning_date_is_the_last_working_day_not_before_earliest(earliest, span,
                                                                  closed_offsets):
    """The issue's property: a planning date is a working day (no weekend, no closed day) on or
    before its target (the statutory deadline bounds every target) and never before earliest,
    whenever a working day exists in [earliest, target]; otherwise earliest."""
    target = earliest + timedelta(days=span)
    closed = frozenset(earliest + timedelta(days=d) for d in closed_offsets)
    planned = planning_date(target, earliest, closed)
    window = [earliest + timedelta(days=d) for d in range(max(0, span + 1))]
    working = [d for d in window if d.weekday() < 5 and d not in closed]
    if working:
        assert planned == max(working)
        assert is_working_day(planned, closed) and earliest <= planned <= target
    else:
        assert planned == earliest


@given(start=dates, months=st.integers(min_value=1, max_value=36),
       count=st.integers(min_value=1, max_value=12), from_months=st.integers(0, 24))
def test_spread_is_non_decreasing_and_ends_at_the_period_end(start, months, count, from_months):
    window = Window(add_months(start, from_months), add_months(start, from_months + months),
                    start, from_months, months)
    deadlines = spread_deadlines(window, count)
    assert len(deadlines) == count
    assert deadlines == sorted(deadlines)
    assert deadlines[-1] == window.end
    assert all(window.start <= d <= window.end for d in deadlines)


@given(day=dates, months=st.integers(min_value=-60, max_value=60))
def test_add_months_lands_in_the_right_month_and_never_overshoots(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day
    assert result.day == day.day or (result + timedelta(days=1)).day == 1


@given(today=dates, back=st.integers(min_value=0, max_value=120))
def test_indicator_matches_the_calendar_month_boundary(today, back):
    held_on = today - timedelta(days=back)
    expected = held_on >= add_months(today, -2)
    assert had_conversation_within([HeldConversation(held_on)], today) is expected
