"""One way to validate input: pydantic models, with every problem as a `path: message` line.

Both input formats of the package are pydantic models: the planning problem
(`solver.schema`, JSON) and the simulation scenario (`solver.simulation.scenario`, TOML). This
module holds what they share:

* `invalid` — the error a check on one value raises, worded for the reader (`not a date`);
* `Issue` and `issues` — a problem with its location, and a `ValidationError` turned into
  issues, pydantic's own error types worded by a table the format gives (`missing`, …);
* `json_path` — `("conversations", 3, "deadline")` → `conversations[3].deadline`;
* `document_order` — a sort key that puts issues in the order of the model's fields, so that
  checks made after pydantic (references between lists) interleave with its errors as a
  reader goes through the file;
* `salvage` — after a failed validation, what did validate, field by field and item by item,
  so that those later checks still run on every part that is well-formed.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

Loc = tuple[str | int, ...]
T = TypeVar("T")

#: error type of the formats' own checks: the message is the reader's text as it is
CHECK = "check"


def invalid(message: str) -> PydanticCustomError:
    """The error of a check on one value (`raise invalid("not a date")`)."""
    return PydanticCustomError(CHECK, "{message}", {"message": message})


def problem_at(at: str | Loc, message: str) -> PydanticCustomError:
    """The error of a check on a whole model that is about one of its keys (`at`, relative to
    the model), so that the path names the key, not the model."""
    at = (at,) if isinstance(at, str) else at
    return PydanticCustomError(CHECK, "{message}", {"message": message, "at": at})


def json_path(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "$"


@dataclass(frozen=True)
class Issue:
    loc: Loc
    message: str

    def __str__(self) -> str:
        return f"{json_path(self.loc)}: {self.message}"


def issues(exc: ValidationError, wording: Mapping[str, str]) -> list[Issue]:
    """The errors of a validation, worded: our checks as raised, pydantic's own error types by
    `wording` (its `str.format` fields are the error's context), else pydantic's message."""
    out = []
    for err in exc.errors(include_url=False):
        ctx = err.get("ctx") or {}
        loc = tuple(err["loc"]) + tuple(ctx.get("at", ()))
        if err["type"] == CHECK:
            message = err["msg"]
        elif err["type"] in wording:
            message = wording[err["type"]].format(**ctx)
        else:
            message = err["msg"]
        out.append(Issue(loc, message))
    return out


def document_order(model: type[BaseModel], loc: Loc) -> tuple[int, ...]:
    """A sort key of `loc` by the order of the fields of `model` (and of its nested models);
    list indices as they are, keys the model does not know after the known ones."""
    ranks = []
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            ranks.append(part)
            continue
        fields = _field_ranks(current) if current is not None else {}
        rank = fields.get(part)
        if rank is None:
            ranks.append(len(fields))
            current = None
        else:
            ranks.append(rank)
            current = _nested_model(current, part) if current is not None else None
    return tuple(ranks)


def sorted_issues(model: type[BaseModel], found: Iterable[Issue]) -> list[Issue]:
    return sorted(found, key=lambda i: document_order(model, i.loc))


def salvage(model: type[BaseModel], raw: Mapping[str, Any],
            context: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The fields of `raw` that validate on their own, as `model` would have them (absent
    fields: their defaults). A field that is a (list of) nested model is salvaged in turn:
    its items are then models, dicts of their valid fields, or None (not an object)."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key not in raw:
            if not info.is_required():
                out[name] = info.get_default(call_default_factory=True)
            continue
        value = raw[key]
        try:
            out[name] = field_adapter(model, name).validate_python(value, context=context)
        except ValidationError:
            nested = _nested_model(model, name)
            if nested is None:
                continue
            if _is_list(model, name):
                if isinstance(value, list):
                    out[name] = [_one(nested, item, context) for item in value]
            elif isinstance(value, Mapping):
                out[name] = _one(nested, value, context)
    return out


def part(item: Any, name: str) -> Any:
    """Field `name` of a validated model or of a salvaged dict; None if it did not validate."""
    if isinstance(item, BaseModel):
        return getattr(item, name)
    if isinstance(item, dict):
        return item.get(name)
    return None


def _one(model: type[BaseModel], raw: Any, context: Mapping[str, Any] | None) -> Any:
    if not isinstance(raw, Mapping):
        return None
    try:
        return model.model_validate(raw, context=context)
    except ValidationError:
        return salvage(model, raw, context)


_ADAPTERS: dict[tuple[type[BaseModel], str], TypeAdapter[Any]] = {}
_RANKS: dict[type[BaseModel], dict[str, int]] = {}


def field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    """Validation of one field of `model` on its own (its type with all its checks)."""
    key = (model, name)
    adapter = _ADAPTERS.get(key)
    if adapter is None:
        info = model.model_fields[name]
        annotation: Any = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata \
            else info.annotation
        adapter = _ADAPTERS[key] = TypeAdapter(annotation)
    return adapter


def _field_ranks(model: type[BaseModel]) -> dict[str, int]:
    ranks = _RANKS.get(model)
    if ranks is None:
        ranks = {}
        for i, (name, info) in enumerate(model.model_fields.items()):
            ranks[name] = i
            if info.alias:
                ranks[info.alias] = i
        _RANKS[model] = ranks
    return ranks


def _unwrap(annotation: Any) -> list[Any]:
    """The types inside `X | None`, `list[X]`, `tuple[X, ...]`."""
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, typing.Union, types.UnionType):
        return [a for arg in typing.get_args(annotation) for a in _unwrap(arg)]
    return [annotation]


def _nested_model(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    info = model.model_fields.get(name)
    if info is None:
        name = next((n for n, i in model.model_fields.items() if i.alias == name), name)
        info = model.model_fields.get(name)
    if info is None:
        return None
    for inner in _unwrap(info.annotation):
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return None


def _is_list(model: type[BaseModel], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    return typing.get_origin(annotation) is list or any(
        typing.get_origin(a) is list for a in typing.get_args(annotation))


def or_default(check: Callable[[Any], T], default: T) -> Callable[[Any], T]:
    """An optional value: JSON `null` (or TOML's absence) means the default."""
    def read(value: Any) -> T:
        return default if value is None else check(value)

    return read


def one_of(options: Sequence[str], message: str | None = None) -> Callable[[Any], str]:
    text = message or f"not one of {', '.join(options)}"

    def read(value: Any) -> str:
        if isinstance(value, str) and value in options:
            return value
        raise invalid(text)

    return read
