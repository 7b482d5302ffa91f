"""lab-2020 (lov nr. 548/2019, read in LBK nr. 701/2022): one test per rule, with real dates.

Dates computed by hand: months are calendar months from the start; "i of N in 6 months" is
due by i·6/N months when whole, else i·(period days)/N days; planning dates are moved back to
the last working day (weekends; holidays where ``dk`` is passed).
"""

from __future__ import annotations

from datetime import date

import pytest

from booking.rules import HeldConversation, compute_obligations, load_rule_set

FAR = date(2024, 12, 31)
START = date(2021, 3, 1)  # Monday; 6 months → 2021-09-01 (184 days)
AGE_36 = date(1985, 1, 1)


@pytest.fixture(scope="module")
def lab20():
    return load_rule_set("lab-2020")


def of(obligations, requirement_id):
    return [o for o in obligations if o.requirement_id == requirement_id]


def insured(lab20, held=(), birth_date=AGE_36):
    return compute_obligations(lab20, "insured_unemployed", START, list(held), until=FAR,
                               birth_date=birth_date)


def test_dates_2020_01_01_to_2023_12_31(lab20):
    assert (lab20.effective_from, lab20.effective_to) == (date(2020, 1, 1), date(2023, 12, 31))


def test_lab_31_1_four_job_centre_conversations_in_six_months(lab20):
    """LAB § 31 stk. 1: ≥ 4 in the first 6 months: by 46 days (04-16), 3 months (06-01),
    138 days (Saturday 07-17 → Friday 07-16) and 6 months (09-01)."""
    four = of(insured(lab20), "jobcentre_four_in_six_months")
    assert [o.deadline for o in four] == [
        date(2021, 4, 16), date(2021, 6, 1), date(2021, 7, 16), date(2021, 9, 1)]
    assert {o.statutory_deadline for o in four} == {date(2021, 9, 1)}
    assert four[0].channels == ("in_person",)
    assert all(o.verified and o.holder == "jobcentre" for o in four)


def test_lab_31_2_1_joint_conversation_by_three_months_only_when_needed(lab20):
    """LAB § 31 stk. 2 nr. 1: by 3 months, only on the fund's assessment or a request: not
    mandatory."""
    (joint,) = of(insured(lab20), "joint_by_three_months")
    assert joint.joint and not joint.mandatory
    assert joint.deadline == joint.statutory_deadline == date(2021, 6, 1)


def test_lab_31_2_2_joint_conversation_in_months_3_to_6(lab20):
    """LAB § 31 stk. 2 nr. 2: earliest at 3, latest at 6 months; in addition to the four."""
    (joint,) = of(insured(lab20), "joint_months_3_to_6")
    assert (joint.earliest, joint.statutory_deadline) == (date(2021, 6, 1), date(2021, 9, 1))
    held = [HeldConversation(date(2021, 5, 3), joint=True)]  # before month 3: the optional one
    assert of(insured(lab20, held), "joint_months_3_to_6")[0].fulfilled_on is None
    declined = [HeldConversation(date(2021, 7, 5), fund_declined=True)]
    assert of(insured(lab20, declined), "joint_months_3_to_6")[0].fulfilled_on \
        == date(2021, 7, 5)


def test_lab_32_2_joint_conversation_by_16_months_secondary_source(lab20):
    """STAR 2020 (§ 32 stk. 2, 2020 wording not read): by 16 months → 2022-07-01."""
    (joint,) = of(insured(lab20), "joint_by_16_months")
    assert (joint.earliest, joint.statutory_deadline) == (date(2021, 9, 1), date(2022, 7, 1))
    assert not joint.verified and joint.note


def test_fund_cv_and_availability_conversations_are_the_funds(lab20):
    """STAR 2020 / MA a-kasse (secondary): CV conversation within 2 weeks (03-15), two
    availability conversations by 3 and 6 months; the fund's, not the job centre's."""
    obligations = insured(lab20)
    (cv,) = of(obligations, "fund_cv_conversation")
    assert cv.deadline == date(2021, 3, 15)
    availability = of(obligations, "fund_availability_conversations")
    assert [o.deadline for o in availability] == [date(2021, 6, 1), date(2021, 9, 1)]
    assert all(o.holder == "unemployment_fund" and not o.bookable and not o.verified
               for o in [cv, *availability])


