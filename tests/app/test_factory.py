"""The app factory reads config.toml; overrides and environment variables win."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import BaseModel, ValidationError

from booking import create_app
from booking.models import Channel, WorkTemplate
from booking.settings import DEFAULT_CONFIG, Settings, SettingsError, load_settings


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


# --- typed settings ----------------------------------------------------------------------------


def _bad_config(tmp_path, text: str):
    path = tmp_path / "local.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_key_and_wrong_type_stop_the_start_with_their_paths(tmp_path, monkeypatch):
    path = _bad_config(tmp_path, '[booking]\nslots_shown = "30"\nslot_shown = 30\n[nope]\nx = 1\n')
    monkeypatch.setenv("RETTIDIG_CONFIG", str(path))
    with pytest.raises(SettingsError) as caught:
        create_app()
    assert caught.value.problems == [
        "booking.slots_shown: Input should be a valid integer",
        "booking.slot_shown: unknown setting",
        "nope: unknown setting",
    ]


def test_the_cli_refuses_to_start_and_names_the_key(tmp_path):
    path = _bad_config(tmp_path, "[rehab]\nlead_days = -3\n")
    env = {**os.environ, "RETTIDIG_CONFIG": str(path)}
    flask = Path(sys.executable).parent / "flask"
    done = subprocess.run(
        [str(flask), "--app", "booking", "init-db"], capture_output=True, text=True, env=env
    )
    assert done.returncode != 0
    assert "rehab.lead_days: Input should be greater than or equal to 0" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_local_file_is_laid_over_config_toml_key_by_key(tmp_path):
    path = _bad_config(tmp_path, "[rehab]\nlead_days = 7\n")
    settings = load_settings(path, environ={})
    assert settings.rehab.lead_days == 7
    assert settings.rehab.material_alert_days == 5  # from config.toml


def test_settings_are_frozen_and_have_no_defaults_in_code():
    settings = load_settings(environ={})
    with pytest.raises(ValidationError):
        settings.rehab.lead_days = 3  # type: ignore[misc]

    def fields_with_defaults(model: type[BaseModel], prefix: str = "") -> list[str]:
        out = []
        for name, info in model.model_fields.items():
            annotation = info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                out += fields_with_defaults(annotation, f"{prefix}{name}.")
            elif not info.is_required() and name != "instance_path":
                out.append(prefix + name)
        return out

    assert fields_with_defaults(Settings) == []


def test_unknown_time_zone_is_refused():
    with pytest.raises(SettingsError) as caught:
        load_settings(overrides={"app": {"timezone": "Europe/Kobenhavn"}}, environ={})
    assert caught.value.problems == [
        "app.timezone: Value error, unknown time zone 'Europe/Kobenhavn'"
    ]


def test_the_configured_time_zone_is_the_one_services_use(tmp_path):
    """Nuuk (UTC-2 in winter): a 09:00 working hour becomes 11:00 UTC, today is Nuuk's today."""
    from booking.services import clock
    from booking.services.slots import slot_specs

    try:
        create_app(
            {
                "app": {"timezone": "America/Nuuk"},
                "database": {"url": f"sqlite:///{tmp_path}/tz.sqlite3"},
            }
        )
        assert clock.zone() == ZoneInfo("America/Nuuk")
        assert clock.today_local() == datetime.now(ZoneInfo("America/Nuuk")).date()
        template = WorkTemplate(
            weekday=0,
            start_time=time(9),
            end_time=time(10),
            slot_minutes=60,
            channel=Channel.in_person,
            location=None,
            self_bookable=True,
        )
        [spec] = slot_specs(1, [template], date(2027, 1, 4), date(2027, 1, 5), closed={})
        assert spec.starts_at == datetime(2027, 1, 4, 11, tzinfo=UTC)
    finally:
        clock.use_zone(clock.DEFAULT_ZONE)
