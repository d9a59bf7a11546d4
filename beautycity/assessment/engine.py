"""The scoring engine: every unit scored at once, each layer kept, each step recorded.

An `Assessment` holds named layers (raw values, targets, normalised scores, weights, dimension
scores, totals) as DataFrames indexed by unit id, and the `Params` that produced them, so the
same assessment can be recomputed with one choice changed (`rerun`). The arithmetic is the
public functions of `beautycity.methods`, applied to whole columns or matrices: there is no
loop over units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ..cities import Unit
from ..methods import registry
from ..scheme.effective import effective_scheme
from ..scheme.model import Direction, Indicator, Scheme
from . import rules
from .params import Params, Step


@dataclass(frozen=True)
class Inputs:
    """What the engine scores: one year's raw values for a set of units."""

    year: int
    units: tuple[Unit, ...]
    raw: pd.DataFrame  # unit id × indicator id, NaN where not reported or not applicable
    counts: pd.DataFrame  # unit id × count-based adjustment id

    @classmethod
    def build(
        cls,
        scheme: Scheme,
        year: int,
        units: list[Unit],
        values: dict[str, dict[str, float | None]],
        counts: dict[str, dict[str, float | None]] | None = None,
    ) -> Inputs:
        """Sort units by id, so that the order of submissions never changes a result."""
        ordered = tuple(sorted(units, key=lambda u: u.id))
        ids = [u.id for u in ordered]
        raw = pd.DataFrame(
            [[_num(values.get(u, {}).get(i.id)) for i in scheme.indicators] for u in ids],
            index=pd.Index(ids, name="unit"),
            columns=[i.id for i in scheme.indicators],
            dtype="float64",
        )
        count_ids = [a.id for a in scheme.adjustments if a.basis == "count"]
        counts = counts or {}
        count_frame = pd.DataFrame(
            [[_num(counts.get(u, {}).get(a)) for a in count_ids] for u in ids],
            index=raw.index,
            columns=count_ids,
            dtype="float64",
        )
        return cls(year=year, units=ordered, raw=raw, counts=count_frame)


def _num(value: float | None) -> float:
    return np.nan if value is None else float(value)


@dataclass(frozen=True)
class Assessment:
    scheme: Scheme
    inputs: Inputs
    params: Params
    steps: tuple[Step, ...]
    applicable: pd.DataFrame  # bool, unit × indicator
    target: pd.DataFrame  # the milestone target each unit is scored against (range: low end)
    target_high: pd.DataFrame  # the high end for range targets, else equal to `target`
    target_year: pd.DataFrame  # the milestone year of that target
    normalised: pd.DataFrame  # 0–100 indicator scores, NaN where not scored
    indicator_weights: pd.DataFrame  # share within the dimension actually used (after missing)
    weights: pd.DataFrame  # share of the total actually used
    dimension_weights: pd.DataFrame  # unit × dimension
    dimension_scores: pd.DataFrame  # unit × dimension
    base_total: pd.Series  # before bonus and deduction
    adjustments: pd.DataFrame  # unit × adjustment, signed points applied
    total: pd.Series
    grade_by_score: pd.Series
    grade: pd.Series
    vetoes: pd.DataFrame  # unit × veto indicator, True where the veto fired
    rank: pd.Series
    group_rank: pd.Series
    extra: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def unit(self) -> dict[str, Unit]:
        return {u.id: u for u in self.inputs.units}

    def rerun(self, **overrides: Any) -> Assessment:
        """The same inputs scored again by replaying the recorded steps, with some method
        choices changed (COINr's `Regen`): `rerun()` gives an equal assessment."""
        replayed = Params.from_steps(self.steps)
        return assess(self.scheme, self.inputs, replayed.model_copy(update=overrides))


def replay(scheme: Scheme, inputs: Inputs, steps: Sequence[Step]) -> Assessment:
    """Score `inputs` by the recorded `steps` (of this or an edited run, e.g. a document's)."""
    return assess(scheme, inputs, Params.from_steps(steps))


