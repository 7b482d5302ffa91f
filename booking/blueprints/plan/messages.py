"""Danish (translatable) text for the conversation plan: refusals, stages, the reason of each
move and an explanation with the action that fixes it for each unplanned conversation.

Parameters arrive as the planner stores them (ISO dates, ids, channel names); dates are shown
as "1. marts" (or "1 March") in the active language, with the year when it is not this year,
channels in words, and caseworkers and units by the names the page's service resolved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...extensions import select_locale
from ...services.clock import today_local
from ...services.errors import FormErrors, ServiceError
from ...services.planning.pages import ProposalRow, UnplannedRow
from ..messages import translate

MESSAGES = {
    # start (FormErrors fields "units" and "weeks")
    "no_units": _l("Vælg mindst én enhed."),
    "unknown_unit": _l("Vælg en af de viste enheder."),
    "bad_weeks": _l("Horisonten skal være et helt antal uger mellem 1 og %(max)s."),
    # a page of runs
    "unknown_runs": _l("Planen findes ikke, eller du har ikke adgang til den."),
    "not_found": _l("Planen findes ikke, eller du har ikke adgang til den."),
    # accepting
    "no_selection": _l("Vælg mindst ét forslag."),
    "not_ready": _l("Planen er ikke færdig (%(state)s) og kan ikke godkendes endnu."),
    "superseded": _l(
        "En nyere plan for enheden har erstattet denne. Åbn den nyeste plan. Intet er godkendt."
    ),
    "unknown_proposals": _l(
        "Et eller flere af de valgte forslag findes ikke eller er allerede godkendt. "
        "Intet er godkendt."
    ),
    "depends_on": _l(
        "Forslag %(proposals)s kræver også forslag %(needs)s, som frigør tiden eller dagen. "
        "Vælg dem sammen. Intet er godkendt."
    ),
    "stale": _l(
        "Planen er forældet: %(count)s forslag (nr. %(proposals)s) bygger på bookinger eller "
        "tider, der er ændret, siden planen blev lavet. De er markeret i tabellen. Intet er "
        "godkendt. Planlæg igen, eller godkend de øvrige forslag enkeltvis."
    ),
    "too_soon": _l(
        "Forslag %(proposals)s ligger nu i låseperioden (til og med %(lock_until)s). "
        "Planlæg igen. Intet er godkendt."
    ),
    "seat_taken": _l(
        "En tid i forslag %(proposals)s er blevet optaget i mellemtiden. Planlæg igen. "
        "Intet er godkendt."
    ),
    "citizen_day_taken": _l(
        "En borger har fået en anden samtale %(day)s i mellemtiden. Planlæg igen. "
        "Intet er godkendt."
    ),
    "day_full": _l(
        "En sagsbehandlers dag %(day)s er blevet fuld i mellemtiden. Planlæg igen. "
        "Intet er godkendt."
    ),
    "already_booked": _l(
        "En af samtalerne er blevet booket i mellemtiden. Planlæg igen. Intet er godkendt."
    ),
}

STAGES = {
    "queued": _l("I kø"),
    "loading": _l("Henter data"),
    "solving": _l("Beregner planen"),
    "storing": _l("Gemmer resultatet"),
    "done": _l("Færdig"),
    "failed": _l("Fejlet"),
}

STATES = {
    "queued": _l("I kø"),
    "running": _l("I gang"),
    "done": _l("Klar til godkendelse"),
    "failed": _l("Fejlet"),
    "accepted": _l("Godkendt"),
    "superseded": _l("Erstattet af en nyere plan"),
}

MOVE_REASONS = {
    "slot_unavailable": _l(
        "Tiden %(from)s kan ikke længere bruges (fravær, lukkedag eller sagsbehandleren er "
        "ikke aktiv)."
    ),
    "on_time": _l(
        "Flyttes fra %(from)s til %(to)s og holdes dermed inden planlagt senest (%(deadline)s)."
    ),
    "frees_seat": _l("Giver plads til %(for_citizen)s."),
    "frees_seat_at_risk": _l(
        "Giver plads til %(for_citizen)s, som ellers ikke får samtalen inden planlagt senest."
    ),
    "day_limit": _l(
        "Sagsbehandlerens dag %(from)s har flere end %(max_per_day)s samtaler (maksimum pr. dag)."
    ),
    "citizen_day": _l("Borgeren har en anden samtale %(from)s."),
    "earlier": _l("Stadig efter planlagt senest, men %(days)s dage tidligere."),
    "no_show_margin": _l(
        "Flyttes frem, så der er tid til en ny samtale inden planlagt senest, hvis borgeren "
        "udebliver (sandsynlighed for fremmøde %(percent)s %%)."
    ),
    "objective": _l("Giver en bedre plan samlet set."),
}

WHO = {
    "caseworker": _l("hos den koordinerende sagsbehandler %(name)s"),
    "unit": _l("hos sagsbehandlerne i %(name)s"),
}

# (why, what fixes it); a key with ".unit" is used when the conversation is planned in the pool
UNPLANNED = {
    "no_slot": (
        _l("Ingen tider %(who)s frem til %(last)s."),
        _l("Åbn tider, eller flyt borgeren til puljen."),
    ),
    "no_slot.unit": (
        _l("Ingen tider %(who)s frem til %(last)s."),
        _l("Åbn tider for enhedens sagsbehandlere."),
    ),
    "no_slot_from": (
        _l("Ingen tider %(who)s mellem %(from)s og %(last)s."),
        _l("Åbn tider fra %(from)s, eller flyt borgeren til puljen."),
    ),
    "no_slot_from.unit": (
        _l("Ingen tider %(who)s mellem %(from)s og %(last)s."),
        _l("Åbn tider fra %(from)s for enhedens sagsbehandlere."),
    ),
    "no_channel_slot": (
        _l("Ingen %(channel_times)s %(who)s mellem %(from)s og %(last)s."),
        _l("Åbn %(channel_times)s, eller flyt borgeren til puljen."),
    ),
    "no_channel_slot.unit": (
        _l("Ingen %(channel_times)s %(who)s mellem %(from)s og %(last)s."),
        _l("Åbn %(channel_times)s for enhedens sagsbehandlere."),
    ),
    "no_long_slot": (
        _l("Ingen %(channel_times)s på mindst %(minutes)s minutter %(who)s mellem %(from)s og "
           "%(last)s."),
        _l("Åbn tider på mindst %(minutes)s minutter, eller flyt borgeren til puljen."),
    ),
    "no_long_slot.unit": (
        _l("Ingen %(channel_times)s på mindst %(minutes)s minutter %(who)s mellem %(from)s og "
           "%(last)s."),
        _l("Åbn tider på mindst %(minutes)s minutter for enhedens sagsbehandlere."),
    ),
    "slots_used": (
        _l("Alle %(slots)s egnede %(channel_times)s %(who)s mellem %(first)s og %(last)s er "
           "brugt: %(detail)s."),
        _l("Åbn flere tider før %(deadline)s, eller flyt borgeren til puljen."),
    ),
    "slots_used.unit": (
        _l("Alle %(slots)s egnede %(channel_times)s %(who)s mellem %(first)s og %(last)s er "
           "brugt: %(detail)s."),
        _l("Åbn flere tider for enhedens sagsbehandlere før %(deadline)s."),
    ),
    "no_caseworker": (
        _l("Enheden %(unit_name)s har ingen sagsbehandlere."),
        _l("Tilknyt en sagsbehandler til enheden, eller flyt borgeren til en anden enhed."),
    ),
    "no_channel": (
        _l("Samtalen kan kun holdes som %(channels)s, og det kan borgeren ikke."),
        _l("Ret borgerens eller samtalens kanaler, eller book samtalen centralt."),
    ),
    "channel_conflict": (
        _l("Samtalens kanaler (%(channels)s) passer ikke med kanalerne til borgerens "
           "tidligere samtale."),
        _l("Book samtalen centralt med en kanal, borgeren kan bruge."),
    ),
    "solver_error": (
        _l("Planlæggeren fejlede (%(error)s)."),
        _l("Prøv igen. Kontakt support, hvis det gentager sig."),
    ),
    "unplanned": (
        _l("Samtalen kunne ikke planlægges."),
        _l("Book samtalen centralt."),
    ),
}

USED_PARTS = {
    "taken": _l("%(n)s er optaget af andre samtaler"),
    "day_limit": _l("%(n)s ligger på dage, hvor sagsbehandleren har nået sit maksimum pr. dag"),
    "own": _l("%(n)s ligger på dage, hvor borgeren allerede har en samtale"),
}
AFTER_DEADLINE = _l("Alle ligger efter planlagt senest.")
RAISE_LIMIT = _l("Du kan også hæve sagsbehandlerens maksimum pr. dag.")

CHANNEL_NAMES = {"in_person": _l("fremmøde"), "phone": _l("telefon"), "video": _l("video")}
CHANNEL_TIMES = {
    "in_person": _l("fremmødetider"),
    "phone": _l("telefontider"),
    "video": _l("videotider"),
}
ANY_TIMES = _l("tider")
OR = _l("eller")

DATE_KEYS = ("from", "to", "deadline", "first", "last", "day", "lock_until", "horizon_end",
             "statutory_deadline")


def day_text(value: date | str | None) -> str:
    """A day as "1. marts" (Danish) or "1 March" (English); the year when it is not this one."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    english = select_locale() == "en"
    if value.year == today_local().year:
        return format_date(value, "d MMMM" if english else "d. MMMM")
    return format_date(value, "d MMMM y" if english else "d. MMMM y")


