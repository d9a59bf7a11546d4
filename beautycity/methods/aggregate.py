"""Aggregation: criterion scores and weights to one value per unit.

`weighted_arithmetic` and `weighted_geometric` combine 0–100 scores S along the criteria
`axis`; `topsis` ranks the rows of a raw decision matrix. All take leading batch axes.
Weights need not sum to 1 (they are rescaled), must be finite and ≥ 0 with a positive sum, and
broadcast against S with the criteria axis last: shape (criteria,) for one weight vector, or
(..., 1, criteria) for one per batch entry of an (..., units, criteria) stack.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ..problems import BeautycityError
from .base import Array, check, floats
from .registry import NoParams, register

MISSING_RULES = ("renormalise", "zero")


def weighted_arithmetic(
    S: ArrayLike, w: ArrayLike, axis: int = -1, missing: str = "renormalise"
) -> Array:
    """A = Σ_j w_j s_j / Σ_j w_j over the criteria along `axis`.

    missing = "renormalise": a missing score (NaN) is left out of both sums, so the remaining
        weights are rescaled to 1; a unit with no score at all gets NaN.
    missing = "zero": a missing score counts as 0 and keeps its weight.
    """
    S, w = _scores_and_weights(S, w, axis, missing)
    present = ~np.isnan(S)
    w_eff = np.where(present, w, 0.0)
    w_sum = w_eff.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.sum(w_eff * np.where(present, S, 0.0), axis=-1) / w_sum
    return np.where(w_sum > 0, mean, np.nan)


def weighted_geometric(
    S: ArrayLike,
    w: ArrayLike,
    axis: int = -1,
    missing: str = "renormalise",
    floor: float = 1.0,
) -> Array:
    """G = Π_j max(s_j, floor)^(w_j / Σ_j w_j) = exp(Σ_j w_j ln max(s_j, floor) / Σ_j w_j).

    Scores below `floor` (default 1 point) are raised to it first, so one zero score pulls
    the result down hard (a 0 among four equal-weight 100s gives 100·0.01^¼ ≈ 31.6) instead of
    annihilating the product; floor = 0 gives the exact product, where any zero gives 0.
    `missing` as in `weighted_arithmetic`; with "zero" the missing score then meets the floor.
    Scores must be ≥ 0 (`method.negative-values`).
    """
    S, w = _scores_and_weights(S, w, axis, missing)
    check(S < 0, "method.negative-values", value=S, method="weighted_geometric")
    present = ~np.isnan(S)
    w_eff = np.where(present, w, 0.0)
    w_sum = w_eff.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(np.maximum(S, floor))
        # A zero weight drops its term even when the log is −inf (0 · −inf would be NaN).
        total = np.sum(np.where(w_eff > 0, w_eff * logs, 0.0), axis=-1)
        mean = np.exp(total / w_sum)
    return np.where(w_sum > 0, mean, np.nan)


def topsis(X: ArrayLike, weights: ArrayLike, benefit: ArrayLike) -> Array:
    """TOPSIS relative closeness of each row of X, shape (..., alternatives, criteria).

    r_ij = x_ij / sqrt(Σ_i x_ij²)             vector normalisation per criterion
    v_ij = w_j r_ij,  w rescaled to Σ_j w_j = 1
    A⁺_j = max_i v_ij if benefit_j else min_i v_ij;   A⁻_j the opposite
    D⁺_i = sqrt(Σ_j (v_ij − A⁺_j)²),  D⁻_i = sqrt(Σ_j (v_ij − A⁻_j)²)
    C_i = D⁻_i / (D⁺_i + D⁻_i)  ∈ [0, 1], 1 at the ideal.

    A criterion whose values are all 0 has r = 0 and plays no part; when every alternative is
    identical (D⁺ = D⁻ = 0) each gets C = 0.5. X must be complete (`method.topsis-missing`).
    """
    X = floats(X)
    if X.ndim < 2:
        raise BeautycityError.single("method.matrix-shape", shape=X.shape)
    if np.isnan(X).any():
        raise BeautycityError.single("method.topsis-missing")
    w = _weights(weights)
    w = w / w.sum(axis=-1, keepdims=True)
    b = np.asarray(benefit, dtype=bool)
    norm = np.sqrt(np.sum(X * X, axis=-2, keepdims=True))
    with np.errstate(divide="ignore", invalid="ignore"):
        V = w * np.where(norm > 0, X / norm, 0.0)
    best, worst = V.max(axis=-2, keepdims=True), V.min(axis=-2, keepdims=True)
    ideal, anti = np.where(b, best, worst), np.where(b, worst, best)
    d_plus = np.sqrt(np.sum((V - ideal) ** 2, axis=-1))
    d_minus = np.sqrt(np.sum((V - anti) ** 2, axis=-1))
    spread = d_plus + d_minus
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(spread > 0, d_minus / spread, 0.5)


def _scores_and_weights(S: ArrayLike, w: ArrayLike, axis: int, missing: str) -> tuple[Array, Array]:
    if missing not in MISSING_RULES:
        raise BeautycityError.single("method.missing-rule", value=missing)
    S = np.moveaxis(floats(S), axis, -1)
    if missing == "zero":
        S = np.where(np.isnan(S), 0.0, S)
    return S, _weights(w)


def _weights(w: ArrayLike) -> Array:
    w = np.atleast_1d(floats(w))
    check(~np.isfinite(w) | (w < 0), "method.weights-invalid", value=w)
    check(w.sum(axis=-1) <= 0, "method.weights-invalid", value=w.sum(axis=-1))
    return w


# The scheme's aggregation methods: 0–100 scores and weights (units × criteria) to one value
# per unit, within each dimension (`level="dimension"`) and over the dimensions ("total").
# Each unit is aggregated in its own (positioning's) weights.


@register("aggregation", "arithmetic", NoParams, codes=("method.weights-invalid",), batch=True)
def _arithmetic(p: NoParams, scores: Array, weights: Array, level: str) -> Array:
    return weighted_arithmetic(scores, weights, missing="renormalise")


@register(
    "aggregation",
    "geometric",
    NoParams,
    codes=("method.weights-invalid", "method.negative-values"),
    batch=True,
)
def _geometric(p: NoParams, scores: Array, weights: Array, level: str) -> Array:
    return weighted_geometric(scores, weights, missing="renormalise")


@register(
    "aggregation",
    "topsis",
    NoParams,
    codes=("method.topsis-missing", "method.weights-invalid"),
    relative=True,
)
def _topsis(p: NoParams, scores: Array, weights: Array, level: str) -> Array:
    """TOPSIS ranks the units on their dimension scores, each in its own weights (see
    `_topsis_own_weights`); within a dimension, the mean."""
    if level == "dimension":
        return weighted_arithmetic(scores, weights, missing="renormalise")
    return 100.0 * _topsis_own_weights(scores, weights, np.ones(scores.shape[-1], dtype=bool))


def _topsis_own_weights(X: ArrayLike, weights: ArrayLike, benefit: ArrayLike) -> Array:
    """C_i = topsis(X, w_i, benefit)[i]: each row i of X, shape (..., alternatives, criteria),
    judged with its own weight row w_i of `weights` (same shape) against the ideal and
    anti-ideal of the whole matrix weighted by w_i. Equal rows give `topsis(X, w, benefit)`.

    `topsis` runs once per distinct (batch entry, weight row) — a few positionings, not one
    per unit — and each row takes its closeness from its own vector's run.
    """
    X, W = np.broadcast_arrays(floats(X), floats(weights))
    if X.ndim < 2:
        raise BeautycityError.single("method.matrix-shape", shape=X.shape)
    m, n = X.shape[-2:]
    X2, W2 = X.reshape(-1, m, n), W.reshape(-1, n)
    entry = np.repeat(np.arange(len(X2)), m)
    keys, inverse = np.unique(np.column_stack([entry, W2]), axis=0, return_inverse=True)
    C = topsis(X2[keys[:, 0].astype(int)], keys[:, None, 1:], benefit)  # (distinct, m)
    return C[inverse.ravel(), np.tile(np.arange(m), len(X2))].reshape(X.shape[:-1])
