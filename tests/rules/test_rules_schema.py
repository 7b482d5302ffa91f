"""The rule-set schema (pydantic): strict types, no unknown keys, every error names its path."""

from __future__ import annotations

import copy
import tomllib
from datetime import datetime
from importlib import resources
from typing import Any

import pytest

from booking.rules import RuleSet, RuleSetError, TargetGroup, load_rule_set, parse_rule_set
from tests.rules.test_rules_loader import VALID, write

SOURCE = "test-set.toml"
REQ = "groups.cash_benefit.requirements[0]"


def parsed() -> dict[str, Any]:
    return copy.deepcopy(tomllib.loads(VALID))


def refused(data: dict[str, Any]) -> RuleSetError:
    with pytest.raises(RuleSetError) as info:
        parse_rule_set(data, SOURCE)
    return info.value


def top(data: dict[str, Any]) -> dict[str, Any]:
    return data


def head(data: dict[str, Any]) -> dict[str, Any]:
    return data["rule_set"]


def defaults(data: dict[str, Any]) -> dict[str, Any]:
    return data["defaults"]


def groups(data: dict[str, Any]) -> dict[str, Any]:
    return data["groups"]


def group(data: dict[str, Any]) -> dict[str, Any]:
    return data["groups"]["cash_benefit"]


def requirement(data: dict[str, Any]) -> dict[str, Any]:
    return group(data)["requirements"][0]


SHIPPED = ["copenhagen-2017", "lab-2020", "lab-2024", "lab-2025", "lab-2025-07",
           "reform-2026-07"]


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_set_loads(name):
    rule_set = load_rule_set(name)
    assert isinstance(rule_set, RuleSet)
    assert rule_set.id == name
    assert rule_set.origin == f"sets/{name}.toml"
    assert rule_set.groups
    for target, rules in rule_set.groups.items():
        assert rules.group is target
        assert rules.requirements
        for index, req in enumerate(rules.requirements):
            assert req.path == f"groups.{target}.requirements[{index}]"
    text = resources.files("booking.rules").joinpath(f"sets/{name}.toml").read_text("utf-8")
    assert parse_rule_set(tomllib.loads(text), "copy").groups == rule_set.groups


@pytest.mark.parametrize("name", [n for n in SHIPPED if n != "copenhagen-2017"])
def test_shipped_sets_from_2020_cover_every_target_group(name):
    assert set(load_rule_set(name).groups) == set(TargetGroup)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_rule_has_a_source_and_unverified_ones_say_why(name):
    """Never invent law: a source per rule; verified = false only with a note."""
    for rules in load_rule_set(name).groups.values():
        for req in rules.requirements:
            assert req.source.strip(), req.path
            assert req.verified or req.note.strip(), req.path
            for position in req.positions:
                assert position.verified or position.note.strip(), req.path


def test_shipped_sets_are_consecutive_without_gaps_or_overlaps():
    sets = [load_rule_set(n) for n in SHIPPED]
    for older, newer in zip(sets, sets[1:], strict=False):
        assert older.effective_to is not None
        assert (newer.effective_from - older.effective_to).days == 1, (older.id, newer.id)
    assert sets[-1].effective_to is None


def test_a_requirement_id_shared_by_two_shipped_sets_has_the_same_periods():
    """obligations_in_force keeps an obligation in exactly one set only if a shared id means
    the same periods (see booking/rules/in_force.py)."""
    shapes: dict[tuple[str, str], tuple[object, ...]] = {}
    for name in SHIPPED:
        for group, rules in load_rule_set(name).groups.items():
            for req in rules.requirements:
                shape = (req.from_ if req.from_.amount else 0, req.to, req.every, req.first_by,
                         req.cumulative, req.kind, req.holder)
                assert shapes.setdefault((group.value, req.id), shape) == shape, (name, req.id)


@pytest.mark.parametrize(
    ("where", "path"),
    [
        (top, "colour"),
        (head, "rule_set.colour"),
        (defaults, "defaults.colour"),
        (group, "groups.cash_benefit.colour"),
        (requirement, f"{REQ}.colour"),
    ],
)
def test_unknown_key_is_refused_with_its_path(where, path):
    data = parsed()
    where(data)["colour"] = "blue"
    error = refused(data)
    assert error.path == path
    assert str(error) == f"{SOURCE}: {path}: unknown key (misspelt?)"


def test_unknown_key_in_the_indicator(tmp_path):
    text = VALID.replace("[[groups", '[groups.cash_benefit.indicator]\nmonths = 2\nlabel_da = "x"\n'
                                     'label_en = "x"\nweeks = 3\n\n[[groups', 1)
    with pytest.raises(RuleSetError) as info:
        load_rule_set(write(tmp_path, text))
    assert info.value.path == "groups.cash_benefit.indicator.weeks"
    assert f"{tmp_path / 'set.toml'}: groups.cash_benefit.indicator.weeks: unknown key" in str(
        info.value)


