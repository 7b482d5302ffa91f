"""Numbers, shares and numeric dates are written in the active locale (issue 16, "everywhere")."""

from __future__ import annotations

from datetime import date

import pytest
from flask import session


@pytest.mark.parametrize(
    ("lang", "number", "big", "share", "day"),
    [
        ("da", "20,7", "12.345", "38,4\u00a0%", "17.11.2026"),
        ("en", "20.7", "12,345", "38.4%", "17/11/2026"),
    ],
)
def test_filters_follow_the_locale(app, lang, number, big, share, day):
    with app.test_request_context("/"):
        session["lang"] = lang
        filters = app.jinja_env.filters
        assert filters["number"](20.66, 1) == number
        assert filters["number"](12345) == big
        assert filters["percent"](0.384) == share
        assert filters["numeric_date"](date(2026, 11, 17)) == day
        assert filters["number"](None) == "–"
