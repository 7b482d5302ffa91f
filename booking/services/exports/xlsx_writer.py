"""An .xlsx workbook that stores real values: dates as dates, numbers as numbers, shares as
fractions shown as percentages, each column with a number format, the header row bold and
frozen, an autofilter and column widths that fit the contents.

Times are stored as local wall-clock times (Excel has no time zones). Text that Excel would
take for a formula is stored as text (never run). Values are rounded to what the column shows,
so the sum of a column is the sum of what one sees.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..clock import zone
from .table import Column, Export, Sheet, Variant, rounded, yes_no

MIN_WIDTH, MAX_WIDTH = 8, 60
DATE_FORMAT = {"da": "dd-mm-yyyy", "en": "yyyy-mm-dd"}
DATETIME_FORMAT = {"da": "dd-mm-yyyy hh:mm", "en": "yyyy-mm-dd hh:mm"}


def number_format(column: Column, variant: Variant) -> str:
    """The Excel number format of a column (Excel shows the reader's own decimal sign)."""
    decimals = "." + "0" * column.digits if column.digits > 0 else ""
    return {
        "int": "#,##0",
        "decimal": "#,##0" + decimals,
        "percent": "0" + decimals + "%",
        "date": DATE_FORMAT[variant],
        "datetime": DATETIME_FORMAT[variant],
    }.get(column.kind, "@")


def cell_value(value: Any, column: Column, variant: Variant = "da") -> Any:
    """What the workbook stores for one value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return yes_no(value, variant)
    if column.kind == "int" and isinstance(value, int | float):
        return int(value)
    if column.kind in ("decimal", "percent") and isinstance(value, int | float):
        if column.exact:
            return float(value)
        return float(rounded(value, column.digits + (2 if column.kind == "percent" else 0)))
    if isinstance(value, datetime):
        local = value.astimezone(zone()) if value.tzinfo else value
        return local.replace(tzinfo=None, second=0, microsecond=0)
    if isinstance(value, date):
        return value
    if column.kind == "auto" and isinstance(value, int | float):
        return value
    return str(value)


def _auto_format(stored: Any, variant: Variant) -> str:
    if isinstance(stored, datetime):
        return DATETIME_FORMAT[variant]
    if isinstance(stored, date):
        return DATE_FORMAT[variant]
    return "@" if isinstance(stored, str) else "General"


def _title(text: str) -> str:
    """A legal sheet name (at most 31 characters, none of []:*?/\\)."""
    for bad in "[]:*?/\\":
        text = text.replace(bad, " ")
    return text[:31] or "Ark"


def _shown_width(value: Any, column: Column) -> int:
    if value is None:
        return 0
    if column.kind in ("date",):
        return 10
    if column.kind == "datetime":
        return 16
    if column.kind in ("int", "decimal", "percent") or (
            column.kind == "auto" and isinstance(value, int | float)):
        return len(f"{value:,.{column.digits}f}") + 2
    return max(len(line) for line in str(value).splitlines() or [""])


def add_sheet(book: Workbook, sheet: Sheet, variant: Variant) -> Worksheet:
    ws: Worksheet = book.create_sheet(_title(sheet.title(variant)))
    for j, column in enumerate(sheet.columns, start=1):
        head = ws.cell(row=1, column=j, value=column.header(variant))
        head.data_type = "s"
        head.font = Font(bold=True)
    formats = [number_format(c, variant) for c in sheet.columns]
    for i, row in enumerate(sheet.rows, start=2):
        for j, (value, column) in enumerate(zip(row, sheet.columns, strict=True), start=1):
            stored = cell_value(value, column, variant)
            cell = ws.cell(row=i, column=j)
            cell.value = stored
            if isinstance(stored, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
            cell.number_format = formats[j - 1]
            if column.kind == "auto":
                cell.number_format = _auto_format(stored, variant)
    for j, column in enumerate(sheet.columns, start=1):
        widest = max([len(column.header(variant)),
                      *(_shown_width(row[j - 1], column) for row in sheet.rows)])
        ws.column_dimensions[get_column_letter(j)].width = min(MAX_WIDTH,
                                                                 max(MIN_WIDTH, widest + 2))
    ws.freeze_panes = "A2"
    if sheet.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{len(sheet.rows) + 1}"
    return ws


def write_xlsx(export: Export, variant: Variant = "da") -> bytes:
    """All the export's sheets as an .xlsx workbook."""
    book = Workbook()
    book.remove(book.worksheets[0])
    for sheet in export.sheets:
        add_sheet(book, sheet, variant)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
