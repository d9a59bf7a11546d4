"""Robustness of the ranking: a seeded Monte Carlo over the choices the scheme leaves open.

Each replication draws (a) a multiplier in [1 − s, 1 + s] for every dimension weight, the
weights then renormalised; (b) one normalisation among the declared alternatives; (c) the
arithmetic or geometric mean; (d) whether each optional indicator counts. All replications
are scored at once as arrays of shape (replications, units, …): the normalised scores of
each alternative are computed once by the engine (`Assessment.rerun`), and the rest is
weighting and aggregation, vectorised over replications.

Sensitivity: the first-order index of each uncertain input X on a unit's rank Y,
S = Var(E[Y | X]) / Var(Y), estimated from the same sample by grouping on X (its levels, or
ten equal-count bins for a weight multiplier) — the "given data" estimator (Plischke,
Borgonovo & Smith 2013, EJOR 226:536). It needs no special design, handles categorical
inputs directly, and costs nothing beyond the Monte Carlo itself, whereas SALib's Sobol
estimators need Saltelli's N·(2k + 2) design and treat every input as continuous. Indices are
pooled over units, weighted by each unit's rank variance, so units whose rank never moves
do not dilute them.
"""

from __future__ import annotations

import numpy as np

from ..scheme.model import RobustnessSpec, Text
from ..texts import tr
from . import rules
from .document import InputSensitivity, RobustnessResult, UnitRobustness
from .engine import Assessment, aggregate, membership

_BINS = 10


def analyse(a: Assessment, spec: RobustnessSpec | None = None) -> RobustnessResult:
    """Replicate assessment `a` under the spec's uncertainty; seeded and reproducible."""
    scheme = a.scheme
    spec = spec or scheme.robustness
    n = spec.replications
    rng = np.random.default_rng(spec.seed)
    ids = list(a.total.index)
    dims = [d.id for d in scheme.dimensions]
    member = membership(scheme)

    # (b) normalised scores of every alternative: (alternatives, units, indicators)
    scores = np.stack(
        [
            a.rerun(normalisation=None if alt == "scheme" else alt).normalised.to_numpy()
            for alt in spec.normalisations
        ]
    )
    within = a.indicator_weights.to_numpy()  # shares actually used, zero where not scored
    optional = [
        j
        for j, ind in enumerate(scheme.indicators)
        if spec.optional_indicators and not ind.required and within[:, j].any()
    ]

    norm_pick = rng.integers(len(spec.normalisations), size=n)
    agg_pick = rng.integers(len(spec.aggregations), size=n)
    multipliers = rng.uniform(1 - spec.weight_spread, 1 + spec.weight_spread, size=(n, len(dims)))
    include = np.ones((n, len(scheme.indicators)))
    include[:, optional] = rng.integers(2, size=(n, len(optional)))

    s = scores[norm_pick]  # (n, units, indicators)
    w = within[None, :, :] * include[:, None, :]
    w = np.where(np.isnan(s), 0.0, w)
    base = np.array([d.weight for d in scheme.dimensions], dtype=float)
    rows = np.arange(n)
    # Every alternative aggregates every replication, then each replication keeps its draw.
    dim_scores = np.stack(
        [
            np.stack(
                [aggregate(alt, s[..., m], w[..., m], "dimension", base) for m in member.T],
                axis=-1,
            )
            for alt in spec.aggregations
        ]
    )[agg_pick, rows]  # (n, units, dims)
    dw = a.dimension_weights.to_numpy()[None, :, :] * multipliers[:, None, :]
    dw = np.where(np.isnan(dim_scores), 0.0, dw)
    totals = np.stack([aggregate(alt, dim_scores, dw, "total", base) for alt in spec.aggregations])[
        agg_pick, rows
    ]
    totals = np.clip(totals + a.adjustments.sum(axis=1).to_numpy()[None, :], 0.0, 100.0)

    ranks = 1 + (totals[:, None, :] > totals[:, :, None] + 1e-9).sum(axis=-1)  # (n, units)
    floor = rules.veto_floor(scheme, a.vetoes.to_numpy())
    grade_idx = rules.grade_index(scheme, totals, floor[None, :])

    inputs = _inputs(scheme, dims, multipliers, norm_pick, agg_pick, include, optional, spec)
    sensitivity = _first_order(ranks.astype(float), inputs)

    order = sorted(range(len(ids)), key=lambda k: (a.rank.iloc[k], ids[k]))
    grades = [g.id for g in scheme.grades]
    units = tuple(
        UnitRobustness(
            id=ids[k],
            nominal_rank=int(a.rank.iloc[k]),
            median_rank=float(np.median(ranks[:, k])),
            p5=float(np.percentile(ranks[:, k], 5)),
            p95=float(np.percentile(ranks[:, k], 95)),
            grade_probability={
                g: round(float((grade_idx[:, k] == gi).mean()), 4) for gi, g in enumerate(grades)
            },
        )
        for k in order
    )
    return RobustnessResult(
        replications=n,
        seed=spec.seed,
        spec=spec,
        units=units,
        sensitivity=tuple(sorted(sensitivity, key=lambda x: (-x.first_order, x.input))),
    )


def _inputs(scheme, dims, multipliers, norm_pick, agg_pick, include, optional, spec):
    """Each uncertain input as (key, label, group labels per replication)."""

    def label(key: str, **names: Text) -> Text:
        zh = tr(f"uncertain.{key}", "zh", group="labels", **names)
        return Text(zh=zh, en=tr(f"uncertain.{key}", "en", group="labels", **names))

    out = []
    for k, d in enumerate(dims if spec.weight_spread > 0 else []):
        name = scheme.dimension[d].name
        edges = np.quantile(multipliers[:, k], np.linspace(0, 1, _BINS + 1)[1:-1])
        out.append(
            (
                f"weight:{d}",
                label("weight", name=name),
                np.searchsorted(edges, multipliers[:, k]),
            )
        )
    if len(spec.normalisations) > 1:
        out.append(("normalisation", label("normalisation"), norm_pick))
    if len(spec.aggregations) > 1:
        out.append(("aggregation", label("aggregation"), agg_pick))
    for j in optional:
        ind = scheme.indicators[j]
        out.append(
            (
                f"optional:{ind.id}",
                label("optional", name=ind.name),
                include[:, j].astype(int),
            )
        )
    return out


def _first_order(y: np.ndarray, inputs) -> list[InputSensitivity]:
    """Var(E[Y|X]) / Var(Y) per input, pooled over units by their variance of Y."""
    var = y.var(axis=0)
    total = var.sum()
    result = []
    for key, label, groups in inputs:
        if total == 0:
            index = 0.0
        else:
            levels = np.unique(groups)
            between = np.zeros(y.shape[1])
            mean = y.mean(axis=0)
            for level in levels:
                rows = groups == level
                between += rows.mean() * (y[rows].mean(axis=0) - mean) ** 2
            index = float(between.sum() / total)
        result.append(InputSensitivity(input=key, label=label, first_order=round(index, 4)))
    return result
