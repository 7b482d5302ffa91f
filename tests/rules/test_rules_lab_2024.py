"""lab-2024 (lov nr. 727/2023, LBK 280/2024): one test per rule, with real dates."""

from __future__ import annotations

from datetime import date

import pytest

from booking.rules import (
    HeldConversation,
    TargetGroup,
    compute_obligations,
    next_open_obligation,
    rehab_presentation_deadline,
)

START = date(2024, 1, 1)  # a Monday
ALL = ("in_person", "phone", "video")


def of(obligations, requirement_id):
    return [o for o in obligations if o.requirement_id == requirement_id]


def insured(lab, held=(), until=date(2026, 1, 1)):
    return compute_obligations(lab, "insured_unemployed", START, list(held), until=until)


def test_fund_holds_three_in_months_0_to_3_first_within_two_weeks(lab):
    """LAB § 31 stk. 1, 1. pkt., stk. 4 (LBK 280/2024): the fund ≥ 3 in months 0–3, the first
    within 2 weeks."""
    fund = of(insured(lab), "fund_first_three_months")
    assert [o.deadline for o in fund] == [date(2024, 1, 15), date(2024, 2, 15), date(2024, 4, 1)]
    assert [o.statutory_deadline for o in fund] == [
        date(2024, 1, 15), date(2024, 4, 1), date(2024, 4, 1)]
    assert all(o.holder == "unemployment_fund" and not o.bookable for o in fund)
    assert fund[0].channels == ("in_person",)
    assert fund[1].channels == ALL


def test_jobcentre_holds_three_more_by_six_months(lab):
    """LAB § 31 stk. 1, 2. pkt.: the job centre ≥ 3 more by 6 months."""
    jc = of(insured(lab), "jobcentre_months_3_to_6")
    assert [o.earliest for o in jc] == [date(2024, 4, 1)] * 3
    # Saturday 2024-06-01 → Friday 05-31 (planning date); the statutory date stays
    assert [o.deadline for o in jc] == [date(2024, 5, 1), date(2024, 5, 31), date(2024, 7, 1)]
    assert all(o.statutory_deadline == date(2024, 7, 1) for o in jc)
    assert all(o.holder == "jobcentre" and o.bookable for o in jc)
    assert jc[0].channels == ("in_person",)
    assert jc[1].channels == ALL


def test_after_six_months_as_agreed_except_a_joint_conversation_by_16_months(lab):
    """LAB § 32 stk. 1 (as agreed) and stk. 2 (the fund takes part by 16 months)."""
    after = [o for o in insured(lab) if o.earliest > date(2024, 4, 1)]
    assert len(after) == 1
    joint = after[0]
    assert joint.joint is True
    assert joint.earliest == date(2024, 7, 1)
    assert joint.deadline == joint.statutory_deadline == date(2025, 5, 1)
    assert "16" in joint.label_en


def test_joint_requirement_needs_a_joint_conversation(lab):
    """LAB § 32 stk. 2: the fund takes part (or was declined, see test_rules_in_force)."""
    plain = insured(lab, [HeldConversation(date(2024, 9, 2))])
    assert of(plain, "joint_by_16_months")[0].fulfilled_on is None
    joint = insured(lab, [HeldConversation(date(2024, 9, 2), joint=True)])
    assert of(joint, "joint_by_16_months")[0].fulfilled_on == date(2024, 9, 2)


def test_fund_conversations_are_not_fulfilled_by_jobcentre_events(lab):
    """LAB § 31 stk. 1: the fund's conversations are the fund's (holder)."""
    held = [HeldConversation(date(2024, 1, 10), holder="jobcentre")]
    assert of(insured(lab, held), "fund_first_three_months")[0].fulfilled_on is None
    held = [HeldConversation(date(2024, 1, 10), holder="unemployment_fund")]
    assert of(insured(lab, held), "fund_first_three_months")[0].fulfilled_on == date(2024, 1, 10)


def test_next_open_obligation_skips_the_funds_conversations(lab):
    nxt = next_open_obligation(insured(lab), date(2024, 1, 10))
    assert nxt is not None
    assert nxt.requirement_id == "jobcentre_months_3_to_6"
    assert nxt.deadline == date(2024, 5, 1)


