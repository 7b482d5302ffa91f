"""Spreadsheet exports for staff: CSV that opens right in Danish Excel (``;``, decimal comma,
``dd-mm-åååå``, UTF-8 with BOM, CRLF; an English variant with ``,`` and ISO dates) and .xlsx
workbooks with real dates and numbers, from one description of the rows (:mod:`.table`).

Sources: the caseworker's weekly list, the central-booking list and the conversation plan
(:mod:`.lists`), the manager's indicator (:mod:`.indicator`); the rehabilitation-team scenarios
and the what-if comparisons write through the same writers.
"""

from __future__ import annotations

from .csv_writer import write_csv
from .table import FORMATS, VARIANTS, Column, Export, Format, Sheet, Variant, guard, slug
from .xlsx_writer import write_xlsx

CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render(export: Export, fmt: Format, variant: Variant = "da") -> tuple[bytes, str, str]:
    """(the file's bytes, its media type, its file name) in ``fmt`` and ``variant``; a CSV
    file holds the export's first sheet."""
    if fmt == "csv":
        return write_csv(export.sheets[0], variant), CSV_MIMETYPE, export.filename(fmt, variant)
    return write_xlsx(export, variant), XLSX_MIMETYPE, export.filename(fmt, variant)


__all__ = ["CSV_MIMETYPE", "FORMATS", "VARIANTS", "XLSX_MIMETYPE", "Column", "Export", "Format",
           "Sheet", "Variant", "guard", "render", "slug", "write_csv", "write_xlsx"]
