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
    fund = of(insured(lab), "fund_first_three_months")
    assert [o.deadline for o in fund] == [date(2024, 1, 15), date(2024, 2, 15), date(2024, 4, 1)]
    assert [o.statutory_deadline for o in fund] == [
        date(2024, 1, 15), date(2024, 4, 1), date(2024, 4, 1)]
    assert all(o.holder == "unemployment_fund" and not o.bookable for o in fund)
    assert fund[0].channels == ("in_person",)
    assert fund[1].channels == ALL


def test_jobcentre_holds_three_more_by_six_months(lab):
    jc = of(insured(lab), "jobcentre_months_3_to_6")
    assert [o.earliest for o in jc] == [date(2024, 4, 1)] * 3
    assert [o.deadline for o in jc] == [date(2024, 5, 1), date(2024, 6, 1), date(2024, 7, 1)]
    assert all(o.statutory_deadline == date(2024, 7, 1) for o in jc)
    assert all(o.holder == "jobcentre" and o.bookable for o in jc)
    assert jc[0].channels == ("in_person",)
    assert jc[1].channels == ALL


def test_after_six_months_as_agreed_except_a_joint_conversation_by_16_months(lab):
    after = [o for o in insured(lab) if o.earliest > date(2024, 4, 1)]
    assert len(after) == 1
    joint = after[0]
    assert joint.joint is True
    assert joint.earliest == date(2024, 7, 1)
    assert joint.deadline == joint.statutory_deadline == date(2025, 5, 1)
    assert "16" in joint.label_en


def test_joint_requirement_needs_a_joint_conversation(lab):
    plain = insured(lab, [HeldConversation(date(2024, 9, 2))])
    assert of(plain, "joint_by_16_months")[0].fulfilled_on is None
    joint = insured(lab, [HeldConversation(date(2024, 9, 2), joint=True)])
    assert of(joint, "joint_by_16_months")[0].fulfilled_on == date(2024, 9, 2)


def test_fund_conversations_are_not_fulfilled_by_jobcentre_events(lab):
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
    start = date(2024, 2, 5)
    obligations = compute_obligations(lab, group, start, [], until=date(2024, 12, 31))
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
    obligations = compute_obligations(lab, group, START, [], until=date(2026, 1, 1))
    talks = [o for o in obligations if o.kind == "conversation"]
    assert [o.deadline for o in talks] == [
        date(2024, 2, 15), date(2024, 4, 1), date(2024, 5, 16), date(2024, 7, 1)]
    assert all(o.statutory_deadline == date(2024, 7, 1) for o in talks)
    assert talks[0].channels == ("in_person",)
    assert all(o.channels == ALL for o in talks[1:])


def test_job_clarification_rehab_team_kept_but_not_mandatory(lab):
    start = date(2025, 3, 3)
    obligations = compute_obligations(lab, "job_clarification", start, [], until=start)
    (rehab,) = [o for o in obligations if o.kind == "rehab_presentation"]
    assert rehab.mandatory is False
    assert rehab.deadline == date(2025, 3, 31)
    assert rehab_presentation_deadline(lab, "job_clarification", start) == date(2025, 3, 31)


def test_resource_programme_keeps_the_local_two_month_indicator(lab):
    assert lab.group("resource_programme").indicator.months == 2
    assert lab.group("cash_benefit").indicator is None


def test_no_offer_rule_so_no_birth_date_needed(lab):
    assert not [o for o in insured(lab) if o.kind == "offer"]
