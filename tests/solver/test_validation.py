"""Malformed input: one `path: message` line per problem, exit status 2, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from solver import ProblemError, load_problem
from solver.cli import main

from .solver_testkit import base, conv, slot


def good() -> dict[str, Any]:
    return base(slots=[slot("s-1")], conversations=[conv("d-1")],
                bookings=[{"conversation": "d-1", "slot": "s-1"}],
                rehab_meetings=[{"id": "m-1", "date": "2027-03-20", "capacity": 3}],
                rehab_cases=[{"id": "r-1", "citizen": "c-1", "ready": "2027-03-01",
                              "deadline": "2027-04-01"}])


def problems(data: Any) -> list[str]:
    with pytest.raises(ProblemError) as err:
        load_problem(data)
    return err.value.problems


def test_good_instance_loads() -> None:
    problem = load_problem(good())
    assert problem.slots[0].date.isoformat() == "2027-03-02"
    assert problem.conversations[0].minutes == 30
    assert problem.citizens[0].channels == {"in_person", "phone", "video"}


def test_missing_key() -> None:
    data = good()
    del data["conversations"][0]["deadline"]
    del data["today"]
    assert problems(data) == ["today: missing", "conversations[0].deadline: missing"]


def test_bad_date() -> None:
    data = good()
    data["conversations"][0]["deadline"] = "2027-02-30"
    data["slots"][0]["start"] = "2027-03-02 09:00"
    assert problems(data) == ["slots[0].start: not a local time (YYYY-MM-DDTHH:MM)",
                              "conversations[0].deadline: not a date"]


def test_unknown_id() -> None:
    data = good()
    data["citizens"][0]["caseworker"] = "cw-9"
    data["bookings"][0]["slot"] = "s-9"
    data["citizens"][0]["unit"] = "u-9"
    assert problems(data) == ["citizens[0].unit: unknown unit 'u-9'",
                              "citizens[0].caseworker: unknown caseworker 'cw-9'",
                              "bookings[0].slot: unknown slot 's-9'"]


def test_wrong_type() -> None:
    data = good()
    data["slots"][0]["minutes"] = "30"
    data["bookings"][0]["locked"] = "yes"
    data["conversations"] = {"d-1": {}}
    assert problems(data) == ["slots[0].minutes: not an integer", "conversations: not a list",
                              "bookings[0].conversation: unknown conversation 'd-1'",
                              "bookings[0].locked: not true or false"]


def test_duplicate_id() -> None:
    data = good()
    data["slots"].append(slot("s-1", "2027-03-03"))
    data["bookings"].append({"conversation": "d-1", "slot": "s-1"})
    assert problems(data) == ["slots[1].id: duplicate id 's-1' (first in slots[0])",
                              "bookings[1].conversation: 'd-1' is already booked in bookings[0]"]


def test_out_of_range() -> None:
    data = good()
    data["citizens"][0]["show_probability"] = 1.5
    data["conversations"][0]["weight"] = 0
    data["slots"][0]["capacity"] = 0
    data["settings"]["rebook_days"] = -1
    data["conversations"][0]["earliest"] = "2027-03-20"
    assert problems(data) == [
        "settings.rebook_days: -1 is out of range (must be ≥ 0)",
        "citizens[0].show_probability: 1.5 is out of range (must be in [0, 1])",
        "slots[0].capacity: 0 is out of range (must be ≥ 1)",
        "conversations[0].earliest: 2027-03-20 is after the deadline 2027-03-10",
        "conversations[0].weight: 0 is out of range (must be > 0)"]


def test_bad_enum_and_format() -> None:
    data = good()
    data["format"] = "jobcenter-plan/2"
    data["timezone"] = "Mars/Olympus"
    data["slots"][0]["channel"] = "fax"
    data["conversations"][0]["pool"] = "team"
    lines = problems(data)
    assert lines[0].startswith("format: expected")
    assert lines[1] == "timezone: unknown time zone 'Mars/Olympus'"
    assert "slots[0].channel: not one of in_person, phone, video" in lines
    assert "conversations[0].pool: not one of caseworker, unit" in lines


def test_offset_time_is_converted_to_instance_zone() -> None:
    data = good()
    data["slots"][0]["start"] = "2027-03-02T23:30+00:00"  # 00:30 on 3 March in Copenhagen
    assert load_problem(data).slots[0].date.isoformat() == "2027-03-03"


def test_cli_malformed_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = good()
    data["conversations"][0]["deadline"] = "soon"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    assert main(["solve", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "conversations[0].deadline: not a date"
    path.write_text("{not json")
    assert main(["bound", str(path)]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_cli_subprocess_no_traceback(tmp_path: Path) -> None:
    data = good()
    data["conversations"][0]["citizen"] = 7
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    run = subprocess.run([sys.executable, "-m", "solver", "check", str(path), str(path)],
                         capture_output=True, text=True, cwd=Path(__file__).parents[2])
    assert run.returncode == 2
    assert run.stderr.strip() == "conversations[0].citizen: not a non-empty string"
    assert "Traceback" not in run.stderr
