"""Numbers from a query string or a form that reach the database: bounded before they do.

Route ids are bounded by the ``DatabaseId`` converter (booking/web.py); these are for ids and
counts read with ``request.args.get(..., type=database_id)`` or a WTForms field, so that a value
PostgreSQL's ``integer`` (or SQLite's 64-bit integer) cannot hold is refused like any other
unusable value instead of reaching a query. Dates: see booking/services/bounds.py.
"""

from __future__ import annotations

from flask_babel import gettext
from wtforms import Field, Form
from wtforms.validators import NumberRange, ValidationError

from ..services.bounds import FIRST_DAY, LAST_DAY, within

MAX_ID = 2**31 - 1  # PostgreSQL ``integer``: every id and count column


def database_id(raw: str) -> int:
    """An id of 1 … 2³¹−1; ``ValueError`` otherwise (``request.args.get`` then gives its
    default, a WTForms ``coerce`` marks the field invalid)."""
    value = int(raw)
    if not 1 <= value <= MAX_ID:
        raise ValueError(raw)
    return value


def id_range() -> NumberRange:
    """The WTForms validator for an id field."""
    return NumberRange(1, MAX_ID)


def outside_calendar(value: str) -> str:
    """The message for a date outside the years the service works in."""
    return gettext(
        "Datoen %(value)s ligger uden for de år, tjenesten arbejder med "
        "(%(first)s–%(last)s). Ret den, og prøv igen.",
        value=value.strip()[:40],
        first=FIRST_DAY.year,
        last=LAST_DAY.year,
    )


class InCalendar:
    """WTForms validator for a date field: a date within the service's years (a pause ending
    in 9999 would overflow every deadline computed from it)."""

    field_flags: dict[str, bool] = {}

    def __call__(self, form: Form, field: Field) -> None:
        if field.data is not None and not within(field.data):
            raise ValidationError(outside_calendar(field.data.isoformat()))
