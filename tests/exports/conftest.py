"""A small world for the export tests, dated from the real clock (the views read it): two
units with a caseworker each (with logins), citizens overdue, due soon and timely, and a staff
user of each role: ``sb1``/``sb2`` (caseworkers), ``indk`` (call-in), ``plan`` (planner),
``leder`` (manager), ``admin``."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from booking.db import db
from booking.models import Role
from booking.services.clock import today_local
from booking.services.law.context import BY_DUE_DATE
from tests import factories
from tests.law.helpers import citizen


@dataclass
class World:
    north_cw: int
    south_cw: int
    names: dict[str, str]  # overdue / soon / timely / formula → the citizen's name


@pytest.fixture
def world(app) -> World:
    today = today_local()
    with app.app_context(), db.fresh_session() as s:
        north, south = factories.unit(s, "NO"), factories.unit(s, "SY")
        users = {name: factories.staff(s, Role.caseworker, username=name)
                 for name in ("sb1", "sb2")}
        cw1 = factories.caseworker(s, north, user=users["sb1"])
        cw2 = factories.caseworker(s, south, user=users["sb2"])
        for role, name in ((Role.callin, "indk"), (Role.planner, "plan"),
                           (Role.manager, "leder"), (Role.admin, "admin")):
            factories.staff(s, role, username=name)
        start = today - timedelta(days=70)
        overdue = citizen(s, north, "cash_benefit", today - timedelta(days=14), cw=cw1,
                          law=BY_DUE_DATE, today=today)  # the first conversation: 7 days ago
        soon = citizen(s, north, "cash_benefit", today - timedelta(days=2), cw=cw1,
                       law=BY_DUE_DATE, today=today)
        timely = citizen(s, north, "cash_benefit", start, cw=cw1, law=BY_DUE_DATE, today=today,
                         held=[start + timedelta(days=2), start + timedelta(days=30),
                               start + timedelta(days=60)])
        formula = citizen(s, south, "cash_benefit", start, cw=cw2, law=BY_DUE_DATE,
                          today=today)
        formula.name = '=HYPERLINK("http://x.example","klik")'
        s.commit()
        return World(cw1.id, cw2.id, {"overdue": overdue.name, "soon": soon.name,
                                      "timely": timely.name, "formula": formula.name})


def read_csv(body: bytes, variant: str = "da") -> list[list[str]]:
    """The rows of a CSV export, checking its BOM and CRLF line ends on the way."""
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline=""),
                           delimiter=";" if variant == "da" else ","))


def read_xlsx(body: bytes):
    return load_workbook(io.BytesIO(body))
