"""Export, solve elsewhere, import: the same bookings as the in-app run; bad input is refused
with JSON paths (or the argument's name) and nothing changes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from booking.models import Booking, BookingState, PlanRun, PlanRunState, Slot
from booking.services.errors import FormErrors
from booking.services.planning import imports, problem

from .conftest import build_world, settings_of, today
from .test_accept import counts, fresh, planned

ROOT = Path(__file__).resolve().parents[2]


def solve_file(instance: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "solver", "solve", str(instance), "-o", str(out),
                           "--workers", "1"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text())


def live_bookings(app) -> dict[int, int]:
    with fresh(app) as s:
        return dict(s.execute(select(Booking.obligation_id, Booking.slot_id).where(
            Booking.state == BookingState.booked)).all())


def test_round_trip_gives_the_in_app_plan(db_app, db_session, tmp_path):
    world = build_world(db_session, citizens=5, slot_days=2)
    run = planned(db_app, db_session, world.unit.id)  # computed, not accepted
    in_app = {p["obligation_id"]: p["slot_id"] for p in run.proposals}
    runner = db_app.test_cli_runner()
    instance, solution = tmp_path / "plan.json", tmp_path / "solution.json"
    out = runner.invoke(args=["plan", "export", str(instance), "--unit", world.unit.code])
    assert out.exit_code == 0, out.output
    solved = solve_file(instance, solution)
    assert solved["status"] == "optimal" and solved["unplanned"][0]["code"] == "slots_used"
    out = runner.invoke(args=["plan", "import", str(solution)])
    assert out.exit_code == 0, out.output
    assert "imported: 4 new bookings" in out.output
    assert live_bookings(db_app) == in_app
    with fresh(db_app) as s:
        imported = s.scalars(select(PlanRun).where(PlanRun.id != run.id)).one()
        assert imported.state == PlanRunState.accepted and imported.unit_id == world.unit.id
        assert {b.plan_run_id for b in s.scalars(select(Booking))} == {imported.id}
    # the accepted plan re-exported keeps every rule, its bookings now movable
    db_session.rollback()  # a new read: SQLite's snapshot would not see the import
    again = problem.export_plan(db_session, [world.unit.id], 8, today(),
                                settings=settings_of(db_app))
    assert len(again["bookings"]) == 4 and not any(b["locked"] for b in again["bookings"])


def test_a_slot_that_no_longer_exists_is_named_by_its_path(db_app, db_session, tmp_path):
    world = build_world(db_session)
    document = problem.export_plan(db_session, [world.unit.id], 8, today(),
                                   settings=settings_of(db_app))
    instance, solution = tmp_path / "plan.json", tmp_path / "solution.json"
    instance.write_text(json.dumps(document))
    solved = solve_file(instance, solution)
    gone = solved["conversations"][2]["slot"]
    db_session.execute(delete(Slot).where(Slot.id == int(gone[2:])))
    db_session.commit()
    before = counts(db_app)
    with pytest.raises(FormErrors) as err:
        imports.import_solution(db_session, solved, staff_id=None, settings=settings_of(db_app))
    assert {path: e.code for path, e in err.value.fields.items()} == {
        "conversations[2].slot": "gone"}
    assert counts(db_app) == before
    out = db_app.test_cli_runner().invoke(args=["plan", "import", str(solution)])
    assert out.exit_code == 2
    assert "conversations[2].slot: no longer exists" in out.output
    assert "nothing was changed" in out.output
    assert counts(db_app) == before
    with fresh(db_app) as s:
        assert s.scalar(select(func.count(PlanRun.id))) == 0


def test_import_refuses_what_does_not_fit(db_app, db_session):
    world = build_world(db_session)
    settings = settings_of(db_app)
    slot = f"s-{world.slots[0].id}"
    cases = {
        "conversations[0].conversation": ({"conversation": "o-99999", "slot": slot}, "gone"),
        "conversations[0].slot": ({"conversation": f"o-{world.obligations[0].id}",
                                   "slot": "s-99999"}, "gone"),
    }
    for path, (placement, code) in cases.items():
        doc = {"format": "jobcenter-plan-solution/1", "status": "feasible",
               "conversations": [placement]}
        with pytest.raises(FormErrors) as err:
            imports.import_solution(db_session, doc, staff_id=None, settings=settings)
        assert {p: e.code for p, e in err.value.fields.items()} == {path: code}
    # two citizens in one seat: a hard rule of the live data, named at the second placement
    doc = {"format": "jobcenter-plan-solution/1", "status": "feasible",
           "conversations": [{"conversation": f"o-{ob.id}", "slot": slot}
                             for ob in world.obligations[:2]]}
    with pytest.raises(FormErrors) as err:
        imports.import_solution(db_session, doc, staff_id=None, settings=settings)
    [(path, error)] = err.value.fields.items()
    assert path == "conversations[1].slot" and error.code == "rule_broken"
    assert error.params["rule"] == 5
    # a deadline that passed since the plan was made
    late = world.obligations[3]
    late.earliest = late.deadline = today() - timedelta(days=1)
    db_session.commit()
    doc = {"format": "jobcenter-plan-solution/1", "status": "feasible",
           "conversations": [{"conversation": f"o-{late.id}", "slot": slot}]}
    with pytest.raises(FormErrors) as err:
        imports.import_solution(db_session, doc, staff_id=None, settings=settings)
    assert {p: e.code for p, e in err.value.fields.items()} == {
        "conversations[0].conversation": "deadline_passed"}
    with pytest.raises(FormErrors) as err:
        imports.import_solution(db_session, {"format": "nope"}, staff_id=None, settings=settings)
    assert "format" in err.value.fields
    assert counts(db_app) == (0, 0, 0)


def test_cli_bad_input_names_the_argument(db_app, db_session, tmp_path):
    world = build_world(db_session)
    runner = db_app.test_cli_runner()
    target = str(tmp_path / "x.json")
    for args, words in [
        (["plan", "export", target, "--unit", "NOPE"], "--unit: unknown unit 'NOPE'"),
        (["plan", "export", target, "--weeks", "0"], "--weeks: must be between 1 and 52"),
        (["plan", "export", target, "--weeks", "10000"], "--weeks: must be between 1 and 52"),
        (["plan", "run", "--unit", "NOPE"], "--unit: unknown unit 'NOPE'"),
        (["plan", "import", str(tmp_path / "missing.json")], "cannot read"),
    ]:
        out = runner.invoke(args=args)
        assert out.exit_code == 2, (args, out.output)
        assert words in out.output, (args, out.output)
    (tmp_path / "bad.json").write_text("{not json")
    out = runner.invoke(args=["plan", "import", str(tmp_path / "bad.json")])
    assert out.exit_code == 2 and "not valid JSON" in out.output
    assert not Path(target).exists()
    out = runner.invoke(args=["plan", "run", "--unit", world.unit.code, "--accept"])
    assert out.exit_code == 0, out.output
    assert f"unit {world.unit.code} (run " in out.output and "4 on time" in out.output
    assert "accepted: 4 new bookings" in out.output
    assert len(live_bookings(db_app)) == 4
