"""What a run was asked to do: the method choices, and each step as it was recorded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..methods import registry
from ..scheme.model import Aggregation, MissingRule, Scheme, Weighting

# A data-driven method that may score every scaled indicator of one run.
Normalisation = registry.literal(*registry.names("normalisation", override=True))


class Params(BaseModel):
    """The method choices of one run; `None` fields take the scheme's defaults."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    weighting: Weighting
    aggregation: Aggregation
    missing: MissingRule
    # One data-driven method for every indicator the scheme scores by a scale (all but yes/no).
    normalisation: Normalisation | None = None

    @classmethod
    def of(cls, scheme: Scheme, **overrides: Any) -> Params:
        base = scheme.method.model_dump(include={"weighting", "aggregation", "missing"})
        return cls(**{**base, **{k: v for k, v in overrides.items() if v is not None}})

    @classmethod
    def from_steps(cls, steps: Sequence[Step]) -> Params:
        """The choices that the recorded steps of a run (`Assessment.steps`) were made with."""
        by = {s.name: s.params for s in steps}
        return cls(
            normalisation=by["normalise"]["override"],
            weighting=by["weight"]["method"],
            aggregation=by["aggregate"]["method"],
            missing=by["aggregate"]["missing"],
        )


class Step(BaseModel):
    """One recorded step: what was done and with which parameters."""

    model_config = ConfigDict(frozen=True)

    name: str
    params: dict[str, Any]