@pytest.mark.parametrize(
    ("birth_date", "deadline"),
    [(date(1995, 1, 1), date(2021, 5, 31)),  # 26: 13 weeks
     (AGE_36, date(2021, 8, 30)),  # 36: 26 weeks
     (date(1965, 1, 1), date(2021, 5, 31))],  # 56: 13 weeks
)
def test_lab_102_offer_unverified_2015_deadlines_kept(lab20, birth_date, deadline):
    """LAB § 102 (2020–2023 wording NOT read): the 2015 reform's 13/26 weeks by age are kept
    as the reading, verified = false."""
    (offer,) = [o for o in insured(lab20, birth_date=birth_date) if o.kind == "offer"]
    assert offer.statutory_deadline == deadline
    assert not offer.verified and "Not found" in offer.note


@pytest.mark.parametrize("group", ["cash_benefit", "education_benefit"])
def test_lab_31_1_and_3_cash_first_within_a_week_four_in_six_months(lab20, group):
    """LAB § 31 stk. 3 (2022 numbering): first 1 week from the first contact; stk. 1: ≥ 4 in 6
    months. From Monday 2022-01-10: 01-17, then 2, 4, 6 months (03-10, 05-10, Sunday 07-10 →
    Friday 07-08)."""
    obligations = compute_obligations(lab20, group, date(2022, 1, 10), [], until=FAR)
    assert [o.deadline for o in obligations] == [
        date(2022, 1, 17), date(2022, 3, 10), date(2022, 5, 10), date(2022, 7, 8)]
    assert obligations[0].statutory_deadline == date(2022, 1, 17)
    assert obligations[-1].statutory_deadline == date(2022, 7, 10)
    assert not [o for o in obligations if o.kind == "offer"]  # 2020–2023 offers not found


def test_lab_31_1_resource_programme_four_in_six_and_optional_rehab_again(lab20):
    """LAB § 31 stk. 1: ≥ 4 in 6 months from 2020-09-07 (181 days): 45 days (10-22),
    3 months (12-07), 135 days (2021-01-20), 6 months (Sunday 03-07 → Friday 03-05).
    BEK 2408/2021 § 17: re-presentation by 6 months only if no effort began: not mandatory."""
    obligations = compute_obligations(lab20, "resource_programme", date(2020, 9, 7), [],
                                      until=FAR)
    talks = of(obligations, "four_in_six_months")
    assert [o.deadline for o in talks] == [
        date(2020, 10, 22), date(2020, 12, 7), date(2021, 1, 20), date(2021, 3, 5)]
    (again,) = of(obligations, "rehab_again_at_six_months")
    assert again.kind == "rehab_presentation" and not again.mandatory
    assert again.statutory_deadline == date(2021, 3, 7)


def test_job_clarification_rehab_team_within_four_weeks_on_whit_monday(lab20, dk):
    """Old LAB § 109 / LOB § 9 (4 weeks: secondary sources): from Monday 2023-05-01 due
    2023-05-29, 2. pinsedag: planned Friday 05-26. Mandatory; a late one still fulfils it."""
    obligations = compute_obligations(lab20, "job_clarification", date(2023, 5, 1), [],
                                      until=FAR, closed=dk)
    (rehab,) = of(obligations, "rehab_team")
    assert (rehab.statutory_deadline, rehab.deadline) == (date(2023, 5, 29), date(2023, 5, 26))
    assert rehab.mandatory and rehab.closes is None and not rehab.verified
    assert len(of(obligations, "four_in_six_months")) == 4


def test_lab_31_1_flexjob_benefit_four_in_six_months(lab20):
    """LAB § 31 stk. 1 (ledighedsydelse): ≥ 4 in 6 months from 2020-01-06 (182 days):
    45 days (02-20), 3 months (04-06), 136 days (05-21), 6 months (07-06)."""
    obligations = compute_obligations(lab20, "flexjob_benefit", date(2020, 1, 6), [], until=FAR)
    assert [o.deadline for o in obligations] == [
        date(2020, 2, 20), date(2020, 4, 6), date(2020, 5, 21), date(2020, 7, 6)]
