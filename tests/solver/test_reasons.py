"""Structured reasons: every unplanned item carries a code and params beside the English text."""

from __future__ import annotations

import copy
import pickle

from solver import check, load_problem
from solver.explain import reason_text
from solver.solution import Solution, Unplanned

from .solver_testkit import base, conv, slot, solve_checked


def only(solution: Solution) -> Unplanned:
    assert len(solution.unplanned) == 1
    return solution.unplanned[0]


def test_each_conversation_reason_has_a_code_and_params() -> None:
    cases = [
        (base(conversations=[conv("d-1")]), "no_slot",
         {"pool": "caseworker", "caseworker": "cw-1"}),
        (base(slots=[slot("s", "2027-03-02")], conversations=[conv("d-1", earliest="2027-03-03")]),
         "no_slot_from", {"from": "2027-03-03"}),
        (base(citizens=[{"id": "c-1", "unit": "u-1", "caseworker": "cw-1", "channels": ["phone"]}],
              slots=[slot("a")], conversations=[conv("d-1")]),
         "no_channel_slot", {"channels": ["phone"]}),
        (base(slots=[slot("a")], conversations=[conv("d-1", minutes=45, pool="unit")]),
         "no_long_slot", {"minutes": 45, "pool": "unit", "unit": "u-1"}),
        (base(slots=[slot("a")], conversations=[conv("d-1"), conv("d-2", deadline="2027-03-01")]),
         "slots_used", {"slots": 1, "taken": 1, "first": "2027-03-02", "after_deadline": True}),
    ]
    for data, code, params in cases:
        item = only(solve_checked(data))
        assert item.code == code, item
        assert params.items() <= item.params.items(), item
        assert item.reason == reason_text(item.code, item.params)


def test_rehab_codes_match_the_text() -> None:
    data = base(rehab_meetings=[{"id": "m-1", "date": "2027-03-20", "capacity": 1}],
                rehab_cases=[{"id": "r-1", "citizen": "c-1", "ready": "2027-03-10",
                              "deadline": "2027-04-30"}])
    item = only(solve_checked(data))
    assert item.code == "no_meeting_material"
    assert item.params == {"first": "2027-03-24", "material_from": "2027-03-10",
                           "lead_days": 14}
    assert item.reason.startswith("no rehabilitation meeting on or after 2027-03-24")


def test_codes_travel_in_the_document_and_old_documents_still_read() -> None:
    solution = solve_checked(base(conversations=[conv("d-1")]))
    doc = solution.to_json()
    assert doc["unplanned"][0]["code"] == "no_slot"
    assert doc["unplanned"][0]["params"] == {"pool": "caseworker", "caseworker": "cw-1"}
    back = Solution.from_json(doc)
    assert back.unplanned[0].code == "no_slot" and back.unplanned[0].params == doc[
        "unplanned"][0]["params"]
    old = copy.deepcopy(doc)
    for item in old["unplanned"]:
        del item["code"], item["params"]
    read = Solution.from_json(old)
    assert read.unplanned[0].code == "unplanned" and read.unplanned[0].params == {}
    assert read.unplanned == [("d-1", doc["unplanned"][0]["reason"])]


def test_unplanned_items_are_still_pairs() -> None:
    item = Unplanned("d-1", "why", "no_slot", {"pool": "unit", "unit": "u-1"})
    ident, reason = item
    assert (ident, reason) == ("d-1", "why") == (item.id, item.reason)
    assert dict([item]) == {"d-1": "why"}
    copied = pickle.loads(pickle.dumps(item))
    assert copied.code == "no_slot" and copied.params == item.params and copied == item
    plain = Solution("feasible", [], [], [("d-2", "x")], {})
    assert plain.unplanned[0].code == "unplanned"
    data = base(conversations=[conv("d-2")])
    assert check(load_problem(data), plain) == []
