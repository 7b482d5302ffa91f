"""``flask --app booking import KIND FILE [--dry-run]``."""

from __future__ import annotations

from sqlalchemy import func, select

from booking.db import db
from booking.models import Unit
from tests.imports.helpers import SAMPLES


def _units(app) -> int:
    with app.app_context(), db.fresh_session() as session:
        return session.scalar(select(func.count(Unit.id))) or 0


def test_dry_run_then_import_then_again(app, runner):
    path = str(SAMPLES / "units.csv")
    dry = runner.invoke(args=["import", "units", path, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "2 would be created, 0 changed, 0 unchanged" in dry.output
    assert "dry run: nothing was written" in dry.output
    assert _units(app) == 0
    real = runner.invoke(args=["import", "units", path])
    assert real.exit_code == 0, real.output
    assert "2 were created" in real.output
    again = runner.invoke(args=["import", "units", path])
    assert "0 were created, 0 changed, 2 unchanged" in again.output
    assert _units(app) == 2


def test_a_bad_row_is_printed_in_danish_and_exits_1(app, runner, tmp_path):
    bad = tmp_path / "enheder.csv"
    bad.write_text("enhed;navn\nA;Enhed A\nB;\n", encoding="utf-8")
    result = runner.invoke(args=["import", "units", str(bad)])
    assert result.exit_code == 1
    assert "række 3, kolonne navn: Feltet skal udfyldes." in result.output
    assert "1 bad rows: nothing was written" in result.output
    assert _units(app) == 0


def test_an_unknown_kind_is_refused_by_click(runner):
    result = runner.invoke(args=["import", "planets", str(SAMPLES / "units.csv")])
    assert result.exit_code == 2
