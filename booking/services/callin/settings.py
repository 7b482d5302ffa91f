"""The ``[callin]`` section of config.toml as a typed value the services take."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..attendance import PRIOR_STRENGTH

DEFAULT_PRIOR_MEAN = 0.80


@dataclass(frozen=True)
class CallinSettings:
    overflow_risk: float = 0.10
    prior_strength: float = PRIOR_STRENGTH
    prior_mean: Mapping[str, float] = field(default_factory=dict)
    indicator_months: int = 2
    figure_weeks: int = 12

    def prior_for(self, target_group: str | None) -> float:
        if target_group and target_group in self.prior_mean:
            return float(self.prior_mean[target_group])
        return float(self.prior_mean.get("default", DEFAULT_PRIOR_MEAN))

    @classmethod
    def from_config(cls, settings: Mapping[str, Any]) -> CallinSettings:
        raw = settings.get("callin", {})
        return cls(
            overflow_risk=float(raw.get("overflow_risk", 0.10)),
            prior_strength=float(raw.get("prior_strength", PRIOR_STRENGTH)),
            prior_mean=dict(raw.get("prior_mean", {})),
            indicator_months=int(raw.get("indicator_months", 2)),
            figure_weeks=int(raw.get("figure_weeks", 12)),
        )
