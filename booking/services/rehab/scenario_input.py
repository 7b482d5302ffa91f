"""The scenario form's text, validated by pydantic into :class:`ScenarioParams`.

Numbers may be written with a decimal comma (``12,5``); the whole-number fields refuse
fractions; every field has a range; NaN and infinity are refused; closed weeks are ISO week
numbers separated by commas (or semicolons). Each pydantic error becomes a field error with a
code (``not_a_number``, ``not_whole``, ``out_of_range`` with ``low``/``high``,
``closed_weeks_format``), raised together as :class:`ScenarioError`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from ..errors import FormErrors, ServiceError
from .projection import ScenarioParams

# field: (minimum, maximum); whole numbers except the inflow
LIMITS: dict[str, tuple[int, int]] = {
    "meetings_per_week": (1, 5),
    "places_per_meeting": (1, 30),
    "lead_days": (0, 42),
    "inflow_per_week": (0, 200),
    "weeks": (1, 52),
}
NAME_MAX = 120

_NOT_A_NUMBER = frozenset(
    {"missing", "int_parsing", "float_parsing", "int_type", "float_type", "finite_number"}
)
_OUT_OF_RANGE = frozenset(
    {"greater_than_equal", "less_than_equal", "greater_than", "less_than", "int_parsing_size"}
)


class ScenarioError(FormErrors):
    """Invalid scenario input: ``fields`` maps a form field to a :class:`FieldError`."""


class FieldError(ServiceError):
    """One field's refusal (the field is the key in :attr:`ScenarioError.fields`)."""


def _decimal(value: Any) -> Any:
    """Form text to a float ("12,5" → 12.5); text that is no number is left for pydantic to
    refuse; NaN and infinity are refused here, before any range is checked."""
    if not isinstance(value, str):
        return value
    try:
        number = float(value.strip().replace(",", "."))
    except ValueError:
        return value
    if not math.isfinite(number):
        raise PydanticCustomError("finite_number", "Input should be a finite number")
    return number


def _week_list(value: Any) -> Any:
    """Text such as "28, 29; 30" into [28, 29, 30]; a part not plain digits stays text."""
    if not isinstance(value, str):
        return value
    parts = (part.strip() for part in value.replace(";", ",").split(","))
    return [int(p) if p.isascii() and p.isdigit() else p for p in parts if p]


def _bounds(field: str) -> Any:
    low, high = LIMITS[field]
    return Field(ge=low, le=high, allow_inf_nan=False)


Number = BeforeValidator(_decimal)
Week = Annotated[int, Field(strict=True, ge=1, le=53)]


class ScenarioInput(BaseModel):
    """The submitted scenario parameters (other form keys, such as the name, are ignored)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    meetings_per_week: Annotated[int, Number, _bounds("meetings_per_week")]
    places_per_meeting: Annotated[int, Number, _bounds("places_per_meeting")]
    lead_days: Annotated[int, Number, _bounds("lead_days")]
    inflow_per_week: Annotated[float, Number, _bounds("inflow_per_week")]
    weeks: Annotated[int, Number, _bounds("weeks")]
    closed_weeks: Annotated[tuple[Week, ...], BeforeValidator(_week_list)] = ()

    def params(self, *, start: date, seed: int, runs: int) -> ScenarioParams:
        return ScenarioParams(
            start=start,
            meetings_per_week=self.meetings_per_week,
            places_per_meeting=self.places_per_meeting,
            lead_days=self.lead_days,
            inflow_per_week=self.inflow_per_week,
            weeks=self.weeks,
            closed_weeks=tuple(sorted(set(self.closed_weeks))),
            seed=seed,
            runs=runs,
        )


def _field_error(field: str, err: ErrorDetails) -> FieldError:
    kind = err["type"]
    if field == "closed_weeks":
        return FieldError("closed_weeks_format")
    if kind in _NOT_A_NUMBER:
        return FieldError("not_a_number")
    if kind == "int_from_float":
        return FieldError("not_whole")
    if kind in _OUT_OF_RANGE and field in LIMITS:
        low, high = LIMITS[field]
        return FieldError("out_of_range", low=low, high=high)
    return FieldError("invalid")


def field_errors(exc: ValidationError) -> dict[str, ServiceError]:
    """Each field's first pydantic error as a code (in the form's field order)."""
    found: dict[str, ServiceError] = {}
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else "form"
        found.setdefault(field, _field_error(field, err))
    return found


def name_error(name: str) -> FieldError | None:
    """A scenario needs a name of at most :data:`NAME_MAX` characters (stripped)."""
    if not name.strip() or len(name.strip()) > NAME_MAX:
        return FieldError("name_required", most=NAME_MAX)
    return None


def parse_params(form: Mapping[str, Any], *, start: date, seed: int, runs: int) -> ScenarioParams:
    """Submitted text into parameters, or :class:`ScenarioError` with a code per field."""
    try:
        data = ScenarioInput.model_validate(dict(form))
    except ValidationError as exc:
        raise ScenarioError(field_errors(exc)) from None
    return data.params(start=start, seed=seed, runs=runs)
