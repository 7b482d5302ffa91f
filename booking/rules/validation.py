"""Typed, path-aware access to parsed TOML tables (used by :mod:`booking.rules.loader`).

Every accessor raises :class:`RuleSetError` naming the full key path of the offending value, and
:meth:`Table.finish` rejects keys nobody read, so a misspelt key is an error, not a default.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .dates import UNITS, Offset
from .model import RuleSetError


class Table:
    """Typed access to one TOML table that remembers its key path and which keys were read."""

    def __init__(self, data: Any, path: str, source: str) -> None:
        if not isinstance(data, dict):
            raise RuleSetError("must be a table", path=path, source=source)
        self.data = data
        self.path = path
        self.source = source
        self.seen: set[str] = set()

    def key_path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, message: str) -> RuleSetError:
        return RuleSetError(message, path=self.key_path(key), source=self.source)

    def has(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str, kind: type | tuple[type, ...], *, required: bool = False) -> Any:
        self.seen.add(key)
        if key not in self.data:
            if required:
                raise self.error(key, "is required")
            return None
        value = self.data[key]
        # bool is an int in Python and datetime a date: keep TOML's types apart.
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if (isinstance(value, bool) and bool not in kinds) or (
            isinstance(value, datetime) and datetime not in kinds
        ):
            raise self.error(key, f"must be {_names(kinds)}, got {value!r}")
        if not isinstance(value, kinds):
            raise self.error(key, f"must be {_names(kinds)}, got {value!r}")
        return value

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self.get(key, str, required=required)
        if value is None:
            return default
        if required and not value.strip():
            raise self.error(key, "must not be empty")
        return value

    def integer(self, key: str, *, minimum: int = 0, default: int | None = None) -> int | None:
        value = self.get(key, int)
        if value is None:
            return default
        if value < minimum:
            raise self.error(key, f"must be at least {minimum}, got {value}")
        return value

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.get(key, str)
        if value is None:
            return default
        if value not in allowed:
            raise self.error(key, f"must be one of {list(allowed)}, got {value!r}")
        return value

    def choices(self, key: str, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
        value = self.get(key, list)
        if value is None:
            return None
        for index, item in enumerate(value):
            if item not in allowed:
                raise RuleSetError(
                    f"must be one of {list(allowed)}, got {item!r}",
                    path=f"{self.key_path(key)}[{index}]",
                    source=self.source,
                )
        if len(set(value)) != len(value):
            raise self.error(key, "must not repeat a value")
        return tuple(value)

    def offset(self, family: str) -> Offset | None:
        """Read ``<family>_days`` / ``<family>_weeks`` / ``<family>_months`` (at most one)."""
        keys = {f"{family}_{unit}": unit for unit in UNITS}
        found = [keys[key] for key in self.data if key in keys]  # in file order
        if len(found) > 1:
            given = ", ".join(f"{family}_{unit}" for unit in found)
            raise self.error(f"{family}_{found[1]}", f"give only one of {given}")
        if not found:
            return None
        key = f"{family}_{found[0]}"
        amount = self.integer(key, minimum=0)
        assert amount is not None
        return Offset(amount, found[0])

    def table(self, key: str) -> Table | None:
        value = self.get(key, dict)
        return None if value is None else Table(value, self.key_path(key), self.source)

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            raise self.error(unknown[0], "unknown key (misspelt?)")


def _names(kinds: tuple[type, ...]) -> str:
    words = {str: "a string", int: "an integer", bool: "true or false", list: "an array",
             dict: "a table", date: "a date (YYYY-MM-DD)"}
    return " or ".join(words.get(k, k.__name__) for k in kinds)
