"""The effective scheme for one positioning (and unit level): which indicators apply, their
weights and targets.

Positioning changes what is measured and how much it weighs, never the arithmetic: this is
the only place where a positioning's overrides are laid over the provincial scheme. A unit's
level (`Level`: prefecture, county, zone) can narrow what applies further, for indicators a
scheme declares for some levels only; the weights are renormalised over what is left.
"""

from __future__ import annotations

from functools import cached_property

from pydantic import BaseModel, ConfigDict

from .model import Dimension, Indicator, Positioning, Scheme, Target


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EffectiveDimension(_Frozen):
    dimension: Dimension
    weight: float  # share of the total, the shares of all dimensions sum to 1


class EffectiveIndicator(_Frozen):
    indicator: Indicator
    targets: dict[int, Target]  # provincial targets with the positioning's tightening laid over
    tightened: frozenset[int]  # target years the positioning changed
    weight_in_dimension: float  # share within its dimension (sums to 1 per dimension)
    weight: float  # share of the total (sums to 1 over all indicators)

    @property
    def id(self) -> str:
        return self.indicator.id

    def milestone(self, year: int) -> tuple[int, Target] | None:
        """The first target year at or after `year` (or the last one, when all are past)."""
        if not self.targets:
            return None
        later = [y for y in sorted(self.targets) if y >= year]
        chosen = later[0] if later else max(self.targets)
        return chosen, self.targets[chosen]


class EffectiveScheme(_Frozen):
    scheme: Scheme
    positioning: Positioning
    level: str | None = None  # the unit level it was made for; None: every level
    dimensions: tuple[EffectiveDimension, ...]
    indicators: tuple[EffectiveIndicator, ...]

    @cached_property
    def indicator(self) -> dict[str, EffectiveIndicator]:
        return {e.id: e for e in self.indicators}

    def in_dimension(self, dimension_id: str) -> list[EffectiveIndicator]:
        return [e for e in self.indicators if e.indicator.dimension == dimension_id]


def effective_scheme(
    scheme: Scheme, positioning_id: str, level: str | None = None
) -> EffectiveScheme:
    """Apply positioning `positioning_id` to `scheme`: its indicators, weights and targets,
    for units of `level` (None: regardless of level).

    Indicator weights are renormalised within each dimension over the indicators that apply,
    and dimension weights over the dimensions left with at least one (a dimension left empty
    keeps weight 0; `scheme check` reports such a combination). Not cached: one call takes
    about a tenth of a millisecond."""
    positioning = scheme.positioning[positioning_id]
    level = None if level is None else str(level)
    applicable = [i for i in scheme.indicators if i.applies_to(positioning_id, level)]
    covered = {i.dimension for i in applicable}

    dim_raw = {
        d.id: positioning.dimension_weights.get(d.id, d.weight) if d.id in covered else 0.0
        for d in scheme.dimensions
    }
    dim_total = sum(dim_raw.values()) or 1.0
    dimensions = tuple(
        EffectiveDimension(dimension=d, weight=dim_raw[d.id] / dim_total) for d in scheme.dimensions
    )

    ind_raw = {i.id: positioning.indicator_weights.get(i.id, i.weight) for i in applicable}
    per_dim: dict[str, float] = {}
    for ind in applicable:
        per_dim[ind.dimension] = per_dim.get(ind.dimension, 0.0) + ind_raw[ind.id]

    indicators = []
    for ind in applicable:
        within = ind_raw[ind.id] / per_dim[ind.dimension]
        overrides = positioning.targets.get(ind.id, {})
        indicators.append(
            EffectiveIndicator(
                indicator=ind,
                targets={**ind.targets, **overrides},
                tightened=frozenset(overrides),
                weight_in_dimension=within,
                weight=within * dim_raw[ind.dimension] / dim_total,
            )
        )
    return EffectiveScheme(
        scheme=scheme,
        positioning=positioning,
        level=level,
        dimensions=dimensions,
        indicators=tuple(indicators),
    )
