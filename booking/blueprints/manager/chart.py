"""The manager's trend charts: one small inline SVG per unit (and one for the municipality),
the weekly share held on time against the targets, with a shared legend whose swatches are
drawn with the very strokes of the lines they name.

Each chart is an image with a title and a description (the figures in words); the page's
table holds every number the charts draw. Target lines differ by dash pattern and colour; their
labels sit in the right margin, outside the plot, spaced so they never overlap each other or a
line. The current week (counted up to yesterday) is a hollow point.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup

from ...services.manager_view import ManagerView, Trend, Week

WIDTH, HEIGHT = 360, 200
LEFT, RIGHT_MARGIN, TOP, BOTTOM_MARGIN = 44, 46, 10, 28
LABEL_GAP = 13  # least vertical distance between two target labels
FONT = 'font-family="system-ui, sans-serif" font-size="11"'
SERIES_COLOUR, SERIES_WIDTH = "#0b5cad", 2.5


@dataclass(frozen=True)
class Line:
    key: str  # "goal", "interim", "law"
    value: float
    colour: str
    dash: str
    label: str  # the legend's words
    start: int = 0  # the first week it applies to (the law's share: from its date)


def _pct(value: float, digits: int = 0) -> str:
    """A share as the page's ``|percent`` filter writes it (``80 %`` / ``80%``)."""
    return str(current_app.jinja_env.filters["percent"](value, digits))


def target_lines(view: ManagerView) -> list[Line]:
    t = view.targets
    lines = [
        Line("goal", t.goal, "#1a7f37", "9 4", _("Mål %(p)s", p=_pct(t.goal))),
        Line("interim", t.interim, "#9a6700", "4 3", _("Delmål %(p)s", p=_pct(t.interim))),
    ]
    if t.law is not None and t.law_from is not None and t.law_applies(view.rows[-1].end):
        start = next(i for i, w in enumerate(view.rows) if t.law_applies(w.end))
        lines.append(Line("law", t.law, "#6e40c9", "1 3",
                          _("Lovens andel %(p)s af målgruppen", p=_pct(t.law)), start))
    return lines


def _stroke(colour: str, dash: str | None, width: float) -> str:
    dashes = f' stroke-dasharray="{dash}" stroke-linecap="round"' if dash else ""
    return f'stroke="{colour}" stroke-width="{width}"{dashes}'


def swatch(colour: str, dash: str | None, width: float, point: str | None = None) -> Markup:
    """A legend swatch: a short stretch of the line with the same stroke (and a point)."""
    dot = ""
    if point == "filled":
        dot = f'<circle cx="18" cy="7" r="3.5" fill="{colour}"/>'
    elif point == "hollow":
        dot = f'<circle cx="18" cy="7" r="3.5" fill="#ffffff" stroke="{colour}" stroke-width="2"/>'
    line = (f'<line x1="1" x2="35" y1="7" y2="7" {_stroke(colour, dash, width)}/>'
            if point != "hollow" else "")
    return Markup(f'<svg width="36" height="14" viewBox="0 0 36 14" aria-hidden="true" '  # noqa: S704
                  f'focusable="false">{line}{dot}</svg>')


def legend(view: ManagerView) -> list[tuple[Markup, str]]:
    """(swatch, words) for the share, the current week and each target line."""
    items = [
        (swatch(SERIES_COLOUR, None, SERIES_WIDTH, "filled"),
         _("Andel holdt rettidigt")),
        (swatch(SERIES_COLOUR, None, 2, "hollow"),
         _("Igangværende uge (til og med i går)")),
    ]
    for line in target_lines(view):
        words = line.label
        if line.key == "law" and view.targets.law_from is not None:
            words = _("%(line)s (gælder fra uge %(week)s)", line=line.label,
                      week=view.rows[line.start].number) if line.start else line.label
        items.append((swatch(line.colour, line.dash, 2), words))
    return items


@dataclass(frozen=True)
class _Frame:
    n: int
    y_min: float

    @property
    def right(self) -> float:
        return WIDTH - RIGHT_MARGIN

    @property
    def bottom(self) -> float:
        return HEIGHT - BOTTOM_MARGIN

    def x(self, i: float) -> float:
        return LEFT + (self.right - LEFT) * (i + 0.5) / max(self.n, 1)

    def y(self, v: float) -> float:
        return self.bottom - (self.bottom - TOP) * (v - self.y_min) / (1.0 - self.y_min)


def y_floor(view: ManagerView) -> float:
    """50 % when every share shown is at least that (the targets stay in view), else 0 %."""
    shares = [s for t in view.trends for s in t.shares if s is not None]
    return 0.5 if all(s >= 0.5 for s in shares) else 0.0


