"""The law in force on each obligation's due date, and the regressions of the issue.

Every date here is computed by hand in the comment next to it.
"""

from __future__ import annotations

from datetime import date

import pytest

from booking.rules import (
    HeldConversation,
    Pause,
    RuleSetError,
    TargetGroup,
    law_changes_on,
    load_rule_set,
    obligations_in_force,
    rule_set_for_date,
)

FAR = date(2028, 12, 31)


def by_key(obligations):
    return {o.key: o for o in obligations}


# --- effective dates ------------------------------------------------------------------------


@pytest.mark.parametrize("day", [date(2026, 11, 29), date(2031, 1, 1)])
def test_lab_2024_ends_2024_12_31_effective_to_enforced(day):
    """Regression: lab-2024 had no end, so rule_set_for_date returned it in 2026 and 2031."""
    assert load_rule_set("lab-2024").effective_to == date(2024, 12, 31)
    assert rule_set_for_date(date(2024, 12, 31)).id == "lab-2024"
    assert rule_set_for_date(date(2025, 1, 1)).id == "lab-2025"
    assert rule_set_for_date(day).id == "reform-2026-07"


@pytest.mark.parametrize("day", [date(2020, 1, 1), date(2022, 6, 15), date(2023, 12, 31)])
def test_lab_2020_closes_the_gap_2020_to_2023(day):
    """Regression: no set covered 2020–2023."""
    assert rule_set_for_date(day).id == "lab-2020"


@pytest.mark.parametrize("day", [date(2014, 1, 1), date(2015, 6, 30)])
def test_rule_set_error_when_no_set_is_in_force(day):
    with pytest.raises(RuleSetError, match=f"no rule set is in force on {day.isoformat()}"):
        rule_set_for_date(day)


def test_no_draft_for_2027_is_shipped():
    """Reform phase 2 (new main LAB from 2027) is not enacted as far as found: no set."""
    assert rule_set_for_date(date(2027, 6, 1)).id == "reform-2026-07"


def test_an_obligation_falling_due_after_effective_to_is_not_taken_from_that_set():
    """Job clarification: rehab presentation within 4 weeks is lab-2024's rule (mandatory) and
    ends with it. Started 2024-11-04: due 2024-12-02 (lab-2024). Started 2024-12-10: due
    2025-01-07, when lab-2025 (team optional, no deadline) is in force: no obligation."""
    early = obligations_in_force("job_clarification", date(2024, 11, 4), [], until=FAR)
    (rehab,) = [o for o in early if o.kind == "rehab_presentation"]
    assert (rehab.statutory_deadline, rehab.rule_set, rehab.mandatory) == (
        date(2024, 12, 2), "lab-2024", True)
    late = obligations_in_force("job_clarification", date(2024, 12, 10), [], until=FAR)
    assert not [o for o in late if o.kind == "rehab_presentation"]
    assert {o.rule_set for o in late} == {"lab-2025"}  # 4 in 6 months, due 2025-06-10


# --- holidays: planning date = last working day; the statutory date stays --------------------


def test_cash_benefit_first_conversation_due_on_skaertorsdag_2024(dk):
    """LAB § 31 stk. 5: first conversation 1 week after first contact. From Thursday 2024-03-21
    it is due Thursday 2024-03-28 (Skærtorsdag): planned Wednesday 2024-03-27."""
    (first, *_) = obligations_in_force("cash_benefit", date(2024, 3, 21), [],
                                       until=date(2024, 3, 21), closed=dk)
    assert (first.statutory_deadline, first.deadline) == (date(2024, 3, 28), date(2024, 3, 27))
    assert first.source == "LAB § 31 stk. 3 og 5 (LBK nr. 280 af 1. marts 2024)"


def test_fund_first_conversation_due_on_christmas_day_2024(dk):
    """LAB § 31 stk. 4: the fund's first within 2 weeks. From 2024-12-11 it is due 2024-12-25
    (1. juledag): planned 2024-12-24; with the 24th a local closed day, 2024-12-23."""
    def first(closed):
        obligations = obligations_in_force("insured_unemployed", date(2024, 12, 11), [],
                                           until=date(2024, 12, 11), closed=closed)
        return next(o for o in obligations if o.holder == "unemployment_fund")
    assert (first(dk).statutory_deadline, first(dk).deadline) == (
        date(2024, 12, 25), date(2024, 12, 24))
    assert first(dk | {date(2024, 12, 24)}).deadline == date(2024, 12, 23)


