"""What-if comparisons as an .xlsx workbook for the region or the council (in Danish, as the
rehabilitation scenarios' export): the summary with the changes, week by week with the 95 %
band, per unit and per target group. Written by the shared writer
(:mod:`booking.services.exports`): shares are fractions formatted as percentages (kept exact),
Mondays are dates, the header row is frozen."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook

from ...models import WhatIfRun
from ..exports import Column, Sheet
from ..exports.table import Kind
from ..exports.xlsx_writer import add_sheet

if TYPE_CHECKING:
    from .runs import ComparePage

PERCENT = "0.0%"


def _solver(run: WhatIfRun) -> dict[str, Any]:
    return dict((run.result or {}).get("policies", {}).get("solver", {}))


def change_text(run: WhatIfRun) -> str:
    """The changes in words (Danish), e.g. "FL +2 sagsbehandlere; KH 120 % tid"."""
    parts = []
    for u in run.changes.get("units", []):
        bits = []
        if u["caseworkers"]:
            bits.append(f"{u['caseworkers']:+d} sagsbehandlere")
        if u["hours_percent"] != 100:
            bits.append(f"{u['hours_percent']} % tid")
        bits.append(f"{u['group_callins']} fælles indkald/uge")
        parts.append(f"{u['code']}: " + ", ".join(bits))
    parts.append(
        f"rehabiliteringsteam {run.changes.get('rehab_meetings')} møder/uge × "
        f"{run.changes.get('rehab_capacity')} pladser"
    )
    return "; ".join(parts)


def _sheet(
    book: Workbook, title: str, head: list[str], rows: list[list[Any]], percent_cols: Sequence[int]
) -> None:
    """A sheet of ``rows`` under ``head``; the 1-based ``percent_cols`` hold shares."""
    columns = []
    for j, name in enumerate(head, start=1):
        values = [row[j - 1] for row in rows]
        kind: Kind
        if j in percent_cols:
            kind = "percent"
        elif any(isinstance(v, date) for v in values):
            kind = "date"
        else:
            kind = "auto"
        columns.append(Column(name, name, kind, 1, exact=True))
    add_sheet(book, Sheet(title, title, columns, rows), "da")


def _monday(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else value


def _ci(c: dict[str, Any]) -> list[Any]:
    return [c.get("mean"), c.get("lo"), c.get("hi")]


def to_xlsx(page: ComparePage, targets: Sequence[float]) -> bytes:
    done = [r for r in page.runs if r.result]
    book = Workbook()
    book.remove(book.worksheets[0])
    summary = []
    for r in done:
        result = r.result or {}
        today = result["policies"].get("today", {}).get("all", {})
        summary.append(
            [
                r.name,
                *_ci(_solver(r)["all"]),
                today.get("mean"),
                _solver(r)["due_per_run"],
                result["seeds"],
                result["weeks"],
                change_text(r),
            ]
        )
    _sheet(
        book,
        "Oversigt",
        [
            "Beregning",
            "Til tiden (planlægger)",
            "95 % fra",
            "95 % til",
            "Til tiden (i dag: først til mølle)",
            "Samtaler med frist",
            "Kørsler",
            "Uger",
            "Ændringer",
        ],
        summary,
        (2, 3, 4, 5),
    )
    weekly = []
    for r in done:
        for w, (c, due) in enumerate(
            zip(_solver(r)["weekly"], _solver(r)["weekly_due"], strict=True)
        ):
            starts = (r.result or {}).get("week_starts") or []
            weekly.append([r.name, w + 1, _monday(starts[w]) if w < len(starts) else None,
                           *_ci(c), due])
    _sheet(
        book,
        "Uge for uge",
        ["Beregning", "Uge", "Mandag", "Til tiden", "95 % fra", "95 % til", "Samtaler med frist"],
        weekly,
        (4, 5, 6),
    )
    units = [
        [r.name, code, page.unit_names.get(code, code), *_ci(c), c.get("due")]
        for r in done
        for code, c in _solver(r)["units"].items()
    ]
    _sheet(
        book,
        "Enheder",
        ["Beregning", "Enhed", "Navn", "Til tiden", "95 % fra", "95 % til", "Samtaler med frist"],
        units,
        (4, 5, 6),
    )
    groups = [
        [r.name, page.group_labels.get(g, (g, g))[0], *_ci(c), c.get("due")]
        for r in done
        for g, c in _solver(r)["groups"].items()
    ]
    _sheet(
        book,
        "Målgrupper",
        ["Beregning", "Målgruppe", "Til tiden", "95 % fra", "95 % til", "Samtaler med frist"],
        groups,
        (3, 4, 5),
    )
    _sheet(book, "Mål", ["Mål (andel til tiden)"], [[t] for t in targets], (1,))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
