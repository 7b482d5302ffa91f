"""copenhagen-2017: one test per rule, with real dates (seeds 001 and 003)."""

from __future__ import annotations

from datetime import date

import pytest

from booking.rules import (
    HeldConversation,
    TargetGroup,
    compute_obligations,
    rehab_presentation_deadline,
)

START = date(2017, 1, 2)  # a Monday
ADULT = date(1980, 6, 1)  # 36 at START: offer by 26 weeks


def insured(cph, held=(), *, until=date(2017, 7, 2), birth_date=ADULT, **kw):
    return compute_obligations(cph, TargetGroup.INSURED_UNEMPLOYED, START, list(held),
                               until=until, birth_date=birth_date, **kw)


def conversations(obligations, requirement_id):
    found = [o for o in obligations if o.requirement_id == requirement_id]
    return sorted(found, key=lambda o: (o.period, o.sequence))


def test_first_joint_conversation_due_by_six_weeks(cph):
    """Seed 001: a joint conversation with the fund by 6 weeks of unemployment."""
    first = conversations(insured(cph), "first_six_months")[0]
    assert first.sequence == 1
    assert first.joint is True
    assert first.earliest == START
    assert first.deadline == date(2017, 2, 13)
    assert first.statutory_deadline == date(2017, 2, 13)
    assert first.label_da == "1. fællessamtale med a-kassen"
    assert first.label_en == "1st joint conversation with the unemployment fund"
    assert first.holder == "jobcentre"
    assert first.fulfilled_on is None


def test_first_conversation_is_in_person_only_then_in_person_or_phone(cph):
    six = conversations(insured(cph), "first_six_months")
    assert six[0].channels == ("in_person",)
    assert all(o.channels == ("in_person", "phone") for o in six[1:])


def test_six_conversations_in_six_months_two_of_them_joint(cph):
    """Seed 001: 6 conversations in the first 6 months, 2 of them joint."""
    six = conversations(insured(cph), "first_six_months")
    assert len(six) == 6
    # planning dates are working days: Sunday 2017-04-02 → Friday 03-31, Sunday 07-02 → 06-30
    assert [o.deadline for o in six] == [
        date(2017, 2, 13), date(2017, 3, 2), date(2017, 3, 31),
        date(2017, 5, 2), date(2017, 6, 2), date(2017, 6, 30),
    ]
    assert [o.statutory_deadline for o in six[1:]] == [date(2017, 7, 2)] * 5
    assert [o.joint for o in six] == [True, False, False, False, False, True]
    assert six[5].label_en == "2nd joint conversation with the unemployment fund"
    assert six[1].label_da == "2. jobsamtale i de første 6 måneder"


def test_then_one_conversation_every_three_months_counted_from_the_start(cph):
    """Seed 001: then a conversation every 3 months."""
    later = conversations(insured(cph, until=date(2018, 1, 2)), "every_three_months")
    assert [(o.period, o.earliest, o.deadline) for o in later] == [
        (1, date(2017, 7, 2), date(2017, 10, 2)),
        (2, date(2017, 10, 2), date(2018, 1, 2)),
        (3, date(2018, 1, 2), date(2018, 4, 2)),
    ]
    assert all(o.statutory_deadline == o.deadline for o in later)


def test_periods_do_not_roll_with_the_last_conversation(cph):
    held = [HeldConversation(date(2017, 8, 20))]  # early in the first 3-month period
    later = conversations(insured(cph, held, until=date(2017, 10, 2)), "every_three_months")
    assert later[0].fulfilled_on == date(2017, 8, 20)
    assert later[1].deadline == date(2018, 1, 2)  # not 2017-11-20


@pytest.mark.parametrize(
    ("birth_date", "age", "weeks", "deadline"),
    [
        (date(1987, 1, 3), 29, 13, date(2017, 4, 3)),  # turns 30 the day after the start
        (date(1987, 1, 2), 30, 26, date(2017, 7, 3)),  # 30 on the start day
        (date(1966, 1, 3), 50, 26, date(2017, 7, 3)),
        (date(1966, 1, 2), 51, 13, date(2017, 4, 3)),
        (date(1995, 5, 5), 21, 13, date(2017, 4, 3)),
        (date(1955, 5, 5), 61, 13, date(2017, 4, 3)),
    ],
)
def test_offer_by_13_or_26_weeks_depending_on_age(cph, birth_date, age, weeks, deadline):
    """Seed 001: offer by 13 weeks (under 30, over 50) or 26 weeks (30–50)."""
    offers = [o for o in insured(cph, birth_date=birth_date) if o.kind == "offer"]
    assert len(offers) == 1
    offer = offers[0]
    assert offer.deadline == offer.statutory_deadline == deadline
    assert str(weeks) in offer.label_en
    assert offer.channels == ()
    assert not offer.bookable