@pytest.mark.parametrize("group", ["cash_benefit", "education_benefit"])
def test_cash_and_education_benefit_first_within_a_week_four_in_six_months(lab, group):
    """LAB § 31 stk. 3 og 5: first within 1 week of the first contact, ≥ 4 in 6 months."""
    start = date(2024, 2, 5)
    obligations = [o for o in compute_obligations(lab, group, start, [], until=date(2024, 12, 31))
                   if o.kind == "conversation"]
    assert [o.deadline for o in obligations] == [
        date(2024, 2, 12), date(2024, 4, 5), date(2024, 6, 5), date(2024, 8, 5)]
    assert obligations[0].statutory_deadline == date(2024, 2, 12)
    assert all(o.statutory_deadline == date(2024, 8, 5) for o in obligations[1:])
    assert obligations[0].channels == ("in_person",)
    assert all(o.channels == ALL for o in obligations[1:])


@pytest.mark.parametrize(
    "group",
    [TargetGroup.RESOURCE_PROGRAMME, TargetGroup.JOB_CLARIFICATION, TargetGroup.FLEXJOB_BENEFIT],
)
def test_programmes_four_conversations_in_the_first_six_months(lab, group):
    """LAB § 31 stk. 3: resource programme, job clarification, ledighedsydelse ≥ 4 in 6 months."""
    obligations = compute_obligations(lab, group, START, [], until=date(2026, 1, 1))
    talks = [o for o in obligations if o.kind == "conversation"]
    assert [o.deadline for o in talks] == [
        date(2024, 2, 15), date(2024, 4, 1), date(2024, 5, 16), date(2024, 7, 1)]
    assert all(o.statutory_deadline == date(2024, 7, 1) for o in talks)
    assert talks[0].channels == ("in_person",)
    assert all(o.channels == ALL for o in talks[1:])


def test_job_clarification_rehab_team_mandatory_within_four_weeks_in_2024(lab):
    """Old LAB § 109 / LOB § 9 stk. 1 (4 weeks: secondary sources, verified = false): in 2024 the
    presentation was mandatory; lov nr. 1657/2024 made it optional only from 2025 (lab-2025)."""
    start = date(2024, 3, 4)
    obligations = compute_obligations(lab, "job_clarification", start, [], until=start)
    (rehab,) = [o for o in obligations if o.kind == "rehab_presentation"]
    assert rehab.mandatory is True
    assert rehab.deadline == rehab.statutory_deadline == date(2024, 4, 1)
    assert rehab.verified is False and "secondary" in rehab.note
    assert rehab_presentation_deadline(lab, "job_clarification", start) == date(2024, 4, 1)


def test_resource_programme_keeps_the_local_two_month_indicator(lab):
    assert lab.group("resource_programme").indicator.months == 2
    assert lab.group("cash_benefit").indicator is None


def test_offer_by_six_months_needs_no_birth_date(lab):
    """LAB § 102 stk. 1 (LBK 280/2024): offer started by 6 months of unemployment, any age."""
    (offer,) = [o for o in insured(lab) if o.kind == "offer"]
    assert offer.deadline == offer.statutory_deadline == date(2024, 7, 1)
    assert offer.source.startswith("LAB § 102 stk. 1") and offer.verified


def test_cash_benefit_offer_by_six_months_and_none_for_education_benefit(lab):
    """LAB § 102 stk. 1 covers § 6 nr. 1-3 (kontanthjælp); uddannelseshjælp (nr. 4-5) follows
    § 105, not read and not encoded. From Monday 2024-02-05: by 2024-08-05."""
    start = date(2024, 2, 5)
    (offer,) = [o for o in compute_obligations(lab, "cash_benefit", start, [], until=start)
                if o.kind == "offer"]
    assert offer.statutory_deadline == date(2024, 8, 5) and offer.closes is None
    assert not [o for o in compute_obligations(lab, "education_benefit", start, [], until=start)
                if o.kind == "offer"]
    assert "§ 105" in lab.group("education_benefit").note


def test_lab_2024_ends_2024_12_31(lab):
    assert (lab.effective_from, lab.effective_to) == (date(2024, 1, 1), date(2024, 12, 31))
