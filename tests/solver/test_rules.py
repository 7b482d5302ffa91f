"""One feasible and one infeasible test per hard rule.

Feasible: the solver places the conversation in the only slot that keeps the rule, and the
checker accepts it. Infeasible: when the only slot would break the rule, the solver leaves the
conversation unplanned with a reason, and the checker catches a hand-made plan that breaks it.
"""

from __future__ import annotations

from typing import Any

from solver import check, load_problem
from solver.solution import Solution

from .solver_testkit import base, conv, placements, slot, solve_checked


def hand_check(data: dict[str, Any], convs: list[tuple[str, str]],
               rehab: list[tuple[str, str]] | None = None) -> list[str]:
    problem = load_problem(data)
    placed = {c for c, _ in convs} | {c for c, _ in rehab or []}
    unplanned = [(x["id"], "test") for x in data["conversations"] + data["rehab_cases"]
                 if x["id"] not in placed]
    return check(problem, Solution("feasible", convs, rehab or [], unplanned, {}))


def only_rule(broken: list[str], rule: str) -> None:
    assert broken, "the checker found nothing"
    assert all(line.startswith(rule) for line in broken), broken


# rule 1: date >= today and >= earliest
def test_rule1_feasible() -> None:
    data = base(slots=[slot("past", "2027-02-26"), slot("early", "2027-03-02"),
                       slot("ok", "2027-03-04")],
                conversations=[conv("d-1", earliest="2027-03-03")])
    assert placements(solve_checked(data)) == {"d-1": "ok"}


def test_rule1_infeasible() -> None:
    data = base(slots=[slot("past", "2027-02-26"), slot("early", "2027-03-02")],
                conversations=[conv("d-1", earliest="2027-03-03")])
    solution = solve_checked(data)
    assert placements(solution) == {}
    assert "on or after 2027-03-03" in solution.unplanned[0][1]
    only_rule(hand_check(data, [("d-1", "past")]), "rule 1")
    only_rule(hand_check(data, [("d-1", "early")]), "rule 1")


# rule 2: channel
def test_rule2_feasible() -> None:
    data = base(citizens=[{"id": "c-1", "unit": "u-1", "caseworker": "cw-1",
                           "channels": ["phone"]}],
                slots=[slot("a", channel="in_person"), slot("b", "2027-03-03", channel="phone")],
                conversations=[conv("d-1")])
    assert placements(solve_checked(data)) == {"d-1": "b"}


def test_rule2_infeasible() -> None:
    data = base(citizens=[{"id": "c-1", "unit": "u-1", "caseworker": "cw-1",
                           "channels": ["phone"]}],
                slots=[slot("a", channel="in_person"), slot("v", channel="video")],
                conversations=[conv("d-1")])
    solution = solve_checked(data)
    assert placements(solution) == {}
    assert solution.unplanned[0][1].startswith("no phone slot of the coordinating caseworker")
    only_rule(hand_check(data, [("d-1", "a")]), "rule 2")


# rule 3: minutes
def test_rule3_feasible() -> None:
    data = base(slots=[slot("short", minutes=30), slot("long", "2027-03-05", minutes=60)],
                conversations=[conv("d-1", minutes=45)])
    assert placements(solve_checked(data)) == {"d-1": "long"}


def test_rule3_infeasible() -> None:
    data = base(slots=[slot("short", minutes=30)], conversations=[conv("d-1", minutes=45)])
    solution = solve_checked(data)
    assert "at least 45 minutes" in solution.unplanned[0][1]
    only_rule(hand_check(data, [("d-1", "short")]), "rule 3")


# rule 4: pool
def test_rule4_feasible() -> None:
    data = base(slots=[slot("other-unit", cw="cw-3"), slot("colleague", cw="cw-2"),
                       slot("own", "2027-03-05")],
                conversations=[conv("d-1"), conv("d-2", citizen="c-2", pool="unit")],
                citizens=[{"id": "c-1", "unit": "u-1", "caseworker": "cw-1"},
                          {"id": "c-2", "unit": "u-1", "caseworker": "cw-1"}])
    plan = placements(solve_checked(data))
    assert plan["d-1"] == "own"
    assert plan["d-2"] == "colleague"


def test_rule4_infeasible() -> None:
    data = base(slots=[slot("other-unit", cw="cw-3"), slot("colleague", cw="cw-2")],
                conversations=[conv("d-1")])
    solution = solve_checked(data)
    assert placements(solution) == {}
    assert "coordinating caseworker cw-1" in solution.unplanned[0][1]
    only_rule(hand_check(data, [("d-1", "colleague")]), "rule 4")
    data["conversations"][0]["pool"] = "unit"
    only_rule(hand_check(data, [("d-1", "other-unit")]), "rule 4")


# rule 5: slot capacity
def two_citizens(**extra: Any) -> dict[str, Any]:
    return base(citizens=[{"id": "c-1", "unit": "u-1", "caseworker": "cw-1"},
                          {"id": "c-2", "unit": "u-1", "caseworker": "cw-1"}], **extra)


def test_rule5_feasible() -> None:
    data = two_citizens(slots=[slot("group", capacity=2)],
                        conversations=[conv("d-1"), conv("d-2", citizen="c-2")])
    assert placements(solve_checked(data)) == {"d-1": "group", "d-2": "group"}


