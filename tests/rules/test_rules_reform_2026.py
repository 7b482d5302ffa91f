"""reform-2026-07 (lov nr. 1750/2025, from 2026-07-01): one test per rule, with real dates.

The statute text was not readable: every rule is verified = false with a note; the numbers come
from STAR (Q&A 2025, webinar 21 January 2026). Dates computed by hand.
"""

from __future__ import annotations

from datetime import date

import pytest

from booking.rules import HeldConversation, compute_obligations, load_rule_set

FAR = date(2028, 12, 31)
START = date(2026, 8, 3)  # Monday; 3 months → 11-03, 6 months → 2027-02-03
CASH = date(2026, 9, 7)  # Monday; 1 week → 09-14, 6 months → 2027-03-07 (a Sunday)


@pytest.fixture(scope="module")
def reform():
    return load_rule_set("reform-2026-07")


def of(obligations, requirement_id):
    return [o for o in obligations if o.requirement_id == requirement_id]


def insured(reform, held=()):
    return compute_obligations(reform, "insured_unemployed", START, list(held), until=FAR)


def test_from_2026_07_01_without_end_and_exemption_share(reform):
    assert (reform.effective_from, reform.effective_to) == (date(2026, 7, 1), None)
    assert reform.max_exemption_share == 0.25
    for rules in reform.groups.values():
        for req in rules.requirements:
            assert not req.verified and req.note and req.source


def test_first_conversation_with_every_job_ready_person_not_under_the_75_rule(reform):
    """STAR Q&A 2025: "Første jobsamtale skal holdes med alle jobparate ledige"; holder and
    deadline not found: the fund within 2 weeks (LAB 2024) kept → 2026-08-17."""
    (first,) = of(insured(reform), "fund_first")
    assert first.holder == "unemployment_fund" and first.min_share is None
    assert first.statutory_deadline == date(2026, 8, 17)
    assert first.channels == ("in_person",)


def test_fund_at_least_two_in_months_0_to_3_for_75_percent(reform):
    """STAR Q&A 2025: the fund ≥ 2 conversations in months 0–3 for ≥ 75 %: the second by
    2026-11-03."""
    (second,) = of(insured(reform), "fund_months_0_to_3")
    assert (second.statutory_deadline, second.min_share) == (date(2026, 11, 3), 0.75)
    assert second.holder == "unemployment_fund"


def test_municipality_at_least_two_from_transfer_to_six_months_for_75_percent(reform):
    """STAR Q&A 2025: the municipality ≥ 2 from the transfer (read as 3 months) to 6 months:
    by 46 of 92 days (Saturday 12-19 → Friday 12-18) and 2027-02-03."""
    two = of(insured(reform), "jobcentre_months_3_to_6")
    assert [o.deadline for o in two] == [date(2026, 12, 18), date(2027, 2, 3)]
    assert all(o.earliest == date(2026, 11, 3) and o.min_share == 0.75 for o in two)
    assert all(o.holder == "jobcentre" and o.bookable for o in two)


def test_16_month_conversation_kept(reform):
    """STAR Q&A 01-07-2025: a conversation about an intensified effort by 16 months
    (2027-12-03); fund participation not found, LAB 2024 § 32 stk. 2 kept (may be declined)."""
    (joint,) = of(insured(reform), "joint_by_16_months")
    assert joint.statutory_deadline == date(2027, 12, 3)
    declined = [HeldConversation(date(2027, 6, 1), fund_declined=True)]
    assert of(insured(reform, declined), "joint_by_16_months")[0].fulfilled_on \
        == date(2027, 6, 1)


@pytest.mark.parametrize(
    ("group", "start", "deadline", "planned"),
    [("insured_unemployed", START, date(2027, 2, 3), date(2027, 2, 3)),
     ("cash_benefit", CASH, date(2027, 3, 7), date(2027, 3, 5)),
     ("education_benefit", CASH, date(2027, 3, 7), date(2027, 3, 5))],
)
def test_offer_within_six_months_for_75_percent(reform, group, start, deadline, planned):
    """STAR webinar 21 Jan 2026: an offer within the first 6 months for ≥ 75 % of the insured
    and the job- and education-ready cash-benefit recipients."""
    (offer,) = [o for o in compute_obligations(reform, group, start, [], until=FAR)
                if o.kind == "offer"]
    assert (offer.statutory_deadline, offer.deadline, offer.min_share) == (
        deadline, planned, 0.75)


def test_cash_benefit_first_for_all_then_four_in_six_for_75_percent(reform):
    """STAR Q&A 2025: job-ready cash benefit ≥ 4 in 6 months for ≥ 75 %, the first with all
    (deadline not found: 1 week kept → 09-14). The other three by 2 months (Saturday 11-07 →
    Friday 11-06), 4 months (2027-01-07) and 6 months (Sunday 03-07 → Friday 03-05)."""
    obligations = compute_obligations(reform, "cash_benefit", CASH, [], until=FAR)
    (first,) = of(obligations, "first_conversation")
    assert (first.statutory_deadline, first.min_share) == (date(2026, 9, 14), None)
    more = of(obligations, "more_in_six_months")
    assert [o.deadline for o in more] == [date(2026, 11, 6), date(2027, 1, 7), date(2027, 3, 5)]
    assert all(o.min_share == 0.75 for o in more)


def test_education_benefit_conversation_rule_kept_without_share(reform):
    """Rule for the under-30 group after the reform not found: LAB 2024 § 31 stk. 3, 5 kept."""
    talks = of(compute_obligations(reform, "education_benefit", CASH, [], until=FAR),
               "four_in_six_months")
    assert [o.deadline for o in talks] == [
        date(2026, 9, 14), date(2026, 11, 6), date(2027, 1, 7), date(2027, 3, 5)]
    assert all(o.min_share is None for o in talks)


def test_flexjob_benefit_first_for_all_then_four_in_six_for_75_percent(reform):
    """STAR Q&A 2025: ledighedsydelse ≥ 4 in 6 months for ≥ 75 %, the first with all; no
    deadline found for the first: the 6-month bound, planned by 6 weeks (10-19)."""
    obligations = compute_obligations(reform, "flexjob_benefit", CASH, [], until=FAR)
    (first,) = of(obligations, "first_conversation_by_six_months")
    assert (first.deadline, first.statutory_deadline) == (date(2026, 10, 19), date(2027, 3, 7))
    assert [o.min_share for o in of(obligations, "more_in_six_months")] == [0.75] * 3


def test_no_new_resource_programmes(reform):
    """Lov 1750/2025 (lovguiden; bill § 1 nr. 4): resource programmes closed to new citizens;
    one started before 2026-07-01 is served by the started_before rule."""
    assert compute_obligations(reform, "resource_programme", date(2026, 7, 1), [],
                               until=FAR) == []
    running = compute_obligations(reform, "resource_programme", date(2026, 6, 30), [],
                                  until=FAR)
    assert len(running) == 4
    (req,) = reform.group("resource_programme").requirements
    assert req.started_before == date(2026, 7, 1)


def test_job_clarification_has_no_rehabilitation_team_requirement(reform):
    """Lov 1750/2025: "Kravet om rehabiliteringsteam fjernes"; the four conversations are
    kept as the reading (rule after the reform not found)."""
    obligations = compute_obligations(reform, "job_clarification", date(2026, 7, 6), [],
                                      until=FAR)
    assert {o.kind for o in obligations} == {"conversation"} and len(obligations) == 4
    assert not [r for r in reform.group("job_clarification").requirements
                if r.kind == "rehab_presentation"]
