"""Cursor pages: rows in id order, ``limit`` at a time; the cursor is opaque to the client
(URL-safe base64 of the last id on the page), so that rows added meanwhile never shift a page
the way an offset would."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ..errors import ServiceError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_PREFIX = "id:"
_MAX_ID = 2**31 - 1

T = TypeVar("T")


class CursorError(ServiceError):
    """The cursor is not one this API gave out."""

    def __init__(self) -> None:
        super().__init__("bad_cursor")


def encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{last_id}".encode()).decode().rstrip("=")


def decode(cursor: str | None) -> int:
    """The id after which the page starts (0 for the first page)."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        raise CursorError() from None
    number = text[len(_PREFIX):]
    if not text.startswith(_PREFIX) or not number.isdigit() or len(number) > 10:
        raise CursorError()
    value = int(number)
    if value > _MAX_ID:
        raise CursorError()
    return value


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    next_cursor: str | None


def page(session: Session, stmt: Select[Any], id_column: InstrumentedAttribute[int],
         cursor: str | None, limit: int) -> Page[Any]:
    """One page of ``stmt`` (a select of one entity) after ``cursor``, ordered by
    ``id_column``."""
    after = decode(cursor)
    limit = max(1, min(limit, MAX_LIMIT))
    rows = list(session.scalars(stmt.where(id_column > after).order_by(id_column)
                                .limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode(int(getattr(rows[-1], "id"))) if more and rows else None)  # noqa: B009
