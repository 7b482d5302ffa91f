"""Benchmark of the file import: ``python -m booking.bench_import [--rows 100000]
[--db sqlite|postgresql]``.

On a fresh database (a SQLite file in a temporary folder, or a scratch PostgreSQL database made
on ``--pg-admin`` and dropped afterwards) it generates a job centre: 4 units, 40 caseworkers,
``rows / 10`` citizens with one programme each, and ``rows`` conversation-history rows (ten per
citizen, one in twenty a no-show), and imports them with the same code as ``flask import``.
It prints the wall time and rows per second of each kind; the figure is **history**: reading,
checking and writing ``rows`` rows in one transaction plus the obligation recompute of every
citizen it touched (target ≤ 60 s for 100,000 rows). It then imports the history file again
(nothing changes: every row is left alone) and prints that time too. Beside each wall time it
prints the CPU time of this process (on PostgreSQL the server's work is not in it), and the
load average at the start: on a shared machine the wall time grows with the load.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from . import migrate
from .database import Database
from .services import clock
from .services.imports import Actor, ImportResult, run_import
from .services.rulesets import sync_rule_sets
from .settings import load_settings

TODAY = date(2026, 11, 2)
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
GROUPS = ("forsikret ledig", "kontanthjælp", "ressourceforløb", "jobafklaringsforløb",
          "uddannelseshjælp", "ledighedsydelse")


def _csv(header: str, lines: Iterator[str]) -> bytes:
    return ("\ufeff" + header + "\r\n" + "".join(line + "\r\n" for line in lines)).encode()


def _cpr(serial: int) -> str:
    birth = date(1960, 1, 1) + timedelta(days=serial % 14000)
    return f"{birth:%d%m%y}-{serial % 4}{serial // 14000 % 1000:03d}"


def files(rows: int, seed: int = 2026) -> dict[str, bytes]:
    """The generated job centre, one CSV file per kind (Danish Excel: ``;`` and a BOM)."""
    rng = random.Random(seed)
    citizens = max(1, rows // 10)
    units = [f"U{i}" for i in range(1, 5)]
    workers = [f"SB-{i:03d}" for i in range(1, 41)]
    starts = [TODAY - timedelta(days=rng.randint(220, 700)) for _ in range(citizens)]
    out = {
        "units": _csv("enhed;navn", (f"{u};Jobcenter {u}" for u in units)),
        "caseworkers": _csv("id;enhed;navn;initialer", (
            f"{w};{units[i % 4]};Sagsbehandler {i};S{i}" for i, w in enumerate(workers))),
        "citizens": _csv("cpr;navn;enhed;sagsbehandler", (
            f"{_cpr(c)};Borger {c};{units[c % 4]};{workers[c % 40]}" for c in range(citizens))),
        "programmes": _csv("id;cpr;målgruppe;start", (
            f"F-{c};{_cpr(c)};{GROUPS[c % len(GROUPS)]};{starts[c]:%d-%m-%Y}"
            for c in range(citizens))),
    }

    def history() -> Iterator[str]:
        for n in range(rows):
            c = n % citizens
            day = min(starts[c] + timedelta(days=7 + 21 * (n // citizens)), TODAY)
            outcome = "udeblevet" if rng.random() < 0.05 else "afholdt"
            yield f"S-{n};{_cpr(c)};{day:%d-%m-%Y};samtale;jobcenter;{outcome}"

    out["history"] = _csv("id;cpr;dato;art;afholdt_af;udfald", history())
    return out


@contextmanager
def database(kind: str, pg_admin: str) -> Iterator[str]:
    """A fresh, empty database URL of ``kind``; removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        return
    name = f"rettidig_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield pg_admin.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


Timing = tuple[str, ImportResult, float, float]  # kind, result, wall s, this process's CPU s


def bench(rows: int, kind: str, pg_admin: str) -> list[Timing]:
    data = files(rows)
    timings: list[Timing] = []
    with database(kind, pg_admin) as url:
        settings = load_settings(overrides={"database": {"url": url},
                                            "queue": {"backend": "immediate"}})
        clock.use_zone(settings.zone)
        migrate.upgrade(url)
        db = Database(url)
        try:
            with db.fresh_session() as session:
                sync_rule_sets(session)
            for name, label in [(k, k) for k in data] + [("history", "history again")]:
                with db.fresh_session() as session:
                    t0, c0 = time.perf_counter(), time.process_time()
                    result = run_import(session, name, data[name], f"{name}.csv",
                                        settings=settings, actor=Actor.system(),
                                        dry_run=False, today=TODAY)
                    timings.append((label, result, time.perf_counter() - t0,
                                    time.process_time() - c0))
                if not result.ok:
                    raise SystemExit(f"{label}: {result.errors[:5]}")
        finally:
            db.dispose()
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000, help="history rows (default 100000)")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-admin", default=PG_ADMIN,
                        help="PostgreSQL URL to create the scratch database on")
    args = parser.parse_args(argv)
    print(f"import benchmark: {args.rows} history rows on {args.db} "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    for label, result, seconds, cpu in bench(args.rows, args.db, args.pg_admin):
        print(f"{label:>14}: {result.rows:>7} rows in {seconds:6.2f} s "
              f"({result.rows / seconds:>8.0f} rows/s, {cpu:6.2f} s CPU); "
              f"created {result.created}, "
              f"changed {result.changed}, unchanged {result.unchanged}; obligations "
              f"recomputed for {result.citizens_recomputed} citizens")
    return 0


if __name__ == "__main__":
    sys.exit(main())