def test_copenhagen_joint_conversation_due_on_2nd_easter_day_2017(dk):
    """copenhagen-2017: the first joint conversation by 6 weeks. From Monday 2017-03-06 it is
    due 2017-04-17 (2. påskedag); 13, 14 April are holidays, 15, 16 a weekend: planned
    Wednesday 2017-04-12."""
    obligations = obligations_in_force("insured_unemployed", date(2017, 3, 6), [],
                                       until=date(2017, 3, 6), closed=dk,
                                       birth_date=date(1980, 1, 1))
    joint = next(o for o in obligations if o.joint)
    assert (joint.statutory_deadline, joint.deadline) == (date(2017, 4, 17), date(2017, 4, 12))
    assert joint.rule_set == "copenhagen-2017"


def test_planning_dates_never_before_earliest(dk):
    """The planning date is never moved before the obligation's earliest day."""
    for o in obligations_in_force("cash_benefit", date(2024, 3, 29), [], until=FAR, closed=dk):
        assert o.earliest <= o.deadline <= o.statutory_deadline
    # from Good Friday 2024-03-29: 1 week → Friday 04-05, a working day
    first = obligations_in_force("cash_benefit", date(2024, 3, 29), [], until=FAR, closed=dk)[0]
    assert first.deadline == date(2024, 4, 5)


# --- cumulative unemployment: pauses ----------------------------------------------------------


def test_a_pause_moves_the_insured_periods_by_the_paused_days():
    """LAB § 9 stk. 1 nr. 1: periods count cumulative unemployment. Start 2024-01-01 (lab-2024),
    work 2024-02-01..02-29 (29 days): the fund's first by 2 weeks is before the pause
    (2024-01-15); its 3 months end 2024-04-01 + 29 = 04-30; the job centre's months 3-6 run
    04-30 → 07-30; the offer by 6 months 07-30."""
    pauses = [Pause(date(2024, 2, 1), date(2024, 2, 29), "work")]
    got = by_key(obligations_in_force("insured_unemployed", date(2024, 1, 1), [], until=FAR,
                                      pauses=pauses))
    fund = "insured_unemployed:fund_first_three_months:1:"
    assert got[fund + "1"].statutory_deadline == date(2024, 1, 15)
    assert got[fund + "3"].statutory_deadline == date(2024, 4, 30)
    jc = got["insured_unemployed:jobcentre_months_3_to_6:1:1"]
    assert (jc.earliest, jc.statutory_deadline) == (date(2024, 4, 30), date(2024, 7, 30))
    offer = got["insured_unemployed:offer_by_six_months:1:1"]
    assert offer.statutory_deadline == date(2024, 7, 30)


def test_an_open_pause_leaves_out_what_would_fall_due_after_it_began():
    pauses = [Pause(date(2024, 2, 1), None, "sick")]
    got = obligations_in_force("insured_unemployed", date(2024, 1, 1), [], until=FAR,
                               pauses=pauses)
    assert [(o.requirement_id, o.sequence) for o in got] == [("fund_first_three_months", 1)]
    assert got[0].statutory_deadline == date(2024, 1, 15) and got[0].closes is None


def test_pauses_do_not_move_a_group_that_counts_a_continuous_period():
    """§ 9 stk. 1 nr. 2: cash benefit counts a continuous period on the same benefit."""
    plain = obligations_in_force("cash_benefit", date(2024, 2, 5), [], until=FAR)
    paused = obligations_in_force("cash_benefit", date(2024, 2, 5), [], until=FAR,
                                  pauses=[Pause(date(2024, 3, 1), date(2024, 3, 31))])
    assert paused == plain


# --- change of target group -------------------------------------------------------------------


def test_each_conversation_counts_once_after_a_change_of_target_group():
    """Cash benefit from 2024-02-05, ended 2024-04-30 (the day before) when a resource programme
    starts 2024-05-01. The conversation of 2024-04-15 counts for the old programme only, the one
    of 2024-05-10 for the new one only."""
    held = [HeldConversation(date(2024, 2, 8)), HeldConversation(date(2024, 4, 15)),
            HeldConversation(date(2024, 5, 10))]
    old = obligations_in_force("cash_benefit", date(2024, 2, 5), held, until=FAR,
                               programme_end=date(2024, 4, 30))
    new = obligations_in_force("resource_programme", date(2024, 5, 1), held, until=FAR)
    assert [o.fulfilled_on for o in old] == [date(2024, 2, 8), date(2024, 4, 15)]
    assert [o.fulfilled_on for o in new if o.fulfilled_on] == [date(2024, 5, 10)]
    used = [o.fulfilled_on for o in old + new if o.fulfilled_on]
    assert sorted(used) == [h.date for h in held]  # each once


# --- holder and kind --------------------------------------------------------------------------


