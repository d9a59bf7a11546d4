"""Criterion weights: equal, entropy (objective) and AHP (subjective, with its consistency test).

Weights are float64 arrays that sum to 1. `entropy_weights` takes a units × criteria matrix with
optional leading batch axes and returns one weight vector per batch entry; `ahp` takes a single
pairwise comparison matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ..problems import BeautycityError, Location
from .base import Array, check, floats, nan_range
from .registry import NoParams, WeightInputs, register

# Saaty's random consistency index RI(n): the mean consistency index of random reciprocal
# matrices on the 1–9 scale, from Saaty, T. L. (1980) The Analytic Hierarchy Process,
# McGraw-Hill, restated for n ≤ 10 in Saaty, T. L. (1990) "How to make a decision: the analytic
# hierarchy process", European Journal of Operational Research 48, 9–26. Tables from larger
# simulations differ in the second decimal (Tummala & Ling 1998, used by pymcdm: 0.5799,
# 0.8921, …; Alonso & Lamata 2006), and for n ≥ 11 even Saaty's 1980 values (1.51, 1.48, 1.56,
# 1.57, 1.59 for n = 11..15) do not increase, so larger matrices are refused, not judged.
RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}

# Saaty's acceptance rule: a matrix is consistent enough when CR < 0.10.
CR_LIMIT = 0.10

# |P_ij · P_ji − 1| allowed: reciprocals typed to three decimals (0.333 for 1/3, 0.167 for 1/6)
# pass; 0.33 for 1/3 does not.
RECIPROCAL_TOLERANCE = 0.005

ENTROPY_VARIANTS = ("shares", "minmax")


def equal_weights(n: int) -> Array:
    """w_j = 1/n for each of the n criteria."""
    if n < 1:
        raise BeautycityError.single("method.no-criteria", n=n)
    return np.full(n, 1.0 / n)


def entropy_weights(
    X: ArrayLike, variant: str = "shares", benefit: ArrayLike | None = None
) -> Array:
    """Entropy weights of the criteria (columns) of X, shape (..., units, criteria).

    p_ij = y_ij / Σ_i y_ij,   e_j = −k_j Σ_i p_ij ln p_ij,   k_j = 1 / ln m_j,
    d_j = 1 − e_j,   w_j = d_j / Σ_j d_j,

    where m_j is the number of units with a value for criterion j (missing values are left
    out) and 0 · ln 0 = 0, the limit, so no small shift is added. The data y are:

    "shares" (default): the raw values, which must be ≥ 0 (direction plays no part, as
        entropy measures only dispersion). On strictly positive data this is what
        `pymcdm.weights.entropy_weights` computes; pymcdm instead sets e_j = 0 for a column
        holding a zero. Negative values are refused (`method.negative-values`): the scheme's
        "entropy" weighting min–max scales such a column first, never shifts it by a constant.
    "minmax": direction-aware min–max scaling first, y = (x − min)/(max − min) for a benefit
        criterion and (max − x)/(max − min) for a cost one; `benefit` gives one flag per
        criterion. The worst unit gets y = 0, which the 0 · ln 0 = 0 rule admits.

    A criterion that cannot tell units apart — fewer than two values, all zero, or all equal
    — carries no information: d_j = 0. If no criterion carries any, the weights are equal.
    """
    X = floats(X)
    if X.ndim < 2:
        raise BeautycityError.single("method.matrix-shape", shape=X.shape)
    if variant not in ENTROPY_VARIANTS:
        raise BeautycityError.single("method.entropy-variant", value=variant)
    if (variant == "minmax") != (benefit is not None):
        raise BeautycityError.single("method.entropy-benefit")
    present = ~np.isnan(X)
    if variant == "shares":
        check(X < 0, "method.negative-values", value=X, method="entropy_weights")
        Y = X
    else:
        Y = _minmax(X, benefit)
    Y = np.where(present, Y, 0.0)
    total = Y.sum(axis=-2, keepdims=True)
    m = present.sum(axis=-2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = Y / total
        plogp = np.where(p > 0, p * np.log(p), 0.0)
        e = -plogp.sum(axis=-2) / np.log(m)
    informative = (m >= 2) & (total[..., 0, :] > 0)
    # e_j ≤ 1 in exact arithmetic; the clip only removes rounding below zero in d_j.
    d = np.where(informative, np.clip(1.0 - e, 0.0, None), 0.0)
    d_sum = d.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d_sum > 0, d / d_sum, 1.0 / X.shape[-1])


def _minmax(X: Array, benefit: ArrayLike) -> Array:
    # Direction-aware min–max per column: the worst unit 0, the best 1; a column with a
    # single distinct value is 1 throughout (and so carries no information).
    y = np.where(np.asarray(benefit, dtype=bool), X, -X)
    lo, hi = nan_range(y, axis=-2)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(hi > lo, (y - lo) / (hi - lo), 1.0)


@dataclass(frozen=True, eq=False)
class AhpResult:
    """Saaty's eigenvector method on one pairwise comparison matrix."""

    weights: Array  # principal eigenvector, normalised to sum 1 (read-only)
    lambda_max: float  # principal eigenvalue
    ci: float  # consistency index (λmax − n)/(n − 1)
    cr: float  # consistency ratio CI / RI(n)
    consistent: bool  # CR < CR_LIMIT