def test_rule5_infeasible() -> None:
    data = two_citizens(slots=[slot("one")],
                        conversations=[conv("d-1", weight=2), conv("d-2", citizen="c-2")])
    solution = solve_checked(data)
    assert placements(solution) == {"d-1": "one"}
    assert "taken by other conversations" in solution.unplanned[0][1]
    only_rule(hand_check(data, [("d-1", "one"), ("d-2", "one")]), "rule 5")


# rule 6: max_per_day
def test_rule6_feasible() -> None:
    data = two_citizens(slots=[slot("a"), slot("b", time="10:00"), slot("c", "2027-03-03")],
                        conversations=[conv("d-1"), conv("d-2", citizen="c-2")])
    data["caseworkers"][0]["max_per_day"] = 1
    plan = placements(solve_checked(data))
    assert len(plan) == 2 and "c" in plan.values()


def test_rule6_infeasible() -> None:
    data = two_citizens(slots=[slot("a"), slot("b", time="10:00")],
                        conversations=[conv("d-1"), conv("d-2", citizen="c-2")])
    data["caseworkers"][0]["max_per_day"] = 1
    solution = solve_checked(data)
    assert len(solution.conversations) == 1
    assert "max_per_day" in solution.unplanned[0][1]
    only_rule(hand_check(data, [("d-1", "a"), ("d-2", "b")]), "rule 6")


# rule 7: one conversation per citizen and date (also between different types)
def test_rule7_feasible() -> None:
    data = base(slots=[slot("a"), slot("b", time="10:00", minutes=45),
                       slot("c", "2027-03-03", minutes=45)],
                conversations=[conv("d-1"), conv("d-2", minutes=45)])
    plan = placements(solve_checked(data))
    assert len(plan) == 2 and "c" in plan.values()


def test_rule7_infeasible() -> None:
    data = base(slots=[slot("a"), slot("b", time="10:00", minutes=45)],
                conversations=[conv("d-1"), conv("d-2", minutes=45, weight=2)])
    solution = solve_checked(data)
    assert placements(solution) == {"d-2": "b"}
    assert "already has another conversation" in solution.unplanned[0][1]
    only_rule(hand_check(data, [("d-1", "a"), ("d-2", "b")]), "rule 7")


# rule 8: placed at most once; locked bookings kept
def test_rule8_feasible() -> None:
    data = two_citizens(slots=[slot("late", "2027-03-09"), slot("early", "2027-03-02")],
                        conversations=[conv("d-1"), conv("d-2", citizen="c-2")],
                        bookings=[{"conversation": "d-1", "slot": "late", "locked": True}])
    plan = placements(solve_checked(data))
    assert plan == {"d-1": "late", "d-2": "early"}


def test_rule8_infeasible() -> None:
    data = base(slots=[slot("late", "2027-03-09"), slot("early", "2027-03-02")],
                conversations=[conv("d-1")],
                bookings=[{"conversation": "d-1", "slot": "late", "locked": True}])
    # the solver never moves a locked booking, even to an earlier, more robust slot
    assert placements(solve_checked(data)) == {"d-1": "late"}
    only_rule(hand_check(data, [("d-1", "early")]), "rule 8")
    only_rule(hand_check(data, [("d-1", "late"), ("d-1", "early")]), "rule 8")


def test_locked_conflict_is_infeasible() -> None:
    data = two_citizens(slots=[slot("one")],
                        conversations=[conv("d-1"), conv("d-2", citizen="c-2")],
                        bookings=[{"conversation": "d-1", "slot": "one", "locked": True},
                                  {"conversation": "d-2", "slot": "one", "locked": True}])
    solution = solve_checked(data, expect_valid=False)
    assert solution.status == "infeasible"


# rehabilitation rules
def rehab(**case: Any) -> dict[str, Any]:
    item = {"id": "r-1", "citizen": "c-1", "ready": "2027-03-01", "deadline": "2027-04-30"}
    item.update(case)
    return base(rehab_meetings=[{"id": "m-past", "date": "2027-02-20", "capacity": 5},
                                {"id": "m-soon", "date": "2027-03-08", "capacity": 5},
                                {"id": "m-later", "date": "2027-03-16", "capacity": 1}],
                rehab_cases=[item])


def test_rehab_feasible() -> None:
    assert solve_checked(rehab()).rehab == [("r-1", "m-later")]
    assert solve_checked(rehab(material_sent=True)).rehab == [("r-1", "m-soon")]


def test_rehab_infeasible() -> None:
    data = rehab(ready="2027-03-10")
    solution = solve_checked(data)
    assert solution.rehab == []
    assert "no rehabilitation meeting on or after 2027-03-24" in solution.unplanned[0][1]
    assert hand_check(data, [], [("r-1", "m-later")])[0].startswith("rehab:")
    assert hand_check(rehab(material_sent=True), [], [("r-1", "m-past")])[0].startswith("rehab:")


def test_rehab_capacity() -> None:
    data = rehab()
    data["rehab_cases"].append({"id": "r-2", "citizen": "c-1", "ready": "2027-02-01",
                                "deadline": "2027-03-20", "weight": 3})
    solution = solve_checked(data)
    assert dict(solution.rehab) == {"r-2": "m-later"}
    assert "have 1 places for 2 cases" in solution.unplanned[0][1]
    broken = hand_check(data, [], [("r-1", "m-later"), ("r-2", "m-later")])
    assert any("capacity" in line for line in broken)
