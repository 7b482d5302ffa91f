"""Scenario comparisons as CSV and .xlsx for the region (week by week, with assumptions)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from ...models import RehabScenario

COLUMNS = (
    "Scenarie",
    "Uge (mandag)",
    "Frist i ugen",
    "Til tiden",
    "For sent",
    "Andel til tiden",
    "Forelagt",
    "Pladser",
    "Venteliste",
)
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


def rows(scenarios: Sequence[RehabScenario]) -> list[list[Any]]:
    out = []
    for sc in scenarios:
        for w in (sc.result or {}).get("weeks", []):
            share = w["share"]
            out.append(
                [
                    sc.name,
                    w["week_start"],
                    w["due"],
                    w["on_time"],
                    w["late"],
                    None if share is None else round(share, 4),
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


def to_csv(scenarios: Sequence[RehabScenario]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerows(rows(scenarios))
    return buffer.getvalue()


def to_xlsx(scenarios: Sequence[RehabScenario]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Uge for uge"
    sheet.append(list(COLUMNS))
    for row in rows(scenarios):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2, min_col=6, max_col=6):
        for cell in row:
            cell.number_format = "0.0%"
    info = book.create_sheet("Antagelser")
    for row in assumption_rows(scenarios):
        info.append(row)
    for cell in info[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
