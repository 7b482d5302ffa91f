"""lab-2025 (lov nr. 1657/2024) and lab-2025-07 (lov nr. 1655/2024): one test per change."""

from __future__ import annotations

from datetime import date

import pytest

from booking.rules import (
    TargetGroup,
    compute_obligations,
    load_rule_set,
    rehab_presentation_deadline,
)

FAR = date(2027, 12, 31)


@pytest.fixture(scope="module")
def lab25():
    return load_rule_set("lab-2025")


@pytest.fixture(scope="module")
def lab2507():
    return load_rule_set("lab-2025-07")


def test_dates(lab25, lab2507):
    assert (lab25.effective_from, lab25.effective_to) == (date(2025, 1, 1), date(2025, 6, 30))
    assert (lab2507.effective_from, lab2507.effective_to) == (date(2025, 7, 1),
                                                            date(2026, 6, 30))


def test_lab_109_lov_1657_2024_rehabilitation_team_optional_without_deadline(lab25, lab2507):
    """LAB § 109 as amended by lov nr. 1657/2024 § 2 nr. 7: the team "kan" be used when the
    municipality finds a need; no deadline, so no obligation; the four conversations remain."""
    for rule_set in (lab25, lab2507):
        start = date(2025, 3, 3)
        obligations = compute_obligations(rule_set, "job_clarification", start, [], until=FAR)
        assert {o.kind for o in obligations} == {"conversation"}
        assert rehab_presentation_deadline(rule_set, "job_clarification", start) is None
        assert "optional" in rule_set.group("job_clarification").note


def test_lab_31_insured_rules_unchanged_in_2025(lab, lab25):
    """LAB §§ 31, 32, 102 (LBK 280/2024) carry on into 2025 with the same ids and dates."""
    start = date(2025, 2, 3)
    def plan(rule_set):
        return [(o.key, o.deadline, o.statutory_deadline, o.verified)
                for o in compute_obligations(rule_set, "insured_unemployed", start, [],
                                             until=FAR)]
    assert plan(lab25) == plan(lab)


def test_lov_1655_2024_education_benefit_is_the_under_30_cash_benefit_group(lab2507):
    """From 2025-07-01 uddannelseshjælp is kontanthjælp for those under 30 without an
    education; the group keeps its code and its rules (no change found, not proven)."""
    group = lab2507.group(TargetGroup.EDUCATION_BENEFIT)
    assert group.label_da == "Kontanthjælp (under 30 år uden uddannelse)"
    assert "under 30" in group.label_en
    assert "30 år eller derover" in lab2507.group("cash_benefit").label_da


@pytest.mark.parametrize("group", ["cash_benefit", "education_benefit"])
def test_lab_31_3_and_5_cash_rules_kept_but_unverified_after_lov_1655(lab2507, group):
    """LAB § 31 stk. 3, 5: first within 1 week, ≥ 4 in 6 months. From Monday 2025-09-01:
    09-08, then 2 months (11-01 is a Saturday → 10-31), 4 months (2026-01-01 is a Thursday;
    planned on it without holidays), 6 months (2026-03-01 is a Sunday → 02-27)."""
    obligations = compute_obligations(lab2507, group, date(2025, 9, 1), [], until=FAR)
    talks = [o for o in obligations if o.kind == "conversation"]
    assert [o.deadline for o in talks] == [
        date(2025, 9, 8), date(2025, 10, 31), date(2026, 1, 1), date(2026, 2, 27)]
    assert not any(o.verified for o in talks)
    assert all("1655" in o.note for o in talks)


def test_new_years_day_moves_the_planning_date_when_holidays_are_passed(lab2507, dk):
    obligations = compute_obligations(lab2507, "cash_benefit", date(2025, 9, 1), [], until=FAR,
                                      closed=dk)
    assert obligations[2].deadline == date(2025, 12, 31)
