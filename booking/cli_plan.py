"""``flask --app booking plan export|run|import``: the conversation planner in the terminal.

* ``plan export FILE [--unit U]... [--weeks N]``: the live ``jobcenter-plan/1`` document (all
  units unless named; ``-`` writes to standard output);
* ``plan run [--unit U]... [--accept]``: the same job a planner starts on the web, run here
  and now, unit by unit; prints the figures, and with ``--accept`` accepts every proposal;
* ``plan import FILE``: a ``jobcenter-plan-solution/1`` document (e.g. from ``python -m
  solver solve``) checked against the live data and applied; every problem is printed with
  its JSON path and nothing is changed.

Bad input (an unknown unit, weeks outside 1-52, a file that cannot be read or is not JSON, a
plan that does not fit the live data) prints a message naming the argument and exits with 2.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from typing import Any, NoReturn

import click
from flask import Flask

from .db import db
from .extensions import settings as current_settings
from .models import PlanTrigger
from .services.clock import today_local
from .services.errors import FormErrors, NotFound, ServiceError
from .services.planning import accept, imports, problem, runs
from .services.planning.errors import PlanningError

# the English words of the planner's codes (the web layer has the Danish ones)
CODES = {
    "gone": "no longer exists",
    "not_open": "is no longer open ({state})",
    "deadline_passed": "its deadline {deadline} has passed",
    "not_plannable": "is not a conversation the plan can book",
    "locked": "its booking is locked",
    "slot_passed": "the slot ({day}) has passed",
    "too_soon": "lies in the lock period (until {lock_until})",
    "not_in_horizon": "lies beyond the horizon ({day})",
    "not_available": "the slot cannot be used (absence, closed day, group call-in or full)",
    "rule_broken": "breaks a hard rule: {detail}",
    "booking_dropped": "has a live booking ({booking}) the plan cannot cancel: it stays",
    "invalid": "{detail}",
    "empty": "the document places no conversation",
    "no_caseworker": "the citizen's unit has no caseworker",
    "no_channel": "allows none of the citizen's channels",
    "channel_conflict": "its channels exclude the citizen's earlier conversation's",
    "stale": "the data changed since the plan was made (proposals {proposals}); plan again",
    "seat_taken": "a slot was taken meanwhile (proposals {proposals}); plan again",
    "already_booked": "a conversation was booked meanwhile; plan again",
    "citizen_day_taken": "a citizen has another conversation on {day}; plan again",
    "day_full": "a caseworker's day {day} is full; plan again",
    "depends_on": "proposal {proposals} needs {needs}",
    "superseded": "a newer run replaced this one",
    "not_ready": "the run has nothing to accept ({state})",
    "unknown_unit": "--unit: unknown unit {unit!r}",
    "bad_weeks": "--weeks: must be between 1 and {max} (got {weeks})",
}


def words(err: ServiceError) -> str:
    template = CODES.get(err.code)
    if template is None:
        return err.code
    try:
        return template.format(**err.params)
    except (KeyError, IndexError):
        return template


def fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _today(value: datetime | None) -> date:
    return value.date() if value else today_local()


def _units(session: Any, units: tuple[str, ...]) -> list[int]:
    try:
        return problem.unit_ids_of(session, list(units) or None)
    except PlanningError as err:
        fail(words(err))


def _figures(code: str, run_id: int, f: dict[str, Any]) -> str:
    return (f"unit {code} (run {run_id}): {f['status']}, on-time weight {f['on_time_weight']} "
            f"of at most {f['upper_bound_on_time_weight']}; {f['on_time']} on time, "
            f"{f['late']} late, {f['unplanned']} unplanned; {f['new']} new, {f['moved']} moved, "
            f"{f['kept']} kept, {f['locked']} locked; {f['run_seconds']} s")


def register(app: Flask) -> None:
    @app.cli.group("plan", help="The conversation planner: export, run, import.")
    def plan_group() -> None:
        pass

    today_option = click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
                                help="Planning date (default: today).")
    unit_option = click.option("--unit", "units", multiple=True,
                               help="Unit code or id (repeatable; default: every unit).")

    @plan_group.command("export")
    @click.argument("file")
    @unit_option
    @click.option("--weeks", type=int, default=None, help="Horizon in weeks (1-52).")
    @today_option
    def plan_export(file: str, units: tuple[str, ...], weeks: int | None,
                    today: datetime | None) -> None:
        """Write the live planning problem (jobcenter-plan/1) to FILE ('-': stdout)."""
        cfg = current_settings()
        weeks = cfg.planning.horizon_weeks if weeks is None else weeks
        with db.fresh_session() as session:
            ids = _units(session, units)
            try:
                document = problem.export_plan(session, ids, weeks, _today(today),
                                               settings=cfg)
            except PlanningError as err:
                fail(words(err))
        text = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
        if file == "-":
            click.echo(text, nl=False)
            return
        try:
            with open(file, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            fail(f"{file}: cannot write ({exc.strerror or exc})")
        click.echo(f"wrote {file}: {len(document['conversations'])} conversations, "
                   f"{len(document['slots'])} slots, {len(document['bookings'])} bookings",
                   err=True)

    @plan_group.command("run")
    @unit_option
    @click.option("--accept", "accept_all", is_flag=True, help="Accept every proposal.")
    @today_option
    def plan_run(units: tuple[str, ...], accept_all: bool, today: datetime | None) -> None:
        """Plan each unit now (as the background job does) and print the figures."""
        cfg = current_settings()
        failed = False
        with db.fresh_session() as session:
            ids = _units(session, units)
            codes = problem.unit_codes(session)
            for unit_id in ids:
                request = runs.request_run(
                    session, unit_id, trigger=PlanTrigger.cli, staff_id=None,
                    detail={"cli": True}, today=_today(today), schedule=lambda *_: None)
                summary = runs.execute_run(db.database.sessions, request.run.id, cfg)
                if summary.state != "done":
                    click.echo(f"unit {codes[unit_id]} (run {summary.run_id}): "
                               f"{summary.state} {summary.error or ''}".rstrip())
                    failed = failed or summary.state == "failed"
                    continue
                assert summary.figures is not None
                click.echo(_figures(codes[unit_id], summary.run_id, summary.figures))
                if not accept_all:
                    continue
                try:
                    done = accept.accept_run(session, summary.run_id, staff_id=None,
                                             settings=cfg, today=_today(today))
                except (PlanningError, NotFound) as err:
                    fail(f"unit {codes[unit_id]}: {words(err)}")
                click.echo(f"  accepted: {len(done.created)} new bookings, {len(done.moved)} "
                           f"moved, {done.messages} messages queued")
        if failed:
            sys.exit(1)

    @plan_group.command("import")
    @click.argument("file")
    @today_option
    def plan_import(file: str, today: datetime | None) -> None:
        """Check a solution (jobcenter-plan-solution/1) against the live data and apply it."""
        try:
            with open(file, encoding="utf-8") as fh:
                document = json.load(fh)
        except OSError as exc:
            fail(f"{file}: cannot read ({exc.strerror or exc})")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            fail(f"{file}: not valid JSON ({exc})")
        with db.fresh_session() as session:
            try:
                result = imports.import_solution(session, document, staff_id=None,
                                                 settings=current_settings(),
                                                 today=_today(today))
            except FormErrors as err:
                for path, problem_ in err.fields.items():
                    click.echo(f"{path}: {words(problem_)}", err=True)
                fail(f"{file}: {len(err.fields)} problem(s); nothing was changed")
            except PlanningError as err:
                fail(f"{file}: {words(err)}; nothing was changed")
        click.echo(f"imported: {len(result.created)} new bookings, {len(result.moved)} moved, "
                   f"{result.kept} kept, {result.messages} messages queued "
                   f"(runs {', '.join(map(str, result.run_ids)) or '-'})")
