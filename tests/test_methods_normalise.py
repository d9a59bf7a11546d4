"""Normalisations to 0–100: hand-worked values, edge cases, errors and properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from beautycity.methods import (
    bands,
    distance_to_target,
    efficacy,
    efficacy_coefficient,
    minmax,
    yesno,
    zscore,
)
from beautycity.problems import BeautycityError

NAN = np.nan


def code_of(excinfo: pytest.ExceptionInfo[BeautycityError]) -> str:
    return excinfo.value.problems[0].code


# distance_to_target ------------------------------------------------------------------------


def test_distance_to_target_higher() -> None:
    # floor 50, target 90: 70 → 100·(70−50)/(90−50) = 50; 95 is past the target → 100;
    # 40 is below the floor → 0; a missing value stays missing.
    s = distance_to_target([70, 95, 40, NAN], 90, 50, "higher")
    assert_allclose(s, [50, 100, 0, NAN])


def test_distance_to_target_lower() -> None:
    # lower is better, floor 30 above target 10: 15 → 100·(15−30)/(10−30) = 100·15/20 = 75;
    # 5 beats the target → 100; 35 is past the floor → 0.
    assert_allclose(distance_to_target([15, 5, 35], 10, 30, "lower"), [75, 100, 0])


def test_distance_to_target_range() -> None:
    # range [6, 8], floor = distance 2 outside that scores 0:
    # 7 inside → 100; 5 is 1 below → 100·(1 − 1/2) = 50; 9.5 is 1.5 above → 100·(1 − 1.5/2) = 25;
    # 11 is 3 above → clipped to 0; the bounds themselves → 100.
    s = distance_to_target([7, 5, 9.5, 11, 6, 8, NAN], (6, 8), 2, "range")
    assert_allclose(s, [100, 50, 25, 0, 100, 100, NAN])


def test_distance_to_target_range_with_zero_floor() -> None:
    assert_array_equal(distance_to_target([6, 7, 8.01, 5.99], (6, 8), 0, "range"), [100, 100, 0, 0])


def test_distance_to_target_when_target_equals_floor() -> None:
    # No slope: met → 100, missed → 0.
    assert_array_equal(distance_to_target([80, 81, 79], 80, 80, "higher"), [100, 100, 0])
    assert_array_equal(distance_to_target([80, 81, 79], 80, 80, "lower"), [100, 0, 100])


def test_distance_to_target_broadcasts_parameters() -> None:
    # One target per replication (rows): 100·(60−50)/(target−50) = 50 and 25.
    s = distance_to_target(np.array([[60.0], [60.0]]), np.array([[70.0], [90.0]]), 50, "higher")
    assert_allclose(s, [[50], [25]])


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (([1], 50, 90, "higher"), "method.wrong-side"),
        (([1], 90, 50, "lower"), "method.wrong-side"),
        (([1], (8, 6), 1, "range"), "method.range-bounds"),
        (([1], (6, 8), -1, "range"), "method.range-floor"),
        (([1], 90, 50, "sideways"), "method.direction"),
    ],
)
def test_distance_to_target_rejects(args: tuple, code: str) -> None:
    with pytest.raises(BeautycityError) as excinfo:
        distance_to_target(*args)
    assert code_of(excinfo) == code


def test_wrong_side_message_names_the_numbers() -> None:
    with pytest.raises(BeautycityError) as excinfo:
        distance_to_target([1, 2], [90, 90], [50, 95], "higher")
    problem = excinfo.value.problems[0]
    assert "floor = 95" in problem.en and "target = 90" in problem.en


# minmax ------------------------------------------------------------------------------------


def test_minmax_hand_worked() -> None:
    # min 2, max 10 (the NaN is ignored): 4 → 100·(4−2)/8 = 25.
    assert_allclose(minmax([2, 4, 10, NAN], "higher"), [0, 25, 100, NAN])
    assert_allclose(minmax([2, 4, 10, NAN], "lower"), [100, 75, 0, NAN])


def test_minmax_all_equal_scores_100_and_all_missing_stays_missing() -> None:
    assert_array_equal(minmax([3, 3, NAN], "higher"), [100, 100, NAN])
    assert np.isnan(minmax([NAN, NAN], "lower")).all()


def test_minmax_along_units_axis() -> None:
    # units down axis 0, two criteria across: column 1 is [0, 5, 10], column 2 is [1, 3, 2].
    X = np.array([[0, 1], [5, 3], [10, 2]], dtype=float)
    assert_allclose(minmax(X, "higher", axis=0), [[0, 0], [50, 100], [100, 50]])


def test_range_direction_needs_distance_to_target() -> None:
    for method in (minmax, zscore, efficacy, yesno):
        with pytest.raises(BeautycityError) as excinfo:
            method([1.0, 2.0], "range")
        assert code_of(excinfo) == "method.range-unsupported"


# efficacy ----------------------------------------------------------------------------------


def test_efficacy_coefficient_hand_worked() -> None:
    # unacceptable 20, satisfactory 80, span 60:
    # 50 → 60 + 40·30/60 = 80;  80 → 100;  90 → 106.7, clipped to 100;  20 → 60;
    # −70 → 60 + 40·(−90)/60 = 0;  −100 → −20, clipped to 0.
    s = efficacy_coefficient([50, 80, 90, 20, -70, -100, NAN], 20, 80)
    assert_allclose(s, [80, 100, 100, 60, 0, 0, NAN])


def test_efficacy_coefficient_lower_is_better_by_swapped_bounds() -> None:
    # unacceptable 80 > satisfactory 20: 50 → 60 + 40·(50−80)/(20−80) = 60 + 20 = 80.
    assert_allclose(efficacy_coefficient([50, 20, 80], 80, 20), [80, 100, 60])


def test_efficacy_coefficient_equal_bounds() -> None:
    with pytest.raises(BeautycityError) as excinfo:
        efficacy_coefficient([1.0], 2.0, 2.0)
    assert code_of(excinfo) == "method.efficacy-bounds"


def test_efficacy_defaults_to_worst_and_best_unit() -> None:
    # worst 10, best 30: 20 → 60 + 40·10/20 = 80.
    assert_allclose(efficacy([10, 20, 30, NAN], "higher"), [60, 80, 100, NAN])
    assert_allclose(efficacy([10, 20, 30], "lower"), [100, 80, 60])


def test_efficacy_with_one_explicit_bound() -> None:
    # satisfactory 25, unacceptable = worst unit 10: 20 → 60 + 40·10/15 = 86.67; 30 → capped.
    assert_allclose(efficacy([10, 20, 30], "higher", satisfactory=25), [60, 86.666667, 100])
    # unacceptable 0 explicit, satisfactory = best unit 30: 15 → 60 + 40·15/30 = 80.
    assert_allclose(efficacy([15, 30], "higher", unacceptable=0), [80, 100])


def test_efficacy_default_bound_never_passes_the_explicit_one() -> None:
    # Every unit beats satisfactory = 5, so everyone reaches it: 100.
    assert_array_equal(efficacy([10, 20, 30], "higher", satisfactory=5), [100, 100, 100])
    # Every unit is worse than unacceptable = 40 and nobody can be satisfactory: 0.
    assert_array_equal(efficacy([10, 20, 30], "higher", unacceptable=40), [0, 0, 0])
    # All units equal: the bounds coincide and everyone is at the best value.
    assert_array_equal(efficacy([5, 5], "lower"), [100, 100])


def test_efficacy_rejects_bounds_against_the_direction() -> None:
    with pytest.raises(BeautycityError) as excinfo:
        efficacy([1.0], "lower", unacceptable=10, satisfactory=20)
    assert code_of(excinfo) == "method.wrong-side"


# zscore ------------------------------------------------------------------------------------


def test_zscore_hand_worked() -> None:
    # [2, 4, 6]: mean 4, population sd = sqrt((4 + 0 + 4)/3) = 1.632993;
    # z = ∓1.224745, 0 → 50 ∓ 12.24745. The NaN is ignored and stays missing.
    s = zscore([2, NAN, 4, 6], "higher")
    assert_allclose(s, [37.752551, NAN, 50, 62.247449])
    assert_allclose(zscore([2, 4, 6], "lower"), [62.247449, 50, 37.752551])


def test_zscore_clips_and_handles_zero_spread() -> None:
    # 99 zeros and one 100: mean 1, variance (99·1 + 99²)/100 = 99, sd 9.9499;
    # the outlier has z = 99/9.9499 = 9.95 → 149.5, clipped to 100; a zero has z = −0.1005 → 48.995.
    x = np.zeros(100)
    x[0] = 100
    s = zscore(x, "higher")
    assert s[0] == 100
    assert_allclose(s[1], 50 - 10 / np.sqrt(99))
    assert_array_equal(zscore([7, 7, 7], "higher"), [50, 50, 50])


# bands -------------------------------------------------------------------------------------


def test_bands_higher() -> None:
    # ≥ 60 → 40, ≥ 80 → 70, ≥ 90 → 100, otherwise 0; the pairs may come in any order.
    s = bands([55, 60, 85, 95, NAN], ((90, 100), (60, 40), (80, 70)), "higher")
    assert_array_equal(s, [0, 40, 70, 100, NAN])


def test_bands_lower() -> None:
    # ≤ 30 → 100, ≤ 50 → 60, otherwise 0.
    assert_array_equal(bands([20, 30, 40, 60], ((30, 100), (50, 60)), "lower"), [100, 100, 60, 0])


@pytest.mark.parametrize(
    "thresholds",
    [
        ((60, 40), (60, 70)),  # same value twice
        ((60, 40), (80, 120)),  # score above 100
        ((60, 70), (80, 40)),  # the better band scores less
    ],
)
def test_bands_rejects_unusable_thresholds(thresholds: tuple) -> None:
    with pytest.raises(BeautycityError) as excinfo:
        bands([70.0], thresholds, "higher")
    assert code_of(excinfo) == "method.bands-thresholds"


# yesno -------------------------------------------------------------------------------------


def test_yesno() -> None:
    assert_array_equal(yesno([1, 0, NAN], "higher"), [100, 0, NAN])
    assert_array_equal(yesno([1, 0], "lower"), [0, 100])
    with pytest.raises(BeautycityError) as excinfo:
        yesno([1, 0.5], "higher")
    assert code_of(excinfo) == "method.yesno-value"


# properties --------------------------------------------------------------------------------

values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
units = hnp.arrays(np.float64, st.integers(1, 12), elements=values)
direction = st.sampled_from(["higher", "lower"])


def _all_methods(x: np.ndarray, d: str) -> list[np.ndarray]:
    sign = 1 if d == "higher" else -1
    target, floor = sign * 100.0, sign * -100.0
    return [
        distance_to_target(x, target, floor, d),
        minmax(x, d),
        efficacy(x, d),
        efficacy(x, d, unacceptable=floor, satisfactory=target),
        zscore(x, d),
        bands(x, ((sign * -50.0, 30.0), (0.0, 60.0), (sign * 50.0, 100.0)), d),
    ]


@given(units, direction)
def test_scores_lie_in_0_100(x: np.ndarray, d: str) -> None:
    for s in _all_methods(x, d):
        assert np.all((s >= 0) & (s <= 100))


@given(units, direction)
def test_scores_are_monotonic_in_the_direction(x: np.ndarray, d: str) -> None:
    x = np.sort(x) if d == "higher" else np.sort(x)[::-1]  # from worst to best
    for s in _all_methods(x, d):
        assert np.all(np.diff(s) >= 0)


@given(hnp.arrays(np.float64, st.integers(1, 12), elements=st.floats(0, 20)))
def test_range_score_falls_with_distance_from_the_range(x: np.ndarray) -> None:
    above, below = np.sort(x[x >= 8]), np.sort(x[x <= 6])
    assert np.all(np.diff(distance_to_target(above, (6, 8), 5, "range")) <= 0)
    assert np.all(np.diff(distance_to_target(below, (6, 8), 5, "range")) >= 0)


stacks = hnp.arrays(
    np.float64,
    st.tuples(st.integers(1, 4), st.integers(1, 6), st.integers(1, 3)),
    elements=st.floats(-1e3, 1e3, allow_nan=False) | st.just(NAN),
)


@given(stacks, direction)
def test_batch_axes_give_the_same_as_looping(X: np.ndarray, d: str) -> None:
    # X: (replications, units, criteria); each criterion normalised across units (axis −2).
    for method in (minmax, efficacy, zscore):
        batched = method(X, d, axis=-2)
        for r in range(X.shape[0]):
            for j in range(X.shape[2]):
                assert_allclose(batched[r, :, j], method(X[r, :, j], d), rtol=1e-12, atol=1e-9)
