"""Find what to fuzz: every role's pages (followed from its home page through the links), every
form on them (fields read from the rendered HTML), the query strings in the links, and the
names the views read from ``request.args`` / ``request.form`` in the sources.

Nothing here knows a particular route: a new page, form, field or query-string name is found
by the crawl (or by the source scan), and :func:`unreached` names the routes the crawl did not
reach so a test can insist on each of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import MapAdapter

ROOT = Path(__file__).resolve().parents[2]
BLUEPRINTS = ROOT / "booking" / "blueprints"

# never followed or fuzzed by a logged-in crawler: it would end the crawler's own session
LEAVES_SESSION = {"auth.logout"}


@dataclass
class Field:
    name: str
    kind: str  # an <input> type, "select", "select-multiple" or "textarea"
    values: list[str] = field(default_factory=list)  # values the page offers (may be empty)


@dataclass
class Form:
    method: str
    action: str  # path with query string, as the page gives it
    fields: list[Field] = field(default_factory=list)

    @property
    def multipart(self) -> bool:
        return any(f.kind == "file" for f in self.fields)


class _PageParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def _field(self, name: str, kind: str) -> Field:
        assert self._form is not None
        for f in self._form.fields:
            if f.name == name:
                return f
        found = Field(name, kind)
        self._form.fields.append(found)
        return found

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            action = a.get("action") or self.page_url
            self._form = Form((a.get("method") or "get").upper(), action)
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            self._select.values.append(a["value"] if "value" in a else "")
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            f = self._field(a["name"], kind)
            if "value" in a:
                f.values.append(a["value"])
            elif kind == "checkbox":
                f.values.append("on")
        elif tag == "select":
            self._select = self._field(
                a["name"], "select-multiple" if "multiple" in a else "select"
            )
        elif tag == "textarea":
            self._textarea = self._field(a["name"], "textarea")
        elif tag == "button" and "value" in a:
            self._field(a["name"], "button").values.append(a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and data.strip():
            self._textarea.values.append(data.strip())


def parse_page(page_url: str, html: str) -> tuple[list[Form], list[str]]:
    parser = _PageParser(page_url)
    parser.feed(html)
    return parser.forms, parser.links


@dataclass
class Target:
    """One endpoint to fuzz as one role: a concrete URL, a method and the fields it reads."""

    role: str
    endpoint: str
    method: str
    path: str
    fields: dict[str, Field] = field(default_factory=dict)

    def add(self, f: Field) -> None:
        known = self.fields.get(f.name)
        if known is None:
            self.fields[f.name] = Field(f.name, f.kind, list(dict.fromkeys(f.values)))
        else:
            known.values = list(dict.fromkeys(known.values + f.values))
            if known.kind in ("text", "hidden") and f.kind not in ("text", "hidden"):
                known.kind = f.kind

    @property
    def multipart(self) -> bool:
        return any(f.kind == "file" for f in self.fields.values())


def _endpoint(urls: MapAdapter, path: str, method: str) -> str | None:
    try:
        endpoint, _args = urls.match(path, method=method)
    except HTTPException:
        return None
    return str(endpoint)


@dataclass
class Crawl:
    """What one role reached: a target per (endpoint, method), and every page it saw."""

    role: str
    targets: dict[tuple[str, str], Target] = field(default_factory=dict)
    pages: int = 0

    def target(self, endpoint: str, method: str, path: str) -> Target:
        key = (endpoint, method)
        if key not in self.targets:
            self.targets[key] = Target(self.role, endpoint, method, path)
        return self.targets[key]


def crawl(app: Flask, client, role: str, start: Iterable[str], *, max_pages: int = 120) -> Crawl:
    """Breadth-first over the role's links (GET only, same site), reading every form."""
    urls = app.url_map.bind("localhost")
    found = Crawl(role)
    queue = list(start)
    seen_paths: set[str] = set()
    per_endpoint: dict[str, int] = {}
    while queue and found.pages < max_pages:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc and parts.netloc not in ("localhost",):
            continue
        path = parts.path
        endpoint = _endpoint(urls, path, "GET")
        if endpoint is None or endpoint in LEAVES_SESSION or endpoint == "static":
            continue
        if role != "anonymous" and endpoint in ("auth.citizen_link", "auth.set_language"):
            continue  # a link would log the crawler in as someone else / change its language
        target = found.target(endpoint, "GET", path)
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            target.add(Field(name, "query", [value]))
        key = path + "?" + parts.query
        if key in seen_paths or per_endpoint.get(endpoint, 0) >= 3:
            continue
        seen_paths.add(key)
        per_endpoint[endpoint] = per_endpoint.get(endpoint, 0) + 1
        response = client.get(url)
        found.pages += 1
        if response.status_code >= 500:
            raise AssertionError(f"{role}: GET {url} answered {response.status_code}")
        if not response.mimetype.startswith("text/html"):
            continue
        forms, links = parse_page(url, response.get_data(as_text=True))
        for form in forms:
            action = urlsplit(form.action)
            action_endpoint = _endpoint(urls, action.path or path, form.method)
            if action_endpoint is None or action_endpoint in LEAVES_SESSION:
                continue
            form_target = found.target(action_endpoint, form.method, action.path or path)
            for name, value in parse_qsl(action.query, keep_blank_values=True):
                form_target.add(Field(name, "query", [value]))
            for f in form.fields:
                form_target.add(f)
        queue.extend(link for link in links if not link.startswith(("#", "mailto:")))
    return found


# --- the names views read, from the sources ---------------------------------------------------

_READ = re.compile(r"request\.(args|form|values|files)\.(?:get|getlist)\(\s*[\"']([^\"']+)[\"']")


def names_read_in_sources() -> dict[str, set[tuple[str, str]]]:
    """Python module → {(where, name)} for every ``request.args/form/values/files`` read with a
    literal name; ``where`` is "args", "form", "values" or "files"."""
    out: dict[str, set[tuple[str, str]]] = {}
    for path in BLUEPRINTS.rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for where, name in _READ.findall(path.read_text(encoding="utf-8")):
            out.setdefault(module, set()).add((where, name))
    return out


def add_source_names(app: Flask, targets: Iterable[Target]) -> None:
    """Give each target the names its view's module reads (query string for GET, form or
    query string for POST), so a name read only in code is fuzzed too."""
    read = names_read_in_sources()
    for target in targets:
        view = app.view_functions[target.endpoint]
        for where, name in read.get(view.__module__, ()):
            if name in target.fields:
                continue
            if where == "args" or (where == "values" and target.method == "GET"):
                target.add(Field(name, "query"))
            elif where in ("form", "values") and target.method == "POST":
                target.add(Field(name, "text"))
            elif where == "files" and target.method == "POST":
                target.add(Field(name, "file"))


def rule_endpoints(app: Flask) -> set[tuple[str, str]]:
    """Every (endpoint, method) the app answers, except static files and HEAD/OPTIONS."""
    out = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods or ():
            if method in ("GET", "POST"):
                out.add((rule.endpoint, method))
    return out
