"""Targets from the crawl (plus the routes it did not reach), and a bounded Hypothesis run per
target that fails on any 5xx."""

from __future__ import annotations

import inspect
import io
import logging
import re
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import Flask
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from wtforms import (
    BooleanField,
    DateField,
    FileField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.fields.core import UnboundField

from .crawl import LEAVES_SESSION, Field, Target, add_source_names, crawl, rule_endpoints
from .strategies import NASTY, field_value, ics_file
from .world import World

# which role a route the crawl did not reach is fuzzed as, by blueprint (admin may enter
# every staff room)
FALLBACK_ROLE = {"auth": "anonymous", "citizen": "citizen-booked"}


def form_classes(view) -> list[type[FlaskForm]]:
    """The FlaskForm classes a view function builds (named in its source)."""
    source = inspect.getsource(view)
    module = inspect.getmodule(view)
    found = []
    for name in dict.fromkeys(re.findall(r"\b([A-Z]\w*Form)\(", source)):
        cls = getattr(module, name, None)
        if isinstance(cls, type) and issubclass(cls, FlaskForm):
            found.append(cls)
    return found


def form_fields(cls: type[FlaskForm]) -> dict[str, Field]:
    """The fields a FlaskForm class declares, with the kind of input each renders as."""
    out = {}
    for name in dir(cls):
        unbound = getattr(cls, name, None)
        if not isinstance(unbound, UnboundField):
            continue
        klass = unbound.field_class
        kind = "text"
        for base, label in (
            (TextAreaField, "textarea"),
            (DateField, "date"),
            (IntegerField, "number"),
            (FileField, "file"),
            (SelectMultipleField, "select-multiple"),
            (SelectField, "select"),
            (BooleanField, "checkbox"),
        ):
            if issubclass(klass, base):
                kind = label
                break
        out[name] = Field(name, kind)
    return out


def all_blueprint_forms() -> list[type[FlaskForm]]:
    """Every FlaskForm subclass defined under booking.blueprints (imported by the app)."""
    out, todo = [], list(FlaskForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("booking.blueprints"):
            out.append(cls)
    return sorted(out, key=lambda c: (c.__module__, c.__name__))


@dataclass
class Plan:
    targets: list[Target]
    crawled: set[tuple[str, str]]
    fallback: set[tuple[str, str]] = field(default_factory=set)


def plan(world: World) -> Plan:
    app = world.app
    targets: list[Target] = []
    for role, client in world.clients.items():
        targets.extend(crawl(app, client, role, world.starts[role]).targets.values())
    crawled = {(t.endpoint, t.method) for t in targets}
    seen_args = _seen_args(app, targets)
    result = Plan(targets, crawled)
    for endpoint, method in sorted(rule_endpoints(app) - crawled):
        if endpoint in LEAVES_SESSION:
            continue
        target = _fallback(app, world, endpoint, method, seen_args)
        targets.append(target)
        result.fallback.add((endpoint, method))
    for target in targets:
        for cls in form_classes(app.view_functions[target.endpoint]):
            if target.method == "POST" or getattr(cls.Meta, "csrf", True) is False:
                for f in form_fields(cls).values():
                    if not any(_bare(n) == f.name for n in target.fields):
                        target.add(f)
    add_source_names(app, targets)
    return result


def _bare(name: str) -> str:
    """A field name without a WTForms prefix ("c12-note" → "note")."""
    return name.rsplit("-", 1)[-1]


def _seen_args(app: Flask, targets: Iterable[Target]) -> dict[str, str]:
    urls = app.url_map.bind("localhost")
    seen: dict[str, str] = {}
    for t in targets:
        try:
            _endpoint, args = urls.match(t.path, method=t.method)
        except HTTPException:
            continue
        for name, value in args.items():
            seen.setdefault(name, str(value))
    return seen


def _fallback(app: Flask, world: World, endpoint: str, method: str, seen: dict[str, str]):
    rule = next(r for r in app.url_map.iter_rules(endpoint))
    values = {}
    for name in rule.arguments:
        if name == "token":
            values[name] = next(iter((world.citizen_tokens or {}).values()), "x")
        else:
            values[name] = seen.get(name, "1")
    with app.test_request_context():
        from flask import url_for

        path = url_for(endpoint, **values)
    blueprint = endpoint.split(".", 1)[0]
    role = FALLBACK_ROLE.get(blueprint, "admin")
    return Target(role, endpoint, method, path)


# --- the run ----------------------------------------------------------------------------------


class _Errors(logging.Handler):
    """Collects the tracebacks the app logs: the 500 handler logs every unexpected error, and
    a value the database refused (answered 400 as a safety net) is logged as a warning with its
    traceback: both mean the input reached further than it should have."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.records.append("".join(traceback.format_exception(*record.exc_info))[-3000:])


@dataclass
class Failure:
    target: Target
    request: str
    status: int
    trace: str

    def __str__(self) -> str:
        return f"{self.target.role}: {self.request} -> {self.status}\n{self.trace}".rstrip()


def _path_variants(app: Flask, target: Target) -> st.SearchStrategy[str]:
    """The target's own path, or the same route with another id in one of its <int:…>."""
    urls = app.url_map.bind("localhost")
    endpoint, args = urls.match(target.path, method=target.method)
    ints = [k for k, v in args.items() if isinstance(v, int)]
    if not ints:
        return st.just(target.path)

    def other(values: tuple[str, int]) -> str:
        name, number = values
        return urls.build(endpoint, {**args, name: number}, force_external=False)

    changed = st.tuples(st.sampled_from(ints), st.integers(min_value=1, max_value=2**31 - 1)).map(
        other
    )
    raw = st.sampled_from(ints).map(
        lambda name: target.path.replace(f"/{args[name]}", f"/{'9' * 20}", 1)
    )
    return st.one_of(st.just(target.path), st.just(target.path), changed, raw)


def fuzz(world: World, target: Target, examples: int, *, budget_s: float = 3.0) -> list[Failure]:
    """Up to ``examples`` Hypothesis examples, within ``budget_s`` seconds (a route whose
    requests start heavy work, like a what-if simulation, gets fewer)."""
    stop_at = time.monotonic() + budget_s
    app = world.app
    failures: list[Failure] = []
    errors = _Errors()
    paths = _path_variants(app, target)
    query_fields = [f for f in target.fields.values() if f.kind == "query"]
    body_fields = [f for f in target.fields.values() if f.kind != "query"]
    if target.method == "GET":
        query_fields, body_fields = list(target.fields.values()), []

    def draw_values(data, fields: list[Field]) -> dict[str, object]:
        out: dict[str, object] = {}
        for f in fields:
            how = data.draw(st.integers(0, 9), label=f"how {f.name}")
            if how == 0:
                continue
            if f.kind == "file":
                body = data.draw(ics_file(), label=f.name)
                name = data.draw(st.sampled_from(["lukket.ics", "a\x00.ics", "x" * 300]))
                out[f.name] = (io.BytesIO(body), name)
            elif how == 1 or f.kind in ("select-multiple",) and how < 4:
                out[f.name] = data.draw(st.lists(field_value(f), max_size=3), label=f.name)
            else:
                out[f.name] = data.draw(field_value(f), label=f.name)
        if data.draw(st.integers(0, 9), label="extra") == 0:
            out[data.draw(st.sampled_from(NASTY[:12]))] = data.draw(st.sampled_from(NASTY))
        return out

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def run(data) -> None:
        # past the budget every example still draws what it would have drawn (Hypothesis
        # checks that a choice sequence it meets again draws the same), it only sends nothing;
        # after a failure the replay that reports it sends again
        path = data.draw(paths, label="path")
        query = draw_values(data, query_fields)
        body = draw_values(data, body_fields)
        if not failures and time.monotonic() > stop_at:
            return
        failure = _send(world, target, path, query, body, errors)
        if failure is not None:
            failures.append(failure)
            raise AssertionError("5xx")

    app.logger.addHandler(errors)
    try:
        run()
    except AssertionError:
        pass
    finally:
        app.logger.removeHandler(errors)
    return failures[:1]


def _send(
    world: World,
    target: Target,
    path: str,
    query: dict[str, object],
    body: dict[str, object],
    errors: _Errors,
) -> Failure | None:
    """One request as the target's role; a Failure when it answered 5xx or the app logged an
    error (or a value the database refused) while answering."""
    app = world.app
    client = world.clients[target.role]
    if target.role == "anonymous":
        client = app.test_client()
    errors.records.clear()
    shown = {k: (v[1] if isinstance(v, tuple) else v) for k, v in body.items()}
    described = f"{target.method} {path} query={query!r} body={shown!r}"
    try:
        if target.method == "GET":
            response = client.get(path, query_string=query)
        else:
            files = any(isinstance(v, tuple) for v in body.values())
            response = client.post(
                path,
                query_string=query,
                data=body,
                content_type="multipart/form-data" if files else None,
            )
    except Exception:  # an error page that failed: the server would answer 500
        return Failure(target, described, 500, traceback.format_exc()[-3000:])
    if response.status_code >= 500 or errors.records:
        trace = errors.records[-1] if errors.records else response.get_data(as_text=True)
        return Failure(target, described, response.status_code, trace[-3000:])
    return None


# --- the sweep: every field once with each of the values most likely to break something ------

SWEEP: list[str] = [
    "a\x00b",
    "9" * 20,
    str(2**31),
    "-1",
    "nan",
    "inf",
    "9999-12-31",
    "0001-01-01",
    "x" * 300,
]

GOOD_ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fuzz//\r\nBEGIN:VEVENT\r\n"
    b"UID:fuzz-sweep\r\nDTSTART;VALUE=DATE:20270712\r\nDTEND;VALUE=DATE:20270713\r\n"
    b"SUMMARY:Sweep\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _ordinary(f: Field) -> object | None:
    """A value the page itself offers for ``f`` (so that the other fields pass)."""
    if f.kind == "file":
        return (io.BytesIO(GOOD_ICS), "lukket.ics")
    offered = [v for v in f.values if v]
    if f.kind in ("select-multiple", "checkbox") and offered:
        return offered
    return offered[0] if offered else None


def sweep(world: World, target: Target, *, budget_s: float = 6.0) -> list[Failure]:
    """Deterministic: for a GET, every query-string name at once with each :data:`SWEEP` value;
    for a POST, each field in turn with each value, the others as the page offers them (within
    ``budget_s`` seconds)."""
    errors = _Errors()
    names = [f for f in target.fields.values() if f.name != "csrf_token"]
    requests: list[tuple[dict[str, object], dict[str, object]]] = []
    if target.method == "GET":
        requests = [({f.name: value for f in names}, {}) for value in SWEEP]
    else:
        for f in names:
            if f.kind == "file":
                continue
            for value in SWEEP:
                body: dict[str, object] = {}
                for other in names:
                    ordinary = _ordinary(other)
                    if ordinary is not None:
                        body[other.name] = ordinary
                body[f.name] = value
                query = {f.name: value} if f.kind == "query" else {}
                if f.kind == "query":
                    body.pop(f.name)
                requests.append((query, body))
    stop_at = time.monotonic() + budget_s
    world.app.logger.addHandler(errors)
    try:
        for query, body in requests:
            if time.monotonic() > stop_at:
                break
            failure = _send(world, target, target.path, query, body, errors)
            if failure is not None:
                return [failure]
    finally:
        world.app.logger.removeHandler(errors)
    return []
