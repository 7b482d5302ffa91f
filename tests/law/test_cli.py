"""``flask --app booking rules …``: the calculator (JSON, and a named argument for each kind of
bad input, exit 2, never a traceback), the changes on a date, and the recompute."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from booking import cli_rules
from booking.db import db
from booking.models import Booking, BookingState, Obligation, ObligationState
from booking.services.law.context import LawConfig
from tests import factories
from tests.conftest import use_settings
from tests.law.helpers import book, citizen, obligation


def _cli(app):
    if "rules" not in app.cli.commands:  # until booking/cli.py registers it
        cli_rules.register(app)
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["rules", *args])


@pytest.fixture
def cli(app):
    return _cli(app)


def test_calculator_prints_json(cli):
    result = cli("obligations", "--group", "insured_unemployed", "--start", "2026-05-04",
                 "--held", "2026-05-10:conversation:unemployment_fund",
                 "--held", "2026-09-10:conversation:jobcentre",
                 "--pause", "2026-06-01:2026-06-30", "--today", "2026-11-29", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["group"] == "insured_unemployed" and data["rule_set"] == "auto"
    obs = data["obligations"]
    keys = {"kind", "holder", "earliest", "statutory_deadline", "planning_deadline",
            "rule_set", "rule_id", "source", "verified"}
    assert obs and all(keys <= set(o) for o in obs)
    assert {o["rule_set"] for o in obs} == {"lab-2025-07", "reform-2026-07"}  # by due date
    first = obs[0]
    assert first["holder"] == "unemployment_fund" and first["fulfilled_on"] == "2026-05-10"
    assert all(o["planning_deadline"] <= o["statutory_deadline"] for o in obs)
    held = [o for o in obs if o["fulfilled_on"] == "2026-09-10"]
    assert len(held) == 1 and held[0]["holder"] == "jobcentre"
    pinned = cli("obligations", "--group", "insured_unemployed", "--start", "2026-05-04",
                 "--rule-set", "lab-2024", "--today", "2026-11-29", "--json")
    assert {o["rule_set"] for o in json.loads(pinned.stdout)["obligations"]} == {"lab-2024"}


def test_calculator_prints_a_table(cli):
    result = cli("obligations", "--group", "cash_benefit", "--start", "2026-09-07",
                 "--today", "2026-11-29")
    assert result.exit_code == 0
    assert "statutory_deadline" in result.output and "cash_benefit:first_conversation:1:1" in \
        result.output


BAD = [
    (["--group", "cash_benefit", "--start", "2026-13-01"], "--start: not a date (YYYY-MM-DD)"),
    (["--group", "cash_benefit"], "--start: required"),
    (["--start", "2026-01-05"], "--group: required"),
    (["--group", "x", "--start", "2026-01-05"], "--group: unknown target group 'x'"),
    (["--group", "cash_benefit", "--start", "2026-01-05", "--rule-set", "lab-1999"],
     "--rule-set: unknown rule set 'lab-1999'"),
    (["--group", "cash_benefit", "--start", "2026-01-05", "--held", "2026-02-01",
      "--held", "2026-03-01:x"], "--held[2]: unknown kind 'x'"),
    (["--group", "cash_benefit", "--start", "2026-01-05", "--held", "2026-02-30"],
     "--held[1]: not a date (YYYY-MM-DD)"),
    (["--group", "cash_benefit", "--start", "2026-01-05", "--held", "2026-02-01:offer:akasse"],
     "--held[1]: unknown holder 'akasse'"),
    (["--group", "cash_benefit", "--start", "2026-01-05", "--held", "2026-02-01:a:b:c"],
     "--held[1]: '2026-02-01:a:b:c' is not DATE[:KIND[:HOLDER]]"),
    (["--group", "cash_benefit", "--start", "2026-01-05", "--pause", "2026-02-01"],
     "--pause[1]: '2026-02-01' is not FROM:TO or FROM:"),
    (["--group", "cash_benefit", "--start", "2026-01-05", "--pause", "2026-02-10:2026-02-01"],
     "--pause[1]: '2026-02-10:2026-02-01' ends before it starts"),
    (["--group", "cash_benefit", "--start", "2026-01-05", "--pause", "2026-02-10:x"],
     "--pause[1]: not a date (YYYY-MM-DD)"),
    (["--group", "cash_benefit", "--start", "2026-01-05", "--birth-date", "1990"],
     "--birth-date: not a date (YYYY-MM-DD)"),
    (["--group", "cash_benefit", "--start", "2026-01-05", "--today", "tomorrow"],
     "--today: not a date (YYYY-MM-DD)"),
    (["--group", "insured_unemployed", "--start", "2017-01-02", "--rule-set",
      "copenhagen-2017"], "--birth-date: required: the rules depend on the citizen's age"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[m.split(":")[0] + str(i)
                                                        for i, (_a, m) in enumerate(BAD)])
def test_calculator_names_the_bad_argument(cli, args, message):
    result = cli("obligations", *args, "--json")
    assert result.exit_code == 2
    assert f"error: {message}" in result.output
    assert "Traceback" not in result.output and result.stdout == ""


def _insured_before_the_reform(session, auto):
    unit = factories.unit(session)
    people = [citizen(session, unit, "insured_unemployed", date(2026, 3, 2), law=auto,
                      today=date(2026, 6, 1)) for _ in range(2)]
    late = citizen(session, unit, "cash_benefit", date(2026, 8, 3), law=auto,
                   today=date(2026, 6, 1))
    session.commit()
    return people, late


def test_diff_lists_what_changes_per_group(session, cli, auto):
    people, late = _insured_before_the_reform(session, auto)
    result = cli("diff", "--on", "2026-07-01")
    assert result.exit_code == 0, result.output
    assert "insured_unemployed: 2 of 2 programmes changed" in result.output
    assert "cash_benefit" not in result.output  # starts after the day: nothing to compare
    assert f"citizen {people[0].id} removed" in result.output
    data = json.loads(cli("diff", "--on", "2026-07-01", "--json").stdout)
    group = data["groups"]["insured_unemployed"]
    assert group["programmes"] == 2 and group["citizens"] == 2
    assert group["removed"] >= 2 and group["moved"] + group["added"] >= 0
    removed = [c for c in group["changes"] if c["kind"] == "removed"]
    assert all(c["before"]["statutory_deadline"] >= "2026-07-01" and c["after"] is None
               for c in removed)
    moved = [c for c in group["changes"] if c["kind"] == "moved"]
    assert all(c["before"] and c["after"] for c in moved)
    bad = cli("diff", "--on", "1. juli")
    assert bad.exit_code == 2 and "error: --on: not a date (YYYY-MM-DD)" in bad.output
    early = cli("diff", "--on", "2015-01-01")
    assert early.exit_code == 2
    assert "error: --on: no rule set is in force on 2014-12-31" in early.output
    missing = cli("diff")
    assert missing.exit_code == 2 and "error: --on: required" in missing.output


def test_recompute_keeps_booked_obligations(db_app, dbs):
    app, session, cli = db_app, dbs, _cli(db_app)
    pinned = LawConfig("lab-2024", ())
    unit = factories.unit(session)
    cw = factories.caseworker(session, unit)
    # computed under LAB 2024 for a resource programme started in 2027; by due date the
    # reform (closed to new programmes) owes it nothing, but the booked one must stay
    c = citizen(session, unit, "resource_programme", date(2027, 1, 4), law=pinned,
                today=date(2027, 1, 4))
    ob = obligation(session, c.id, "four_in_six_months:1:1")
    book(session, cw, c, ob, datetime(2027, 2, 2, 9, tzinfo=UTC))
    ob.state = ObligationState.booked
    other = citizen(session, unit, "cash_benefit", date(2027, 1, 4), law=pinned,
                    today=date(2027, 1, 4))
    # LAB 2024's 2nd of "four in six months" is the reform's 1st of "three more": the booking
    # moves to it
    second = obligation(session, other.id, "four_in_six_months:1:2")
    moved = book(session, cw, other, second, datetime(2027, 2, 3, 9, tzinfo=UTC))
    second.state = ObligationState.booked
    session.commit()
    before = session.scalar(select(Obligation.id).where(Obligation.citizen_id == other.id)
                            .order_by(Obligation.id).limit(1))
    with app.app_context():  # by due date ([rules] active = "auto")
        use_settings(app, app.extensions["rettidig_settings"].with_changes(
            {"rules": {"active": "auto"}}))
    dry = cli("recompute", "--dry-run", "--today", "2027-01-04")
    assert dry.exit_code == 0, dry.output
    assert "dry run, nothing stored" in dry.output and "resource_programme" in dry.output
    assert "bookings moved to a new step   1" in dry.output
    assert "no booked obligation lost: 2 of 2 bookings still hold one" in dry.output
    with app.app_context(), db.fresh_session() as s:
        assert {o.rule_set_code for o in s.scalars(select(Obligation))} == {"lab-2024"}
    done = cli("recompute", "--today", "2027-01-04")
    assert done.exit_code == 0, done.output
    assert "(stored)" in done.output
    assert "no booked obligation lost: 2 of 2 bookings still hold one" in done.output
    assert f"kept (booked, no longer computed): citizen {c.id} " in done.output
    with app.app_context(), db.fresh_session() as s:
        kept = s.get(Obligation, ob.id)
        assert kept is not None and kept.state == ObligationState.booked
        assert s.scalar(select(Booking.state).where(Booking.obligation_id == ob.id)) == \
            BookingState.booked
        codes = {o.rule_set_code for o in s.scalars(
            select(Obligation).where(Obligation.citizen_id == other.id))}
        assert codes == {"reform-2026-07"}
        now_holds = s.get(Booking, moved.id).obligation
        assert now_holds.step_key == "cash_benefit:more_in_six_months:1:1"
        assert now_holds.state == ObligationState.booked
        assert s.get(Obligation, second.id) is None
        assert before is not None
