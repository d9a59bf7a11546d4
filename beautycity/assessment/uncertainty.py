"""Robustness of the ranking: a seeded Monte Carlo over the choices the scheme leaves open.

Each replication draws (a) a multiplier in [1 − s, 1 + s] for every dimension weight, the
weights then renormalised; (b) one normalisation among the declared alternatives; (c) the
arithmetic or geometric mean; (d) whether each optional indicator counts. All replications
are scored at once as arrays of shape (replications, units, …): the normalised scores of
each alternative are computed once by the engine (`Assessment.rerun`), and the rest is
weighting and aggregation, vectorised over replications.

Two scales. Min–max and efficacy scores say how a unit stands among the others, not how far
it is from its target, so the scheme's grade bands (90/80/60) mean nothing on them: a unit
at 92 by its targets would "fail" whenever min–max put it at the bottom of one indicator.
The same holds for the geometric mean, which is never above the arithmetic one: bands set on
the scheme's aggregation do not apply to another. Each replication is therefore also scored
on the scheme's own scale — the run's normalisation and aggregation, with the same weight
multipliers and optional indicators as drawn — and grade probabilities, the `scheme_*` rank
intervals and the ties (pairs whose order reverses in at least `ties.reversal` of these
replications) come from those totals only. The rank
intervals over all replications (`median_rank`, `p5`, `p95`) compare methods, and the
sensitivity indices are read from those ranks: they tell which choice moves a rank.

Sensitivity: the first-order index of each uncertain input X on a unit's rank Y,
S = Var(E[Y | X]) / Var(Y), estimated from the same sample by grouping on X (its levels, or
ten equal-count bins for a weight multiplier) — the "given data" estimator (Plischke,
Borgonovo & Smith 2013, EJOR 226:536). It needs no special design, handles categorical
inputs directly, and costs nothing beyond the Monte Carlo itself, whereas SALib's Sobol
estimators need Saltelli's N·(2k + 2) design and treat every input as continuous.

The plain ratio SS_between / SS_total (the correlation ratio η²) is biased upward: with N
replications in L groups, E[SS_between] = (L − 1)·σ²_within + N·Var(E[Y|X]), so an input with
no effect still scores about (L − 1)/N, and the indices of a model whose first-order indices
sum to 1 add up to well over 1 at a few hundred replications. With MS_within =
SS_within / (N − L), which estimates σ²_within without bias, and E[SS_total + MS_within] =
N·Var(Y), the index is ω² (Hays 1963, Statistics for Psychologists; its small bias compared
with η² and ε² in Okada 2013, Behaviormetrika 40:129):

    S = max(0, SS_between − (L − 1)·MS_within) / (SS_total + MS_within).

Indices are pooled over units — numerator and denominator summed over them before dividing —
so each unit counts by its rank variance and units whose rank never moves do not dilute them.
"""

from __future__ import annotations

import numpy as np

from ..scheme.model import RobustnessSpec, Text
from ..texts import tr
from . import rules
from .document import InputSensitivity, RobustnessResult, UnitRobustness
from .engine import Assessment, aggregate, membership

_BINS = 10
_CHUNK = 4_000_000  # scores held at once while totalling replications (32 MB)


