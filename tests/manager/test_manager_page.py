"""The manager page over HTTP: a trend chart per unit and for the municipality against the
targets (75/80/90 %), its legend drawn with the lines' own strokes, a period picker, the
current week marked, the municipality total, a mark and words besides colour for "below
target", export links, a table that stays narrow for 26 weeks, no ISO dates."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from booking.services.clock import today_local
from booking.services.manager_view import week_starts

BASE = "/ledelse/"


def _text(r) -> str:
    return r.get_data(as_text=True)


def _visible(page: str) -> str:
    """The page's text without tags, attributes, scripts or the SVG's markup."""
    if "<main" in page:
        page = page[page.index("<main"):page.index("</main>")]
    body = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body)).replace("\xa0", " ")


def _charts(page: str) -> list[str]:
    return re.findall(r'<svg xmlns="http://www.w3.org/2000/svg".*?</svg>', page, flags=re.S)


def test_charts_per_unit_and_for_the_municipality(app, world, login):
    page = _text(login(app, "leder").get(BASE, query_string={"uger": "26"}))
    charts = _charts(page)
    assert len(charts) == 3  # the municipality and the two units
    for svg in charts:
        ids = re.findall(r'aria-labelledby="([^"]+)" aria-describedby="([^"]+)"', svg)[0]
        assert f'<title id="{ids[0]}">' in svg and f'<desc id="{ids[1]}">' in svg
        assert 'role="img"' in svg
        desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)
        assert "Tallene står i tabellen under diagrammerne." in desc
        assert not re.search(r"\d{4}-\d\d-\d\d", desc)
    assert "Rettidighed pr. uge: Hele kommunen" in charts[0]


def test_the_legend_swatches_use_the_lines_own_strokes(app, world, login):
    page = _text(login(app, "leder").get(BASE, query_string={"uger": "26"}))
    legend = page[page.index('<ul class="legend-list"'):page.index("</ul>", page.index(
        '<ul class="legend-list"'))]
    swatches = dict(re.findall(r'stroke="(#[0-9a-f]{6})" stroke-width="2" '
                               r'stroke-dasharray="([^"]+)"', legend))
    assert swatches == {"#1a7f37": "9 4", "#9a6700": "4 3", "#6e40c9": "1 3"}
    chart = _charts(page)[1]
    for colour, dash in swatches.items():
        assert f'stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"' in chart
    words = _visible(legend)
    assert "Mål 90 %" in words and "Delmål 80 %" in words
    starts = week_starts(today_local(), 26)
    if starts[0] < date(2026, 6, 29):  # the law's line starts inside the period
        assert "Lovens andel 75 % af målgruppen (gælder fra uge 27)" in words
    else:
        assert "Lovens andel 75 % af målgruppen" in words
    assert "Igangværende uge (til og med i går)" in words


def test_target_labels_sit_outside_the_plot_and_apart(app, world, login):
    page = _text(login(app, "leder").get(BASE, query_string={"uger": "26"}))
    for svg in _charts(page):
        frame = re.search(r'<rect x="(\d+)" y="\d+" width="(\d+)"', svg)
        right = int(frame.group(1)) + int(frame.group(2))
        labels = re.findall(r'<text x="([\d.]+)" y="([\d.]+)" fill="#[0-9a-f]{6}" '
                            r'font-weight="600">', svg)
        assert len(labels) == 3
        assert all(float(x) > right for x, _y in labels)
        ys = sorted(float(y) for _x, y in labels)
        assert all(b - a >= 13 for a, b in zip(ys, ys[1:], strict=False))


def test_period_picker_current_week_and_total(app, world, login):
    client = login(app, "leder")
    page = _text(client.get(BASE, query_string={"uger": "26"}))
    assert '<option value="26" selected>26 uger</option>' in page
    table = page[page.index('<table class="indicator">'):]
    table = table[:table.index("</table>")]
    assert table.count("<tr") == 1 + 27 + 1  # head, 26 weeks and the current one, total
    assert table.count('aria-current="date"') == 1
    current = table[table.index('aria-current="date"'):]
    assert "(igangværende)" in current[:current.index("</tr>")]
    head = table[:table.index("</thead>")]
    assert head.count("<th") <= 10  # weeks are rows: the table stays narrow
    assert "Hele kommunen" in head and "I alt" in table
    text = _visible(page)
    assert "Hele kommunen, hele perioden" in text and "Igangværende uge " in text
    assert not re.search(r"\b\d{4}-\d\d-\d\d\b", text)
    assert "/eksport/rettidighed?format=xlsx&amp;uger=26&amp;pr=enhed" in page


def test_below_target_has_a_mark_and_words(app, world, login):
    page = _text(login(app, "leder").get(BASE, query_string={"uger": "26"}))
    assert '<span aria-hidden="true">▼&nbsp;</span>' in page
    assert '<span class="visually-hidden"> (under delmålet)</span>' in page
    assert "under delmålet på 80 %" in _visible(page)


def test_per_caseworker_the_weeks_collapse_into_columns(app, world, login):
    page = _text(login(app, "leder").get(BASE, query_string={"uger": "26",
                                                             "pr": "sagsbehandler"}))
    table = page[page.index('<table class="indicator">'):]
    head = table[:table.index("</thead>")]
    last = [w.isocalendar().week for w in week_starts(today_local(), 26)[-4:]]
    assert head.count("<th") <= 10 and f"uge {last[0]}–{last[-1]}" in head
    assert "(igangværende)" in head
    assert "Sagsbehandler " in table[:table.index("</table>")]
    assert "Diagrammernes tal: uge for uge pr. enhed" in page
    assert len(_charts(page)) == 3


@pytest.mark.parametrize("raw", ["0", "53", "abc", "-4"])
def test_a_bad_period_is_refused_in_danish(app, world, login, raw):
    r = login(app, "leder").get(BASE, query_string={"uger": raw})
    assert r.status_code == 422
    page = _text(r)
    assert "Vælg en periode på 1 til 52 uger. Siden viser de seneste 13 uger." in page
    assert 'aria-invalid="true"' in page and '<option value="13" selected>' in page


def test_an_unusual_period_is_kept_in_the_picker(app, world, login):
    page = _text(login(app, "leder").get(BASE, query_string={"uger": "10"}))
    assert '<option value="10" selected>10 uger</option>' in page


@pytest.mark.parametrize("user", ["sb1", "indk", "plan"])
def test_other_roles_are_refused(app, world, login, user):
    assert login(app, user).get(BASE).status_code == 403


def test_an_empty_municipality_renders(app, login):
    from booking.db import db
    from booking.models import Role
    from tests import factories

    with app.app_context(), db.fresh_session() as s:
        factories.staff(s, Role.manager, username="tom")
        s.commit()
    client = login(app, "tom")
    for query in ({}, {"pr": "sagsbehandler", "uger": "52"}):
        r = client.get(BASE, query_string=query)
        assert r.status_code == 200
        assert len(_charts(r.text)) == 1 and "ingen samtaler med frist i perioden" in r.text
    export = client.get("/eksport/rettidighed", query_string={"format": "csv"})
    assert export.status_code == 200 and export.data.startswith("\ufeff".encode())
