"""``flask --app booking rules …``: the rule calculator, what changes on a date, and recomputing
stored obligations.

* ``rules obligations --group G --start D [--rule-set ID|auto] [--held DATE:KIND:HOLDER …]
  [--pause FROM:TO …] [--birth-date D] [--today D] [--json]``
* ``rules diff --on D [--json]``
* ``rules recompute [--dry-run] [--today D]``

Bad input exits with status 2 and one line naming the argument (``error: --start: not a date
(YYYY-MM-DD)``, ``error: --held[2]: unknown kind 'x'``), never a traceback.
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from typing import Any, NoReturn

import click
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from . import rules
from .db import db
from .extensions import settings as current_settings
from .services.clock import today_local
from .services.law.calculator import (
    CalculatorError,
    calculate,
    obligation_json,
    parse_query,
    result_json,
)
from .services.law.changes import KINDS, law_diff
from .services.law.context import LawConfig, holidays_around, local_closed_days
from .services.law.programmes import LawError
from .services.law.recompute import RecomputeReport, recompute_all

OPTION = {
    "group": "--group",
    "start": "--start",
    "rule_set": "--rule-set",
    "held": "--held",
    "pause": "--pause",
    "birth_date": "--birth-date",
    "today": "--today",
}
TEXT = {
    "required": "required",
    "not_a_date": "not a date (YYYY-MM-DD)",
    "unknown_group": "unknown target group {value!r}; one of " + ", ".join(rules.TargetGroup),
    "unknown_rule_set": "unknown rule set {value!r}",
    "bad_held": "{value!r} is not DATE[:KIND[:HOLDER]]",
    "unknown_kind": "unknown kind {value!r}",
    "unknown_holder": "unknown holder {value!r}; one of jobcentre, unemployment_fund, joint, "
    "fund_declined",
    "bad_pause": "{value!r} is not FROM:TO or FROM:",
    "pause_order": "{value!r} ends before it starts",
    "no_rule_set": "no rule set is in force on {value}",
    "birth_date_required": "required: the rules depend on the citizen's age",
}


def describe(err: CalculatorError) -> str:
    """``--held[2]: unknown kind 'x'``: the option (1-based index when repeated) and why."""
    where = OPTION.get(err.field, err.field)
    if err.index is not None:
        where += f"[{err.index}]"
    return f"{where}: {TEXT.get(err.code, err.code).format(value=err.value)}"


def fail(text: str) -> NoReturn:
    click.echo(f"error: {text}", err=True)
    sys.exit(2)


def _day(raw: str | None, option: str) -> date | None:
    if raw is None:
        return None
    try:
        if len(raw) == 10:
            return date.fromisoformat(raw)
    except ValueError:
        pass
    fail(f"{option}: not a date (YYYY-MM-DD)")


def _closed(optional: tuple[str, ...], around: date) -> frozenset[date]:
    """Public holidays and, when the database can be read, the local closed days."""
    closed = set(holidays_around(around, optional))
    try:
        with db.fresh_session() as session:
            closed |= set(local_closed_days(session))
    except SQLAlchemyError:
        click.echo("note: local closed days not read (database not ready)", err=True)
    return frozenset(closed)


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    widths = [max([len(c)] + [len(_cell(r.get(c))) for r in rows]) for c in columns]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for r in rows:
        click.echo("  ".join(_cell(r.get(c)).ljust(w)
                             for c, w in zip(columns, widths, strict=True)).rstrip())


def print_recompute(report: RecomputeReport) -> None:
    """The recompute report, one line per target group and a line on booked obligations."""
    mode = "dry run, nothing stored" if report.dry_run else "stored"
    click.echo(f"recomputed {report.citizens} citizens as of {report.today} ({mode})")
    for group in sorted(report.groups):
        c = report.groups[group]
        click.echo(f"  {group:<20} added {c.added:>5}  removed {c.removed:>5}  "
                   f"moved {c.moved:>5}  bookings moved to a new step {c.rehomed:>3}  "
                   f"kept booked, no longer computed {c.orphaned:>3}")
    for citizen_id, key in report.orphaned:
        click.echo(f"  kept (booked, no longer computed): citizen {citizen_id} {key}")
    if report.lost:
        click.echo(f"LOST {report.lost} of {report.booked} booked obligations", err=True)
    else:
        click.echo(f"no booked obligation lost: {report.kept} of {report.booked} bookings "
                   "still hold one")


def run_recompute(*, dry_run: bool, today: date | None = None) -> RecomputeReport:
    """Recompute every citizen's obligations with the app's settings and print the report
    (``init-db`` calls this after a migration)."""
    config = LawConfig.from_settings(current_settings())
    with db.fresh_session() as session:
        report = recompute_all(session, today or today_local(), config=config, dry_run=dry_run)
    print_recompute(report)
    return report


def register(app: Flask) -> None:
    @app.cli.group("rules", help="The law in force: calculator, changes on a date, recompute.")
    def rules_group() -> None:
        pass

    @rules_group.command("obligations")
    @click.option("--group", default=None, help="Target group, e.g. insured_unemployed.")
    @click.option("--start", default=None, help="Programme start, YYYY-MM-DD.")
    @click.option("--rule-set", "rule_set", default="auto",
                  help="A rule set id, or auto (the set in force on each due date).")
    @click.option("--held", multiple=True, help="DATE[:KIND[:HOLDER]], repeatable.")
    @click.option("--pause", multiple=True, help="FROM:TO or FROM:, repeatable.")
    @click.option("--birth-date", "birth_date", default=None, help="YYYY-MM-DD.")
    @click.option("--today", default=None, help="Compute as of this day (default: today).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def obligations(group: str | None, start: str | None, rule_set: str,
                    held: tuple[str, ...], pause: tuple[str, ...], birth_date: str | None,
                    today: str | None, as_json: bool) -> None:
        """The obligations of a made-up case (nothing is read about real citizens)."""
        cfg = current_settings()
        try:
            query = parse_query(group=group, start=start, rule_set=rule_set, held=held,
                                pauses=pause, birth_date=birth_date, today=today,
                                default_today=today_local())
            result = calculate(query, _closed(cfg.calendar.optional_closed, query.today))
        except CalculatorError as err:
            fail(describe(err))
        if as_json:
            click.echo(json.dumps(result_json(result), indent=2, ensure_ascii=False))
            return
        click.echo(f"{query.group} from {query.start}, rule set {rule_set}, "
                   f"periods starting by {result.until}")
        _table([obligation_json(o) for o in result.obligations],
               ["key", "kind", "holder", "earliest", "statutory_deadline", "planning_deadline",
                "fulfilled_on", "rule_set", "verified"])

    @rules_group.command("diff")
    @click.option("--on", "on", default=None, help="The day the law changes, YYYY-MM-DD.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def diff(on: str | None, as_json: bool) -> None:
        """Per target group, whose obligations a change of law on --on adds, removes or
        moves (live data)."""
        if on is None:
            fail("--on: required")
        day = _day(on, "--on")
        assert day is not None
        config = LawConfig.from_settings(current_settings())
        with db.fresh_session() as session:
            try:
                found = law_diff(session, day, config=config)
            except LawError:
                fail(f"--on: no rule set is in force on {day - timedelta(days=1)}")
        groups = sorted(found.programmes)
        if as_json:
            click.echo(json.dumps({
                "on": day.isoformat(),
                "groups": {
                    g: {
                        "programmes": found.programmes[g],
                        "citizens": found.citizens(g),
                        **found.counts(g),
                        "changes": [_change_json(c) for c in found.changes.get(g, [])],
                    }
                    for g in groups
                },
            }, indent=2, ensure_ascii=False))
            return
        click.echo(f"changes on {day}")
        for g in groups:
            n = found.counts(g)
            click.echo(f"{g}: {found.citizens(g)} of {found.programmes[g]} programmes changed; "
                       + ", ".join(f"{n[k]} {k}" for k in KINDS))
            for c in found.changes.get(g, []):
                ob = c.shown
                before = (f"{c.before.statutory_deadline}/{c.before.deadline}"
                          if c.before else "-")
                after = f"{c.after.statutory_deadline}/{c.after.deadline}" if c.after else "-"
                click.echo(f"  citizen {c.citizen_id} {c.kind:<7} {ob.key}  "
                           f"statutory/planned {before} -> {after}")

    @rules_group.command("recompute")
    @click.option("--dry-run", is_flag=True, help="Count what would change; store nothing.")
    @click.option("--today", default=None, help="Recompute as of this day (default: today).")
    def recompute(dry_run: bool, today: str | None) -> None:
        """Recompute every citizen's stored obligations under the sets in force."""
        report = run_recompute(dry_run=dry_run, today=_day(today, "--today"))
        if report.lost:
            sys.exit(1)


def _change_json(c: Any) -> dict[str, Any]:
    return {
        "citizen_id": c.citizen_id,
        "programme_id": c.programme_id,
        "kind": c.kind,
        "before": obligation_json(c.before) if c.before else None,
        "after": obligation_json(c.after) if c.after else None,
    }
