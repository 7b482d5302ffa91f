"""One cell's text (or XLSX value) into a value, or a :class:`CellError` code saying why not.

Dates are ``dd-mm-åååå`` (also with ``.`` or ``/``) or ``åååå-mm-dd``; a time of day may follow
(``08:30``). Yes/no is ``ja``/``nej`` (also ``j``/``n``, ``1``/``0``, ``x``/blank). Choices
are matched without regard to case.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import date, datetime, time

from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError

from ..bounds import FIRST_DAY, LAST_DAY
from ..errors import ServiceError
from .table import Cell

_DMY = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
YES = frozenset({"ja", "j", "1", "x", "yes", "true", "sand"})
NO = frozenset({"nej", "n", "0", "no", "false", "falsk"})


class CellError(ServiceError):
    """A refused cell. Codes: ``required``, ``too_long`` (``most``), ``control_characters``,
    ``bad_date`` (``value``), ``date_out_of_range`` (``first``, ``last``), ``bad_time``
    (``value``), ``bad_yes_no`` (``value``), ``bad_number`` (``value``, ``least``, ``most``),
    ``bad_choice`` (``value``, ``allowed``), ``bad_cpr_length`` / ``bad_cpr_format`` /
    ``bad_cpr_date`` (the number itself is never put in a message)."""


def text(cell: Cell) -> str:
    """The cell as trimmed text ("" for empty)."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.strftime("%d-%m-%Y %H:%M")
    if isinstance(cell, date):
        return cell.strftime("%d-%m-%Y")
    return str(cell).strip()


def required(cell: Cell) -> str:
    value = text(cell)
    if not value:
        raise CellError("required")
    return value


def string(cell: Cell, most: int, *, needed: bool = True) -> str | None:
    """Text of at most ``most`` characters; ``None`` for an empty optional cell."""
    value = required(cell) if needed else text(cell)
    if not value:
        return None
    if len(value) > most:
        raise CellError("too_long", most=most)
    if _CONTROL.search(value):
        raise CellError("control_characters")
    return value


def _within(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise CellError("date_out_of_range", first=FIRST_DAY, last=LAST_DAY)
    return day


def _date_text(value: str) -> date:
    match = _DMY.match(value)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        match = _YMD.match(value)
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    raise CellError("bad_date", value=value[:40])


def day(cell: Cell, *, needed: bool = True) -> date | None:
    """A date (``None`` for an empty optional cell)."""
    if isinstance(cell, datetime):
        return _within(cell.date())
    if isinstance(cell, date):
        return _within(cell)
    value = required(cell) if needed else text(cell)
    if not value:
        return None
    return _within(_date_text(value))


def moment(cell: Cell) -> tuple[date, time | None]:
    """A date with an optional time of day (``None``: none given)."""
    if isinstance(cell, datetime):
        at = cell.time().replace(second=0, microsecond=0)
        return _within(cell.date()), (None if at == time(0, 0) else at)
    if isinstance(cell, date):
        return _within(cell), None
    value = required(cell)
    parts = value.replace("T", " ").split()
    if len(parts) > 2:
        raise CellError("bad_date", value=value[:40])
    when = _within(_date_text(parts[0]))
    if len(parts) == 1:
        return when, None
    match = _TIME.match(parts[1])
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise CellError("bad_time", value=parts[1][:20])
    return when, time(int(match[1]), int(match[2]))


def yes_no(cell: Cell, default: bool = False) -> bool:
    value = text(cell).lower()
    if not value:
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    raise CellError("bad_yes_no", value=value[:40])


def number(cell: Cell, least: int, most: int) -> int | None:
    """A whole number from ``least`` to ``most`` (``None`` for empty)."""
    if isinstance(cell, int):
        value = cell
    else:
        raw = text(cell)
        if not raw:
            return None
        if not re.fullmatch(r"-?\d{1,9}", raw):
            raise CellError("bad_number", value=raw[:40], least=least, most=most)
        value = int(raw)
    if not least <= value <= most:
        raise CellError("bad_number", value=str(value), least=least, most=most)
    return value


def choice(cell: Cell, options: Mapping[str, str], shown: str, *, default: str | None = None
           ) -> str:
    """The code a cell's word stands for (``options``: lower-case word → code; ``shown``: the
    words to list in a message); empty gives ``default`` when there is one."""
    value = text(cell)
    if not value and default is not None:
        return default
    if not value:
        raise CellError("required")
    code = options.get(value.lower())
    if code is None:
        raise CellError("bad_choice", value=value[:40], allowed=shown)
    return code


def cpr_number(cell: Cell) -> str:
    """A valid CPR number, compact (10 digits). Excel drops the leading zero of a number cell;
    it is put back."""
    raw = f"{cell:010d}" if isinstance(cell, int) else required(cell)
    return _cpr(raw)


@functools.lru_cache(maxsize=65536)
def _cpr(raw: str) -> str:
    """A history file names each citizen many times: the check is made once per number."""
    compact = stdnum_cpr.compact(raw)
    if not compact:
        raise CellError("required")
    if not compact.isdigit():
        raise CellError("bad_cpr_format")
    if len(compact) != 10:
        raise CellError("bad_cpr_length")
    try:
        return str(stdnum_cpr.validate(compact))
    except ValidationError:
        raise CellError("bad_cpr_date") from None
