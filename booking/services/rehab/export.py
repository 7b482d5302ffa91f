"""Scenario comparisons as CSV and .xlsx for the region (week by week, with assumptions),
written by the shared spreadsheet writers (:mod:`booking.services.exports`): the CSV in the
Danish-Excel variant (``;``, decimal comma, ``dd-mm-åååå``), the workbook with real dates,
numbers and percentages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ...models import RehabScenario
from ..exports import Column, Export, Sheet, write_csv, write_xlsx

WEEK_COLUMNS = (
    Column("Scenarie", "Scenario"),
    Column("Uge (mandag)", "Week (Monday)", "date"),
    Column("Frist i ugen", "Due in the week", "int"),
    Column("Til tiden", "On time", "int"),
    Column("For sent", "Late", "int"),
    Column("Andel til tiden (%)", "Share on time (%)", "percent"),
    Column("Forelagt", "Presented", "int"),
    Column("Pladser", "Places", "int"),
    Column("Venteliste", "Waiting list", "int"),
)
COLUMNS = tuple(c.da for c in WEEK_COLUMNS)
ASSUMPTIONS = (
    ("meetings_per_week", "Møder pr. uge"),
    ("places_per_meeting", "Pladser pr. møde"),
    ("lead_days", "Materiale til regionen, dage før mødet"),
    ("inflow_per_week", "Nye sager pr. uge (gennemsnit, Poisson)"),
    ("closed_weeks", "Lukkede uger"),
    ("ready_days", "Dage fra start til materialet kan sendes"),
    ("deadline_days", "Frist for forelæggelse, dage fra start"),
    ("weeks", "Uger"),
    ("runs", "Simulerede forløb (gennemsnit)"),
    ("seed", "Startværdi for tilfældige tal"),
)


def _day(value: Any) -> date | None:
    if isinstance(value, date) or value is None:
        return value
    return date.fromisoformat(str(value))


def rows(scenarios: Sequence[RehabScenario]) -> list[list[Any]]:
    out = []
    for sc in scenarios:
        for w in (sc.result or {}).get("weeks", []):
            out.append(
                [
                    sc.name,
                    _day(w["week_start"]),
                    w["due"],
                    w["on_time"],
                    w["late"],
                    w["share"],
                    w["presented"],
                    w["places"],
                    w["backlog"],
                ]
            )
    return out


def assumption_rows(scenarios: Sequence[RehabScenario]) -> list[list[Any]]:
    out: list[list[Any]] = [["Antagelse", *[sc.name for sc in scenarios]]]
    for key, label in ASSUMPTIONS:
        values = []
        for sc in scenarios:
            value = sc.params.get(key)
            values.append(
                ", ".join(map(str, value)) or "ingen" if isinstance(value, list) else value
            )
        out.append([label, *values])
    out.append(
        [
            "Andel til tiden i alt",
            *[round((sc.result or {}).get("share") or 0, 4) for sc in scenarios],
        ]
    )
    return out


def _sheets(scenarios: Sequence[RehabScenario]) -> list[Sheet]:
    weekly = Sheet("Uge for uge", "Week by week", WEEK_COLUMNS, rows(scenarios))
    head, *body = assumption_rows(scenarios)
    columns = [Column(str(h), str(h), "text" if i == 0 else "auto") for i, h in enumerate(head)]
    return [weekly, Sheet("Antagelser", "Assumptions", columns, body)]


def to_csv(scenarios: Sequence[RehabScenario]) -> str:
    """Week by week as Danish-Excel CSV text (CRLF; the caller adds the byte-order mark)."""
    return write_csv(_sheets(scenarios)[0], "da").decode("utf-8-sig")


def to_xlsx(scenarios: Sequence[RehabScenario]) -> bytes:
    return write_xlsx(Export("rehabiliteringsteam-scenarier", date.today(), _sheets(scenarios)))