def test_a_late_fund_conversation_does_not_fill_the_job_centres_slot():
    """Regression: a held conversation without a holder filled any slot. The fund's 3rd
    conversation held late (2024-04-10, after its 3 months) fills nothing now."""
    late_fund = [HeldConversation(date(2024, 4, 10), holder="unemployment_fund")]
    got = obligations_in_force("insured_unemployed", date(2024, 1, 1), late_fund, until=FAR)
    assert not [o for o in got if o.fulfilled_on]
    jobcentre = [HeldConversation(date(2024, 4, 10))]  # holder defaults to the job centre
    got = by_key(obligations_in_force("insured_unemployed", date(2024, 1, 1), jobcentre,
                                      until=FAR))
    assert got["insured_unemployed:jobcentre_months_3_to_6:1:1"].fulfilled_on == date(2024, 4, 10)


@pytest.mark.parametrize("kind", ["offer", "rehab_presentation", "reassessment"])
def test_an_event_fulfils_only_obligations_of_its_kind(kind):
    held = [HeldConversation(date(2024, 3, 1), kind=kind)]
    got = obligations_in_force("insured_unemployed", date(2024, 1, 1), held, until=FAR)
    assert {o.kind for o in got if o.fulfilled_on} == ({"offer"} if kind == "offer" else set())


def test_held_conversation_refuses_unknown_holder_or_kind():
    with pytest.raises(ValueError, match="holder"):
        HeldConversation(date(2024, 1, 1), holder="a-kasse")
    with pytest.raises(ValueError, match="kind"):
        HeldConversation(date(2024, 1, 1), kind="party")


def test_16_month_conversation_met_when_the_citizen_declines_the_fund():
    """LAB § 32 stk. 2: the fund takes part "medmindre personen ønsker, at
    arbejdsløshedskassen ikke deltager". Regression: it could not be met when declined."""
    def joint16(held):
        got = obligations_in_force("insured_unemployed", date(2024, 1, 1), held, until=FAR)
        return next(o for o in got if o.requirement_id == "joint_by_16_months")
    assert joint16([HeldConversation(date(2024, 9, 2))]).fulfilled_on is None
    declined = [HeldConversation(date(2024, 9, 2), fund_declined=True)]
    assert joint16(declined).fulfilled_on == date(2024, 9, 2)
    assert joint16([HeldConversation(date(2024, 9, 2), joint=True)]).fulfilled_on \
        == date(2024, 9, 2)


def test_declining_the_fund_does_not_meet_a_joint_rule_that_allows_no_declining(cph):
    """copenhagen-2017's joint conversations have no such clause: a declined one is ordinary."""
    held = [HeldConversation(date(2017, 1, 10), fund_declined=True)]
    got = obligations_in_force("insured_unemployed", date(2017, 1, 2), held, until=FAR,
                               birth_date=date(1980, 1, 1))
    first = [o for o in got if o.requirement_id == "first_six_months"]
    assert [o.fulfilled_on for o in first[:2]] == [None, date(2017, 1, 10)]


# --- a programme spanning 2026-07-01 ----------------------------------------------------------


def test_insured_programme_spanning_2026_07_01_takes_each_obligation_from_its_due_dates_set():
    """Insured from Monday 2026-05-04. Due before 2026-07-01 (lab-2025-07): the fund's first by
    2 weeks, 2026-05-18. Due later (reform-2026-07): the fund's second by 3 months (08-04, 75 %),
    the municipality's 2 in months 3-6 (planned 09-18 = 46 days into the 92-day window, a
    Saturday moved to Friday, and 11-04), the offer by 11-04 (75 %), the 16-month conversation
    by 2027-09-04 (a Saturday: planned 09-03). Regression: the set was pinned to the start."""
    got = obligations_in_force("insured_unemployed", date(2026, 5, 4), [], until=FAR)
    assert [(o.rule_set, o.requirement_id, o.deadline, o.statutory_deadline, o.min_share)
            for o in got] == [
        ("lab-2025-07", "fund_first_three_months", date(2026, 5, 18), date(2026, 5, 18), None),
        ("reform-2026-07", "fund_months_0_to_3", date(2026, 8, 4), date(2026, 8, 4), 0.75),
        ("reform-2026-07", "jobcentre_months_3_to_6", date(2026, 9, 18), date(2026, 11, 4),
         0.75),
        ("reform-2026-07", "jobcentre_months_3_to_6", date(2026, 11, 4), date(2026, 11, 4),
         0.75),
        ("reform-2026-07", "offer_by_six_months", date(2026, 11, 4), date(2026, 11, 4), 0.75),
        ("reform-2026-07", "joint_by_16_months", date(2027, 9, 3), date(2027, 9, 4), None),
    ]
    assert got[0].verified and not any(o.verified for o in got[1:])


