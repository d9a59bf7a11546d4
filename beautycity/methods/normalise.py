"""Normalisations: an indicator's raw values to a 0–100 score, one function per scheme method.

Every function is pure and vectorised. `x` may carry leading batch axes (the replications of a
robustness analysis); parameters broadcast against it; a missing value (NaN) stays NaN; the
result is float64. Methods that compare the assessed units with each other (`minmax`,
`efficacy` with default bounds, `zscore`) do so along `axis`, the units axis, ignoring NaN.

Lower-is-better indicators are handled by orientation: with σ = +1 (higher) or −1 (lower),
each method scores y = σ·x against σ·(its reference values) as if higher were better, which
is the same as the textbook lower-is-better formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from ..problems import BeautycityError
from . import base
from .base import Array, check, direction_of, floats, keep_missing, nan_range
from .registry import Direction, MethodParams, register


def distance_to_target(
    x: ArrayLike, target: ArrayLike, floor: ArrayLike, direction: Direction | str
) -> Array:
    """Progress from `floor` (0 points) to `target` (100 points), capped to 0..100.

    higher / lower:   s = 100 · (x − floor) / (target − floor), clipped to [0, 100].
        For lower-is-better the floor lies above the target; the formula is the same.
        target == floor: s = 100 where the target is met (x ≥ target; x ≤ target for
        lower), else 0.
    range, target = (lo, hi) (last axis of `target`):  s = 100 for lo ≤ x ≤ hi; outside,
        with gap = distance to the nearer bound, s = 100 · (1 − gap / floor), clipped to
        [0, 100]. Here `floor` is a distance ≥ 0, the same on both sides: how far outside the
        range a value scores 0. floor == 0 scores 0 anywhere outside the range.

    Raises `method.wrong-side` when the floor is on the better side of the target,
    `method.range-bounds` when lo > hi, `method.range-floor` when a range floor is negative.
    """
    d = direction_of(direction, "distance_to_target", allow_range=True)
    x, floor = floats(x), floats(floor)
    if d is Direction.RANGE:
        bounds = floats(target)
        lo, hi = bounds[..., 0], bounds[..., 1]
        check(lo > hi, "method.range-bounds", low=lo, high=hi)
        check(floor < 0, "method.range-floor", value=floor)
        gap = np.maximum(np.maximum(lo - x, x - hi), 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            score = 100.0 * (1.0 - gap / floor)
        score = np.where(floor > 0, score, np.where(gap > 0, 0.0, 100.0))
    else:
        sign = base.sign(d)
        t = floats(target)
        check(
            sign * floor > sign * t,
            "method.wrong-side",
            value=floor,
            ref=t,
            name="floor",
            ref_name="target",
            direction=d.value,
        )
        y, f, t = sign * x, sign * floor, sign * t
        with np.errstate(divide="ignore", invalid="ignore"):
            score = 100.0 * ((y - f) / (t - f))
        score = np.where(t > f, score, np.where(y >= t, 100.0, 0.0))
    return keep_missing(x, np.clip(score, 0.0, 100.0))


def minmax(x: ArrayLike, direction: Direction | str, axis: int = -1) -> Array:
    """Min–max scaling across the assessed units (along `axis`).

    higher: s = 100 · (x − min) / (max − min);  lower: s = 100 · (max − x) / (max − min),
    with min and max over the units' non-missing values. When every unit has the same
    value (max == min) nobody is behind anybody, so all score 100.
    """
    d = direction_of(direction, "minmax")
    x = floats(x)
    y = base.sign(d) * x
    lo, hi = nan_range(y, axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Ratio first: it is exactly 1 at the best unit, so rounding cannot pass 100.
        score = 100.0 * ((y - lo) / (hi - lo))
    return keep_missing(x, np.where(hi > lo, score, 100.0))


def efficacy_coefficient(x: ArrayLike, unacceptable: ArrayLike, satisfactory: ArrayLike) -> Array:
    """功效系数法: s = 60 + 40 · (x − unacceptable) / (satisfactory − unacceptable).

    The unacceptable value scores 60 and the satisfactory value 100; lower-is-better is
    expressed by unacceptable > satisfactory. Values past either bound are clipped to the
    0–100 scale: beyond the satisfactory value s = 100, and far enough below the unacceptable
    value (by 1.5 × the span) s = 0.

    Raises `method.efficacy-bounds` when the two bounds are equal (the slope is undefined).
    """
    x, u, s = floats(x), floats(unacceptable), floats(satisfactory)
    check(u == s, "method.efficacy-bounds", value=u)
    score = 60.0 + 40.0 * (x - u) / (s - u)
    return np.clip(score, 0.0, 100.0)


def efficacy(
    x: ArrayLike,
    direction: Direction | str,
    unacceptable: ArrayLike | None = None,
    satisfactory: ArrayLike | None = None,
    axis: int = -1,
) -> Array:
    """The efficacy coefficient (see `efficacy_coefficient`) with bounds from the direction.

    A missing `unacceptable` defaults to the worst unit's value along `axis`, a missing
    `satisfactory` to the best, so with both defaults the worst unit scores 60 and the best
    100. A defaulted bound never passes the explicit other one (the data may all lie beyond
    it). When the bounds coincide — e.g. every unit has the same value — s = 100 where the
    satisfactory value is reached and 0 elsewhere, the limit of the formula.

    Raises `method.wrong-side` when explicit bounds contradict the direction.
    """
    d = direction_of(direction, "efficacy")
    x = floats(x)
    sign = base.sign(d)
    y = sign * x
    worst, best = nan_range(y, axis)
    u = None if unacceptable is None else sign * floats(unacceptable)
    s = None if satisfactory is None else sign * floats(satisfactory)
    if u is not None and s is not None:
        check(
            u > s,
            "method.wrong-side",
            value=sign * u,
            ref=sign * s,
            name="unacceptable",
            ref_name="satisfactory",
            direction=d.value,
        )
    if u is None:
        u = worst if s is None else np.minimum(worst, s)
    if s is None:
        s = np.maximum(best, u)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = 60.0 + 40.0 * (y - u) / (s - u)
    score = np.where(s > u, score, np.where(y >= s, 100.0, 0.0))
    return keep_missing(x, np.clip(score, 0.0, 100.0))


def zscore(x: ArrayLike, direction: Direction | str, axis: int = -1) -> Array:
    """Standard score across the assessed units, rescaled as a T-score.

    z = σ · (x − mean) / sd over the units' non-missing values (population sd, ddof = 0;
    σ = −1 for lower-is-better), and s = 50 + 10 · z clipped to [0, 100], so the average unit
    scores 50 and each standard deviation is worth 10 points. sd == 0 gives everyone 50.
    """
    d = direction_of(direction, "zscore")
    x = floats(x)
    y = base.sign(d) * x
    present = ~np.isnan(y)
    n = np.sum(present, axis=axis, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.sum(y, axis=axis, keepdims=True, where=present) / n
        dev = np.where(present, y - mean, 0.0)
        sd = np.sqrt(np.sum(dev * dev, axis=axis, keepdims=True) / n)
        z = (y - mean) / sd
    score = np.where(sd > 0, 50.0 + 10.0 * z, 50.0)
    return keep_missing(x, np.clip(score, 0.0, 100.0))


def bands(
    x: ArrayLike, thresholds: Sequence[tuple[float, float]], direction: Direction | str
) -> Array:
    """Step bands: the score of the most demanding threshold the value reaches.

    thresholds = ((v_1, s_1), …, (v_k, s_k)). A threshold is reached when x ≥ v (higher)
    or x ≤ v (lower); s = s_j of the reached threshold furthest in the better direction,
    and 0 when none is reached.

    Raises `method.bands-thresholds` unless the values differ, the scores lie in 0–100 and
    a more demanding threshold does not score less.
    """
    d = direction_of(direction, "bands")
    sign = base.sign(d)
    pairs = floats(thresholds).reshape(-1, 2)
    order = np.argsort(sign * pairs[:, 0])
    values, scores = sign * pairs[order, 0], pairs[order, 1]
    if (
        np.any(np.diff(values) <= 0)
        or np.any((scores < 0) | (scores > 100))
        or np.any(np.diff(scores) < 0)
    ):
        shown = ", ".join(f"({v:g}, {s:g})" for v, s in pairs.tolist())
        raise BeautycityError.single("method.bands-thresholds", thresholds=f"[{shown}]")
    x = floats(x)
    reached = np.searchsorted(values, sign * x, side="right") - 1
    # Index −1 (no threshold reached) picks the appended 0.
    score = np.append(scores, 0.0)[reached]
    return keep_missing(x, score)


def yesno(x: ArrayLike, direction: Direction | str) -> Array:
    """是/否: s = 100 · x for higher-is-better, 100 · (1 − x) for lower, with x ∈ {0, 1}.

    Raises `method.yesno-value` for any other value.
    """
    d = direction_of(direction, "yesno")
    x = floats(x)
    check(~np.isnan(x) & (x != 0) & (x != 1), "method.yesno-value", value=x)
    return 100.0 * (x if d is Direction.HIGHER else 1.0 - x)


# The scheme's `scoring` methods: each one's parameters and what the engine calls, with the
# indicator's raw values `x`, its milestone target `lo`..`hi` (equal unless a range) per unit.


class DistanceToTarget(MethodParams):
    """Progress from `floor` (scores 0) to the target (scores 100), capped at 100."""

    method: Literal["distance_to_target"]
    floor: float


@register(
    "normalisation",
    "distance_to_target",
    DistanceToTarget,
    codes=("method.wrong-side", "method.range-bounds", "method.range-floor", "method.direction"),
)
def _distance_to_target(p: DistanceToTarget, x: Array, lo: Array, hi: Array, d: Direction):
    target = np.stack([lo, hi], axis=-1) if d is Direction.RANGE else lo
    return distance_to_target(x, target, p.floor, d)


class MinMax(MethodParams):
    method: Literal["minmax"]


@register(
    "normalisation",
    "minmax",
    MinMax,
    codes=("method.direction", "method.range-unsupported"),
    override=True,
)
def _minmax(p: MinMax, x: Array, lo: Array, hi: Array, d: Direction):
    return minmax(x, d)


class Efficacy(MethodParams):
    """功效系数法: 60 + 40·(x − unacceptable)/(satisfactory − unacceptable)."""

    method: Literal["efficacy"]
    unacceptable: float | None = None  # default: worst value among the assessed units
    satisfactory: float | None = None  # default: best value among the assessed units


@register(
    "normalisation",
    "efficacy",
    Efficacy,
    codes=("method.direction", "method.range-unsupported", "method.wrong-side"),
    override=True,
)
def _efficacy(p: Efficacy, x: Array, lo: Array, hi: Array, d: Direction):
    return efficacy(x, d, unacceptable=p.unacceptable, satisfactory=p.satisfactory)


class ZScore(MethodParams):
    method: Literal["zscore"]


@register(
    "normalisation",
    "zscore",
    ZScore,
    codes=("method.direction", "method.range-unsupported"),
    override=True,
)
def _zscore(p: ZScore, x: Array, lo: Array, hi: Array, d: Direction):
    return zscore(x, d)


class Bands(MethodParams):
    """Step bands: the score of the highest threshold the value reaches (in its direction)."""

    method: Literal["bands"]
    thresholds: tuple[tuple[float, float], ...]  # (value, score) pairs


@register(
    "normalisation",
    "bands",
    Bands,
    codes=("method.direction", "method.range-unsupported", "method.bands-thresholds"),
)
def _bands(p: Bands, x: Array, lo: Array, hi: Array, d: Direction):
    return bands(x, p.thresholds, d)


class YesNo(MethodParams):
    method: Literal["yesno"]


@register(
    "normalisation",
    "yesno",
    YesNo,
    codes=("method.direction", "method.range-unsupported", "method.yesno-value"),
    scale=False,
)
def _yesno(p: YesNo, x: Array, lo: Array, hi: Array, d: Direction):
    return yesno(x, d)