def _axes(frame: _Frame, rows: Sequence[Week]) -> list[str]:
    out = ['<g aria-hidden="true">']
    step = 0.1 if frame.y_min >= 0.5 else 0.2
    for k in range(int(round((1.0 - frame.y_min) / step)) + 1):
        v = frame.y_min + k * step
        y = frame.y(v)
        out.append(f'<line x1="{LEFT}" x2="{frame.right}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="#e3e3e3"/><text x="{LEFT - 5}" y="{y + 4:.1f}" '
                   f'text-anchor="end" fill="#333333">{escape(_pct(v))}</text>')
    every = max(1, math.ceil(len(rows) / 7))
    shown = [i for i in range(len(rows)) if (len(rows) - 1 - i) % every == 0]
    for i in shown:
        out.append(f'<text x="{frame.x(i):.1f}" y="{frame.bottom + 15}" text-anchor="middle" '
                   f'fill="#333333">{rows[i].number}</text>')
    out.append(f'<text x="{LEFT - 5}" y="{frame.bottom + 15}" text-anchor="end" '
               f'fill="#333333">{escape(_("uge"))}</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{frame.right - LEFT}" '
               f'height="{frame.bottom - TOP}" fill="none" stroke="#8a8a8a"/></g>')
    return out


def _targets(frame: _Frame, lines: Sequence[Line]) -> list[str]:
    out = ['<g aria-hidden="true">']
    placed: list[float] = []
    for line in sorted(lines, key=lambda ln: -ln.value):  # top to bottom
        y = frame.y(line.value)
        x1 = frame.x(line.start - 0.5)
        out.append(f'<line x1="{x1:.1f}" x2="{frame.right}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'{_stroke(line.colour, line.dash, 2)}/>')
        label_y = max(y + 4, placed[-1] + LABEL_GAP) if placed else y + 4
        placed.append(label_y)
        out.append(f'<text x="{frame.right + 5}" y="{label_y:.1f}" fill="{line.colour}" '
                   f'font-weight="600">{escape(_pct(line.value))}</text>')
    out.append("</g>")
    return out


def _series(frame: _Frame, shares: Sequence[float | None]) -> list[str]:
    colour, width = SERIES_COLOUR, SERIES_WIDTH
    out = ['<g aria-hidden="true">']
    run: list[str] = []
    for i, share in enumerate([*shares, None]):
        if share is None:
            if len(run) > 1:
                out.append(f'<polyline fill="none" {_stroke(colour, None, width)} '
                           f'stroke-linejoin="round" points="{" ".join(run)}"/>')
            run = []
            continue
        run.append(f"{frame.x(i):.1f},{frame.y(share):.1f}")
    last = len(shares) - 1
    for i, share in enumerate(shares):
        if share is None:
            continue
        fill = "#ffffff" if i == last else colour
        out.append(f'<circle cx="{frame.x(i):.1f}" cy="{frame.y(share):.1f}" r="3.5" '
                   f'fill="{fill}" stroke="{colour}" stroke-width="2"/>')
    out.append("</g>")
    return out


def describe(view: ManagerView, trend: Trend, name: str) -> str:
    first, last = view.rows[0], view.rows[-1]
    known = [s for s in trend.shares if s is not None]
    if not known:
        figures = _("ingen samtaler med frist i perioden")
    else:
        figures = _("laveste uge %(low)s, højeste uge %(high)s; i alt %(total)s "
                    "(%(on_time)s af %(due)s)",
                    low=_pct(min(known), 1), high=_pct(max(known), 1),
                    total=_pct(trend.total.share or 0.0, 1), on_time=trend.total.on_time,
                    due=trend.total.due)
    return _("Andel samtaler holdt senest på lovens frist pr. uge for %(name)s, uge %(first)s "
             "til uge %(last)s: %(figures)s. Målene er %(goals)s. Tallene står i tabellen "
             "under diagrammerne.", name=name, first=first.number, last=last.number,
             figures=figures,
             goals=", ".join(_pct(line.value) for line in target_lines(view)))


def trend_chart(view: ManagerView, trend: Trend, name: str) -> Markup:
    """One unit's (or the municipality's) chart as inline SVG."""
    frame = _Frame(len(view.rows), y_floor(view))
    uid = f"trend-{trend.key}"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{uid}-title" '
           f'aria-describedby="{uid}-desc" {FONT}>',
           f'<title id="{uid}-title">{escape(_("Rettidighed pr. uge: %(name)s", name=name))}'
           '</title>',
           f'<desc id="{uid}-desc">{escape(describe(view, trend, name))}</desc>',
           '<rect width="100%" height="100%" fill="#ffffff"/>']
    out += _axes(frame, view.rows)
    out += _targets(frame, target_lines(view))
    out += _series(frame, trend.shares)
    out.append("</svg>")
    return Markup("\n".join(out))  # noqa: S704 - every text above is escaped
