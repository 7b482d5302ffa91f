"""Benchmark of the conversation planner: ``python -m booking.bench plan``.

Three measurements, each part in a fresh child process on a fresh SQLite file (so that peak
memory, ``ru_maxrss`` of the child and of the solver's worker processes, is the part's own):

* **demo**: the demo municipality (``services.demo.build_demo``, 1,500 citizens; building it is
  not timed). Per unit: a run from the request to the result stored (``request_run`` +
  ``execute_run``, as the background task does) and accepting all its proposals (bookings,
  letters, audit). Targets: run ≤ 5 s, accept ≤ 3 s.
* **events**: on the accepted demo, a no-show (the booking marked ``no_show``, its obligation
  open again) followed by the unit's event re-plan, from ``request_event_replan`` to the result
  stored; p95 over the events (the ``[planning] event_delay_s`` wait is not included). Target
  p95 ≤ 1 s.
* **city**: the solver's generator shape M (20,000 conversations, 160 caseworkers, 8 weeks)
  loaded into the database (deadlines kept in the horizon), then export (the live problem of
  every unit as ``jobcenter-plan/1``, written to a file) + solve + result (proposals against the
  live data, the solution written): target ≤ 30 s and ≤ 2 GB. The solution is then imported
  (checked against the live data and accepted: bookings, letters, audit), the database
  exported again, and its bookings, as a solution, checked by ``python -m solver check``: zero
  broken rules, and the on-time weight must be the bound the solver reported.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from . import migrate
from .database import Database, transaction
from .models import Booking, BookingState, Citizen, Obligation, ObligationState, PlanTrigger, Slot
from .rules import rule_set_for_date
from .services import clock
from .services.demo import DemoOptions, build_demo
from .services.planning import accept, imports, problem, runs
from .services.planning.city import load_city
from .services.planning.resolve import solve_plan
from .services.rulesets import sync_rule_sets
from .services.security import Passwords
from .settings import Settings, load_settings

TODAY = date(2027, 3, 1)  # a Monday; the demo's and the generator's planning date
ROOT = Path(__file__).resolve().parent.parent


def _noop(_run_id: int, _trigger: str) -> None:
    """The bench executes each run itself (no queue)."""


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


def _fresh(path: Path) -> Path:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    return path


def _open(path: Path) -> tuple[Settings, Database]:
    url = f"sqlite:///{path}"
    settings = load_settings(overrides={"database": {"url": url},
                                        "queue": {"backend": "immediate"}})
    clock.use_zone(settings.zone)
    migrate.upgrade(url)
    return settings, Database(url)


def demo(folder: Path, citizens: int, events: int) -> dict[str, Any]:
    settings, database = _open(_fresh(folder / "demo.sqlite3"))
    t0 = time.perf_counter()
    with database.fresh_session() as session:
        options = DemoOptions(today=TODAY, seed=settings.demo.seed, citizens=citizens,
                              caseworkers_per_unit=settings.demo.caseworkers_per_unit,
                              weeks=settings.demo.weeks_of_slots,
                              optional_closed=settings.calendar.optional_closed)
        build_demo(session, Passwords(1, 8192), settings, options)
    out: dict[str, Any] = {"citizens": citizens, "build_s": round(time.perf_counter() - t0, 1),
                           "units": []}
    with database.fresh_session() as session:
        codes = problem.unit_codes(session)
        for unit_id, code in sorted(codes.items()):
            t1 = time.perf_counter()
            request = runs.request_run(session, unit_id, trigger=PlanTrigger.manual,
                                       staff_id=None, detail=None, today=TODAY, schedule=_noop)
            summary = runs.execute_run(database.sessions, request.run.id, settings)
            t2 = time.perf_counter()
            done = accept.accept_run(session, request.run.id, staff_id=None, settings=settings,
                                     today=TODAY)
            t3 = time.perf_counter()
            out["units"].append({"unit": code, "run_s": round(t2 - t1, 3),
                                 "accept_s": round(t3 - t2, 3), "figures": summary.figures,
                                 "created": len(done.created), "moved": len(done.moved),
                                 "messages": done.messages})
        out["events"] = _events(session, database, settings, sorted(codes), events)
    out["peak_mb"] = _peak_mb()
    return out


def _no_show(session: Any, unit_id: int) -> dict[str, Any] | None:
    """The unit's next live booking becomes a no-show; its obligation is open again."""
    with transaction(session):
        booking = session.scalars(
            select(Booking).join(Slot, Slot.id == Booking.slot_id)
            .join(Citizen, Citizen.id == Booking.citizen_id)
            .where(Citizen.unit_id == unit_id, Booking.state == BookingState.booked,
                   Booking.obligation_id.is_not(None))
            .order_by(Slot.starts_at, Booking.id).limit(1)).first()
        if booking is None:
            return None
        booking.state = BookingState.no_show
        booking.outcome_at = clock.now_utc()
        session.execute(update(Obligation).where(Obligation.id == booking.obligation_id)
                        .values(state=ObligationState.open))
        return {"reason": "booking_no_show", "booking_id": booking.id,
                "obligation_id": booking.obligation_id}


