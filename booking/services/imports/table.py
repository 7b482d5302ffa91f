"""An uploaded file as a table: a header row and the data rows, each with its row number.

CSV comes as Danish Excel saves it (``;``-separated) or with ``,`` or tabs (the separator is
the one the header row uses most), in UTF-8 with or without a byte-order mark; a file that is
not UTF-8 is read as Windows-1252 (Excel's "CSV (semikolonsepareret)"). XLSX is read from its
first sheet with openpyxl; real date cells stay dates, whole numbers lose their ".0", and a CPR
number that Excel stored as a number gets its leading zero back (the kinds do that).

Row numbers are the spreadsheet's: the header is row 1, the first data row is row 2. Blank rows
are skipped but still counted, so a number always points at the row a person sees.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import ServiceError

MAX_BYTES = 64 * 1024 * 1024  # a 100,000-row history file is about 6 MB
MAX_ROWS = 500_000
SEPARATORS = (";", ",", "\t")

Cell = str | date | int | None


class FileError(ServiceError):
    """The file cannot be read as a table; nothing was changed. Codes: ``empty_file``,
    ``too_large`` (``most``: megabytes), ``too_many_rows`` (``most``), ``not_a_table``
    (neither CSV text nor an XLSX workbook), ``no_header``, ``blank_column`` (``column``: its
    position), ``duplicate_column`` (``column``)."""


@dataclass
class Table:
    """Normalised column names in file order and the non-blank data rows."""

    columns: list[str]
    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)
    format: str = "csv"  # "csv" or "xlsx"


def normalise(name: str) -> str:
    """A header as the kinds know it: lower case, trimmed, inner spaces and hyphens as ``_``."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def read_table(data: bytes, filename: str = "") -> Table:
    """The table in ``data`` (XLSX when it is a zip file or named .xlsx, else CSV)."""
    if not data:
        raise FileError("empty_file")
    if len(data) > MAX_BYTES:
        raise FileError("too_large", most=MAX_BYTES // (1024 * 1024))
    if data[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        rows, fmt = _xlsx_rows(data), "xlsx"
    else:
        rows, fmt = _csv_rows(data), "csv"
    return _table(rows, fmt)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise FileError("not_a_table")
    return text


def _csv_rows(data: bytes) -> list[list[Cell]]:
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    separator = max(SEPARATORS, key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        return [list(row) for row in reader]
    except csv.Error:
        raise FileError("not_a_table") from None


def _xlsx_rows(data: bytes) -> list[list[Cell]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileError("not_a_table") from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise FileError("no_header")
        return [[_xlsx_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _xlsx_cell(value: Any) -> Cell:
    if value is None:
        return None
    if isinstance(value, date):  # a datetime too (absences keep the time of day)
        return value
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else str(value).replace(".", ",")
    return str(value)


def _blank(row: list[Cell]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in row)


def _table(raw: list[list[Cell]], fmt: str) -> Table:
    start = next((i for i, row in enumerate(raw) if not _blank(row)), None)
    if start is None:
        raise FileError("no_header")
    header = raw[start]
    while header and (header[-1] is None or str(header[-1]).strip() == ""):
        header = header[:-1]  # Excel pads rows with empty cells on the right
    columns: list[str] = []
    for position, cell in enumerate(header, start=1):
        name = normalise(str(cell)) if cell is not None else ""
        if not name:
            raise FileError("blank_column", column=position)
        if name in columns:
            raise FileError("duplicate_column", column=name)
        columns.append(name)
    table = Table(columns, format=fmt)
    width = len(columns)
    texts = fmt == "csv"  # every CSV cell is a string: the quick tests below suffice
    for offset, row in enumerate(raw[start + 1 :], start=start + 2):
        if (not "".join(row).strip()) if texts else _blank(row):  # type: ignore[arg-type]
            continue
        if len(table.rows) >= MAX_ROWS:
            raise FileError("too_many_rows", most=MAX_ROWS)
        cells: dict[str, Cell] = {
            name: cell.strip() if isinstance(cell, str) else cell
            for name, cell in zip(columns, row, strict=False)
        }
        if len(row) > width and not _blank(row[width:]):
            cells[""] = "extra"  # more cells than headers: the kinds report it
        table.rows.append((offset, cells))
    return table
