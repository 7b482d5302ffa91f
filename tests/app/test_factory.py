"""The app factory reads config.toml; overrides and environment variables win."""

from __future__ import annotations

import re
import tomllib

from booking import create_app
from booking.settings import DEFAULT_CONFIG, load_settings


def test_defaults_come_from_config_toml(tmp_path):
    app = create_app()
    with DEFAULT_CONFIG.open("rb") as fh:
        raw = tomllib.load(fh)
    settings = app.extensions["rettidig_settings"]
    assert settings.rehab.lead_days == raw["rehab"]["lead_days"] == 14
    assert settings.targets.model_dump() == {"interim": 0.80, "goal": 0.90}
    assert settings.solver.num_workers == 2 and settings.solver.time_limit_s > 0
    assert settings.rules.self_booking_days >= 8
    assert app.config["BABEL_DEFAULT_LOCALE"] == "da"
    # the relative SQLite URL lands in the instance folder
    assert app.config["DATABASE_URL"] == f"sqlite:///{app.instance_path}/rettidig.sqlite3"


def test_overrides_merge_section_by_section(tmp_path):
    url = f"sqlite:///{tmp_path}/x.sqlite3"
    app = create_app(
        {"database": {"url": url}, "rehab": {"lead_days": 7}, "flask": {"TESTING": True}}
    )
    assert app.config["DATABASE_URL"] == url
    assert app.extensions["rettidig_settings"].rehab.lead_days == 7
    assert app.extensions["rettidig_settings"].rehab.material_alert_days == 5  # untouched sibling
    assert app.testing


def test_environment_overrides_secrets(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("CPR_HASH_KEY", "cpr-from-env")
    settings = load_settings()
    assert settings.app.secret_key == "from-env"
    assert settings.security.cpr_hash_key == "cpr-from-env"
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["DATABASE_URL"].startswith("postgresql+psycopg://")


def test_every_setting_is_documented_inline():
    """Each key in config.toml has a comment directly above it (or above its group)."""
    lines = DEFAULT_CONFIG.read_text(encoding="utf-8").splitlines()
    undocumented = []
    for i, line in enumerate(lines):
        if re.match(r"^[a-z_]+\s*=", line):
            j = i - 1
            while j >= 0 and re.match(r"^[a-z_]+\s*=", lines[j]):
                j -= 1  # a run of related keys may share one comment
            if j < 0 or not lines[j].lstrip().startswith("#"):
                undocumented.append(line)
    assert undocumented == []
