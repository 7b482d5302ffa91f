"""The seam between the web and the domain, checked on the source.

- Views parse, call one service, render: no query, no session call, no transaction in
  ``booking/blueprints``.
- The domain (``booking/services``, ``booking/rules``, ``booking/settings``,
  ``booking/database``) and the solver load neither Flask nor Flask-Login: each module is
  imported in a fresh interpreter and ``sys.modules`` is read.
- Services raise codes, not sentences: no ``message_da`` anywhere in the domain.
- The transitional ``begin_write`` is gone: services use ``database.transaction``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLUEPRINTS = ROOT / "booking" / "blueprints"
DOMAIN = [ROOT / "booking" / "services", ROOT / "booking" / "rules", ROOT / "solver"]
DATABASE_IN_VIEWS = re.compile(
    r"\bselect\(|\.commit\(|\.rollback\(|\bbegin_write\b|\bsession\.(get|add|execute|scalars?|scalar|delete|flush|query)\("
)


def _python_files(*roots: Path) -> list[Path]:
    return sorted(p for root in roots for p in root.rglob("*.py"))


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def test_views_do_not_touch_the_database():
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in _python_files(BLUEPRINTS)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DATABASE_IN_VIEWS.search(line)
    ]
    assert found == []


def test_the_walk_finds_what_it_looks_for(tmp_path):
    """The pattern above is not vacuous: it catches each kind of database call."""
    for line in (
        "x = db.session.get(Citizen, 1)",
        "rows = session.scalars(select(Unit))",
        "db.session.commit()",
        "begin_write(db.session)",
        "session.add(obj)",
    ):
        assert DATABASE_IN_VIEWS.search(line), line


DOMAIN_MODULES = [
    _module(p)
    for p in _python_files(*DOMAIN)
    if p.name != "__main__.py"
] + ["booking.settings", "booking.database"]


FLASK = ("flask", "flask_login", "flask_babel", "flask_wtf", "flask_limiter")
PROBE = (
    "import importlib, json, sys\n"
    "for name in json.loads(sys.argv[1]):\n"
    "    importlib.import_module(name)\n"
    f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {FLASK!r})))\n"
)


def _flask_loaded_by(names: list[str]) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(names)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return json.loads(result.stdout)


def test_domain_modules_load_no_flask():
    """A fresh interpreter imports every domain module; none of Flask may be in sys.modules.
    (If some is, each module is probed alone to name the culprits.)"""
    if not _flask_loaded_by(DOMAIN_MODULES):
        return
    offenders = {name: found for name in DOMAIN_MODULES if (found := _flask_loaded_by([name]))}
    assert offenders == {}


def test_the_probe_sees_flask_when_it_is_loaded():
    assert "flask" in _flask_loaded_by(["booking.web"])


@pytest.mark.parametrize("root", DOMAIN, ids=lambda p: p.name)
def test_domain_raises_codes_not_danish_sentences(root):
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _python_files(root)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "message_da" in line
    ]
    assert found == []


def test_no_transitional_begin_write_left():
    found = [
        str(path.relative_to(ROOT))
        for path in _python_files(ROOT / "booking")
        if "begin_write" in path.read_text(encoding="utf-8")
    ]
    assert found == []


def test_no_file_over_400_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in _python_files(ROOT / "booking", ROOT / "solver")
        if "migrations" not in p.parts
        and (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
