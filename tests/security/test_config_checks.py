"""Production mode refuses default and short secrets (web app, CLI, huey worker) unless
``flask --debug``; ``flask check-config`` lists every unsafe setting and fails on one."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from huey import MemoryHuey

from booking import create_app
from booking.config_checks import PUBLISHED_SECRETS, guard_worker
from booking.settings import PROJECT_ROOT, SettingsError, load_settings
from tests.conftest import app_overrides

GOOD = "k" * 40
OTHER = "o" * 40
BIN = Path(sys.executable).parent


def _production(url: str, app: dict | None = None, **extra: object) -> dict:
    return app_overrides(url, app={"mode": "production", **(app or {})}, **extra)


def test_config_toml_defaults_to_production_with_published_secrets():
    raw = tomllib.loads((PROJECT_ROOT / "config.toml").read_text(encoding="utf-8"))
    assert raw["app"]["mode"] == "production"
    assert raw["app"]["secret_key"] in PUBLISHED_SECRETS
    assert raw["security"]["cpr_hash_key"] in PUBLISHED_SECRETS
    assert raw["security"]["cpr_hash_key_previous"] == ""


def test_production_refuses_the_default_secrets_naming_each_variable(sqlite_url):
    with pytest.raises(SettingsError) as err:
        create_app(_production(sqlite_url))
    text = str(err.value)
    assert "app.secret_key (SECRET_KEY): the default published in this repository" in text
    assert "security.cpr_hash_key (CPR_HASH_KEY): the default published" in text


def test_production_refuses_a_short_secret(sqlite_url):
    with pytest.raises(SettingsError) as err:
        create_app(
            _production(
                sqlite_url,
                app={"secret_key": "s" * 31},
                security={"cpr_hash_key": GOOD},
            )
        )
    text = str(err.value)
    assert "SECRET_KEY): only 31 characters long (at least 32 needed)" in text
    assert "CPR_HASH_KEY" not in text


def test_production_starts_with_long_secrets_and_demo_and_debug_start_anyway(
    sqlite_url, monkeypatch
):
    create_app(_production(sqlite_url, app={"secret_key": GOOD}, security={"cpr_hash_key": OTHER}))
    create_app(app_overrides(sqlite_url, app={"mode": "demo"}))
    monkeypatch.setenv("FLASK_DEBUG", "1")  # what `flask --debug` sets before the app loads
    create_app(_production(sqlite_url))


def test_the_worker_refuses_to_consume_with_default_secrets(monkeypatch):
    huey = MemoryHuey("guard-test")
    guard_worker(huey)
    monkeypatch.setenv("RETTIDIG_MODE", "production")
    with pytest.raises(SystemExit) as stop:
        huey.create_consumer(workers=1)
    assert "SECRET_KEY" in str(stop.value) and "CPR_HASH_KEY" in str(stop.value)
    monkeypatch.setenv("SECRET_KEY", GOOD)
    monkeypatch.setenv("CPR_HASH_KEY", OTHER)
    assert huey.create_consumer(workers=1) is not None


def _check(app) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["check-config"])
    return result.exit_code, result.output


def test_check_config_lists_every_unsafe_setting(sqlite_url, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")  # `flask --debug check-config`
    app = create_app(
        app_overrides(
            sqlite_url,
            app={"mode": "demo", "public_url": "http://booking.example.dk"},
            database={"url": sqlite_url, "echo": True},
            security={"cpr_hash_key": "short", "cpr_hash_key_previous": "dev-only-cpr-key"},
            mail={"smtp_host": "mail.example.dk", "smtp_starttls": False},
        )
    )
    code, out = _check(app)
    assert code == 1
    for expected in [
        "unsafe: app.mode (RETTIDIG_MODE): demo",
        "unsafe: app.secret_key (SECRET_KEY): the default published",
        "unsafe: security.cpr_hash_key (CPR_HASH_KEY): only 5 characters",
        "unsafe: security.cpr_hash_key_previous (CPR_HASH_KEY_PREVIOUS): the default",
        "warning: security.cpr_hash_key_previous (CPR_HASH_KEY_PREVIOUS): set",
        "unsafe: database.echo",
        "unsafe: debug (FLASK_DEBUG)",
        "unsafe: TESTING",
        "unsafe: WTF_CSRF_ENABLED",
        "unsafe: RATELIMIT_ENABLED",
        "unsafe: mail.smtp_starttls",
        "unsafe: app.public_url: http://booking.example.dk is not https",
    ]:
        assert expected in out, (expected, out)
    assert "Traceback" not in out


def test_check_config_in_production_flags_memory_storage_and_http_and_warns_of_sqlite(
    sqlite_url,
):
    app = create_app(
        _production(
            sqlite_url,
            app={"secret_key": GOOD},
            security={"cpr_hash_key": OTHER},
            flask={"TESTING": False, "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": True},
        )
    )
    code, out = _check(app)
    assert code == 1
    assert "unsafe: security.rate_limit_storage (REDIS_URL): memory:// in production" in out
    assert "unsafe: app.public_url: http://127.0.0.1:5000 is not https" in out
    assert "warning: database.url (DATABASE_URL): SQLite in production" in out
    assert "SECRET_KEY" not in out and "CPR_HASH_KEY" not in out
    assert "2 unsafe setting(s), 1 warning(s) (mode production)" in out


def test_check_config_passes_a_safe_production_setup_with_warnings_only(sqlite_url):
    app = create_app(
        _production(
            sqlite_url,
            app={"secret_key": GOOD, "public_url": "https://booking.example.dk"},
            security={"cpr_hash_key": OTHER, "rate_limit_storage": "redis://127.0.0.1:6379/0"},
            flask={
                "TESTING": False,
                "WTF_CSRF_ENABLED": True,
                "RATELIMIT_ENABLED": True,
                "SESSION_COOKIE_SECURE": True,
            },
        )
    )
    code, out = _check(app)
    assert code == 0, out
    assert "no unsafe setting found, 1 warning(s) (mode production)" in out


def test_several_processes_on_memory_storage_are_unsafe_in_demo_too(sqlite_url):
    app = create_app(app_overrides(sqlite_url))
    result = app.test_cli_runner().invoke(args=["check-config", "--processes", "4"])
    assert result.exit_code == 1
    assert "memory:// with 4 web processes" in result.output


# --- the real commands, as an operator runs them -------------------------------------------


def _env(tmp_path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "CPR_HASH_KEY",
            "CPR_HASH_KEY_PREVIOUS",
            "FLASK_DEBUG",
            "RETTIDIG_CONFIG",
            "REDIS_URL",
            "RETTIDIG_QUEUE",
        }
    }
    env.update(RETTIDIG_MODE="production", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("command", [["routes"], ["run", "--port", "5999"], ["init-db"]])
def test_flask_commands_refuse_default_secrets_in_production(tmp_path, command):
    done = _run([str(BIN / "flask"), "--app", "booking", *command], _env(tmp_path))
    assert done.returncode != 0
    assert "Error: invalid settings:" in done.stderr
    assert "SECRET_KEY" in done.stderr and "CPR_HASH_KEY" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_gunicorn_refuses_default_secrets_in_production(tmp_path):
    gunicorn = [str(BIN / "gunicorn"), "--no-control-socket", "-b", "127.0.0.1:0", "-w", "1"]
    done = _run([*gunicorn, "booking:create_app()"], _env(tmp_path))
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr and "CPR_HASH_KEY" in done.stderr
    assert "App failed to load" in done.stderr
    assert "Traceback" not in done.stderr


def test_flask_debug_starts_with_default_secrets(tmp_path):
    done = _run([str(BIN / "flask"), "--app", "booking", "--debug", "routes"], _env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "/b/<token>" in done.stdout


def test_check_config_command_reports_instead_of_refusing(tmp_path):
    done = _run([str(BIN / "flask"), "--app", "booking", "check-config"], _env(tmp_path))
    assert done.returncode == 1, done.stderr
    assert "unsafe: app.secret_key (SECRET_KEY)" in done.stdout
    assert "unsafe: security.cpr_hash_key (CPR_HASH_KEY)" in done.stdout
    assert "memory:// in production" in done.stdout
    assert "Traceback" not in done.stderr + done.stdout


def test_check_config_command_passes_with_safe_settings(tmp_path):
    env = _env(tmp_path, SECRET_KEY=GOOD, CPR_HASH_KEY=OTHER, REDIS_URL="redis://127.0.0.1:6379/9")
    config = tmp_path / "local.toml"
    config.write_text(
        '[app]\npublic_url = "https://booking.example.dk"\n'
        '[security]\nrate_limit_storage = "redis://127.0.0.1:6379/9"\n',
        encoding="utf-8",
    )
    env["RETTIDIG_CONFIG"] = str(config)
    done = _run([str(BIN / "flask"), "--app", "booking", "check-config"], env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no unsafe setting found" in done.stdout


def test_the_huey_worker_refuses_default_secrets_in_production(tmp_path):
    done = _run(
        [str(BIN / "huey_consumer"), "booking.tasks.huey", "--workers", "1"],
        _env(tmp_path, RETTIDIG_QUEUE="sqlite"),
    )
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr and "CPR_HASH_KEY" in done.stderr
    assert "Traceback" not in done.stderr


def test_settings_read_the_mode_from_the_environment(monkeypatch):
    monkeypatch.setenv("RETTIDIG_MODE", "production")
    assert load_settings().app.mode == "production"
    monkeypatch.setenv("RETTIDIG_MODE", "demo")
    assert load_settings().app.mode == "demo"
