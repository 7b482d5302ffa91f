"""Timeliness status, next open obligation, the 2-month indicator and self-booking deadline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from booking.rules import (
    HeldConversation,
    TimelinessStatus,
    compute_obligations,
    had_conversation_within,
    load_rule_set,
    next_open_obligation,
    self_booking_deadline,
    timeliness_status,
)

CASH_START = date(2024, 2, 5)  # 1st due 2024-02-12, 2nd by 2024-04-05, statutory 2024-08-05


def cash(lab, held=()):
    return compute_obligations(lab, "cash_benefit", CASH_START, list(held),
                               until=date(2024, 12, 31))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2024, 3, 14), TimelinessStatus.TIMELY),  # 2nd due 04-05 = 22 days away
        (date(2024, 3, 15), TimelinessStatus.DUE_SOON),  # exactly 21 days away
        (date(2024, 4, 5), TimelinessStatus.DUE_SOON),
        (date(2024, 4, 6), TimelinessStatus.DUE_SOON),  # behind plan, not yet late
        (date(2024, 8, 5), TimelinessStatus.DUE_SOON),  # last statutory day
        (date(2024, 8, 6), TimelinessStatus.OVERDUE),
    ],
)
def test_status_boundaries(lab, today, expected):
    obligations = cash(lab, [HeldConversation(date(2024, 2, 8))])
    assert timeliness_status(obligations, today) is expected


def test_first_conversation_overdue_the_day_after_its_deadline(lab):
    obligations = cash(lab)
    assert timeliness_status(obligations, date(2024, 2, 12)) is TimelinessStatus.DUE_SOON
    assert timeliness_status(obligations, date(2024, 2, 13)) is TimelinessStatus.OVERDUE


def test_due_soon_days_is_configurable(lab):
    obligations = cash(lab, [HeldConversation(date(2024, 2, 8))])
    assert timeliness_status(obligations, date(2024, 3, 15), due_soon_days=7) \
        is TimelinessStatus.TIMELY


def test_a_conversation_held_late_clears_overdue_once_held(lab):
    """Weekly-list semantics (issue): a conversation held late fulfils its obligation (late) and
    clears "overdue" from the day it is held. (This replaces a test that kept a late fulfilment
    overdue for the whole look-back window.)"""
    rest = [HeldConversation(date(2024, m, 1)) for m in (3, 5, 7)]
    rest.append(HeldConversation(date(2024, 7, 1), kind="offer"))
    missing = cash(lab, rest)  # the first (due 2024-02-12) not held yet
    assert timeliness_status(missing, date(2024, 2, 14)) is TimelinessStatus.OVERDUE
    late = cash(lab, [HeldConversation(date(2024, 2, 14)), *rest])
    first = next(o for o in late if o.requirement_id == "four_in_six_months" and o.sequence == 1)
    assert first.fulfilled_on == date(2024, 2, 14) and first.fulfilled_late
    assert timeliness_status(late, date(2024, 2, 13)) is TimelinessStatus.OVERDUE  # not yet
    assert timeliness_status(late, date(2024, 2, 14)) is not TimelinessStatus.OVERDUE
    assert timeliness_status(late, date(2024, 9, 1), since=date(2024, 8, 4)) \
        is TimelinessStatus.TIMELY


def test_a_missed_conversation_leaves_overdue_after_the_look_back(lab):
    """Regression (weekly list never cleared): a missed conversation whose period has closed keeps
    the citizen overdue only while its statutory deadline lies within the look-back window
    (``since`` = today − overdue_lookback_days, 28 in config.toml)."""
    held = [HeldConversation(date(2024, 2, 8)), HeldConversation(date(2024, 4, 2)),
            HeldConversation(date(2024, 6, 3)), HeldConversation(date(2024, 7, 1), kind="offer")]
    obligations = cash(lab, held)  # the 4th conversation (statutory 2024-08-05) is missed
    missed = [o for o in obligations if o.fulfilled_on is None]
    assert [(o.sequence, o.closes) for o in missed] == [(4, date(2024, 8, 5))]
    for today, expected in [(date(2024, 8, 6), TimelinessStatus.OVERDUE),
                            (date(2024, 9, 2), TimelinessStatus.OVERDUE),  # 08-05 ≥ since 08-05
                            (date(2024, 9, 3), TimelinessStatus.TIMELY)]:
        since = today - timedelta(days=28)
        assert timeliness_status(obligations, today, since=since) is expected, today


def test_an_open_obligation_that_can_still_be_met_stays_overdue_until_held(lab):
    """An offer (accept_late) not started by its deadline is still owed: overdue after the
    window too, until the offer is started."""
    held = [HeldConversation(date(2024, 2, 8))] + [
        HeldConversation(date(2024, m, 1)) for m in (3, 5, 7)]
    obligations = cash(lab, held)
    today = date(2025, 3, 1)
    assert timeliness_status(obligations, today, since=today - timedelta(days=28)) \
        is TimelinessStatus.OVERDUE
    started = cash(lab, [*held, HeldConversation(date(2024, 12, 2), kind="offer")])
    assert timeliness_status(started, today, since=today - timedelta(days=28)) \
        is TimelinessStatus.TIMELY


def test_unemployment_fund_obligations_do_not_count(lab):
    obligations = compute_obligations(lab, "insured_unemployed", date(2024, 1, 1), [],
                                      until=date(2024, 12, 31))
    # the fund's first (due 2024-01-15) is missed, but that is the fund's indicator
    assert timeliness_status(obligations, date(2024, 1, 20)) is TimelinessStatus.TIMELY


def test_non_mandatory_rehab_presentation_does_not_count(cph):
    start = date(2020, 1, 6)
    lab_2020 = load_rule_set("lab-2020")  # resource programme: re-presentation only if needed
    optional = [o for o in compute_obligations(lab_2020, "resource_programme", start, [],
                                               until=start) if o.kind == "rehab_presentation"]
    assert optional and not optional[0].mandatory
    assert timeliness_status(optional, date(2020, 8, 1)) is TimelinessStatus.TIMELY
    cph_ob = compute_obligations(cph, "job_clarification", start, [], until=start)
    assert timeliness_status(cph_ob, date(2020, 2, 4)) is TimelinessStatus.OVERDUE


def test_no_obligations_is_timely():
    assert timeliness_status([], date(2024, 1, 1)) is TimelinessStatus.TIMELY


def test_next_open_obligation_is_the_earliest_deadline_bookable_one(cph):
    obligations = compute_obligations(cph, "insured_unemployed", date(2017, 1, 2), [],
                                      until=date(2017, 7, 2), birth_date=date(1995, 1, 1))
    nxt = next_open_obligation(obligations, date(2017, 1, 10))
    assert nxt is not None
    assert nxt.kind == "conversation" and nxt.joint and nxt.deadline == date(2017, 2, 13)
    held = [HeldConversation(date(2017, 1, 10), joint=True)]
    obligations = compute_obligations(cph, "insured_unemployed", date(2017, 1, 2), held,
                                      until=date(2017, 7, 2), birth_date=date(1995, 1, 1))
    nxt = next_open_obligation(obligations, date(2017, 1, 11))
    assert nxt.sequence == 2 and nxt.deadline == date(2017, 3, 2)  # the offer is not bookable


def test_next_open_obligation_none_when_all_done(lab):
    held = [HeldConversation(date(2024, 2, 8))] + [
        HeldConversation(date(2024, m, 1)) for m in (3, 5, 7)]
    assert next_open_obligation(cash(lab, held), date(2024, 7, 2)) is None


@pytest.mark.parametrize(
    ("today", "held_on", "expected"),
    [
        (date(2017, 5, 31), date(2017, 3, 31), True),  # exactly 2 calendar months back
        (date(2017, 5, 31), date(2017, 3, 30), False),
        (date(2017, 4, 30), date(2017, 2, 28), True),  # month-end clamp
        (date(2017, 4, 30), date(2017, 2, 27), False),
        (date(2017, 5, 31), date(2017, 5, 31), True),
        (date(2017, 5, 31), date(2017, 6, 1), False),  # not in the future
    ],
)
def test_conversation_within_last_two_months(today, held_on, expected):
    assert had_conversation_within([HeldConversation(held_on)], today) is expected


def test_indicator_counts_conversations_only_and_takes_months():
    offer = HeldConversation(date(2017, 5, 1), kind="offer")
    assert not had_conversation_within([offer], date(2017, 5, 31))
    assert had_conversation_within([HeldConversation(date(2017, 2, 28))], date(2017, 5, 31),
                                   months=3)
    assert not had_conversation_within([], date(2017, 5, 31))


def test_self_booking_deadline(cph):
    obligations = compute_obligations(cph, "insured_unemployed", date(2017, 1, 2), [],
                                      until=date(2017, 1, 2), birth_date=date(1980, 1, 1))
    first = obligations[0]
    assert first.deadline == date(2017, 2, 13)
    assert self_booking_deadline(cph, first) == date(2017, 2, 5)
    assert self_booking_deadline(cph, first, local_days=14) == date(2017, 1, 30)
    assert self_booking_deadline(cph, first, local_days=3) == date(2017, 2, 5)  # floor of 8
    with pytest.raises(ValueError):
        self_booking_deadline(cph, first, local_days=-1)
