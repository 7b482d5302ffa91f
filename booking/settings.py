"""Typed settings: one frozen object, loaded and validated once from config.toml + environment.

``config.toml`` (beside the project) holds every setting with its default and a comment: it is
the one place defaults live; the models below declare only types and bounds. A file named by
``RETTIDIG_CONFIG`` is laid over it key by key, then the environment variables in
:data:`ENV_OVERRIDES` win. An unknown key or a value of the wrong type stops the start with the
key's path (``booking.slots_shown: Input should be a valid integer``).

Flask-free: the web app, the CLI, the huey worker and the services all read the same object.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config.toml"
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"

# environment variable -> (section, key)
ENV_OVERRIDES: dict[str, tuple[str, str]] = {
    "SECRET_KEY": ("app", "secret_key"),
    "DATABASE_URL": ("database", "url"),
    "CPR_HASH_KEY": ("security", "cpr_hash_key"),
    "CPR_HASH_KEY_PREVIOUS": ("security", "cpr_hash_key_previous"),
    "RETTIDIG_MODE": ("app", "mode"),
    "MAIL_PASSWORD": ("mail", "password"),
    "REDIS_URL": ("queue", "url"),
    "RETTIDIG_QUEUE": ("queue", "backend"),
    "RETTIDIG_RULES": ("rules", "active"),
}

Positive = Annotated[int, Field(ge=1)]
NonNegative = Annotated[int, Field(ge=0)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]


class SettingsError(ValueError):
    """The settings cannot be used; ``problems`` are ``path: message`` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid settings:\n" + "\n".join(f"  {p}" for p in problems))
        self.problems = problems


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class AppSettings(Section):
    name: str
    mode: Literal["demo", "production"]
    secret_key: Annotated[str, Field(min_length=1)]
    default_locale: Literal["da", "en"]
    timezone: str
    municipality: str
    public_url: str
    proxies: NonNegative
    citizen_page_cache_s: NonNegative  # seconds (0: off); booking.page_versions
    citizen_page_cache_size: Positive

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


class DatabaseSettings(Section):
    url: Annotated[str, Field(min_length=1)]
    echo: bool
    retry_after_s: Annotated[int, Field(ge=1, le=3600)]
    connect_timeout_s: Annotated[int, Field(ge=1, le=120)]


class SecuritySettings(Section):
    cpr_hash_key: Annotated[str, Field(min_length=1)]
    cpr_hash_key_previous: str
    citizen_link_days: Positive
    login_rate_limit: str
    login_rate_limit_per_address: str
    rate_limit_storage: str
    citizen_reads_per_hour: Positive
    citizen_purpose_minutes: Positive
    argon2_time_cost: Positive
    argon2_memory_kib: Annotated[int, Field(ge=8)]
    reset_link_hours: Positive
    api_rate_limit: str  # per API key on /api/v1 (Flask-Limiter syntax)


class RulesSettings(Section):
    active: str
    self_booking_days: NonNegative
    due_soon_days: Positive
    overdue_lookback_days: NonNegative
    exemption_warn_share: Share


