"""The shape every spreadsheet export shares: typed columns, sheets of rows, one export.

A source (the weekly list, the central list, the indicator, the plan) builds an :class:`Export`
of plain Python values (``str``, ``int``, ``float``, ``date``, aware ``datetime``, ``None``);
the writers (:mod:`.csv_writer`, :mod:`.xlsx_writer`) decide how each kind looks in a CSV file
or an .xlsx workbook. Headers and sheet names exist in Danish and English; the variant picks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

Kind = Literal["text", "int", "decimal", "percent", "date", "datetime", "auto"]
Variant = Literal["da", "en"]
Format = Literal["csv", "xlsx"]

VARIANTS: tuple[Variant, ...] = ("da", "en")
FORMATS: tuple[Format, ...] = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    """One column: its header in both languages and the kind of its values.

    ``digits``: decimals shown (and kept) for ``decimal``; for ``percent`` the decimals of the
    percentage (a share 0.8234 with ``digits=1`` is 82.3 %). ``auto``: each value as its type
    (a table turned on its side, whose rows differ in kind). The workbook stores values rounded
    to what the column shows unless ``exact`` (a model's estimate that others compute with)."""

    da: str
    en: str
    kind: Kind = "text"
    digits: int = 1
    exact: bool = False  # the workbook keeps the full value (only its format rounds)

    def header(self, variant: Variant) -> str:
        return self.da if variant == "da" else self.en


@dataclass(frozen=True)
class Sheet:
    da: str
    en: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]] = field(default_factory=list)

    def title(self, variant: Variant) -> str:
        return self.da if variant == "da" else self.en

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"sheet {self.da!r}: a row of {len(row)} values for "
                                 f"{len(self.columns)} columns")


@dataclass(frozen=True)
class Export:
    """What one export holds: a file name stem, the day it describes, its sheets (the CSV file
    holds the first sheet; the workbook holds them all)."""

    stem: str
    day: date
    sheets: Sequence[Sheet]

    def filename(self, fmt: Format, variant: Variant = "da") -> str:
        suffix = "" if variant == "da" else "-en"
        return f"{slug(self.stem)}-{self.day.isoformat()}{suffix}.{fmt}"


def slug(text: str) -> str:
    """An ASCII file-name part: "Ugeliste Åse Ørum" → "ugeliste-aase-oerum"."""
    for danish, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("Æ", "Ae"), ("Ø", "Oe"),
                           ("Å", "Aa")):
        text = text.replace(danish, ascii_)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "eksport"


def guard(text: str) -> str:
    """A text cell a spreadsheet must not run as a formula: one starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return gets a leading apostrophe (OWASP's CSV injection
    advice)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def rounded(value: float, digits: int) -> Decimal:
    """``value`` rounded half up to ``digits`` decimals, as people round (7.125 → 7.13; a
    float's own rounding gives 7.12)."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


def yes_no(value: bool, variant: Variant) -> str:
    if variant == "da":
        return "ja" if value else "nej"
    return "yes" if value else "no"