def ahp(P: ArrayLike) -> AhpResult:
    """Weights and consistency of a pairwise comparison matrix P (n × n, P_ij ≈ 1/P_ji > 0).

    P w = λmax w, with w the principal (Perron) eigenvector scaled to Σ w = 1 (numpy.linalg.eig);
    CI = (λmax − n)/(n − 1); CR = CI / RI(n) with RI from `RANDOM_INDEX`; consistent = CR < 0.10.
    For n ≤ 2 a reciprocal matrix is always consistent, so CI = CR = 0.

    Raises `method.ahp-not-square`, `method.ahp-too-large` (n > 10), `method.ahp-not-positive`
    and `method.ahp-not-reciprocal` (tolerance `RECIPROCAL_TOLERANCE`, diagonal included).
    """
    P = floats(P)
    if P.ndim != 2 or P.shape[0] != P.shape[1] or P.shape[0] == 0:
        raise BeautycityError.single("method.ahp-not-square", shape=P.shape)
    n = P.shape[0]
    limit = max(RANDOM_INDEX)
    if n > limit:
        raise BeautycityError.single("method.ahp-too-large", n=n, limit=limit)
    _cell_check(~(np.isfinite(P) & (P > 0)), "method.ahp-not-positive", P)
    product = P * P.T
    _cell_check(np.abs(product - 1.0) > RECIPROCAL_TOLERANCE, "method.ahp-not-reciprocal", P)
    values, vectors = np.linalg.eig(P)
    k = int(np.argmax(values.real))
    lambda_max = float(values[k].real)
    principal = vectors[:, k].real
    weights = principal / principal.sum()
    weights.setflags(write=False)
    ci = 0.0 if n <= 2 else (lambda_max - n) / (n - 1)
    cr = 0.0 if n <= 2 else ci / RANDOM_INDEX[n]
    return AhpResult(weights, lambda_max, ci, cr, cr < CR_LIMIT)


def ahp_weights(P: ArrayLike) -> Array:
    """The AHP weights of P (see `ahp`), refused with `method.ahp-inconsistent` if CR ≥ 0.10."""
    result = ahp(P)
    if not result.consistent:
        raise BeautycityError.single(
            "method.ahp-inconsistent",
            cr=round(result.cr, 3),
            limit=CR_LIMIT,
            lambda_max=round(result.lambda_max, 3),
        )
    return result.weights


