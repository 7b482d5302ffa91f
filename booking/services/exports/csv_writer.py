"""CSV that opens right in a spreadsheet.

The Danish variant (the default) is what Danish Excel expects when a file is double-clicked:
``;`` between fields, a decimal comma, dates as ``dd-mm-åååå``, UTF-8 with a byte-order mark
(else Excel reads æ, ø and å as two characters each) and CRLF line ends. The English variant
uses ``,``, a decimal point and ISO dates (``åååå-mm-dd``). Shares are written as percentages
(``82,3``; the header says ``(%)``). Text that a spreadsheet would run as a formula is
defused (:func:`.table.guard`). Times are local (the configured zone).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

from ..clock import zone
from .table import Column, Sheet, Variant, guard, rounded, yes_no

BOM = "\ufeff"


def _number(value: float, digits: int, variant: Variant) -> str:
    text = f"{rounded(value, digits):f}"
    return text.replace(".", ",") if variant == "da" else text


def cell_text(value: Any, column: Column, variant: Variant) -> str:
    """One value as the CSV variant writes it ("" for None)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value, variant)
    if column.kind == "int" and isinstance(value, int | float):
        return str(int(value))
    if column.kind == "decimal" and isinstance(value, int | float):
        return _number(float(value), column.digits, variant)
    if column.kind == "percent" and isinstance(value, int | float):
        return _number(100 * float(value), column.digits, variant)
    if column.kind == "auto" and isinstance(value, int):
        return str(value)
    if column.kind == "auto" and isinstance(value, float):
        return repr(value).replace(".", ",") if variant == "da" else repr(value)
    if isinstance(value, datetime):
        local = value.astimezone(zone()) if value.tzinfo else value
        return local.strftime("%d-%m-%Y %H:%M" if variant == "da" else "%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y") if variant == "da" else value.isoformat()
    return guard(str(value))


def header_text(column: Column, variant: Variant) -> str:
    head = column.header(variant)
    return f"{head} (%)" if column.kind == "percent" and not head.endswith("(%)") else head


def write_csv(sheet: Sheet, variant: Variant = "da") -> bytes:
    """The sheet as CSV bytes (UTF-8 with BOM, CRLF), Danish or English variant."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";" if variant == "da" else ",",
                        lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([guard(header_text(c, variant)) for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([cell_text(v, c, variant) for v, c in zip(row, sheet.columns,
                                                                   strict=True)])
    return (BOM + buffer.getvalue()).encode("utf-8")
