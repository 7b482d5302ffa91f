"""The demo municipality: deterministic, complete, and honest about the calendar."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func, select

from booking.db import db
from booking.models import (
    Caseworker,
    Citizen,
    HeldConversation,
    Obligation,
    Programme,
    RehabMeeting,
    Role,
    Slot,
    StaffUser,
    Unit,
)
from booking.services.calendar_days import closed_days
from booking.services.clock import zone
from tests.conftest import DEMO_TODAY, make_app


def test_demo_prints_a_login_per_role_and_citizen_links(demo_app):
    out = demo_app.config["DEMO_OUTPUT"]
    for role in ("caseworker", "callin", "planner", "manager", "admin"):
        assert f"  {role}" in out
    links = [line for line in out.splitlines() if "http://127.0.0.1:5000/b/" in line]
    assert len(links) == 3


def test_demo_logins_and_links_work(demo_app):
    out = demo_app.config["DEMO_OUTPUT"]
    client = demo_app.test_client()
    response = client.post("/login", data={"username": "planlaegger", "password": "rettidig-demo"})
    assert response.status_code == 302
    assert client.get("/planlaegning/").status_code == 200
    link = next(line for line in out.splitlines() if "/b/" in line).split("5000", 1)[1]
    citizen = demo_app.test_client()
    assert citizen.get(link).status_code == 302
    page = citizen.get("/borger/")
    assert "Du skal have en samtale senest" in page.text


def test_demo_shape(demo_app):
    with demo_app.app_context(), db.fresh_session() as s:
        assert s.scalar(select(func.count(Unit.id))) == 3
        assert s.scalar(select(func.count(Caseworker.id))) == 30
        assert s.scalar(select(func.count(Citizen.id))) == 150
        roles = Counter(s.scalars(select(StaffUser.role)))
        assert roles[Role.caseworker] == 30 and all(
            roles[r] == 1 for r in (Role.callin, Role.planner, Role.manager, Role.admin)
        )
        groups = set(s.scalars(select(Programme.target_group)))
        assert {"insured_unemployed", "resource_programme", "job_clarification"} <= groups
        assert s.scalar(select(func.count(HeldConversation.id))) > 150  # histories exist
        assert s.scalar(select(func.count(Obligation.id))) > 150
        probs = list(s.scalars(select(Citizen.show_probability)))
        assert min(probs) < 0.7 < max(probs)  # citizens differ


def test_demo_has_no_slots_on_public_holidays_and_eight_weeks_of_them(demo_app):
    with demo_app.app_context(), db.fresh_session() as s:
        starts = list(s.scalars(select(Slot.starts_at)))
    days = {t.astimezone(zone()).date() for t in starts}
    closed = closed_days([2027], ["Grundlovsdag", "Juleaftensdag", "Nytårsaften"])
    easter = {date(2027, 3, 25), date(2027, 3, 26), date(2027, 3, 29)}
    assert easter <= set(closed)  # the window covers Easter 2027
    assert not days & set(closed)
    assert all(d.weekday() < 5 for d in days)
    assert min(days) >= DEMO_TODAY - timedelta(days=DEMO_TODAY.weekday())
    assert max(days) < DEMO_TODAY + timedelta(weeks=8)


def test_demo_has_two_rehab_meetings_a_week(demo_app):
    with demo_app.app_context(), db.fresh_session() as s:
        meetings = list(s.scalars(select(RehabMeeting.date)))
    per_week = Counter(d.isocalendar()[:2] for d in meetings)
    assert set(d.weekday() for d in meetings) <= {1, 3}
    assert max(per_week.values()) == 2
    assert all(v in (1, 2) for v in per_week.values())  # 1 only in a holiday week


def _fingerprint(app) -> list[tuple]:
    with app.app_context(), db.fresh_session() as s:
        citizens = [
            (c.name, c.cpr_masked, c.show_probability)
            for c in s.scalars(select(Citizen).order_by(Citizen.id))
        ]
        obligations = [
            (o.citizen_id, o.step_key, o.deadline)
            for o in s.scalars(select(Obligation).order_by(Obligation.id))
        ]
        return citizens + obligations


def test_demo_is_deterministic(tmp_path):
    prints = []
    for name in ("a", "b"):
        app = make_app(f"sqlite:///{tmp_path / name}.sqlite3", demo={"citizens": 40})
        result = app.test_cli_runner().invoke(args=["demo", "--today", "2027-03-01"])
        assert result.exit_code == 0, result.output
        prints.append(_fingerprint(app))
    assert prints[0] == prints[1] and len(prints[0]) > 40


def test_demo_refuses_a_database_with_data(demo_app):
    result = demo_app.test_cli_runner().invoke(args=["demo", "--today", "2027-03-01"])
    assert result.exit_code == 1
    assert "--reset" in result.output


def test_citizen_link_command(demo_app):
    runner = demo_app.test_cli_runner()
    result = runner.invoke(args=["citizen-link", "1"])
    assert result.exit_code == 0 and "/b/" in result.output
    link = result.output.strip().split("5000", 1)[1]
    assert demo_app.test_client().get(link).status_code == 302
    missing = runner.invoke(args=["citizen-link", "999999"])
    assert missing.exit_code == 1 and "no citizen" in missing.output


def test_create_user_command_makes_a_staff_user_who_can_log_in(app, login):
    runner = app.test_cli_runner()
    args = ["create-user", "Ny.Planner", "--role", "planner", "--name", "Ny Planlægger"]
    made = runner.invoke(args=args, input="hemmelig-kode\nhemmelig-kode\n")
    assert made.exit_code == 0 and "created planner Ny.Planner" in made.output
    assert login(app, "ny.planner", "hemmelig-kode").get("/planlaegning/").status_code == 200
    again = runner.invoke(args=[*args[:1], "NY.PLANNER", *args[2:]], input="x\nx\n")
    assert again.exit_code == 1 and "exists" in again.output


def test_demo_prints_a_synthetic_cpr_that_find_borger_finds(demo_app):
    out = demo_app.config["DEMO_OUTPUT"]
    line = next(line for line in out.splitlines() if "Find borger" in line)
    number, name = line.split(": ", 1)[1].split(" ", 1)
    name = name.strip("()")
    client = demo_app.test_client()
    client.post("/login", data={"username": "sagsbehandler", "password": "rettidig-demo"})
    found = client.post("/borgere/", data={"cpr": number})
    assert found.status_code == 200, found.text
    assert name in found.text
    assert number not in found.text  # the number is never echoed back


def test_demo_day_is_the_next_working_day():
    from booking.services.demo import demo_today

    assert demo_today(date(2026, 11, 27)) == date(2026, 11, 27)  # a Friday
    assert demo_today(date(2026, 11, 29)) == date(2026, 11, 30)  # Sunday → Monday
    assert demo_today(date(2026, 12, 25)) == date(2026, 12, 28)  # Christmas Day (Fri) → Monday
    assert demo_today(date(2027, 3, 25)) == date(2027, 3, 30)  # Maundy Thursday → after Easter
