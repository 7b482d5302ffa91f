"""One renderer for everything the job centre sends a citizen: e-mails, SMS, Digital Post
letters and the texts of their calendar files.

The words live in ``templates/emails/`` (never in service code); each file's first line is its
subject (``Subject: …``) or, for a calendar text, the event's summary. Rendered outside any web
request (a background job sends them too), so this is a plain Jinja environment of its own, with
dates formatted by Babel in the job centre's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from babel.dates import format_date, format_datetime
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..settings import PROJECT_ROOT
from .clock import zone

LETTERS = PROJECT_ROOT / "templates" / "emails"


@dataclass(frozen=True)
class Text:
    subject: str
    body: str


def when(value: datetime, locale: str = "da") -> str:
    """E.g. "tirsdag 2. marts 2027 kl. 09:30" (local time)."""
    return format_datetime(value, "EEEE d. MMMM y 'kl.' HH:mm", tzinfo=zone(), locale=locale)


def clock_time(value: datetime, locale: str = "da") -> str:
    """E.g. "09:30" (local time)."""
    return format_datetime(value, "HH:mm", tzinfo=zone(), locale=locale)


def long_day(value: date, locale: str = "da") -> str:
    """E.g. "mandag d. 1. marts 2027"."""
    return format_date(value, "EEEE 'd.' d. MMMM y", locale=locale)


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(LETTERS)),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(when=when, clock_time=clock_time, long_day=long_day)
    return env


def render(name: str, **context: Any) -> Text:
    """Render ``templates/emails/<name>``: the first line is the subject, the rest the body."""
    rendered = _env().get_template(name).render(**context)
    subject, _, body = rendered.partition("\n")
    return Text(subject.removeprefix("Subject: ").strip(), body.lstrip("\n"))


def phrase(template: str, macro: str, *args: Any) -> str:
    """Call one macro of ``templates/emails/<template>``: words the letters use that are
    wanted on their own too (e.g. a calendar file's LOCATION)."""
    module = _env().get_template(template).module
    return str(getattr(module, macro)(*args)).strip()
