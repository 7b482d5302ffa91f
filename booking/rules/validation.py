"""Pydantic plumbing for rule-set files: reusable checks and errors that name the key path.

The schema itself is :mod:`booking.rules.schema`. This module holds what every table there uses:

* :func:`problem` -- the error a cross-field check raises, naming the key it is about (relative
  to the table being checked), so the report points at ``requirements[1].id``, not at the table;
* :func:`invalid` -- the error of a check on one value; :func:`one_of`, :func:`non_blank`,
  :func:`distinct` -- such checks, for ``Annotated`` types;
* :func:`rule_set_error` -- a :class:`pydantic.ValidationError` turned into one
  :class:`RuleSetError` whose ``path`` is the TOML key path of the first problem
  (``groups.cash_benefit.requirements[0].count``) and which lists every problem found.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from typing import TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from .model import RuleSetError

T = TypeVar("T")

#: Error type of the problems raised by the schema's own checks (see :func:`problem`).
PROBLEM = "rule_set"

#: Our wording for pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/).
_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "unknown key (misspelt?)",
    "int_type": "must be an integer, got {input}",
    "string_type": "must be a string, got {input}",
    "bool_type": "must be true or false, got {input}",
    "list_type": "must be an array, got {input}",
    "date_type": "must be a date (YYYY-MM-DD), got {input}",
    "dict_type": "must be a table, got {input}",
    "model_type": "must be a table, got {input}",
    "greater_than_equal": "must be at least {ge}, got {input}",
    "greater_than": "must be greater than {gt}, got {input}",
    "less_than_equal": "must be at most {le}, got {input}",
    "less_than": "must be less than {lt}, got {input}",
    "float_type": "must be a number, got {input}",
    "too_short": "must not be empty",
}


def problem(at: str | tuple[str | int, ...], message: str) -> PydanticCustomError:
    """The error of a check on a whole table, about the key ``at`` of that table."""
    at = (at,) if isinstance(at, str) else at
    return PydanticCustomError(PROBLEM, "{message}", {"message": message, "at": at})


def invalid(message: str) -> PydanticCustomError:
    """The error of a check on one value."""
    return problem((), message)


def one_of(allowed: Sequence[str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in allowed:
            raise invalid(f"must be one of {list(allowed)}, got {value!r}")
        return value

    return check


def non_blank(value: str) -> str:
    if not value.strip():
        raise invalid("must not be empty")
    return value


def distinct(values: list[T]) -> list[T]:
    if len(set(values)) != len(values):
        raise invalid("must not repeat a value")
    return values


def key_path(loc: Sequence[str | int]) -> str:
    """``("groups", "cash_benefit", "requirements", 0, "count")`` → ``groups.cash_benefit
    .requirements[0].count`` (pydantic's ``[key]`` marker for a bad dict key is dropped)."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part != "[key]":
            path += f".{part}" if path else part
    return path


def rule_set_error(exc: ValidationError, source: str) -> RuleSetError:
    """One :class:`RuleSetError` for all problems; ``path``/``message`` are the first one's."""
    problems = [_problem(err) for err in exc.errors()]
    (path, message), *more = problems
    return RuleSetError(message, path=path, source=source, more=more)


def _problem(err: ErrorDetails) -> tuple[str, str]:
    loc: tuple[str | int, ...] = err["loc"]
    ctx = err.get("ctx", {})
    if err["type"] == PROBLEM:
        return key_path((*loc, *ctx.get("at", ()))), str(ctx["message"])
    template = _MESSAGES.get(err["type"])
    if template is None:
        return key_path(loc), err["msg"]
    return key_path(loc), template.format(input=_shown(err["input"]), **ctx)


def _shown(value: object) -> str:
    """A value as the rule-set author wrote it, roughly (TOML spelling, kept short)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, dict):
        return "a table"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