def analyse(a: Assessment, spec: RobustnessSpec | None = None) -> RobustnessResult:
    """Replicate assessment `a` under the spec's uncertainty; seeded and reproducible."""
    scheme = a.scheme
    spec = spec or scheme.robustness
    n = spec.replications
    rng = np.random.default_rng(spec.seed)
    ids = list(a.total.index)
    dims = [d.id for d in scheme.dimensions]

    # (b) normalised scores of every alternative, and of the scheme's own when it is not one
    # of them (grades are read on its scale): (alternatives, units, indicators)
    alts = list(spec.normalisations)
    if "scheme" not in alts:
        alts.append("scheme")
    scores = np.stack(
        [
            a.rerun(normalisation=None if alt == "scheme" else alt).normalised.to_numpy()
            for alt in alts
        ]
    )
    own = alts.index("scheme")
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

    aggs = list(spec.aggregations)
    if a.params.aggregation not in aggs:
        aggs.append(a.params.aggregation)
    own_agg = aggs.index(a.params.aggregation)
    # Scored as drawn, then again on the scheme's scale those drawn with another
    # normalisation or aggregation; the rest are on that scale already.
    again = np.flatnonzero((norm_pick != own) | (agg_pick != own_agg))
    rows = np.concatenate([np.arange(n), again])
    scored = _totals(
        a,
        scores,
        np.concatenate([norm_pick, np.full(len(again), own)]),
        include[rows],
        multipliers[rows],
        np.concatenate([agg_pick, np.full(len(again), own_agg)]),
        aggs,
    )
    totals = scored[:n]
    on_scale = totals.copy()
    on_scale[again] = scored[n:]

    ranks, scheme_ranks = _ranks(totals), _ranks(on_scale)
    floor = rules.veto_floor(scheme, a.vetoes.to_numpy())
    grade_idx = rules.grade_index(scheme, on_scale, floor[None, :])
    graded = rules.graded(scheme, a.params.aggregation)
    tied = _reversals(on_scale, a.total.to_numpy(), scheme.ties.reversal)

    inputs = _inputs(scheme, dims, multipliers, norm_pick, agg_pick, include, optional, spec)
    sensitivity = _first_order(ranks.astype(float), inputs)

    p5, median, p95 = np.percentile(ranks, [5, 50, 95], axis=0)
    s5, smedian, s95 = np.percentile(scheme_ranks, [5, 50, 95], axis=0)
    nominal = [int(r) for r in a.rank.to_numpy()]
    order = sorted(range(len(ids)), key=lambda k: (nominal[k], ids[k]))
    # Each unit's place in that order: the sort key of the units it is tied with.
    place = [0] * len(ids)
    for at, k in enumerate(order):
        place[k] = at
    grades = [g.id for g in scheme.grades]
    units = tuple(
        UnitRobustness(
            id=ids[k],
            nominal_rank=nominal[k],
            median_rank=float(median[k]),
            p5=float(p5[k]),
            p95=float(p95[k]),
            scheme_median_rank=float(smedian[k]),
            scheme_p5=float(s5[k]),
            scheme_p95=float(s95[k]),
            grade_probability={
                g: round(float((grade_idx[:, k] == gi).mean()), 4) for gi, g in enumerate(grades)
            }
            if graded
            else {},
            tied_with=tuple(ids[t] for t in sorted(tied[k], key=place.__getitem__)),
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


def _totals(a, scores, pick, include, multipliers, agg_pick, aggregations) -> np.ndarray:
    """Totals (rows, units): each row's normalisation `pick` (into `scores`), optional
    indicators, dimension weight multipliers and aggregation, with bonuses and deductions.

    Rows go in chunks of about `_CHUNK` scores: one row's scores are (units, indicators),
    and all rows at once would be (rows, units, indicators) — 9 GB at 300 units × 100k runs.
    """
    member = membership(a.scheme)
    within = a.indicator_weights.to_numpy()
    dim_w = a.dimension_weights.to_numpy()
    out = np.empty((len(pick), len(within)))
    step = max(1, _CHUNK // within.size)
    # Each aggregation scores only the rows that drew it.
    for k, alt in enumerate(aggregations):
        rows = np.flatnonzero(agg_pick == k)
        for start in range(0, len(rows), step):
            sel = rows[start : start + step]
            s = scores[pick[sel]]  # (rows, units, indicators)
            w = np.where(np.isnan(s), 0.0, within[None, :, :] * include[sel, None, :])
            dim_scores = np.stack(
                [aggregate(alt, s[..., m], w[..., m], "dimension") for m in member.T], axis=-1
            )
            dw = np.where(np.isnan(dim_scores), 0.0, dim_w[None, :, :] * multipliers[sel, None, :])
            out[sel] = aggregate(alt, dim_scores, dw, "total")
    return np.clip(out + a.adjustments.sum(axis=1).to_numpy()[None, :], 0.0, 100.0)


def _ranks(totals: np.ndarray) -> np.ndarray:
    """1 + the number of units with a higher total (beyond rounding noise), per replication.

    Each row is sorted once and every unit's count read by binary search: n log n a row,
    where comparing every pair is n², and memory stays replications × units. A NaN total
    (no weight left) is higher than none and ranks first, as comparisons with NaN make it.
    """
    ranks = np.ones(totals.shape, dtype=np.int64)
    finite = (~np.isnan(totals)).sum(axis=1)
    for r, row in enumerate(totals):
        ordered = np.sort(row)  # NaN last
        higher = finite[r] - np.searchsorted(ordered[: finite[r]], row + 1e-9, side="right")
        ranks[r] += np.where(np.isnan(row), 0, higher)
    return ranks


def _reversals(totals: np.ndarray, nominal: np.ndarray, share: float) -> list[list[int]]:
    """For each unit, the others whose order with it (by nominal total; equal totals count
    as reversed) reverses in at least `share` of the replications `totals` (rows, units).

    Only pairs that can reverse are compared. Take for each unit how far above its nominal
    total it rises (`up`) and how far below it falls (`down`) in all but m = ⌊share·n/3⌋ of
    the n replications. A unit k below j reverses with it only in a replication where k rose
    beyond its `up` or j fell beyond its `down`, unless the gap between their nominal totals
    is within up[k] + down[j]: fewer than share·n replications in all. So only the pairs
    within that reach are compared, and the result is that of comparing every pair.
    """
    n = len(totals)
    deviation = totals - nominal[None, :]
    # A replication where a unit has no total reverses nothing with it.
    rise = np.where(np.isnan(deviation), -np.inf, deviation)
    fall = np.where(np.isnan(deviation), -np.inf, -deviation)
    keep = n - int(share * n / 3) - 1  # the (keep+1)-th smallest leaves m above it
    order = np.argsort(nominal, kind="stable")
    ranked = nominal[order]
    up = np.partition(rise, keep, axis=0)[keep][order]
    down = np.partition(fall, keep, axis=0)[keep][order]
    slack = 1e-6  # beyond the 1e-9 of equal totals, float noise of total − nominal
    widest = float(down.max(initial=-np.inf))
    # Units in nominal order, each a contiguous row of its replications.
    by_unit = np.ascontiguousarray(totals[:, order].T)
    out: list[list[int]] = [[] for _ in nominal]
    for pos, k in enumerate(order):
        reach = up[pos] + widest + 1e-9 + slack
        if not np.isfinite(reach):
            continue
        end = int(np.searchsorted(ranked, ranked[pos] + reach, side="right"))
        near = np.arange(pos + 1, end)
        near = near[ranked[near] - ranked[pos] <= up[pos] + down[near] + 1e-9 + slack]
        if not len(near):
            continue
        # nominal[j] >= nominal[k]: reversed where k is not below j
        reversed_share = np.count_nonzero(by_unit[pos] >= by_unit[near] - 1e-9, axis=1) / n
        for j in order[near[reversed_share >= share]]:
            out[int(k)].append(int(j))
            out[int(j)].append(int(k))
    return out


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
    """ω² of each input on Y (replications × units), pooled over units (module docstring)."""
    n = len(y)
    ss_total = ((y - y.mean(axis=0)) ** 2).sum(axis=0)
    result = []
    for key, label, groups in inputs:
        levels, group = np.unique(groups, return_inverse=True)
        # A few levels (at most `_BINS`): one masked pass each, no (replications, units)
        # scatter or gather.
        ss_within = np.zeros(y.shape[1])
        for level in range(len(levels)):
            part = y[group == level]
            ss_within += ((part - part.mean(axis=0)) ** 2).sum(axis=0)
        ms_within = ss_within / (n - len(levels))
        excess = (ss_total - ss_within - (len(levels) - 1) * ms_within).sum()
        scale = (ss_total + ms_within).sum()
        index = max(0.0, float(excess / scale)) if scale > 0 else 0.0
        result.append(InputSensitivity(input=key, label=label, first_order=round(index, 4)))
    return result
