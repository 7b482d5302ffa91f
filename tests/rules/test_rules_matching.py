"""How held conversations fulfil obligations: in order, joint needs joint, periods close."""

from __future__ import annotations

from datetime import date, timedelta

from booking.rules import HeldConversation, compute_obligations, next_open_obligation

START = date(2017, 1, 2)
ADULT = date(1980, 6, 1)


def six(cph, held, until=date(2017, 7, 2)):
    obligations = compute_obligations(cph, "insured_unemployed", START, held, until=until,
                                      birth_date=ADULT)
    found = [o for o in obligations if o.requirement_id == "first_six_months"]
    return sorted(found, key=lambda o: o.sequence)


def test_conversations_fulfil_slots_in_order(cph):
    held = [HeldConversation(date(2017, 1, 20), joint=True), HeldConversation(date(2017, 2, 20)),
            HeldConversation(date(2017, 3, 20))]
    fulfilled = [o.fulfilled_on for o in six(cph, held)]
    assert fulfilled == [date(2017, 1, 20), date(2017, 2, 20), date(2017, 3, 20), None, None, None]


def test_a_plain_conversation_never_fulfils_a_joint_slot(cph):
    result = six(cph, [HeldConversation(date(2017, 1, 20))])
    assert result[0].fulfilled_on is None  # the joint one is still open
    assert result[1].fulfilled_on == date(2017, 1, 20)
    result = six(cph, [HeldConversation(date(2017, 1, 20)),
                       HeldConversation(date(2017, 2, 10), joint=True)])
    assert result[0].fulfilled_on == date(2017, 2, 10)
    assert not result[0].fulfilled_late


def test_a_joint_conversation_fills_the_open_joint_slots_first(cph):
    held = [HeldConversation(date(2017, 1, 10), joint=True),
            HeldConversation(date(2017, 5, 20), joint=True)]
    result = six(cph, held)
    assert result[0].fulfilled_on == date(2017, 1, 10)
    assert result[5].fulfilled_on == date(2017, 5, 20)  # the 2nd joint, not the 2nd slot
    assert all(o.fulfilled_on is None for o in result[1:5])


def test_a_second_joint_conversation_in_week_3_is_not_the_month_5_6_one(cph):
    """Regression (copenhagen-2017 week-3 bug): STAR 2015 places the 2nd joint conversation in
    month 5 or 6; one held in week 3 fills an ordinary slot and the joint one stays open. (The
    previous version of the test above pinned the bug: a joint conversation on 2017-01-20.)"""
    held = [HeldConversation(date(2017, 1, 10), joint=True),
            HeldConversation(date(2017, 1, 20), joint=True)]
    result = six(cph, held)
    assert [o.fulfilled_on for o in result] == [
        date(2017, 1, 10), date(2017, 1, 20), None, None, None, None]
    assert result[5].joint and result[5].earliest == date(2017, 5, 2)
    assert result[5].verified is False and "STAR" in result[5].note


def test_surplus_plain_conversations_do_not_count_as_joint(cph):
    held = [HeldConversation(date(2017, 1, 9) + timedelta(weeks=i)) for i in range(6)]
    result = six(cph, held)
    assert [o.fulfilled_on is not None for o in result] == [False, True, True, True, True, False]


def test_late_first_joint_conversation_is_fulfilled_late(cph):
    result = six(cph, [HeldConversation(date(2017, 2, 14), joint=True)])
    assert result[0].fulfilled_on == date(2017, 2, 14)
    assert result[0].fulfilled_late


def test_conversation_after_the_period_goes_to_the_next_period(cph):
    obligations = compute_obligations(cph, "insured_unemployed", START,
                                      [HeldConversation(date(2017, 7, 3))],
                                      until=date(2017, 10, 2), birth_date=ADULT)
    first_six = [o for o in obligations if o.requirement_id == "first_six_months"]
    assert not any(o.fulfilled_on for o in first_six)
    later = [o for o in obligations if o.requirement_id == "every_three_months"]
    assert later[0].fulfilled_on == date(2017, 7, 3)
    # the missed slots are closed and can no longer be booked
    assert all(o.closes == date(2017, 7, 2) for o in first_six)
    nxt = next_open_obligation(obligations, date(2017, 7, 10))
    assert nxt is not None and nxt.requirement_id == "every_three_months" and nxt.period == 2


def test_conversation_on_the_period_boundary_counts_for_the_earlier_period(cph):
    obligations = compute_obligations(cph, "resource_programme", date(2017, 3, 15),
                                      [HeldConversation(date(2018, 3, 15))],
                                      until=date(2018, 3, 15))
    fulfilled = [o for o in obligations if o.fulfilled_on]
    assert [(o.period, o.sequence) for o in fulfilled] == [(1, 1)]


def test_events_before_the_start_do_not_count(cph):
    assert all(o.fulfilled_on is None for o in six(cph, [HeldConversation(date(2016, 12, 30))]))


def test_until_limits_obligations_by_earliest(cph):
    obligations = compute_obligations(cph, "insured_unemployed", START, [],
                                      until=date(2017, 7, 1), birth_date=ADULT)
    assert not [o for o in obligations if o.requirement_id == "every_three_months"]
    assert all(o.earliest <= date(2017, 7, 1) for o in obligations)


def test_programme_end_drops_obligations_no_longer_owed(lab):
    start = date(2024, 2, 5)
    held = [HeldConversation(date(2024, 2, 8)), HeldConversation(date(2024, 7, 1))]
    obligations = compute_obligations(lab, "cash_benefit", start, held, until=date(2025, 1, 1),
                                      programme_end=date(2024, 5, 1))
    # the 1st was owed and held; the rest fall due after the end; the July event is ignored
    assert [(o.sequence, o.fulfilled_on) for o in obligations] == [(1, date(2024, 2, 8))]


def test_obligation_keys_are_stable_and_unique(cph):
    obligations = compute_obligations(cph, "resource_programme", date(2017, 3, 15), [],
                                      until=date(2019, 3, 15))
    keys = [o.key for o in obligations]
    assert len(keys) == len(set(keys)) == 18
    assert "resource_programme:six_per_twelve_months:2:3" in keys
