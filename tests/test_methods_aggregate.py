"""Aggregation: weighted means with missing scores, and TOPSIS against a published example."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose
from pymcdm.methods import TOPSIS
from pymcdm.normalizations import vector_normalization

from beautycity.methods import registry, topsis, weighted_arithmetic, weighted_geometric
from beautycity.methods.aggregate import _topsis_own_weights
from beautycity.methods.registry import NoParams
from beautycity.problems import BeautycityError

NAN = np.nan


def code_of(excinfo: pytest.ExceptionInfo[BeautycityError]) -> str:
    return excinfo.value.problems[0].code


# weighted arithmetic -----------------------------------------------------------------------


def test_weighted_arithmetic_hand_worked() -> None:
    # 0.5·80 + 0.3·60 + 0.2·100 = 40 + 18 + 20 = 78; weights 5:3:2 are rescaled to the same.
    assert_allclose(weighted_arithmetic([80, 60, 100], [0.5, 0.3, 0.2]), 78)
    assert_allclose(weighted_arithmetic([80, 60, 100], [5, 3, 2]), 78)


def test_weighted_arithmetic_missing_rules() -> None:
    # The 60 is missing. renormalise: (40 + 20)/0.7 = 85.714; zero: 40 + 0 + 20 = 60.
    S = [80, NAN, 100]
    assert_allclose(weighted_arithmetic(S, [0.5, 0.3, 0.2]), 85.714286)
    assert_allclose(weighted_arithmetic(S, [0.5, 0.3, 0.2], missing="zero"), 60)
    assert np.isnan(weighted_arithmetic([NAN, NAN], [1, 1]))
    assert_allclose(weighted_arithmetic([NAN, NAN], [1, 1], missing="zero"), 0)


def test_weighted_arithmetic_along_an_axis() -> None:
    # Criteria down axis 0, two units across: unit 1 (80, 60) → 74, unit 2 (20, 40) → 26
    # with weights 0.7, 0.3.
    S = np.array([[80, 20], [60, 40]], dtype=float)
    assert_allclose(weighted_arithmetic(S, [0.7, 0.3], axis=0), [74, 26])


# weighted geometric ------------------------------------------------------------------------


def test_weighted_geometric_hand_worked() -> None:
    # 16^0.75 · 81^0.25 = 8 · 3 = 24;  equal weights on (80, 20): sqrt(1600) = 40.
    assert_allclose(weighted_geometric([16, 81], [0.75, 0.25]), 24)
    assert_allclose(weighted_geometric([80, 20], [1, 1]), 40)


def test_weighted_geometric_zero_scores() -> None:
    # With the default 1-point floor a 0 counts as 1: sqrt(100 · 1) = 10; with floor 0 the
    # product is annihilated. A zero weight drops its term even at score 0.
    assert_allclose(weighted_geometric([100, 0], [1, 1]), 10)
    assert weighted_geometric([100, 0], [1, 1], floor=0) == 0
    assert_allclose(weighted_geometric([100, 0], [1, 0], floor=0), 100)
    # 0 among four equal-weight 100s: 100^(3/4) · 1^(1/4) = 31.62.
    assert_allclose(weighted_geometric([100, 100, 100, 0], [1, 1, 1, 1]), 100**0.75)


def test_weighted_geometric_missing_rules() -> None:
    # renormalise: only the 64 is left → 64; zero: 0 meets the floor 1 → sqrt(64 · 1) = 8.
    assert_allclose(weighted_geometric([64, NAN], [1, 1]), 64)
    assert_allclose(weighted_geometric([64, NAN], [1, 1], missing="zero"), 8)
    assert np.isnan(weighted_geometric([NAN], [1]))


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: weighted_arithmetic([1, 2], [-1, 2]), "method.weights-invalid"),
        (lambda: weighted_arithmetic([1, 2], [0, 0]), "method.weights-invalid"),
        (lambda: weighted_arithmetic([1, 2], [NAN, 1]), "method.weights-invalid"),
        (lambda: weighted_arithmetic([1, 2], [1, 1], missing="drop"), "method.missing-rule"),
        (lambda: weighted_geometric([1, -2], [1, 1]), "method.negative-values"),
        (lambda: topsis([[1, NAN], [2, 3]], [1, 1], [True, True]), "method.topsis-missing"),
        (lambda: topsis([1, 2], [1], [True]), "method.matrix-shape"),
        (lambda: topsis([[1, 2], [2, 3]], [1, -1], [True, True]), "method.weights-invalid"),
    ],
)
def test_aggregation_rejects(call: object, code: str) -> None:
    with pytest.raises(BeautycityError) as excinfo:
        call()  # type: ignore[operator]
    assert code_of(excinfo) == code


# TOPSIS ------------------------------------------------------------------------------------

# Hwang, C.-L. & Yoon, K. (1981) Multiple Attribute Decision Making: Methods and Applications,
# Lecture Notes in Economics and Mathematical Systems 186, Springer — the fighter-aircraft
# example of the TOPSIS section: attributes maximum speed, ferry range, maximum payload,
# acquisition cost (the one cost attribute), reliability, manoeuvrability; weights
# (.2, .1, .1, .1, .2, .3). Printed result: C* = 0.643, 0.268, 0.614, 0.312, so A1 > A3 > A4 > A2.
FIGHTERS = np.array(
    [
        [2.0, 1500, 20000, 5.5, 5, 9],
        [2.5, 2700, 18000, 6.5, 3, 5],
        [1.8, 2000, 21000, 4.5, 7, 7],
        [2.2, 1800, 20000, 5.0, 5, 5],
    ]
)


def test_topsis_hwang_yoon_fighters() -> None:
    weights = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]
    benefit = [True, True, True, False, True, True]
    closeness = topsis(FIGHTERS, weights, benefit)
    assert_allclose(closeness, [0.643, 0.268, 0.614, 0.312], atol=5e-4)
    assert list(np.argsort(-closeness)) == [0, 2, 3, 1]


def test_topsis_hand_worked() -> None:
    # X = [[3, 4], [4, 3], [0, 0]]: both column norms are 5, r = [[.6, .8], [.8, .6], [0, 0]];
    # w = (½, ½) → v = [[.3, .4], [.4, .3], [0, 0]].
    # Column 2 a cost: ideal (.4, 0), anti-ideal (0, .4).
    # row 1: D⁺ = sqrt(.1² + .4²) = 0.412311, D⁻ = sqrt(.3² + 0²) = 0.3
    #        → C = 0.3/0.712311 = 0.421165
    # row 2: D⁺ = 0.3, D⁻ = 0.412311 → C = 0.578835;   row 3: D⁺ = D⁻ = 0.4 → C = 0.5.
    X = np.array([[3, 4], [4, 3], [0, 0]], dtype=float)
    assert_allclose(topsis(X, [1, 1], [True, False]), [0.421165, 0.578835, 0.5], atol=1e-6)
    # Both benefits: ideal (.4, .4), anti-ideal (0, 0): rows 1, 2: D⁺ = .1, D⁻ = .5 → 5/6.
    assert_allclose(topsis(X, [1, 1], [True, True]), [5 / 6, 5 / 6, 0], atol=1e-12)


def test_topsis_degenerate_inputs() -> None:
    # An all-zero criterion plays no part; identical alternatives all sit at 0.5.
    X = np.array([[1.0, 0.0], [3.0, 0.0]])
    assert_allclose(topsis(X, [1, 1], [True, True]), [0, 1])
    assert_allclose(topsis(np.ones((3, 2)), [1, 1], [True, False]), [0.5, 0.5, 0.5])


# pymcdm warns about dominated alternatives in random matrices; that is advice, not a fault.
@pytest.mark.filterwarnings("ignore:Alternatives with indices:UserWarning")
def test_topsis_matches_pymcdm() -> None:
    # pymcdm's vector normalisation maps a cost column to 1 − r and always takes the maximum
    # as ideal; distances are the same as with r and a minimum ideal, so C must agree.
    rng = np.random.default_rng(1981)
    for _ in range(25):
        m, n = rng.integers(2, 10), rng.integers(1, 7)
        X = rng.uniform(0.1, 1000, size=(m, n))
        w = rng.dirichlet(np.ones(n))
        types = rng.choice([1, -1], size=n)
        theirs = TOPSIS(normalization_function=vector_normalization)(X, w, types)
        assert_allclose(topsis(X, w, types == 1), theirs, rtol=1e-10)


# TOPSIS in each unit's own weights ---------------------------------------------------------


def scheme_topsis(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    method = registry.method("aggregation", "topsis")
    return method.apply(NoParams(), scores, weights, "total")


def test_scheme_topsis_judges_each_unit_in_its_own_weights_hand_worked() -> None:
    # X = [[3, 4], [4, 3], [0, 0]], both criteria benefits; column norms 5,
    # r = [[.6, .8], [.8, .6], [0, 0]]. Unit 1 is in positioning a, w = (¾, ¼); units 2 and 3
    # in b, w = (¼, ¾).
    # a: v = [[.45, .2], [.6, .15], [0, 0]], ideal (.6, .2), anti-ideal (0, 0).
    #    unit 1: D⁺ = .15, D⁻ = sqrt(.45² + .2²) = 0.492443 → C = 0.492443/0.642443 = 0.766516
    #    (unit 2 would get D⁺ = .05, D⁻ = sqrt(.6² + .15²) = 0.618466 → 0.925202).
    # b: v = [[.15, .6], [.2, .45], [0, 0]], ideal (.2, .6): by symmetry unit 2 gets
    #    0.766516 (unit 1 would get 0.925202); unit 3 sits at the anti-ideal, C = 0.
    # With the scheme's (½, ½) for all, units 1 and 2 would both get 5/6.
    X = np.array([[3, 4], [4, 3], [0, 0]], dtype=float)
    W = np.array([[0.75, 0.25], [0.25, 0.75], [0.25, 0.75]])
    assert_allclose(scheme_topsis(X, W), [76.6516, 76.6516, 0], atol=1e-4)
    assert_allclose(topsis(X, W[0], [True, True])[1], 0.925202, atol=1e-6)


def test_scheme_topsis_with_equal_rows_is_single_vector_topsis() -> None:
    rng = np.random.default_rng(14)
    X = rng.uniform(0, 100, size=(7, 4))
    w = rng.dirichlet(np.ones(4))
    expected = 100 * topsis(X, w, np.ones(4, dtype=bool))
    assert_allclose(scheme_topsis(X, np.tile(w, (7, 1))), expected, rtol=1e-14)
    # Hwang & Yoon's fighters with their weights, every row the same.
    fighters = _topsis_own_weights(
        FIGHTERS,
        np.tile([0.2, 0.1, 0.1, 0.1, 0.2, 0.3], (4, 1)),
        [True, True, True, False, True, True],
    )
    assert_allclose(fighters, [0.643, 0.268, 0.614, 0.312], atol=5e-4)


def test_scheme_topsis_batches_like_a_loop_of_per_unit_topsis() -> None:
    # Leading replication axes: every (replication, unit) uses its own row, against its own
    # replication's matrix.
    rng = np.random.default_rng(8)
    positionings = rng.dirichlet(np.ones(3), size=2)
    X = rng.uniform(0, 100, size=(2, 4, 6, 3))
    W = positionings[rng.integers(2, size=(2, 4, 6))] * rng.uniform(0.5, 1.5, size=(2, 4, 1, 1))
    C = scheme_topsis(X, W)
    assert C.shape == (2, 4, 6)
    for r in np.ndindex(2, 4):
        for i in range(6):
            assert_allclose(C[r][i], 100 * topsis(X[r], W[r][i], np.ones(3, dtype=bool))[i])


# properties --------------------------------------------------------------------------------

stacks = hnp.arrays(
    np.float64,
    st.tuples(st.integers(1, 3), st.integers(1, 6), st.integers(1, 5)),
    elements=st.floats(0, 100) | st.just(NAN),
)


@given(stacks, st.data())
def test_means_batch_like_a_loop_and_stay_between_min_and_max(X: np.ndarray, data) -> None:
    # Per-replication weights, shape (replications, 1, criteria).
    R, _, n = X.shape
    w = data.draw(hnp.arrays(np.float64, (R, 1, n), elements=st.floats(0.01, 10)))
    for rule in ("renormalise", "zero"):
        arithmetic = weighted_arithmetic(X, w, missing=rule)
        geometric = weighted_geometric(X, w, missing=rule, floor=0)
        for r in range(R):
            assert_allclose(arithmetic[r], weighted_arithmetic(X[r], w[r, 0], missing=rule))
            assert_allclose(geometric[r], weighted_geometric(X[r], w[r, 0], missing=rule, floor=0))
        S = np.where(np.isnan(X), 0.0, X) if rule == "zero" else X
        present = ~np.isnan(S)
        lo = np.min(S, axis=-1, initial=np.inf, where=present)
        hi = np.max(S, axis=-1, initial=-np.inf, where=present)
        seen = ~np.isnan(arithmetic)
        assert np.all(arithmetic[seen] >= lo[seen] - 1e-9)
        assert np.all(arithmetic[seen] <= hi[seen] + 1e-9)
        # AM–GM: the weighted geometric mean never exceeds the weighted arithmetic one.
        assert np.all(geometric[seen] <= arithmetic[seen] + 1e-9)


@given(
    hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 3), st.integers(1, 6), st.integers(1, 4)),
        elements=st.floats(-1e3, 1e3),
    ),
    st.data(),
)
def test_topsis_batches_like_a_loop_and_stays_in_0_1(X: np.ndarray, data) -> None:
    n = X.shape[-1]
    w = data.draw(hnp.arrays(np.float64, n, elements=st.floats(0.01, 1)))
    benefit = data.draw(hnp.arrays(np.bool_, n))
    closeness = topsis(X, w, benefit)
    assert closeness.shape == X.shape[:2]
    assert np.all((closeness >= 0) & (closeness <= 1))
    for r in range(X.shape[0]):
        assert_allclose(closeness[r], topsis(X[r], w, benefit), rtol=1e-12, atol=1e-12)
