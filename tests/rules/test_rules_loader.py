"""Loading, validation with key paths, and choosing the rule set in force."""

from __future__ import annotations

import textwrap
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from booking.rules import (
    RuleSet,
    RuleSetError,
    TargetGroup,
    available_rule_sets,
    compute_obligations,
    load_rule_set,
    rule_set_for_date,
)

VALID = textwrap.dedent(
    """
    [rule_set]
    id = "test-set"
    name_da = "Test"
    name_en = "Test"
    effective_from = 2030-01-01

    [defaults]
    self_booking_days = 10

    [groups.cash_benefit]
    label_da = "Kontanthjælp"
    label_en = "Cash benefit"

    [[groups.cash_benefit.requirements]]
    id = "two_in_two_months"
    kind = "conversation"
    count = 2
    to_months = 2
    channels = ["in_person", "phone"]
    label_da = "{n}. samtale"
    label_en = "{nth} conversation"
    """
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "set.toml"
    path.write_text(text, encoding="utf-8")
    return path


def broken(tmp_path: Path, old: str, new: str) -> RuleSetError:
    assert old in VALID
    with pytest.raises(RuleSetError) as info:
        load_rule_set(write(tmp_path, VALID.replace(old, new, 1)))
    return info.value


def test_available_rule_sets_oldest_first():
    assert available_rule_sets() == ["copenhagen-2017", "lab-2020", "lab-2024", "lab-2025",
                                     "lab-2025-07", "reform-2026-07"]


def test_packaged_sets_are_package_resources():
    names = {p.name for p in resources.files("booking.rules").joinpath("sets").iterdir()}
    assert {"copenhagen-2017.toml", "lab-2024.toml", "reform-2026-07.toml"} <= names


def test_load_by_name_works_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rule_set = load_rule_set("lab-2024")
    assert rule_set.effective_from == date(2024, 1, 1)
    assert rule_set.effective_to == date(2024, 12, 31)
    assert set(rule_set.groups) == set(TargetGroup)


def test_copenhagen_dates():
    rule_set = load_rule_set("copenhagen-2017")
    assert (rule_set.effective_from, rule_set.effective_to) == (date(2015, 7, 1),
                                                                date(2019, 12, 31))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2015, 7, 1), "copenhagen-2017"),
        (date(2017, 6, 1), "copenhagen-2017"),
        (date(2019, 12, 31), "copenhagen-2017"),
        (date(2020, 1, 1), "lab-2020"),
        (date(2023, 12, 31), "lab-2020"),
        (date(2024, 1, 1), "lab-2024"),
        (date(2024, 12, 31), "lab-2024"),
        (date(2025, 1, 1), "lab-2025"),
        (date(2025, 7, 1), "lab-2025-07"),
        (date(2026, 6, 30), "lab-2025-07"),
        (date(2026, 7, 1), "reform-2026-07"),
        (date(2026, 11, 29), "reform-2026-07"),  # was lab-2024 (no effective_to)
        (date(2031, 5, 5), "reform-2026-07"),
    ],
)
def test_rule_set_for_date(day, expected):
    assert rule_set_for_date(day).id == expected


@pytest.mark.parametrize("day", [date(2014, 6, 1), date(2015, 6, 30)])
def test_no_rule_set_in_force(day):
    with pytest.raises(RuleSetError, match=day.isoformat()):
        rule_set_for_date(day)


def test_newest_rule_set_wins_on_overlap(tmp_path):
    newer = load_rule_set(write(tmp_path, VALID))
    older = load_rule_set("reform-2026-07")
    assert rule_set_for_date(date(2030, 6, 1), candidates=[older, newer]) is newer
    assert rule_set_for_date(date(2029, 6, 1), candidates=[older, newer]) is older


def test_load_by_path_str_and_pathlike(tmp_path):
    path = write(tmp_path, VALID)
    for ref in (path, str(path)):
        rule_set = load_rule_set(ref)
        assert isinstance(rule_set, RuleSet)
        assert rule_set.group("cash_benefit").self_booking_days == 10
        (req,) = rule_set.group("cash_benefit").requirements
        assert (req.count, req.holder, req.pool, req.minutes) == (2, "jobcentre", "caseworker", 45)


def test_a_copy_of_a_shipped_file_loads_from_a_path(tmp_path):
    text = resources.files("booking.rules").joinpath("sets/lab-2024.toml").read_text("utf-8")
    copy = load_rule_set(write(tmp_path, text))
    assert copy.groups == load_rule_set("lab-2024").groups


