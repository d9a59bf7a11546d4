"""Weights: equal, entropy and AHP — hand-worked and published values, pymcdm cross-checks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose
from pymcdm.weights import entropy_weights as pymcdm_entropy_weights
from pymcdm.weights.subjective import AHP as PymcdmAHP

from beautycity.methods import (
    CR_LIMIT,
    RANDOM_INDEX,
    ahp,
    ahp_weights,
    entropy_weights,
    equal_weights,
    registry,
)
from beautycity.methods.registry import NoParams, WeightInputs
from beautycity.methods.weights import _entropy_shares
from beautycity.problems import BeautycityError

NAN = np.nan

# Hwang, C.-L. & Yoon, K. (1981) Multiple Attribute Decision Making: Methods and Applications,
# Lecture Notes in Economics and Mathematical Systems 186, Springer — the fighter-aircraft
# example used throughout the book: four aircraft (rows) on six attributes (columns): maximum
# speed (Mach), ferry range (NM), maximum payload (lb), acquisition cost ($10⁶, a cost),
# reliability and manoeuvrability (interval scale: 3 low, 5 average, 7 high, 9 very high).
FIGHTERS = np.array(
    [
        [2.0, 1500, 20000, 5.5, 5, 9],
        [2.5, 2700, 18000, 6.5, 3, 5],
        [1.8, 2000, 21000, 4.5, 7, 7],
        [2.2, 1800, 20000, 5.0, 5, 5],
    ]
)
FIGHTER_BENEFIT = np.array([True, True, True, False, True, True])

# Saaty's "relative wealth of nations" matrix (after Saaty & Khouja 1976, "A measure of world
# influence", Journal of Peace Science 2, 31–48), the worked example of Saaty, T. L. (1980)
# The Analytic Hierarchy Process, McGraw-Hill: US, USSR, China, France, UK, Japan, W. Germany.
WEALTH = np.array(
    [
        [1, 4, 9, 6, 6, 5, 5],
        [1 / 4, 1, 7, 5, 5, 3, 4],
        [1 / 9, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 7, 1 / 5],
        [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
        [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
        [1 / 5, 1 / 3, 7, 3, 3, 1, 2],
        [1 / 5, 1 / 4, 5, 3, 3, 1 / 2, 1],
    ]
)


def code_of(excinfo: pytest.ExceptionInfo[BeautycityError]) -> str:
    return excinfo.value.problems[0].code


# equal -------------------------------------------------------------------------------------


def test_equal_weights() -> None:
    assert_allclose(equal_weights(4), [0.25] * 4)
    with pytest.raises(BeautycityError) as excinfo:
        equal_weights(0)
    assert code_of(excinfo) == "method.no-criteria"


# entropy -----------------------------------------------------------------------------------


def test_entropy_shares_hand_worked() -> None:
    # Two units, k = 1/ln 2.
    # column 1 [1, 1]: p = (½, ½), e = 1, d = 0 — no information.
    # column 2 [1, 3]: p = (¼, ¾), e = −(¼ ln ¼ + ¾ ln ¾)/ln 2 = (0.346574 + 0.215762)/0.693147
    #   = 0.811278, d = 0.188722.
    # column 3 [0, 2]: p = (0, 1), e = 0 with 0·ln 0 = 0, d = 1.
    # Σd = 1.188722 → w = (0, 0.158760, 0.841240).
    X = np.array([[1, 1, 0], [1, 3, 2]], dtype=float)
    assert_allclose(entropy_weights(X), [0, 0.158760, 0.841240], atol=1e-6)


def test_entropy_minmax_hand_worked() -> None:
    # column 1 [1, 2, 3], benefit: y = (0, ½, 1), p = (0, ⅓, ⅔),
    #   e = −(⅓ ln ⅓ + ⅔ ln ⅔)/ln 3 = (0.366204 + 0.270310)/1.098612 = 0.579380, d = 0.420620.
    # column 2 [10, 30, 40], cost: y = (40 − x)/30 = (1, ⅓, 0), p = (¾, ¼, 0),
    #   e = (0.215762 + 0.346574)/1.098612 = 0.511860, d = 0.488140.
    # w = d / 0.908760 = (0.462850, 0.537150).
    X = np.array([[1, 10], [2, 30], [3, 40]], dtype=float)
    w = entropy_weights(X, variant="minmax", benefit=[True, False])
    assert_allclose(w, [0.462850, 0.537150], atol=1e-6)


def test_entropy_on_the_fighter_data() -> None:
    # Hand-derived on the published data (we do not rely on a printed entropy table):
    # column sums 8.5, 8000, 79000, 21.5, 20, 26; e.g. speed p = (.2353, .2941, .2118, .2588),
    # e = (0.99469, 0.98295, 0.99889, 0.99327, 0.97032, 0.97714),
    # d = (0.00531, 0.01705, 0.00111, 0.00673, 0.02968, 0.02286), Σd = 0.08274.
    w = entropy_weights(FIGHTERS)
    assert_allclose(w, [0.0642, 0.2061, 0.0134, 0.0813, 0.3587, 0.2763], atol=5e-5)


def test_entropy_shares_matches_pymcdm_on_positive_data() -> None:
    # pymcdm normalises by column sums and uses k = 1/ln m: our "shares" variant. (It departs
    # from ours only on columns holding a zero, which it gives e = 0.)
    rng = np.random.default_rng(20240601)
    for _ in range(25):
        m, n = rng.integers(2, 12), rng.integers(1, 8)
        X = rng.uniform(0.01, 100, size=(m, n))
        assert_allclose(entropy_weights(X), pymcdm_entropy_weights(X), rtol=1e-10)


def test_entropy_leaves_missing_values_out() -> None:
    # A NaN counts as absent: column 2 [1, 3, NaN] weighs as [1, 3] would (k = 1/ln 2 for it).
    X = np.array([[1, 1, 0], [1, 3, 2], [1, NAN, NAN]], dtype=float)
    complete = np.array([[1, 1, 0], [1, 3, 2]], dtype=float)
    assert_allclose(entropy_weights(X), entropy_weights(complete), atol=1e-12)


def test_entropy_without_information_falls_back_to_equal_weights() -> None:
    assert_allclose(entropy_weights(np.array([[2.0, 5.0], [2.0, 5.0]])), [0.5, 0.5])
    assert_allclose(entropy_weights(np.array([[2.0, 5.0, 7.0]])), [1 / 3] * 3)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"variant": "ratio"}, "method.entropy-variant"),
        ({"variant": "minmax"}, "method.entropy-benefit"),
        ({"benefit": [True, True]}, "method.entropy-benefit"),
    ],
)
def test_entropy_rejects_bad_options(kwargs: dict, code: str) -> None:
    with pytest.raises(BeautycityError) as excinfo:
        entropy_weights(np.ones((3, 2)), **kwargs)
    assert code_of(excinfo) == code


def test_entropy_shares_rejects_negative_values_and_vectors() -> None:
    with pytest.raises(BeautycityError) as excinfo:
        entropy_weights(np.array([[1.0, -2.0], [3.0, 4.0]]))
    assert code_of(excinfo) == "method.negative-values"
    assert "-2" in excinfo.value.problems[0].en
    with pytest.raises(BeautycityError) as excinfo:
        entropy_weights(np.array([1.0, 2.0]))
    assert code_of(excinfo) == "method.matrix-shape"


matrices = hnp.arrays(
    np.float64,
    st.tuples(st.integers(1, 4), st.integers(1, 8), st.integers(1, 5)),
    elements=st.floats(0, 1e4) | st.just(NAN),
)


@given(matrices, st.sampled_from(["shares", "minmax"]))
def test_entropy_weights_sum_to_one_and_batch_like_a_loop(X: np.ndarray, variant: str) -> None:
    benefit = (np.arange(X.shape[-1]) % 2 == 0) if variant == "minmax" else None
    w = entropy_weights(X, variant, benefit)
    assert w.shape == (X.shape[0], X.shape[-1])
    assert_allclose(w.sum(axis=-1), 1.0)
    assert np.all(w >= 0)
    for r in range(X.shape[0]):
        assert_allclose(w[r], entropy_weights(X[r], variant, benefit), rtol=1e-12, atol=1e-15)


# the scheme's entropy weighting ------------------------------------------------------------


def one_dimension(raw: np.ndarray, benefit: list[bool]) -> WeightInputs:
    # Every indicator common and in the one dimension, each with a within-share of 1/n.
    m, n = raw.shape
    return WeightInputs(
        raw=raw,
        within=np.full((m, n), 1 / n),
        dimension=np.ones((m, 1)),
        applicable=np.ones((m, n), dtype=bool),
        member=np.ones((n, 1), dtype=bool),
        common=np.ones(n, dtype=bool),
        benefit=np.array(benefit),
        ahp_dimensions=None,
    )


def scheme_entropy(raw: np.ndarray, benefit: list[bool]) -> np.ndarray:
    entropy = registry.method("weighting", "entropy")
    within, _ = entropy.apply(NoParams(), one_dimension(raw, benefit))
    return within


def test_scheme_entropy_min_max_scales_a_negative_column_hand_worked() -> None:
    # Column 1 [1, 2, 5], benefit, all ≥ 0: raw shares p = (0.125, 0.25, 0.625),
    #   e = −(−0.259930 − 0.346574 − 0.293752)/ln 3 = 0.900256/1.098612 = 0.819448,
    #   d = 0.180552.
    # Column 2 [−1, 0, 3], cost, holds a negative: y = (3 − x)/4 = (1, 0.75, 0),
    #   p = (0.571429, 0.428571, 0), e = (0.319780 + 0.363128 + 0)/1.098612 = 0.621610,
    #   d = 0.378390.
    # Σd = 0.558942 → w = (0.323024, 0.676976).
    raw = np.array([[1, -1], [2, 0], [5, 3]], dtype=float)
    expected = [0.323024, 0.676976]
    within = scheme_entropy(raw, [True, False])
    assert_allclose(within, np.broadcast_to(expected, (3, 2)), atol=1e-6)
    assert_allclose(_entropy_shares(NoParams(), one_dimension(raw, [True, False]))[0], within)
    # The same as the public function on the prepared, non-negative block.
    prepared = np.column_stack([raw[:, 0], (3 - raw[:, 1]) / 4])
    assert_allclose(entropy_weights(prepared), expected, atol=1e-6)


@pytest.mark.parametrize("shift", [-50.0, -1.0, 0.5, 0.99])
def test_scheme_entropy_does_not_depend_on_a_shift_of_a_negative_column(shift: float) -> None:
    # Min–max is shift-invariant: while column 2 still holds a negative value, adding any
    # constant to it leaves every weight as it was.
    raw = np.array([[1, -1], [2, 0], [5, 3]], dtype=float)
    shifted = raw + np.array([0.0, shift])
    assert_allclose(
        scheme_entropy(shifted, [True, False]), scheme_entropy(raw, [True, False]), rtol=1e-12
    )


def test_scheme_entropy_uses_raw_shares_of_columns_with_zeros() -> None:
    # [0, 1, 3] and [2, 2, 4] are ≥ 0: their raw shares are used, zeros unshifted
    # (0 · ln 0 = 0), whatever the direction.
    raw = np.array([[0, 2], [1, 2], [3, 4]], dtype=float)
    for benefit in ([True, True], [False, True]):
        assert_allclose(
            scheme_entropy(raw, benefit)[0], entropy_weights(raw), rtol=1e-14, atol=1e-15
        )


# AHP ---------------------------------------------------------------------------------------


def test_random_index_is_saatys_table() -> None:
    # Saaty (1980), The Analytic Hierarchy Process, and Saaty (1990), EJOR 48, 9–26.
    saaty = {1: 0.00, 2: 0.00, 3: 0.58, 4: 0.90, 5: 1.12}
    saaty |= {6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}
    assert saaty == RANDOM_INDEX
    assert CR_LIMIT == 0.10


def test_ahp_on_saatys_wealth_of_nations() -> None:
    # Published: λmax = 7.61 and priorities US .427, USSR .230, China .021, France .052,
    # UK .052, Japan .123, W. Germany .094. Then CI = (7.61 − 7)/6 ≈ 0.10 and
    # CR = 0.10/1.32 ≈ 0.08 < 0.10: consistent enough.
    result = ahp(WEALTH)
    assert round(result.lambda_max, 2) == 7.61
    assert_allclose(result.weights, [0.427, 0.230, 0.021, 0.052, 0.052, 0.123, 0.094], atol=6e-4)
    assert round(result.ci, 2) == 0.10
    assert round(result.cr, 2) == 0.08
    assert result.consistent
    assert_allclose(ahp_weights(WEALTH), result.weights)


def test_ahp_matches_pymcdm() -> None:
    # Same eigenvector and the same CI; pymcdm divides by Tummala & Ling's RI, we by Saaty's.
    rng = np.random.default_rng(7)
    scale = np.array([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9])
    for n in range(3, 11):
        P = np.ones((n, n))
        upper = np.triu_indices(n, 1)
        P[upper] = rng.choice(scale, size=len(upper[0]))
        P.T[upper] = 1 / P[upper]
        theirs = PymcdmAHP(matrix=P)
        ours = ahp(P)
        assert_allclose(ours.weights, theirs(), rtol=1e-9)
        assert_allclose(ours.ci, theirs.get_cr() * PymcdmAHP.RI_M[n - 1], rtol=1e-9)


def test_ahp_recovers_the_weights_of_a_consistent_matrix() -> None:
    # P_ij = w_i / w_j is perfectly consistent: λmax = n, CI = CR = 0.
    w = np.array([0.5, 0.25, 0.15, 0.1])
    result = ahp(w[:, None] / w[None, :])
    assert_allclose(result.weights, w)
    assert_allclose(result.lambda_max, 4)
    assert abs(result.cr) < 1e-12


def test_ahp_small_matrices_are_consistent_by_definition() -> None:
    one = ahp([[1.0]])
    assert_allclose(one.weights, [1.0])
    two = ahp([[1, 3], [1 / 3, 1]])
    # 2 × 2: w = (3, 1)/4.
    assert_allclose(two.weights, [0.75, 0.25])
    assert (two.ci, two.cr, two.consistent) == (0.0, 0.0, True)


def test_ahp_weights_refuses_an_inconsistent_matrix() -> None:
    # A cycle: 1 ≫ 2, 2 ≫ 3, yet 3 ≫ 1. The matrix is circulant, so λmax is its row sum
    # 1 + 9 + 1/9 = 10.111; CI = (10.111 − 3)/2 = 3.556; CR = 3.556/0.58 = 6.13.
    P = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    result = ahp(P)
    assert_allclose(result.lambda_max, 1 + 9 + 1 / 9)
    assert round(result.cr, 2) == 6.13 and not result.consistent
    with pytest.raises(BeautycityError) as excinfo:
        ahp_weights(P)
    problem = excinfo.value.problems[0]
    assert problem.code == "method.ahp-inconsistent"
    assert f"CR = {round(result.cr, 3)}" in problem.en
    assert "0.1" in problem.en and "0.1" in problem.zh
    assert problem.fix_en and problem.fix_zh


def test_ahp_weights_refuses_exactly_when_cr_reaches_the_limit() -> None:
    # Sweep one judgement across the scale so CR passes 0.10 somewhere in between.
    outcomes = set()
    for a in np.linspace(1 / 9, 9, 120):
        P = np.array([[1, a, 1 / 2], [1 / a, 1, 1 / 3], [2, 3, 1]])
        refused = False
        try:
            ahp_weights(P)
        except BeautycityError:
            refused = True
        assert refused == (ahp(P).cr >= CR_LIMIT)
        outcomes.add(refused)
    assert outcomes == {True, False}


@pytest.mark.parametrize(
    ("P", "code"),
    [
        (np.ones((2, 3)), "method.ahp-not-square"),
        (np.ones(3), "method.ahp-not-square"),
        (np.ones((11, 11)), "method.ahp-too-large"),
        ([[1, -2], [-0.5, 1]], "method.ahp-not-positive"),
        ([[1, NAN], [1, 1]], "method.ahp-not-positive"),
        ([[1, 2], [0.4, 1]], "method.ahp-not-reciprocal"),
        ([[2, 1], [1, 1]], "method.ahp-not-reciprocal"),
        ([[1, 3], [0.33, 1]], "method.ahp-not-reciprocal"),
    ],
)
def test_ahp_rejects(P: object, code: str) -> None:
    with pytest.raises(BeautycityError) as excinfo:
        ahp(P)
    assert code_of(excinfo) == code


def test_ahp_accepts_reciprocals_to_three_decimals() -> None:
    result = ahp([[1, 3, 6], [0.333, 1, 2], [0.167, 0.5, 1]])
    assert_allclose(result.weights.sum(), 1.0)


def test_ahp_not_reciprocal_names_the_cell() -> None:
    with pytest.raises(BeautycityError) as excinfo:
        ahp([[1, 2, 1], [0.5, 1, 4], [1, 0.5, 1]])
    assert "row 2, column 3 is 4" in excinfo.value.problems[0].en


def test_ahp_result_is_frozen() -> None:
    result = ahp(WEALTH)
    with pytest.raises(AttributeError):
        result.cr = 0.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        result.weights[0] = 1.0


@st.composite
def reciprocal_matrices(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(1, 10))
    judgements = st.sampled_from([1 / 9, 1 / 5, 1 / 3, 1 / 2, 1, 2, 3, 5, 9])
    P = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            P[i, j] = draw(judgements)
            P[j, i] = 1 / P[i, j]
    return P


@given(reciprocal_matrices())
def test_ahp_properties(P: np.ndarray) -> None:
    result = ahp(P)
    n = P.shape[0]
    assert_allclose(result.weights.sum(), 1.0)
    assert np.all(result.weights > 0)
    # Saaty: for a positive reciprocal matrix λmax ≥ n, with equality iff consistent.
    assert result.lambda_max >= n - 1e-9
    assert result.cr >= -1e-9
