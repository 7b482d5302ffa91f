"""An accessible SVG line chart, pure Python, no dependencies.

    line_chart([Series("solver", values, colour="#2471a3", band=(lo, hi))],
               x_labels=["1", "2", ...], title="On time per week", description="...")

The SVG is an image with a name and a description for assistive technology (`role="img"`,
`<title>` and `<desc>` referenced by id). Each series is a line in its colour and dash pattern
(so that colour is never the only difference); the legend repeats both on a short line next to
the series' name. A value of None is a gap in the line; a point between two gaps is drawn as a
dot. An optional band (say a 95 % interval) is shaded under the line. Target lines are dashed
grey with their label at the left inside the plot, away from the legend. Every text is escaped.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TypeVar

T = TypeVar("T")

#: colours for series without one (Okabe–Ito, each at least 3:1 against white but the last)
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#996600", "#000000")
FONT = 'font-family="system-ui, sans-serif" font-size="12"'
CHAR_WIDTH = 7.0  # a generous estimate of one character's width at 12 px
TARGET_COLOUR, TARGET_DASH = "#555555", "4 3"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    colour: str | None = None
    dash: str | None = None  # an SVG stroke-dasharray such as "6 3"; None: solid
    band: tuple[Sequence[float | None], Sequence[float | None]] | None = None  # (low, high)


@dataclass(frozen=True)
class Target:
    value: float
    label: str


def line_chart(series: Sequence[Series], *, x_labels: Sequence[str], title: str,
               description: str, y_min: float = 0.0, y_max: float = 1.0, percent: bool = True,
               targets: Sequence[Target] = (), width: int = 720, height: int = 340) -> str:
    """The SVG document of a line chart of `series` over `x_labels` (one value per label)."""
    _check(series, x_labels, y_min, y_max)
    uid = "chart-" + hashlib.blake2s(f"{title}\x1f{description}".encode(),
                                     digest_size=4).hexdigest()
    legend_w = min(width * 0.4, 44 + CHAR_WIDTH * max((len(s.name) for s in series), default=0))
    frame = _Frame(len(x_labels), y_min, y_max, left=60, top=40,
                   right=width - 16 - legend_w, bottom=height - 36)
    colours = [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{uid}-title" '
           f'aria-describedby="{uid}-desc" {FONT}>',
           f'<title id="{uid}-title">{escape(title)}</title>',
           f'<desc id="{uid}-desc">{escape(description)}</desc>',
           f'<defs><clipPath id="{uid}-clip"><rect x="{frame.left}" y="{frame.top}" '
           f'width="{frame.width:.1f}" height="{frame.height:.1f}"/></clipPath></defs>',
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="{frame.left}" y="22" font-size="14" font-weight="bold">'
           f'{escape(title)}</text>']
    out += _axes(frame, x_labels, percent)
    out.append(f'<g clip-path="url(#{uid}-clip)">')
    for s, colour in zip(series, colours, strict=True):
        if s.band is not None:
            out += _band(frame, s.band, colour)
    for s, colour in zip(series, colours, strict=True):
        out += _line(frame, s, colour)
    out.append("</g>")
    out += _targets(frame, targets, percent)
    out += _legend(series, colours, x=frame.right + 16, y=frame.top)
    out.append("</svg>\n")
    return "\n".join(out)


def _check(series: Sequence[Series], x_labels: Sequence[str], y_min: float,
           y_max: float) -> None:
    if not y_max > y_min:
        raise ValueError(f"y_max ({y_max}) must be above y_min ({y_min})")
    for s in series:
        lists = [s.values, *(s.band or ())]
        if any(len(v) != len(x_labels) for v in lists):
            raise ValueError(f"series {s.name!r}: one value per x label ({len(x_labels)})")


@dataclass(frozen=True)
class _Frame:
    """The plot area and the mapping of data into it."""

    n: int
    y_min: float
    y_max: float
    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def x(self, i: int) -> float:
        if self.n <= 1:
            return self.left + self.width / 2
        return self.left + self.width * i / (self.n - 1)

    def y(self, v: float) -> float:
        return self.bottom - self.height * (v - self.y_min) / (self.y_max - self.y_min)


def _fmt(v: float, percent: bool, step: float) -> str:
    if percent:
        digits = 0 if step * 100 >= 1 - 1e-9 else max(0, -math.floor(math.log10(step * 100)))
        return f"{100 * v:.{digits}f} %"
    return f"{v:g}"


def _ticks(lo: float, hi: float, most: int = 7) -> tuple[list[float], float]:
    """Round tick values from lo to hi (at most about `most`), and their step."""
    raw = (hi - lo) / max(1, most - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw - 1e-12)
    first = math.ceil(lo / step - 1e-9)
    ticks = []
    k = first
    while k * step <= hi + step * 1e-9:
        ticks.append(round(k * step, 12))
        k += 1
    return ticks, step


def _axes(frame: _Frame, x_labels: Sequence[str], percent: bool) -> list[str]:
    out = ['<g class="axes" aria-hidden="true">']
    ticks, step = _ticks(frame.y_min, frame.y_max)
    for v in ticks:
        y = frame.y(v)
        out.append(f'<line x1="{frame.left}" x2="{frame.right:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="#dddddd"/><text x="{frame.left - 6}" y="{y + 4:.1f}" '
                   f'text-anchor="end">{escape(_fmt(v, percent, step))}</text>')
    widest = max((len(label) for label in x_labels), default=1) * CHAR_WIDTH + 8
    every = max(1, math.ceil(widest * len(x_labels) / max(frame.width, 1)))
    for i in range(0, len(x_labels), every):
        out.append(f'<text x="{frame.x(i):.1f}" y="{frame.bottom + 16}" '
                   f'text-anchor="middle">{escape(x_labels[i])}</text>')
    out.append(f'<rect x="{frame.left}" y="{frame.top}" width="{frame.width:.1f}" '
               f'height="{frame.height:.1f}" fill="none" stroke="#888888"/>')
    out.append("</g>")
    return out


def _runs(values: Sequence[T | None]) -> list[list[tuple[int, T]]]:
    """Stretches of consecutive values that are not None."""
    runs: list[list[tuple[int, T]]] = []
    current: list[tuple[int, T]] = []
    for i, v in enumerate(values):
        if v is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((i, v))
    if current:
        runs.append(current)
    return runs


def _dash(dash: str | None) -> str:
    return f' stroke-dasharray="{escape(dash)}"' if dash else ""


def _line(frame: _Frame, s: Series, colour: str) -> list[str]:
    out = [f'<g class="series" data-name="{escape(s.name)}">']
    for run in _runs(s.values):
        if len(run) == 1:
            i, v = run[0]
            out.append(f'<circle cx="{frame.x(i):.1f}" cy="{frame.y(v):.1f}" r="2.5" '
                       f'fill="{escape(colour)}"/>')
            continue
        points = " ".join(f"{frame.x(i):.1f},{frame.y(v):.1f}" for i, v in run)
        out.append(f'<polyline fill="none" stroke="{escape(colour)}" stroke-width="2" '
                   f'stroke-linejoin="round"{_dash(s.dash)} points="{points}"/>')
    out.append("</g>")
    return out


def _band(frame: _Frame, band: tuple[Sequence[float | None], Sequence[float | None]],
          colour: str) -> list[str]:
    low, high = band
    both: list[tuple[float, float] | None] = [
        None if lo is None or hi is None else (lo, hi) for lo, hi in zip(low, high, strict=True)]
    out = []
    for run in _runs(both):
        upper = [f"{frame.x(i):.1f},{frame.y(hi):.1f}" for i, (_, hi) in run]
        lower = [f"{frame.x(i):.1f},{frame.y(lo):.1f}" for i, (lo, _) in reversed(run)]
        out.append(f'<polygon class="band" fill="{escape(colour)}" fill-opacity="0.15" '
                   f'stroke="none" points="{" ".join(upper + lower)}"/>')
    return out


def _targets(frame: _Frame, targets: Sequence[Target], percent: bool) -> list[str]:
    out = []
    for t in targets:
        y = frame.y(t.value)
        if not frame.top <= y <= frame.bottom:
            continue
        label = f"{t.label} ({_fmt(t.value, percent, 0.01)})" if percent else t.label
        out.append(f'<g class="target"><line x1="{frame.left}" x2="{frame.right:.1f}" '
                   f'y1="{y:.1f}" y2="{y:.1f}" stroke="{TARGET_COLOUR}" stroke-width="1.5" '
                   f'stroke-dasharray="{TARGET_DASH}"/>'
                   f'<text x="{frame.left + 6}" y="{y - 5:.1f}" fill="{TARGET_COLOUR}" '
                   f'stroke="white" stroke-width="3" paint-order="stroke">{escape(label)}'
                   '</text></g>')
    return out


def _legend(series: Sequence[Series], colours: Sequence[str], x: float,
            y: float) -> list[str]:
    out = ['<g class="legend">']
    for j, (s, colour) in enumerate(zip(series, colours, strict=True)):
        ly = y + 10 + 22 * j
        out.append(f'<g class="legend-entry"><line x1="{x:.1f}" x2="{x + 28:.1f}" '
                   f'y1="{ly:.1f}" y2="{ly:.1f}" stroke="{escape(colour)}" stroke-width="2"'
                   f'{_dash(s.dash)}/><text x="{x + 34:.1f}" y="{ly + 4:.1f}">'
                   f'{escape(s.name)}</text></g>')
    out.append("</g>")
    return out
