"""A small job centre for the what-if pages: one unit of two caseworkers with weekly templates,
citizens with programmes and held conversations, and a user per role; on SQLite and
PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

import pytest

from booking.db import db
from booking.models import Channel, HeldConversation, Programme, Role, WorkTemplate
from booking.services.clock import today_local
from tests import factories
from tests.conftest import make_app

BASE = "/planlaegning/hvad-hvis"
# two seeds of two weeks, one process: a whole what-if runs inline in a second or two
WHATIF = {"seeds": 2, "weeks": 2, "jobs": 1}


@dataclass
class Centre:
    unit_code: str
    unit_name: str
    citizens: int


def build_centre(session) -> Centre:
    unit = factories.unit(session, code="NORD")
    cws = [factories.caseworker(session, unit) for _ in range(2)]
    for cw in cws:
        for day in range(5):
            session.add(
                WorkTemplate(
                    caseworker_id=cw.id,
                    weekday=day,
                    start_time=time(9),
                    end_time=time(12),
                    slot_minutes=45,
                    channel=Channel.in_person,
                )
            )
    today = today_local()
    people = []
    for i in range(6):
        start = today - timedelta(weeks=2 + 3 * i)
        person = factories.citizen(session, unit, cw=cws[i % 2], start=start)
        people.append(person)
        if i >= 2:
            session.add(HeldConversation(citizen_id=person.id, held_on=start + timedelta(days=5)))
    # one ended programme, so the group has a mean length
    session.add(
        Programme(
            citizen_id=people[0].id,
            target_group="cash_benefit",
            start_date=today - timedelta(weeks=60),
            end_date=today - timedelta(weeks=30),
            rule_set_code="lab-2024",
        )
    )
    for role, name in (
        (Role.planner, "planner"),
        (Role.manager, "leder"),
        (Role.caseworker, "sagsb"),
        (Role.callin, "indk"),
    ):
        factories.staff(session, role, username=name, unit_id=unit.id)
    session.commit()
    return Centre(unit.code, unit.name, len(people))


@pytest.fixture
def whatif_app(any_db_url):
    app = make_app(any_db_url, whatif=WHATIF)
    with app.app_context(), db.fresh_session() as s:
        app.config["CENTRE"] = build_centre(s)
    yield app
    with app.app_context():
        db.engine.dispose()


def good_form(**changes: str) -> dict[str, str]:
    form = {
        "name": "To ekstra i Nord",
        "units-0-code": "NORD",
        "units-0-caseworkers": "2",
        "units-0-hours_percent": "100",
        "units-0-group_callins": "1",
        "rehab_meetings": "2",
        "rehab_capacity": "5",
    }
    form.update(changes)
    return form