def _events(session: Any, database: Database, settings: Settings, units: list[int],
            count: int) -> dict[str, Any]:
    times: list[float] = []
    for i in range(count):
        unit_id = units[i % len(units)]
        detail = _no_show(session, unit_id)
        if detail is None:
            continue
        t0 = time.perf_counter()
        request = runs.request_event_replan(session, unit_id, detail, today=TODAY,
                                            schedule=_noop)
        summary = runs.execute_run(database.sessions, request.run.id, settings)
        times.append(time.perf_counter() - t0)
        if summary.state != "done":
            raise RuntimeError(f"event run failed: {summary.error}")
    times.sort()
    if not times:
        return {"events": 0}
    return {"events": len(times), "p50_s": round(times[len(times) // 2], 3),
            "p95_s": round(times[max(0, -(-len(times) * 95 // 100) - 1)], 3),
            "max_s": round(times[-1], 3)}


def city_build(folder: Path, conversations: int) -> dict[str, Any]:
    settings, database = _open(_fresh(folder / "city.sqlite3"))
    t0 = time.perf_counter()
    with database.fresh_session() as session:
        sync_rule_sets(session)
        session.commit()
        counts = load_city(session, conversations, TODAY, rule_set_for_date(TODAY).id)
    return {**counts, "build_s": round(time.perf_counter() - t0, 1)}


def city_run(folder: Path) -> dict[str, Any]:
    settings, database = _open(folder / "city.sqlite3")
    weeks = settings.planning.horizon_weeks
    out: dict[str, Any] = {}
    with database.fresh_session() as session:
        t0 = time.perf_counter()
        plan = problem.build_plan(session, sorted(problem.unit_codes(session)), today=TODAY,
                                  weeks=weeks, settings=settings)
        session.rollback()
        (folder / "city-plan.json").write_text(json.dumps(plan.document))
        t1 = time.perf_counter()
        solution, result = solve_plan(plan, runs.solver_settings(settings))
        t2 = time.perf_counter()
        (folder / "city-solution.json").write_text(json.dumps(solution.to_json()))
        t3 = time.perf_counter()
        out.update(conversations=result.figures["conversations"], slots=len(plan.slots),
                   export_s=round(t1 - t0, 2), solve_s=round(t2 - t1, 2),
                   result_s=round(t3 - t2, 2), total_s=round(t3 - t0, 2),
                   resolves=result.figures["resolves"],
                   peak_mb=_peak_mb(), figures=result.figures)
        t4 = time.perf_counter()
        done = imports.import_solution(session, solution.to_json(), staff_id=None,
                                       settings=settings, today=TODAY)
        out.update(accept_s=round(time.perf_counter() - t4, 1), created=len(done.created),
                   moved=len(done.moved), messages=done.messages)
        session.rollback()
        again = problem.build_plan(session, sorted(problem.unit_codes(session)), today=TODAY,
                                   weeks=weeks, settings=settings)
    out["recheck"] = _recheck(folder, again)
    out["final_peak_mb"] = _peak_mb()
    return out


def _recheck(folder: Path, plan: problem.LivePlan) -> dict[str, Any]:
    """The re-exported database's bookings as a solution: `python -m solver check`, and the
    on-time weight of the plan's own conversations (stand-ins left out)."""
    doc = plan.document
    placed = {b["conversation"]: b["slot"] for b in doc["bookings"]}
    deadline = {c["id"]: (c["deadline"], c.get("weight", 1)) for c in doc["conversations"]}
    day = {s["id"]: s["start"][:10] for s in doc["slots"]}
    weight = sum(deadline[c][1] for c, s in placed.items()
                 if not c.startswith(("x-", "b-")) and day[s] <= deadline[c][0])
    solution = {"format": "jobcenter-plan-solution/1", "status": "feasible",
                "conversations": [{"conversation": c, "slot": s} for c, s in placed.items()],
                "unplanned": [{"id": c["id"], "reason": "not placed"}
                              for c in doc["conversations"] if c["id"] not in placed]}
    (folder / "city-replan.json").write_text(json.dumps(doc))
    (folder / "city-accepted.json").write_text(json.dumps(solution))
    done = subprocess.run([sys.executable, "-m", "solver", "check",
                           str(folder / "city-replan.json"), str(folder / "city-accepted.json")],
                          capture_output=True, text=True, cwd=ROOT)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return {"exit": done.returncode, "broken": 0 if done.returncode == 0 else len(lines),
            "output": lines[:5], "on_time_weight": weight}


def _child(part: str, folder: Path, *args: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "booking.bench", part, str(folder), *args]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{part} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _report_demo(d: dict[str, Any]) -> None:
    print(f"demo municipality: {d['citizens']} citizens, {len(d['units'])} units (built in "
          f"{d['build_s']} s, not timed); today {TODAY}")
    for u in d["units"]:
        f = u["figures"]
        print(f"  unit {u['unit']:<4} {f['conversations']:>5} conversations  run "
              f"{u['run_s']:6.3f} s (≤ 5)  accept {u['accept_s']:6.3f} s (≤ 3)  {f['status']}, "
              f"on-time weight {f['on_time_weight']} of bound {f['upper_bound_on_time_weight']}"
              f"; {u['created']} new, {u['moved']} moved, {u['messages']} messages")
    run_s = sum(u["run_s"] for u in d["units"])
    accept_s = sum(u["accept_s"] for u in d["units"])
    print(f"  all units: run {run_s:.3f} s, accept {accept_s:.3f} s; peak {d['peak_mb']} MB")
    e = d["events"]
    print(f"event re-plan after a no-show ({e['events']} events over the demo units, "
          f"event_delay_s not included): p50 {e.get('p50_s')} s, p95 {e.get('p95_s')} s "
          f"(≤ 1), max {e.get('max_s')} s")


def _report_city(build: dict[str, Any], c: dict[str, Any]) -> None:
    f, r = c["figures"], c["recheck"]
    print(f"city: {c['conversations']} conversations in the horizon ({build['open']} open, "
          f"{build['booked']} booked), {c['slots']} slots, {build['caseworkers']} caseworkers "
          f"in {build['units']} units (loaded in {build['build_s']} s, not timed)")
    print(f"  export {c['export_s']} s + solve {c['solve_s']} s (proposals included, "
          f"{c['resolves']} re-solves) + result {c['result_s']} s (solution written) = "
          f"{c['total_s']} s (≤ 30), peak {c['peak_mb']} MB (≤ 2048)")
    print(f"  solver: {f['status']}, on-time weight {f['on_time_weight']} of bound "
          f"{f['upper_bound_on_time_weight']}; {f['new']} new, {f['moved']} moved, "
          f"{f['unplanned']} unplanned")
    print(f"  accepted by import (checked against the live data, {c['created']} bookings, "
          f"{c['moved']} moved, {c['messages']} messages): {c['accept_s']} s; peak "
          f"{c['final_peak_mb']} MB")
    verdict = "reaches" if r["on_time_weight"] == f["upper_bound_on_time_weight"] else "MISSES"
    print(f"  re-exported plan: python -m solver check exit {r['exit']}, {r['broken']} broken "
          f"rules; on-time weight {r['on_time_weight']} {verdict} the bound "
          f"{f['upper_bound_on_time_weight']}")
    for line in r["output"]:
        print(f"    {line}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0].startswith("_"):  # a child process
        part, folder = args[0], Path(args[1])
        if part == "_demo":
            out = demo(folder, int(args[2]), int(args[3]))
        elif part == "_city_build":
            out = city_build(folder, int(args[2]))
        else:
            out = city_run(folder)
        print(json.dumps(out, default=str))
        return 0
    parser = argparse.ArgumentParser(prog="python -m booking.bench",
                                     description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    plan = sub.add_parser("plan", help="benchmark the conversation planner")
    plan.add_argument("--part", choices=["demo", "city", "all"], default="all")
    plan.add_argument("--citizens", type=int, default=1500)
    plan.add_argument("--events", type=int, default=100)
    plan.add_argument("--city", type=int, default=20_000, help="conversations of the city")
    plan.add_argument("--keep", help="keep the databases and files in this folder")
    opts = parser.parse_args(args)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(opts.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if opts.part in ("demo", "all"):
            _report_demo(_child("_demo", folder, str(opts.citizens), str(opts.events)))
        if opts.part in ("city", "all"):
            build = _child("_city_build", folder, str(opts.city))
            _report_city(build, _child("_city_run", folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