def assess(scheme: Scheme, inputs: Inputs, params: Params | None = None) -> Assessment:
    """Score every unit in `inputs` against its positioning, by the scheme's or `params`' method."""
    params = params or Params.of(scheme)
    steps: list[Step] = []
    ids = inputs.raw.index
    ind_ids = list(inputs.raw.columns)
    dims = [d.id for d in scheme.dimensions]
    positioning = np.array([u.positioning for u in inputs.units])

    applicable, within, dim_w, target, target_hi, target_year = _layout(
        scheme, inputs.year, inputs.units, ind_ids, dims
    )
    raw = inputs.raw.to_numpy().copy()
    raw[~applicable] = np.nan

    scores = np.full(raw.shape, np.nan)
    for j, ind in enumerate(scheme.indicators):
        scores[:, j] = _normalise(ind, raw[:, j], target[:, j], target_hi[:, j], params)
    steps.append(
        Step(
            name="normalise",
            params={"override": params.normalisation, "year": inputs.year},
        )
    )

    member = membership(scheme)
    weighting = registry.method("weighting", params.weighting)
    within, dim_w = weighting.apply(
        weighting.params(),
        registry.WeightInputs(
            raw=raw,
            within=within,
            dimension=dim_w,
            applicable=applicable,
            member=member,
            common=np.array([not i.characteristic for i in scheme.indicators]),
            benefit=np.array([i.direction is not Direction.LOWER for i in scheme.indicators]),
            ahp_dimensions=scheme.method.ahp_dimensions,
        ),
    )
    steps.append(Step(name="weight", params={"method": params.weighting}))

    missing = applicable & np.isnan(raw)
    if params.missing == "zero":
        scores = np.where(missing, 0.0, scores)
    used = np.where(applicable & ~np.isnan(scores), within, 0.0)
    dim_totals = used @ member  # weight left in each dimension after dropping missing values
    used_share = used / np.where(dim_totals @ member.T > 0, dim_totals @ member.T, 1.0)

    dim_scores = np.stack(
        [
            aggregate(params.aggregation, scores[:, m], used_share[:, m], "dimension")
            for m in member.T
        ],
        axis=1,
    )
    base_total = aggregate(params.aggregation, dim_scores, dim_w, "total")
    steps.append(
        Step(name="aggregate", params={"method": params.aggregation, "missing": params.missing})
    )

    adjustments = _adjustments(scheme, inputs, raw, target, ind_ids)
    total = np.clip(base_total + adjustments.sum(axis=1), 0.0, 100.0)
    steps.append(Step(name="adjust", params={"items": [a.id for a in scheme.adjustments]}))

    vetoes = rules.vetoes_fired(scheme, raw, ind_ids)
    graded = rules.graded(scheme, params.aggregation)
    by_score, grade = rules.grades(scheme, total, vetoes, graded)
    steps.append(
        Step(
            name="grade",
            params={"bands": [(g.id, g.min) for g in scheme.grades] if graded else []},
        )
    )

    frame = lambda a, cols: pd.DataFrame(a, index=ids, columns=cols)  # noqa: E731
    total_s = pd.Series(total, index=ids, name="total")
    return Assessment(
        scheme=scheme,
        inputs=inputs,
        params=params,
        steps=tuple(steps),
        applicable=frame(applicable, ind_ids),
        target=frame(target, ind_ids),
        target_high=frame(target_hi, ind_ids),
        target_year=frame(target_year, ind_ids),
        normalised=frame(scores, ind_ids),
        indicator_weights=frame(used_share, ind_ids),
        weights=frame(used_share * (dim_w @ member.T), ind_ids),
        dimension_weights=frame(dim_w, dims),
        dimension_scores=frame(dim_scores, dims),
        base_total=pd.Series(base_total, index=ids, name="base_total"),
        adjustments=frame(adjustments, [a.id for a in scheme.adjustments]),
        total=total_s,
        grade_by_score=pd.Series(by_score, index=ids, name="grade_by_score", dtype=object),
        grade=pd.Series(grade, index=ids, name="grade", dtype=object),
        vetoes=frame(vetoes, [i.id for i in scheme.indicators if i.veto]),
        rank=_rank(total_s),
        group_rank=total_s.groupby(pd.Series(positioning, index=ids)).transform(_rank).astype(int),
    )