def test_cash_programme_spanning_2026_07_01_four_conversations_each_counted_once():
    """Cash benefit from Monday 2026-06-22: the first by 1 week (06-29) under lab-2025-07; the
    other three (statutory 12-22) under the reform; one conversation fills one of them."""
    held = [HeldConversation(date(2026, 6, 25)), HeldConversation(date(2026, 8, 3))]
    got = obligations_in_force("cash_benefit", date(2026, 6, 22), held, until=FAR)
    talks = [o for o in got if o.kind == "conversation"]
    assert [(o.rule_set, o.requirement_id, o.statutory_deadline, o.fulfilled_on)
            for o in talks] == [
        ("lab-2025-07", "four_in_six_months", date(2026, 6, 29), date(2026, 6, 25)),
        ("reform-2026-07", "more_in_six_months", date(2026, 12, 22), date(2026, 8, 3)),
        ("reform-2026-07", "more_in_six_months", date(2026, 12, 22), None),
        ("reform-2026-07", "more_in_six_months", date(2026, 12, 22), None),
    ]


def test_resource_programme_started_before_the_reform_keeps_being_served():
    """No new resource programmes from 2026-07-01; one started 2026-03-02 keeps 4 in 6 months,
    due 2026-09-02 under reform-2026-07 (started_before = 2026-07-01); one started 2026-07-06
    gets none."""
    running = obligations_in_force("resource_programme", date(2026, 3, 2), [], until=FAR)
    assert [(o.rule_set, o.deadline) for o in running] == [
        ("reform-2026-07", date(2026, 4, 17)), ("reform-2026-07", date(2026, 6, 2)),
        ("reform-2026-07", date(2026, 7, 17)), ("reform-2026-07", date(2026, 9, 2))]
    assert obligations_in_force("resource_programme", date(2026, 7, 6), [], until=FAR) == []


def test_law_changes_on_2026_07_01_for_an_insured_programme():
    """What changes on 2026-07-01 for the programme above: versus lab-2025-07 for everything,
    the fund's 2nd and 3rd (planned 06-19 and 08-04, both due by 08-04) go, its one more by 3
    months comes, the municipality's three (planned 09-04, 10-02, 11-04) become two (09-18,
    11-04). Ordered by statutory deadline, then key."""
    changes = law_changes_on(date(2026, 7, 1), "insured_unemployed", date(2026, 5, 4), [],
                             until=FAR)
    assert [(c.kind, c.key.split(":", 1)[1]) for c in changes] == [
        ("removed", "fund_first_three_months:1:2"),
        ("removed", "fund_first_three_months:1:3"),
        ("added", "fund_months_0_to_3:1:1"),
        ("moved", "jobcentre_months_3_to_6:1:1"),
        ("moved", "jobcentre_months_3_to_6:1:2"),
        ("removed", "jobcentre_months_3_to_6:1:3"),
    ]
    moved = [c for c in changes if c.kind == "moved"]
    assert [(c.before.deadline, c.after.deadline) for c in moved] == [
        (date(2026, 9, 4), date(2026, 9, 18)), (date(2026, 10, 2), date(2026, 11, 4))]
    assert all(c.before.rule_set == "lab-2025-07" for c in changes if c.before)
    assert all(c.after.rule_set == "reform-2026-07" for c in changes if c.after)


def test_law_changes_on_a_day_without_a_previous_set_raises():
    with pytest.raises(RuleSetError):
        law_changes_on(date(2015, 7, 1), "insured_unemployed", date(2015, 7, 1), [], until=FAR,
                       birth_date=date(1980, 1, 1))


def test_a_rule_set_can_be_pinned_by_id_or_value():
    """The calculator's --rule-set: one set for everything, whatever its dates."""
    by_id = obligations_in_force("cash_benefit", date(2026, 6, 22), [], until=FAR,
                                 rule_set="lab-2024")
    by_value = obligations_in_force(TargetGroup.CASH_BENEFIT, date(2026, 6, 22), [], until=FAR,
                                    rule_set=load_rule_set("lab-2024"))
    assert by_id == by_value
    assert {o.rule_set for o in by_id} == {"lab-2024"}
    assert len([o for o in by_id if o.kind == "conversation"]) == 4


def test_the_75_percent_rule_is_data():
    reform = load_rule_set("reform-2026-07")
    assert reform.max_exemption_share == 0.25
    shares = {(g.value, r.id): r.min_share
              for g, reqs in reform.requirements_with_share.items() for r in reqs}
    assert shares == {
        ("insured_unemployed", "fund_months_0_to_3"): 0.75,
        ("insured_unemployed", "jobcentre_months_3_to_6"): 0.75,
        ("insured_unemployed", "offer_by_six_months"): 0.75,
        ("cash_benefit", "more_in_six_months"): 0.75,
        ("cash_benefit", "offer_by_six_months"): 0.75,
        ("education_benefit", "offer_by_six_months"): 0.75,
        ("flexjob_benefit", "more_in_six_months"): 0.75,
    }
    assert load_rule_set("lab-2025-07").max_exemption_share is None
    assert not load_rule_set("lab-2025-07").requirements_with_share
