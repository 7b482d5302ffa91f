"""One renderer for everything the job centre sends a citizen: e-mails, SMS, Digital Post
letters and the texts of their calendar files — in the citizen's own language.

The words live in ``templates/emails/`` (never in service code), each sentence a Danish msgid
(``{{ _("…") }}``) translated through the app's own catalogue (``booking/translations``, the
same ``messages`` domain the pages use; ``babel.cfg`` extracts the letters too). Each file's
first line is its subject (``Subject: …``) or, for a calendar text, the event's summary.
Rendered outside any web request (a background job sends them too), so this is a plain Jinja
environment per language, with Babel's catalogue loaded here and dates formatted by Babel in
the job centre's time zone in that language. Danish is the source language (no catalogue).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache, partial
from gettext import NullTranslations
from typing import Any

from babel.dates import format_date, format_datetime
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..settings import PROJECT_ROOT
from .clock import zone

LETTERS = PROJECT_ROOT / "templates" / "emails"
TRANSLATIONS = PROJECT_ROOT / "booking" / "translations"
LANGUAGES = ("da", "en")  # Danish first (the msgids); the app's interface languages

# Babel date patterns per language: Danish "tirsdag 2. marts 2027 kl. 09:30", English
# "Tuesday 2 March 2027 at 09:30" (as the pages' local_datetime and long_date filters).
WHEN = {"da": "EEEE d. MMMM y 'kl.' HH:mm", "en": "EEEE d MMMM y 'at' HH:mm"}
LONG_DAY = {"da": "EEEE 'd.' d. MMMM y", "en": "EEEE d MMMM y"}


@dataclass(frozen=True)
class Text:
    subject: str
    body: str


def language(code: str | None) -> str:
    """The letters' language for a citizen's ``language`` (``da`` unless it is one we write)."""
    short = (code or "da").strip().lower()[:2]
    return short if short in LANGUAGES else "da"


def when(value: datetime, locale: str = "da") -> str:
    """E.g. "tirsdag 2. marts 2027 kl. 09:30" / "Tuesday 2 March 2027 at 09:30" (local time)."""
    lang = language(locale)
    return format_datetime(value, WHEN[lang], tzinfo=zone(), locale=lang)


def clock_time(value: datetime, locale: str = "da") -> str:
    """E.g. "09:30" (local time)."""
    return format_datetime(value, "HH:mm", tzinfo=zone(), locale=language(locale))


def long_day(value: date, locale: str = "da") -> str:
    """E.g. "mandag d. 1. marts 2027" / "Monday 1 March 2027"."""
    lang = language(locale)
    return format_date(value, LONG_DAY[lang], locale=lang)


@lru_cache(maxsize=len(LANGUAGES))
def translations(locale: str) -> NullTranslations:
    """The compiled catalogue of ``locale`` (read once); Danish is the msgids themselves."""
    if locale == "da":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [locale], domain="messages")


@lru_cache(maxsize=len(LANGUAGES))
def _env(locale: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(LETTERS)),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        when=partial(when, locale=locale),
        clock_time=partial(clock_time, locale=locale),
        long_day=partial(long_day, locale=locale),
    )
    return env


def render(name: str, *, locale: str = "da", **context: Any) -> Text:
    """Render ``templates/emails/<name>`` in ``locale`` (a citizen's language; Danish unless
    it is one we write): the first line is the subject, the rest the body."""
    rendered = _env(language(locale)).get_template(name).render(**context)
    subject, _, body = rendered.partition("\n")
    return Text(subject.removeprefix("Subject: ").strip(), body.lstrip("\n"))


def phrase(template: str, macro: str, *args: Any, locale: str = "da") -> str:
    """Call one macro of ``templates/emails/<template>`` in ``locale``: words the letters use
    that are wanted on their own too (e.g. a calendar file's LOCATION)."""
    module = _env(language(locale)).get_template(template).module
    return str(getattr(module, macro)(*args)).strip()