def _layout(
    scheme: Scheme, year: int, units: Sequence[Unit], ind_ids: list[str], dims: list[str]
) -> tuple[np.ndarray, ...]:
    """Per-unit applicability, expert weights and milestone targets, from the effective
    scheme of each (positioning, level) group of units."""
    n, m = len(units), len(ind_ids)
    applicable = np.zeros((n, m), dtype=bool)
    within = np.zeros((n, m))
    dim_w = np.zeros((n, len(dims)))
    target = np.full((n, m), np.nan)
    target_hi = np.full((n, m), np.nan)
    target_year = np.zeros((n, m), dtype=int)
    col = {i: j for j, i in enumerate(ind_ids)}
    group = [(u.positioning, str(u.level)) for u in units]
    for key in sorted(set(group)):
        rows = np.array([g == key for g in group], dtype=bool)
        eff = effective_scheme(scheme, *key)
        dim_w[rows] = [d.weight for d in eff.dimensions]
        for e in eff.indicators:
            j = col[e.id]
            applicable[rows, j] = True
            within[rows, j] = e.weight_in_dimension
            milestone = e.milestone(year)
            if milestone is not None:
                y, t = milestone
                lo, hi = t if isinstance(t, tuple) else (t, t)
                target[rows, j], target_hi[rows, j], target_year[rows, j] = lo, hi, y
    return applicable, within, dim_w, target, target_hi, target_year


def _normalise(
    ind: Indicator, x: np.ndarray, lo: np.ndarray, hi: np.ndarray, params: Params
) -> np.ndarray:
    """One indicator's 0–100 scores for every unit, by its method (or the run's override)."""
    own = registry.method("normalisation", ind.scoring.method)
    # A data-driven scale orders units along one direction; a target range has none, so an
    # indicator with one keeps its own method (and the robustness analysis can still run).
    overridden = params.normalisation and params.normalisation != own.name
    if own.scale and overridden and ind.direction is not Direction.RANGE:
        method = registry.method("normalisation", params.normalisation)
        p = method.params(method=method.name)
    else:
        method, p = own, ind.scoring
    return method.apply(p, x, lo, hi, ind.direction)


def membership(scheme: Scheme) -> np.ndarray:
    """indicators × dimensions: True where the indicator belongs to the dimension."""
    return np.array([[i.dimension == d.id for d in scheme.dimensions] for i in scheme.indicators])


def aggregate(name: str, scores: np.ndarray, weights: np.ndarray, level: str) -> np.ndarray:
    """Aggregation `name` along the last axis, for any leading batch axes; a row with no
    weight left (all of it missing) is NaN."""
    empty = ~((weights > 0) & ~np.isnan(scores)).any(axis=-1)
    weights = np.where(empty[..., None], 1.0, weights)
    scores = np.where(empty[..., None], 0.0, scores)
    method = registry.method("aggregation", name)
    out = method.apply(method.params(), scores, weights, level)
    return np.where(empty, np.nan, out)


def _adjustments(
    scheme: Scheme, inputs: Inputs, raw: np.ndarray, target: np.ndarray, ind_ids: list[str]
) -> np.ndarray:
    """Signed points of each bonus (+) and deduction (−), each within its cap."""
    out = np.zeros((len(inputs.units), len(scheme.adjustments)))
    for k, adj in enumerate(scheme.adjustments):
        if adj.basis == "count":
            basis = np.nan_to_num(inputs.counts[adj.id].to_numpy(), nan=0.0)
        else:
            j = ind_ids.index(adj.indicator)
            basis = rules.shortfall(scheme.indicators[j].direction, raw[:, j], target[:, j])
        points = np.minimum(adj.points * basis / adj.per, adj.cap)
        out[:, k] = points if adj.kind == "bonus" else -points
    return out


def _rank(total: pd.Series) -> pd.Series:
    """1 for the highest total; equal totals (to 1e-9) share the better rank."""
    return total.round(9).rank(method="min", ascending=False).astype(int)
