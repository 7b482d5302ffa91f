"""What every kind shares: the columns a file must and may have, a row whose refused cells are
collected, the file's duplicate keys, and the context (session, keys, today, settings)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import Table as DbTable
from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session

from ...settings import Settings
from ..law.context import LawConfig
from ..security import cpr_digest
from .cells import CellError
from .result import ImportResult, RowError
from .table import Cell, Table

T = TypeVar("T")

#: A kind's writer: does the planned writes (in the caller's transaction) and returns the ids
#: of the citizens whose obligations must be recomputed.
Writer = Callable[[Session], set[int]]


@dataclass(frozen=True)
class Columns:
    """A kind's documented columns (normalised names; see :func:`.table.normalise`)."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return self.required + self.optional


@dataclass
class Context:
    session: Session
    settings: Settings
    today: date
    _digests: dict[str, str] = field(default_factory=dict)

    @property
    def law(self) -> LawConfig:
        return LawConfig.from_settings(self.settings)

    def digest(self, number: str) -> str:
        """The keyed hash of a valid, compact CPR number (under the current key)."""
        found = self._digests.get(number)
        if found is None:
            found = cpr_digest(number, self.settings.security.cpr_hash_key)
            self._digests[number] = found
        return found


def check_columns(table: Table, columns: Columns, result: ImportResult) -> bool:
    """Report each missing or unknown column (row 1, the header); True when there is none."""
    ok = True
    for name in columns.required:
        if name not in table.columns:
            result.errors.append(RowError(1, name, "missing_column"))
            ok = False
    known = ", ".join(columns.all)
    for name in table.columns:
        if name not in columns.all:
            result.errors.append(RowError(1, name, "unknown_column", {"allowed": known}))
            ok = False
    return ok


class Row:
    """One data row: cells are taken through parsers, and each refusal is recorded with the
    row number and column (``bad`` is then set)."""

    def __init__(self, number: int, cells: dict[str, Cell], result: ImportResult) -> None:
        self.number = number
        self.cells = cells
        self.result = result
        self.bad = False

    def has(self, column: str) -> bool:
        """The file has this column (an absent optional column leaves the field alone)."""
        return column in self.cells

    def take(self, column: str, parse: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        try:
            return parse(self.cells.get(column), *args, **kwargs)
        except CellError as err:
            self.fail(column, err.code, **err.params)
            return None

    def fail(self, column: str, code: str, **params: Any) -> None:
        self.result.errors.append(RowError(self.number, column, code, params))
        self.bad = True


def rows(table: Table, result: ImportResult) -> Iterator[Row]:
    """The table's data rows (a row with more cells than headers is refused here)."""
    result.rows = len(table.rows)
    for number, cells in table.rows:
        row = Row(number, cells, result)
        if cells.pop("", None) is not None:
            row.fail("", "extra_cells")
        yield row


class Seen:
    """Keys met so far in the file: a second row with the same key is a duplicate."""

    def __init__(self) -> None:
        self._first: dict[object, int] = {}

    def repeat(self, row: Row, key: object, column: str) -> bool:
        """True (and the row refused) when ``key`` was on an earlier row."""
        first = self._first.setdefault(key, row.number)
        if first != row.number:
            row.fail(column, "duplicate_row", first=first)
            return True
        return False


def bulk_insert(session: Session, table: DbTable, rows: list[dict[str, Any]]) -> None:
    """Insert many rows that all set the same columns (every column without a database
    default must be among them): PostgreSQL takes them by ``COPY``, the fastest way in; other
    databases by one ``executemany`` per batch."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        for part in chunks(rows, 10_000):
            connection.execute(insert(table), part)
        return
    columns = list(rows[0])
    driver = connection.connection.driver_connection
    assert driver is not None
    names = ", ".join(f'"{c}"' for c in columns)
    with driver.cursor() as cursor, cursor.copy(
            f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([_copy_value(row[c]) for c in columns])


def update_by_id(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """ORM bulk updates by primary key, one ``executemany`` per set of changed columns."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    for group in groups.values():
        session.execute(update(model), group)


def bulk_update(session: Session, table: DbTable, rows: list[dict[str, Any]]) -> None:
    """Update many rows by ``id``, each setting the same columns: on PostgreSQL one ``COPY``
    into a scratch table and one ``UPDATE … FROM``; elsewhere one ``executemany``."""
    if not rows:
        return
    columns = [c for c in rows[0] if c != "id"]
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        statement = (update(table).where(table.c.id == bindparam("row_id"))
                     .values({c: bindparam(c) for c in columns}))
        connection.execute(statement, [
            {"row_id": row["id"], **{c: row[c] for c in columns}} for row in rows])
        return
    driver = connection.connection.driver_connection
    assert driver is not None
    names = ", ".join(f'"{c}"' for c in ["id", *columns])
    scratch = f"import_{table.name}"
    with driver.cursor() as cursor:
        cursor.execute(f'CREATE TEMP TABLE "{scratch}" ON COMMIT DROP AS '
                       f'SELECT {names} FROM "{table.name}" WITH NO DATA')
        with cursor.copy(f'COPY "{scratch}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([_copy_value(row[c]) for c in ["id", *columns]])
        sets = ", ".join(f'"{c}" = s."{c}"' for c in columns)
        cursor.execute(f'UPDATE "{table.name}" AS t SET {sets} FROM "{scratch}" AS s '
                       "WHERE t.id = s.id")
        cursor.execute(f'DROP TABLE "{scratch}"')


def _copy_value(value: Any) -> Any:
    """A value as COPY takes it: an enum as its text, a list (a JSON column) as JSON."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | dict):
        return json.dumps(value)
    return value


def chunks(items: list[T], size: int = 900) -> Iterator[list[T]]:
    """Slices small enough for an ``IN (…)`` list on every database."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