def test_offer_needs_a_birth_date(cph):
    with pytest.raises(ValueError, match="birth_date"):
        insured(cph, birth_date=None)


def test_offer_is_fulfilled_by_an_offer_event_even_late(cph):
    held = [HeldConversation(date(2017, 8, 1), kind="offer")]
    offer = next(o for o in insured(cph, held) if o.kind == "offer")
    assert offer.fulfilled_on == date(2017, 8, 1)
    assert offer.fulfilled_late


def test_resource_programme_six_conversations_within_each_twelve_months(cph):
    """LAB § 18 stk. 2 (seed 001): ≥ 6 conversations within 12 calendar months."""
    start = date(2017, 3, 15)
    obligations = compute_obligations(cph, "resource_programme", start, [],
                                      until=date(2018, 3, 15))
    first = [o for o in obligations if o.period == 1]
    second = [o for o in obligations if o.period == 2]
    assert [o.deadline for o in first] == [  # Saturday 2017-07-15 → Friday 07-14
        date(2017, 5, 15), date(2017, 7, 14), date(2017, 9, 15),
        date(2017, 11, 15), date(2018, 1, 15), date(2018, 3, 15),
    ]
    assert all(o.statutory_deadline == date(2018, 3, 15) for o in first)
    assert all(o.earliest == start for o in first)
    assert len(second) == 6
    assert all(o.earliest == date(2018, 3, 15) for o in second)
    assert second[-1].statutory_deadline == date(2019, 3, 15)
    assert second[0].deadline == date(2018, 5, 15)
    assert first[0].channels == ("in_person",)
    assert second[0].channels == ("in_person", "phone")


def test_resource_programme_next_period_is_not_filled_by_the_previous_one(cph):
    start = date(2017, 3, 15)
    held = [HeldConversation(date(2017, 4, 1 + i)) for i in range(7)]  # 7 in period 1
    obligations = compute_obligations(cph, "resource_programme", start, held,
                                      until=date(2018, 3, 15))
    assert all(o.fulfilled_on for o in obligations if o.period == 1)
    assert not any(o.fulfilled_on for o in obligations if o.period == 2)


def test_resource_programme_has_the_two_month_indicator(cph):
    indicator = cph.group("resource_programme").indicator
    assert indicator is not None
    assert indicator.months == 2
    assert indicator.label_da == "Samtale inden for de seneste 2 måneder"


def test_job_clarification_presented_to_rehabilitation_team_within_four_weeks(cph):
    """LAB § 68 d stk. 2 (seed 001): rehabilitation team within 4 weeks."""
    start = date(2017, 3, 6)
    (presentation,) = compute_obligations(cph, "job_clarification", start, [],
                                          until=date(2017, 12, 31))
    assert presentation.kind == "rehab_presentation"
    assert presentation.deadline == presentation.statutory_deadline == date(2017, 4, 3)
    assert presentation.mandatory is True
    assert presentation.pool == "unit"
    assert rehab_presentation_deadline(cph, "job_clarification", start) == date(2017, 4, 3)
    assert rehab_presentation_deadline(cph, "insured_unemployed", start) is None
    assert rehab_presentation_deadline(cph, "cash_benefit", start) is None  # not in this set
    done = compute_obligations(
        cph, "job_clarification", start,
        [HeldConversation(date(2017, 3, 30), kind="rehab_presentation")], until=start)
    assert done[0].fulfilled_on == date(2017, 3, 30)


def test_flexjob_case_sent_at_ten_months_reassessed_by_twelve(cph):
    """Seed 003: reassessment at 12 months of ledighedsydelse within 18; sent at 10."""
    start = date(2017, 1, 31)
    (reassessment,) = compute_obligations(cph, "flexjob_benefit", start, [],
                                          until=date(2018, 12, 31))
    assert reassessment.kind == "reassessment"
    assert reassessment.deadline == date(2017, 11, 30)  # 10 calendar months, clamped
    assert reassessment.statutory_deadline == date(2018, 1, 31)  # 12 of 18, paid without a break


def test_cash_benefit_is_not_in_the_2017_set(cph):
    assert not cph.has_group("cash_benefit")


def test_insured_periods_count_cumulative_unemployment(cph):
    """STAR Q&A 2018: a conversation "hver gang personen har været ledig i sammenlagt en
    måned". A 14-day pause from 2017-02-01 moves the 6-month end from 2017-07-02 to 07-16."""
    from booking.rules import Pause

    paused = insured(cph, pauses=[Pause(date(2017, 2, 1), date(2017, 2, 14), "work")],
                     until=date(2017, 8, 1))
    six = conversations(paused, "first_six_months")
    assert six[-1].statutory_deadline == date(2017, 7, 16)
    assert six[0].statutory_deadline == date(2017, 2, 27)  # 6 weeks + 14 days