def either(words: Iterable[Any]) -> str:
    """"a, b eller c" (or "a, b or c")."""
    items = [str(w) for w in words]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {OR} {items[-1]}"


def _numbers(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def prepared(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as the messages show them (dates in words, lists as "1, 2")."""
    out = dict(params)
    for key in DATE_KEYS:
        if key in out:
            out[key] = day_text(out[key])
    for key in ("proposals", "needs"):
        if key in out:
            out["count"] = len(out[key]) if isinstance(out[key], list | tuple) else 1
            out[key] = _numbers(out[key])
    if "state" in out:
        out["state"] = str(STATES.get(str(out["state"]), out["state"]))
    return out


def message(err: ServiceError) -> str:
    """A refusal of the plan pages in the user's language."""
    return translate(ServiceError(err.code, **prepared(err.params)), MESSAGES)


def field_messages(err: FormErrors) -> dict[str, str]:
    """Each refused field of the start form: field name → message."""
    return {name: message(problem) for name, problem in err.fields.items()}


def stage_text(stage: str | None) -> str:
    return str(STAGES.get(stage or "", stage or ""))


def state_text(state: str | None) -> str:
    return str(STATES.get(state or "", state or ""))


def reason_text(row: ProposalRow) -> str:
    """Why a move is proposed ("" for a new booking)."""
    if row.kind != "move" or not row.reason:
        return ""
    params = prepared(row.reason_params)
    code = row.reason
    if code == "frees_seat":
        params["for_citizen"] = row.reason_params.get("for_citizen_name") or _("en anden borger")
        code = "frees_seat_at_risk" if row.reason_params.get("at_risk") else "frees_seat"
    if code == "no_show_margin":
        params["percent"] = round(100 * float(row.reason_params.get("show_probability") or 0))
    text = MOVE_REASONS.get(code, MOVE_REASONS["objective"])
    return str(text) % _safe(params)


def _channel_times(names: Iterable[str]) -> str:
    words = [CHANNEL_TIMES[n] for n in names if n in CHANNEL_TIMES]
    return either(words) if words else str(ANY_TIMES)


def _used_detail(params: Mapping[str, Any]) -> str:
    parts = [str(text) % {"n": params[key]} for key, text in USED_PARTS.items()
             if params.get(key)]
    return "; ".join(parts)


def unplanned_texts(row: UnplannedRow) -> tuple[str, str]:
    """(why the conversation could not be placed, what fixes it) in the user's language."""
    raw = row.params
    pool = raw.get("pool")
    code = row.code if row.code in UNPLANNED else "unplanned"
    key = f"{code}.unit" if pool == "unit" and f"{code}.unit" in UNPLANNED else code
    params = prepared(raw)
    if pool == "unit":
        params["who"] = str(WHO["unit"]) % {"name": raw.get("unit_name") or raw.get("unit")}
    else:
        params["who"] = str(WHO["caseworker"]) % {
            "name": raw.get("caseworker_name") or raw.get("caseworker") or ""}
    params.setdefault("last", params.get("horizon_end", ""))
    params["channel_times"] = _channel_times(raw.get("channels") or ())
    params["channels"] = either(CHANNEL_NAMES.get(c, c) for c in raw.get("channels") or ())
    params["deadline"] = day_text(row.who.deadline)
    params.setdefault("unit_name", raw.get("unit", ""))
    params.setdefault("error", raw.get("message") or "")
    if code == "slots_used":
        params["detail"] = _used_detail(raw) or "–"
    why, action = UNPLANNED[key]
    why_text = str(why) % _safe(params)
    action_text = str(action) % _safe(params)
    if code == "slots_used" and raw.get("after_deadline"):
        why_text = f"{why_text} {AFTER_DEADLINE}"
    if code == "slots_used" and raw.get("day_limit") and pool != "unit":
        action_text = f"{action_text} {RAISE_LIMIT}"
    return why_text, action_text


class _safe(dict[str, Any]):
    """Parameters for %-formatting where a missing one reads as empty, never an error."""

    def __missing__(self, key: str) -> str:
        return ""