@pytest.mark.parametrize(
    ("where", "key", "value", "path", "message"),
    [
        (head, "id", 1, "rule_set.id", "must be a string, got 1"),
        (head, "effective_to", "2031-01-01", "rule_set.effective_to",
         "must be a date (YYYY-MM-DD), got '2031-01-01'"),
        (head, "effective_from", datetime(2030, 1, 1, 8), "rule_set.effective_from",
         "must be a date (YYYY-MM-DD), got 2030-01-01T08:00:00"),
        (head, "sources", "LAB", "rule_set.sources", "must be an array"),
        (head, "sources", ["LAB", 31], "rule_set.sources[1]", "must be a string, got 31"),
        (top, "rule_set", ["x"], "rule_set", "must be a table"),
        (top, "defaults", 3, "defaults", "must be a table, got 3"),
        (defaults, "minutes", 4.5, "defaults.minutes", "must be an integer, got 4.5"),
        (defaults, "channels", "phone", "defaults.channels", "must be an array"),
        (group, "requirements", {"id": "x"}, "groups.cash_benefit.requirements",
         "must be an array, got a table"),
        (groups, "cash_benefit", "yes", "groups.cash_benefit", "must be a table"),
        (requirement, "count", True, f"{REQ}.count", "must be an integer, got true"),
        (requirement, "to_months", "2", f"{REQ}.to_months", "must be an integer, got '2'"),
        (requirement, "mandatory", "yes", f"{REQ}.mandatory", "must be true or false, got 'yes'"),
        (requirement, "mandatory", 1, f"{REQ}.mandatory", "must be true or false, got 1"),
        (requirement, "channels", ["phone", 3], f"{REQ}.channels[1]", "must be a string, got 3"),
        (requirement, "joint_positions", [1, "2"], f"{REQ}.joint_positions[1]",
         "must be an integer, got '2'"),
        (requirement, "joint", "2", f"{REQ}.joint", "must be true, false or a number"),
        (requirement, "label_en", ["x"], f"{REQ}.label_en", "must be a string"),
    ],
)
def test_wrong_type_is_refused_with_its_path(where, key, value, path, message):
    data = parsed()
    where(data)[key] = value
    error = refused(data)
    assert error.path == path
    assert str(error).startswith(f"{SOURCE}: {path}: {message}")


@pytest.mark.parametrize(
    ("key", "value", "path", "message"),
    [
        ("joint", 1, "joint", "must equal the number of joint_positions"),
        ("channels", [], "channels", "a conversation needs at least one channel"),
        ("channels", ["phone", "phone"], "channels", "must not repeat a value"),
        ("first_channels", [], "first_channels", "must not be empty"),
        ("every_months", 0, "every_months", "must be at least 1, got 0"),
        ("from_months", 2, "to_months", "must be after the start (2 months)"),
        ("label_en", " ", "label_en", "must not be empty"),
    ],
)
def test_cross_field_and_value_checks_name_the_key(key, value, path, message):
    data = parsed()
    requirement(data)["joint_positions"] = [1, 2]
    if key == "every_months":
        del requirement(data)["to_months"]
    requirement(data)[key] = value
    error = refused(data)
    assert (error.path, error.message) == (f"{REQ}.{path}", message)


def test_all_problems_are_listed_first_one_is_the_path():
    data = parsed()
    requirement(data).update(count=0, coutn=2, pool="everyone")
    data["defaults"]["minutes"] = -5
    error = refused(data)
    assert error.path == "defaults.minutes"
    assert set(error.problems) == {
        ("defaults.minutes", "must be at least 0, got -5"),
        (f"{REQ}.count", "must be at least 1, got 0"),
        (f"{REQ}.pool", "must be one of ['caseworker', 'unit'], got 'everyone'"),
        (f"{REQ}.coutn", "unknown key (misspelt?)"),
    }
    assert str(error).splitlines() == [f"{SOURCE}: {p}: {m}" for p, m in error.problems]


def test_no_target_group():
    data = parsed()
    data["groups"] = {}
    error = refused(data)
    assert (error.path, error.message) == ("groups", "at least one target group is required")


def test_a_document_that_is_not_a_table():
    error = refused([])
    assert (error.path, str(error)) == ("", f"{SOURCE}: must be a table, got []")


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        ({"share_of_group": 0.75}, f"{REQ}.share_of_group",
         "needs rule_set.max_exemption_share"),
        ({"share_of_group": 1.5}, f"{REQ}.share_of_group", "must be at most 1.0, got 1.5"),
        ({"share_of_group": 0}, f"{REQ}.share_of_group", "must be greater than 0.0, got 0"),
        ({"citizen_may_decline": True}, f"{REQ}.citizen_may_decline", "needs a joint"),
        ({"source": "LAB § 1", "verified": False}, f"{REQ}.note", "unverified rule"),
        ({"started_before": "2026-07-01"}, f"{REQ}.started_before", "must be a date"),
        ({"positions": [{"n": 3, "from_months": 1}]}, f"{REQ}.positions[0].n",
         "between 1 and 2"),
        ({"positions": [{"n": 2, "from_months": 2}]}, f"{REQ}.positions[0].from_months",
         "before the end"),
        ({"positions": [{"n": 2}]}, f"{REQ}.positions[0].from_months", "exactly one"),
        ({"positions": [{"n": 2, "from_weeks": 1}], "every_months": 2, "to_months": None},
         f"{REQ}.positions", "recurring"),
        ({"cumulative": "yes"}, f"{REQ}.cumulative", "must be true or false"),
    ],
)
def test_new_keys_are_checked(changes, path, message):
    data = parsed()
    for key, value in changes.items():
        if value is None:
            del requirement(data)[key]
        else:
            requirement(data)[key] = value
    error = refused(data)
    assert error.path == path
    assert message in error.message


def test_new_keys_reach_the_model():
    data = parsed()
    data["rule_set"]["max_exemption_share"] = 0.25
    requirement(data).update(share_of_group=0.75, cumulative=True, source="LAB § 31",
                             verified=True, joint_positions=[2], citizen_may_decline=True,
                             positions=[{"n": 2, "from_weeks": 4, "note": "x"}])
    rule_set = parse_rule_set(data, SOURCE)
    (req,) = rule_set.group("cash_benefit").requirements
    assert rule_set.max_exemption_share == 0.25
    assert (req.min_share, req.cumulative, req.source, req.verified, req.citizen_may_decline) \
        == (0.75, True, "LAB § 31", True, True)
    assert [(p.n, str(p.from_), p.verified) for p in req.positions] == [(2, "4 weeks", False)]
