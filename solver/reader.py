"""Reading JSON values with one `path: message` problem line per mistake."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LOCAL_RE = re.compile(r"(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2})?")

MISSING = object()


class Reader:
    """Collects problems while reading values; every getter returns None on a problem."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._dates: dict[str, dt.date] = {}

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def get(self, obj: dict[str, Any], key: str, path: str, required: bool) -> Any:
        value = obj.get(key, MISSING)
        if value is MISSING:
            if required:
                self.fail(f"{path}.{key}" if path else key, "missing")
            return MISSING
        return value

    def text(self, value: Any, path: str) -> str | None:
        if not isinstance(value, str) or not value:
            self.fail(path, "not a non-empty string")
            return None
        return value

    def integer(self, value: Any, path: str, minimum: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, "not an integer")
            return None
        if isinstance(value, float):
            if not value.is_integer():
                self.fail(path, "not an integer")
                return None
            value = int(value)
        if value < minimum:
            self.fail(path, f"{value} is out of range (must be ≥ {minimum})")
            return None
        return value

    def number(self, value: Any, path: str, check: Callable[[float], bool],
               rng: str) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, "not a number")
            return None
        value = float(value)
        if not math.isfinite(value) or not check(value):
            self.fail(path, f"{value:g} is out of range (must be {rng})")
            return None
        return value

    def boolean(self, value: Any, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.fail(path, "not true or false")
            return None
        return value

    def date(self, value: Any, path: str) -> dt.date | None:
        if isinstance(value, str):
            cached = self._dates.get(value)
            if cached is not None:
                return cached
            if _DATE_RE.fullmatch(value):
                try:
                    parsed = dt.date.fromisoformat(value)
                except ValueError:
                    pass
                else:
                    self._dates[value] = parsed
                    return parsed
        self.fail(path, "not a date")
        return None

    def local_date(self, value: Any, path: str, zone: ZoneInfo | None) -> dt.date | None:
        """Calendar date (in the instance zone) of a `YYYY-MM-DDTHH:MM` time."""
        if isinstance(value, str):
            match = _LOCAL_RE.fullmatch(value)
            if match:
                try:
                    dt.datetime.fromisoformat(value)
                except ValueError:
                    pass
                else:
                    return self.date(match.group(1), path)
            try:  # an explicit offset is converted into the instance zone
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                moment = None
            if moment is not None and moment.tzinfo is not None and zone is not None:
                return moment.astimezone(zone).date()
        self.fail(path, "not a local time (YYYY-MM-DDTHH:MM)")
        return None

    def items(self, data: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.fail(key, "not a list")
            return []
        out = []
        for i, item in enumerate(value):
            path = f"{key}[{i}]"
            if not isinstance(item, dict):
                self.fail(path, "not an object")
            else:
                out.append((path, item))
        return out

    def unique_id(self, item: dict[str, Any], path: str, seen: dict[str, str]) -> str | None:
        raw = self.get(item, "id", path, True)
        if raw is MISSING:
            return None
        ident = self.text(raw, f"{path}.id")
        if ident is None:
            return None
        if ident in seen:
            self.fail(f"{path}.id", f"duplicate id {ident!r} (first in {seen[ident]})")
            return None
        seen[ident] = path
        return ident

    def ref(self, item: dict[str, Any], key: str, path: str, known: dict[str, Any],
            what: str) -> str | None:
        raw = self.get(item, key, path, True)
        if raw is MISSING:
            return None
        ident = self.text(raw, f"{path}.{key}")
        if ident is not None and ident not in known:
            self.fail(f"{path}.{key}", f"unknown {what} {ident!r}")
            return None
        return ident

    def opt(self, item: dict[str, Any], key: str, path: str, read: Callable[[Any, str], Any],
            default: Any) -> Any:
        raw = item.get(key, MISSING)
        if raw is MISSING or raw is None:
            return default
        return read(raw, f"{path}.{key}")


def required_date(r: Reader, item: dict[str, Any], key: str, path: str) -> dt.date | None:
    raw = r.get(item, key, path, True)
    return None if raw is MISSING else r.date(raw, f"{path}.{key}")


def choice(r: Reader, options: tuple[str, ...]) -> Callable[[Any, str], str | None]:
    def read(value: Any, path: str) -> str | None:
        if value in options:
            return value
        r.fail(path, f"not one of {', '.join(options)}")
        return None

    return read


def channels(r: Reader) -> Callable[[Any, str], frozenset[str] | None]:
    from .problem import CHANNELS
    def read(value: Any, path: str) -> frozenset[str] | None:
        if not isinstance(value, list):
            r.fail(path, "not a list")
            return None
        ok = True
        for i, channel in enumerate(value):
            if channel not in CHANNELS:
                r.fail(f"{path}[{i}]", f"not one of {', '.join(CHANNELS)}")
                ok = False
        return frozenset(value) if ok else None

    return read
