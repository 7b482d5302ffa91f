"""Importing a job centre from files: units, caseworkers, citizens, programmes, conversation
history and absences, from CSV or XLSX (format: ``docs/import.md``).

:func:`run_import` reads the whole file, checks every row, and only when no row is refused (and
it is not a dry run) writes everything in one transaction with bulk statements, recomputes the
obligations of the citizens whose programmes or history changed, and audits the run. Importing
the same file again changes nothing: rows are matched on the CPR hash or the external ids.
"""

from __future__ import annotations

from .result import ImportResult, RowError
from .run import COLUMNS, KINDS, Actor, ImportError_, run_import

__all__ = ["COLUMNS", "KINDS", "Actor", "ImportError_", "ImportResult", "RowError", "run_import"]
