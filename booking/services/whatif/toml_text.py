"""A small TOML writer for scenario files (no TOML writer is a dependency of the app).

Tables become ``[section]`` headers, top-level lists of tables ``[[section]]``, nested tables
whose values are all scalars inline tables; lists of tables inside a table become arrays of
tables when one of them holds a list or table, else inline arrays. What ``tomllib.loads``
reads back is the dict written (dates stay dates).
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from typing import Any

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(key: str) -> str:
    return key if _BARE.match(key) else json.dumps(key, ensure_ascii=False)


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | date)


def _flat(value: Any) -> bool:
    """A table whose values are all scalars or lists of scalars (written inline)."""
    return isinstance(value, dict) and all(
        _scalar(v) or (isinstance(v, list) and all(_scalar(x) for x in v)) for v in value.values()
    )


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _scalars(value: Any) -> bool:
    return isinstance(value, dict) and all(_scalar(v) for v in value.values())


def _inline(value: Any) -> bool:
    """Scalars, lists of scalars, flat tables, and lists of tables of scalars only."""
    if _scalar(value) or _flat(value):
        return True
    return isinstance(value, list) and all(_scalar(v) or _scalars(v) for v in value)


def _table(lines: list[str], path: str, table: dict[str, Any], array: bool) -> None:
    lines.append(f"\n[[{path}]]" if array else f"\n[{path}]")
    _body(lines, path, table)


def _body(lines: list[str], path: str, table: dict[str, Any]) -> None:
    later = []
    for key, value in table.items():
        if value is None:
            continue
        top_table = path == "" and (isinstance(value, dict) or _is_tables(value))
        if _inline(value) and not top_table:
            lines.append(f"{_key(key)} = {_value(value)}")
        else:
            later.append((key, value))
    for key, value in later:
        sub = f"{path}.{_key(key)}" if path else _key(key)
        if isinstance(value, dict):
            _table(lines, sub, value, array=False)
        elif _is_tables(value):
            for item in value:
                _table(lines, sub, item, array=True)
        else:
            raise TypeError(f"cannot write {sub} as TOML")


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def toml_text(data: dict[str, Any]) -> str:
    """``data`` as TOML text; top-level lists of tables as ``[[...]]`` arrays of tables."""
    lines: list[str] = []
    _body(lines, "", data)
    return "\n".join(lines).lstrip("\n") + "\n"