def _cell_check(bad: np.ndarray, code: str, P: Array) -> None:
    # Names the first offending cell (1-based, as a user counts rows and columns).
    if not bad.any():
        return
    i, j = np.unravel_index(np.argmax(bad), bad.shape)
    a, b = float(P[i, j]), float(P[j, i])
    raise BeautycityError.single(
        code, row=int(i) + 1, col=int(j) + 1, value=a, a=a, b=b, product=round(a * b, 4)
    )


# The scheme's weighting methods. Each gives every unit its indicators' shares within their
# dimension and its dimension shares; the engine multiplies them out.


@register("weighting", "expert", NoParams)
def _expert(p: NoParams, w: WeightInputs) -> tuple[Array, Array]:
    """The scheme's weights, as adjusted for each positioning."""
    return w.within, w.dimension


@register("weighting", "equal", NoParams)
def _equal(p: NoParams, w: WeightInputs) -> tuple[Array, Array]:
    """Equal dimensions, and equal indicators within each dimension a unit is scored on (a
    veto-only indicator, weight 0 in the scheme, stays at 0)."""
    member = w.member.astype(float)
    scored = w.applicable & (w.within > 0)
    counts = scored.astype(float) @ member @ member.T
    within = np.where(scored, 1.0 / np.where(counts > 0, counts, 1), 0.0)
    return within, np.full_like(w.dimension, 1.0 / w.dimension.shape[1])


def _entropy(w: WeightInputs, variant: str) -> tuple[Array, Array]:
    """Entropy reweighs the common indicators of each dimension among themselves and keeps
    the share the scheme gives the characteristic ones, which only some units report.

    In the "shares" variant an indicator with any negative value has no shares, so that
    column alone is min–max scaled in its direction (as the "minmax" variant does) before
    `entropy_weights`; the other columns keep their raw values, zeros included (0 · ln 0 = 0).
    Min–max is shift-invariant, so no arbitrary constant decides the weight."""
    within = w.within.copy()
    for k in range(w.member.shape[1]):
        # a veto-only indicator (no share in the scheme) takes no entropy weight either
        cols = np.flatnonzero(w.member[:, k] & w.common & (w.within > 0).any(axis=0))
        if len(cols) < 2:
            continue
        block = w.raw[:, cols]
        # Optional values left empty take the column mean for estimating weights only.
        block = np.where(np.isnan(block), np.nanmean(block, axis=0), block)
        if variant == "shares":
            # d_j depends on column j alone, so each column can be prepared on its own.
            negative = (block < 0).any(axis=0)
            block = np.where(negative, _minmax(block, w.benefit[cols]), block)
        ew = entropy_weights(
            block, variant=variant, benefit=w.benefit[cols] if variant == "minmax" else None
        )
        within[:, cols] = within[:, cols].sum(axis=1, keepdims=True) * ew
    return within, w.dimension


@register("weighting", "entropy", NoParams)
def _entropy_shares(p: NoParams, w: WeightInputs) -> tuple[Array, Array]:
    """Entropy on raw shares; a column with negative values is min–max scaled (`_entropy`)."""
    return _entropy(w, "shares")


@register("weighting", "entropy_minmax", NoParams)
def _entropy_minmax(p: NoParams, w: WeightInputs) -> tuple[Array, Array]:
    return _entropy(w, "minmax")


@register(
    "weighting",
    "ahp",
    NoParams,
    codes=(
        "method.ahp-missing",
        "method.ahp-not-square",
        "method.ahp-too-large",
        "method.ahp-not-positive",
        "method.ahp-not-reciprocal",
        "method.ahp-inconsistent",
    ),
)
def _ahp(p: NoParams, w: WeightInputs) -> tuple[Array, Array]:
    """The scheme's pairwise comparisons replace the dimension weights of every positioning."""
    if w.ahp_dimensions is None:
        raise BeautycityError.single("method.ahp-missing", Location(path="method.ahp_dimensions"))
    dims = ahp_weights(np.array(w.ahp_dimensions, dtype=float))
    return w.within, np.broadcast_to(dims, w.dimension.shape).copy()