class BookingSettings(Section):
    cancellation_cutoff_hours: NonNegative
    reminder_hours: tuple[Positive, ...]
    slots_shown: Annotated[int, Field(ge=1, le=500)]

    @field_validator("reminder_hours", mode="before")
    @classmethod
    def _list_to_tuple(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value


class CalendarSettings(Section):
    optional_closed: tuple[str, ...]
    feed_full_names: bool

    @field_validator("optional_closed", mode="before")
    @classmethod
    def _list_to_tuple(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value


class RehabSettings(Section):
    lead_days: NonNegative
    material_alert_days: NonNegative
    projection_seed: int
    projection_runs: Annotated[int, Field(ge=1, le=100)]


class TargetSettings(Section):
    interim: Share
    goal: Share


class CallinSettings(Section):
    overflow_risk: Annotated[float, Field(gt=0.0, lt=1.0)]
    prior_strength: Annotated[float, Field(gt=0.0)]
    indicator_months: Positive
    figure_weeks: Positive
    prior_mean: dict[str, Share]
    min_notice_working_days: Annotated[int, Field(ge=0, le=60)]
    checkin_opens_minutes: Annotated[int, Field(ge=0, le=720)]
    checkin_undo_minutes: Annotated[int, Field(ge=1, le=240)]

    @field_validator("prior_mean")
    @classmethod
    def _has_default(cls, value: dict[str, float]) -> dict[str, float]:
        if "default" not in value:
            raise ValueError("needs a 'default' entry")
        return value

    def prior_for(self, target_group: str | None) -> float:
        """Prior mean show probability of a target group ("default" for the others)."""
        if target_group and target_group in self.prior_mean:
            return self.prior_mean[target_group]
        return self.prior_mean["default"]


class SolverLimits(Section):
    time_limit_s: Annotated[float, Field(gt=0.0)]
    num_workers: Positive


class PlanningSettings(Section):
    horizon_weeks: Annotated[int, Field(ge=1, le=52)]
    lock_days: NonNegative
    nightly_hour: Annotated[int, Field(ge=0, le=23)]
    event_delay_s: Annotated[float, Field(ge=0.0, le=3600.0)]


class QueueSettings(Section):
    backend: Literal["sqlite", "redis", "immediate"]
    url: str


class MailSettings(Section):
    smtp_host: str
    smtp_port: Annotated[int, Field(ge=1, le=65535)]
    smtp_starttls: bool
    username: str
    password: str
    sender: str
    max_attempts: Positive
    retry_minutes: Annotated[float, Field(gt=0.0)]
    timeout_s: Annotated[float, Field(gt=0.0)]


class OutboxSettings(Section):
    sms_log: str
    digital_post_log: str
    batch_size: Positive


class AuditSettings(Section):
    read_flush_seconds: Annotated[float, Field(gt=0.0, le=60.0)]
    read_batch: Positive


class WhatIfSettings(Section):
    seeds: Annotated[int, Field(ge=1, le=200)]
    weeks: Annotated[int, Field(ge=1, le=104)]
    inflow_weeks: Annotated[int, Field(ge=1, le=260)]
    jobs: NonNegative


class DemoSettings(Section):
    seed: int
    citizens: Positive
    caseworkers_per_unit: Positive
    weeks_of_slots: Positive


class Settings(Section):
    """Everything config.toml holds, typed; plus where the instance folder is."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    app: AppSettings
    database: DatabaseSettings
    security: SecuritySettings
    rules: RulesSettings
    booking: BookingSettings
    calendar: CalendarSettings
    rehab: RehabSettings
    targets: TargetSettings
    callin: CallinSettings
    solver: SolverLimits
    planning: PlanningSettings
    queue: QueueSettings
    mail: MailSettings
    outbox: OutboxSettings
    demo: DemoSettings
    audit: AuditSettings
    whatif: WhatIfSettings
    instance_path: str = Field(default=str(DEFAULT_INSTANCE), exclude=True)

    @cached_property
    def zone(self) -> ZoneInfo:
        """The configured time zone: every local date and time in the app is in it."""
        return ZoneInfo(self.app.timezone)

    @property
    def database_url(self) -> str:
        """The database URL with a relative SQLite path resolved inside the instance folder."""
        url = self.database.url
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            relative = url.removeprefix("sqlite:///")
            if relative and relative != ":memory:":
                return f"sqlite:///{Path(self.instance_path) / relative}"
        return url

    def with_changes(self, overrides: Mapping[str, Any]) -> Settings:
        """A copy with ``overrides`` laid over section by section, validated again."""
        return validate(merge(self.model_dump(), dict(overrides)), self.instance_path)


def merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``extra`` into a copy of ``base``."""
    out = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in base.items()}
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def read_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    try:
        with Path(path).open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise SettingsError([f"{path}: cannot be read ({exc.strerror})"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError([f"{path}: not valid TOML ({exc})"]) from None


def raw_settings(
    path: str | os.PathLike[str] | None = None, *, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """config.toml, the RETTIDIG_CONFIG file (or ``path``) laid over it, then the environment."""
    environ = os.environ if environ is None else environ
    raw = read_toml(DEFAULT_CONFIG)
    chosen = path or environ.get("RETTIDIG_CONFIG")
    if chosen and Path(chosen).resolve() != DEFAULT_CONFIG:
        raw = merge(raw, read_toml(chosen))
    for env, (section, key) in ENV_OVERRIDES.items():
        value = environ.get(env)
        if value:
            raw.setdefault(section, {})[key] = value
    if environ.get("REDIS_URL"):
        raw.setdefault("security", {})["rate_limit_storage"] = environ["REDIS_URL"]
    return raw


def validate(
    raw: Mapping[str, Any], instance_path: str | os.PathLike[str] | None = None
) -> Settings:
    """Validate raw settings; SettingsError lists every problem with the key's path."""
    data = dict(raw)
    data["instance_path"] = str(instance_path or DEFAULT_INSTANCE)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError([_problem(err) for err in exc.errors()]) from None


def _problem(err: Any) -> str:
    path = ".".join(str(part) for part in err["loc"])
    if err["type"] == "extra_forbidden":
        return f"{path}: unknown setting"
    if err["type"] == "missing":
        return f"{path}: missing (config.toml must name it)"
    return f"{path}: {err['msg']}"


def load_settings(
    path: str | os.PathLike[str] | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    instance_path: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Read, merge and validate the settings (see the module docstring)."""
    raw = raw_settings(path, environ=environ)
    if overrides:
        raw = merge(raw, overrides)
    return validate(raw, instance_path)
