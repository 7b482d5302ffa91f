"""Invariants over random programmes and histories (hypothesis)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules import (
    HeldConversation,
    TimelinessStatus,
    compute_obligations,
    had_conversation_within,
    load_rule_set,
    timeliness_status,
)
from booking.rules.dates import Window, add_months, spread_deadlines

RULE_SETS = [load_rule_set("copenhagen-2017"), load_rule_set("lab-2024")]
CASES = [(rs, g) for rs in RULE_SETS for g in rs.groups]
dates = st.dates(min_value=date(2014, 1, 1), max_value=date(2032, 12, 31))
events = st.builds(
    HeldConversation,
    date=st.integers(min_value=-30, max_value=900).map(lambda d: timedelta(days=d)),
    joint=st.booleans(),
    kind=st.sampled_from(["conversation", "conversation", "offer", "rehab_presentation",
                          "reassessment"]),
    holder=st.sampled_from([None, None, "jobcentre", "unemployment_fund"]),
)


@settings(max_examples=300, deadline=None)
@given(
    case=st.sampled_from(CASES),
    start=dates,
    horizon=st.integers(min_value=0, max_value=1200),
    age=st.integers(min_value=16, max_value=70),
    offsets=st.lists(events, max_size=25),
    end_after=st.one_of(st.none(), st.integers(min_value=0, max_value=800)),
)
def test_obligation_invariants(case, start, horizon, age, offsets, end_after):
    rule_set, group = case
    held = [HeldConversation(start + e.date, e.joint, None, e.kind, e.holder) for e in offsets]
    until = start + timedelta(days=horizon)
    end = None if end_after is None else start + timedelta(days=end_after)
    obligations = compute_obligations(rule_set, group, start, held, until=until,
                                      birth_date=add_months(start, -12 * age), programme_end=end)
    by_requirement = defaultdict(list)
    for o in obligations:
        assert o.earliest <= o.deadline <= o.statutory_deadline
        assert start <= o.earliest <= until
        if end is not None:
            assert o.earliest <= end
            assert o.fulfilled_on is not None or o.statutory_deadline <= end
        if o.fulfilled_on is not None:
            assert o.fulfilled_on >= o.earliest
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
        if end is None:  # after a programme end, slots no longer owed are left out
            assert sequences == list(range(1, len(slots) + 1))
    # each event fulfils at most one obligation; joint slots only by joint events
    used = Counter(o.fulfilled_on for o in obligations if o.fulfilled_on)
    available = Counter(h.date for h in held)
    assert all(used[d] <= available[d] for d in used)
    joint_used = Counter(o.fulfilled_on for o in obligations if o.fulfilled_on and o.joint)
    joint_available = Counter(h.date for h in held if h.joint)
    assert all(joint_used[d] <= joint_available[d] for d in joint_used)
    assert len({o.key for o in obligations}) == len(obligations)
    status = timeliness_status(obligations, until)
    assert isinstance(status, TimelinessStatus)


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
