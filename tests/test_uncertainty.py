"""Robustness analysis: collapses without uncertainty, shows ties, reproducible by seed."""

from __future__ import annotations

import numpy as np
import pytest

from beautycity.assessment.engine import Inputs, assess
from beautycity.assessment.uncertainty import analyse
from beautycity.cities import load_roster
from beautycity.scheme.load import load_scheme
from beautycity.scheme.model import RobustnessSpec

from .builders import jilin_values, unit


@pytest.fixture(scope="module")
def jilin():
    scheme = load_scheme()
    roster = load_roster(scheme=scheme)
    a = assess(scheme, Inputs.build(scheme, 2024, list(roster), jilin_values(scheme, roster, 3)))
    return scheme, roster, a


NONE = RobustnessSpec(
    weight_spread=0,
    normalisations=("scheme",),
    aggregations=("arithmetic",),
    optional_indicators=False,
    replications=200,
)


def test_zero_uncertainty_collapses_to_the_nominal_rank(jilin):
    _, _, a = jilin
    result = analyse(a, NONE)
    for u in result.units:
        assert u.p5 == u.p95 == u.median_rank == u.nominal_rank == a.rank[u.id]
        assert u.grade_probability[a.grade[u.id]] == 1.0
    assert all(s.first_order == 0 for s in result.sensitivity)


def test_nominal_ties_give_overlapping_intervals(mini):
    # Air weighs 60 and water 40. h1 scores 60 on air and 40 on water, h2 40 and 70:
    # 0.6·60 + 0.4·40 = 52 = 0.6·40 + 0.4·70. PM2.5 36.2 → 100·(50−36.2)/23 = 60,
    # 40.8 → 40; water 64 → 100·(64−50)/35 = 40, 74.5 → 70.
    units = [unit("h1", "hub"), unit("h2", "hub"), unit("h3", "hub")]
    values = {
        "h1": {"pm25": 36.2, "water_good": 64.0},
        "h2": {"pm25": 40.8, "water_good": 74.5},
        "h3": {"pm25": 27.0, "water_good": 85.0},  # meets both targets: first on any weights
    }
    a = assess(mini, Inputs.build(mini, 2024, units, values))
    assert a.total["h1"] == pytest.approx(a.total["h2"])
    assert a.rank["h1"] == a.rank["h2"] == 2
    spec = NONE.model_copy(update={"weight_spread": 0.25, "replications": 2000})
    result = {u.id: u for u in analyse(a, spec).units}
    one, two = result["h1"], result["h2"]
    assert (one.p5, one.p95) == (2, 3) and (two.p5, two.p95) == (2, 3)  # overlapping
    assert result["h3"].p5 == result["h3"].p95 == 1


# The same analysis in another interpreter (another hash seed, nothing cached from here).
ELSEWHERE = """
from beautycity.assessment.engine import Inputs, assess
from beautycity.assessment.uncertainty import analyse
from beautycity.cities import load_roster
from beautycity.scheme.load import load_scheme
from tests.builders import jilin_values
scheme = load_scheme()
roster = load_roster(scheme=scheme)
a = assess(scheme, Inputs.build(scheme, 2024, list(roster), jilin_values(scheme, roster, 3)))
spec = scheme.robustness.model_copy(update={"replications": 500})
print(analyse(a, spec).model_dump_json())
"""


def test_same_seed_same_result_other_seed_differs(jilin, elsewhere):
    scheme, _, a = jilin
    spec = scheme.robustness.model_copy(update={"replications": 500})
    first = analyse(a, spec)
    assert elsewhere(ELSEWHERE).decode().strip() == first.model_dump_json()
    other = analyse(a, spec.model_copy(update={"seed": spec.seed + 1}))
    assert other != first


def test_normalisation_alone_is_the_only_sensitive_input(jilin):
    _, _, a = jilin
    spec = NONE.model_copy(
        update={"normalisations": ("scheme", "minmax", "zscore"), "replications": 600}
    )
    result = analyse(a, spec)
    (only,) = result.sensitivity
    assert only.input == "normalisation"
    assert only.first_order == pytest.approx(1.0)  # nothing else varies


def test_intervals_contain_the_median_and_probabilities_sum_to_one(jilin):
    scheme, _, a = jilin
    result = analyse(a, scheme.robustness.model_copy(update={"replications": 1000}))
    assert [u.nominal_rank for u in result.units] == sorted(u.nominal_rank for u in result.units)
    for u in result.units:
        assert 1 <= u.p5 <= u.median_rank <= u.p95 <= len(result.units)
        assert sum(u.grade_probability.values()) == pytest.approx(1.0, abs=1e-3)
    indices = np.array([s.first_order for s in result.sensitivity])
    assert ((indices >= 0) & (indices <= 1)).all()