def test_group_missing_from_rule_set(tmp_path):
    rule_set = load_rule_set(write(tmp_path, VALID))
    with pytest.raises(RuleSetError, match="groups.resource_programme"):
        compute_obligations(rule_set, "resource_programme", date(2030, 1, 1), [],
                            until=date(2030, 3, 1))


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        ("count = 2", "count = 0", "groups.cash_benefit.requirements[0].count", "at least 1"),
        ("count = 2", "coutn = 2", "groups.cash_benefit.requirements[0].coutn", "unknown key"),
        ("count = 2", 'count = "two"', "groups.cash_benefit.requirements[0].count", "integer"),
        ("self_booking_days = 10", "self_booking_days = 5", "defaults.self_booking_days",
         "at least 8"),
        ('"in_person", "phone"', '"in_person", "fax"',
         "groups.cash_benefit.requirements[0].channels[1]", "fax"),
        ("[groups.cash_benefit]", "[groups.pensioners]", "groups.pensioners",
         "unknown target group"),
        ("effective_from = 2030-01-01", "", "rule_set.effective_from", "required"),
        ("effective_from = 2030-01-01", "effective_from = 2030-01-01\neffective_to = 2029-01-01",
         "rule_set.effective_to", "before effective_from"),
        ('kind = "conversation"', 'kind = "party"', "groups.cash_benefit.requirements[0].kind",
         "one of"),
        ("to_months = 2", "to_months = 2\nto_weeks = 8",
         "groups.cash_benefit.requirements[0].to_weeks", "only one"),
        ("to_months = 2", "", "groups.cash_benefit.requirements[0].to_months", "needs an end"),
        ("to_months = 2", "to_months = 2\njoint_positions = [3]",
         "groups.cash_benefit.requirements[0].joint_positions", "between 1 and 2"),
        ("to_months = 2", "every_months = 2\nfirst_by_weeks = 1",
         "groups.cash_benefit.requirements[0].first_by_weeks", "recurring"),
        ("to_months = 2", "to_months = 2\nfirst_by_months = 3",
         "groups.cash_benefit.requirements[0].first_by_months", "after the end"),
        ("to_months = 2", "to_months = 2\nplan_by_months = 1",
         "groups.cash_benefit.requirements[0].plan_by_months", "count = 1"),
        ("to_months = 2", "to_months = 2\nmin_age = 50\nmax_age = 30",
         "groups.cash_benefit.requirements[0].max_age", "min_age"),
        ('label_da = "{n}. samtale"', 'label_da = "{x}. samtale"',
         "groups.cash_benefit.requirements[0].label_da", "placeholder"),
        ('id = "two_in_two_months"', "", "groups.cash_benefit.requirements[0].id", "required"),
        ("to_months = 2", 'to_months = 2\nspread = "even_after_first"',
         "groups.cash_benefit.requirements[0].spread", "first_by"),
        ("to_months = 2", "every_months = 2\naccept_late = true",
         "groups.cash_benefit.requirements[0].accept_late", "recurring"),
        ("count = 2", "count = true", "groups.cash_benefit.requirements[0].count", "integer"),
        ("effective_from = 2030-01-01", "effective_from = 2030-01-01T08:00:00",
         "rule_set.effective_from", "date"),
        ("[[groups.cash_benefit.requirements]]", "[[groups.cash_benefit.requirement]]",
         "groups.cash_benefit.requirements", "required"),
        ('label_en = "Cash benefit"', 'label_en = "Cash benefit"\nself_booking_days = 7',
         "groups.cash_benefit.self_booking_days", "at least 8"),
    ],
)
def test_broken_rule_set_names_the_key(tmp_path, old, new, path, message):
    error = broken(tmp_path, old, new)
    assert error.path == path
    assert path in str(error)
    assert message in str(error)
    assert str(tmp_path) in str(error)


def test_duplicate_requirement_id(tmp_path):
    requirement = VALID[VALID.index("[[groups"):]
    error = broken(tmp_path, requirement, requirement + "\n" + requirement)
    assert error.path == "groups.cash_benefit.requirements[1].id"


def test_invalid_toml_syntax(tmp_path):
    error = broken(tmp_path, "count = 2", "count = = 2")
    assert "not valid TOML" in str(error)


def test_missing_file_and_unknown_name(tmp_path):
    with pytest.raises(RuleSetError, match="cannot read"):
        load_rule_set(tmp_path / "nope.toml")
    with pytest.raises(RuleSetError, match="no rule set named 'lab-1999'"):
        load_rule_set("lab-1999")


def test_rule_set_error_is_a_value_error():
    assert issubclass(RuleSetError, ValueError)


def test_recurring_requirement_without_from_is_counted_in_calendar_months(tmp_path):
    text = VALID.replace("count = 2\nto_months = 2", "count = 6\nevery_months = 12")
    rule_set = load_rule_set(write(tmp_path, text))
    obligations = compute_obligations(rule_set, "cash_benefit", date(2030, 1, 31), [],
                                      until=date(2031, 1, 31))
    assert [o.deadline for o in obligations if o.period == 1] == [  # Sun 03-31, Sat 11-30 move
        date(2030, 3, 29), date(2030, 5, 31), date(2030, 7, 31),
        date(2030, 9, 30), date(2030, 11, 29), date(2031, 1, 31)]
    assert [o.earliest for o in obligations if o.period == 2] == [date(2031, 1, 31)] * 6
