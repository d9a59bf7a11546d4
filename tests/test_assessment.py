"""The scoring engine against hand-worked numbers, and the properties it must keep."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beautycity.assessment.engine import Inputs, assess, replay
from beautycity.assessment.params import Params, Step
from beautycity.cities import load_roster
from beautycity.scheme.load import load_scheme

from .builders import jilin_values, unit


def run(scheme, values, counts=None, year=2024, **params):
    units = [unit("h", "hub"), unit("s", "showcase")]
    inputs = Inputs.build(scheme, year, units, values, counts)
    return assess(scheme, inputs, Params.of(scheme, **params))


def test_hand_worked_totals(mini):
    a = run(
        mini,
        {
            "h": {"pm25": 38.5, "water_good": 67.5},
            "s": {"pm25": 36.0, "water_good": 85.0, "incident": 0},
        },
        {"h": {"honours": 2}},
    )
    # h (hub, target 27 for 2027): pm25 100·(50−38.5)/(50−27) = 50; water 100·(67.5−50)/(85−50) = 50
    # s (showcase, target tightened to 22): pm25 100·(50−36)/(50−22) = 50; water 100; incident 100
    assert a.normalised.loc["h", "pm25"] == pytest.approx(50)
    assert a.normalised.loc["s", "pm25"] == pytest.approx(50)
    assert a.normalised.loc["h", "water_good"] == pytest.approx(50)
    assert np.isnan(a.normalised.loc["h", "incident"])  # not a hub indicator
    assert a.dimension_scores.loc["h"].tolist() == pytest.approx([50, 50])
    assert a.dimension_scores.loc["s"].tolist() == pytest.approx([50, 100])
    # h: 0.6·50 + 0.4·50 = 50, minus min(0.5·(38.5−27), 3) = 3, plus min(1·2, 3) = 2 → 49
    assert a.base_total["h"] == pytest.approx(50)
    assert a.adjustments.loc["h"].tolist() == pytest.approx([-3, 2])
    assert a.total["h"] == pytest.approx(49)
    # s: 0.6·50 + 0.4·100 = 70, minus min(0.5·(36−22), 3) = 3 → 67
    assert a.total["s"] == pytest.approx(67)
    assert a.grade.to_dict() == {"h": "fail", "s": "pass"}
    assert a.rank.to_dict() == {"s": 1, "h": 2}
    assert a.group_rank.to_dict() == {"h": 1, "s": 1}


def test_cap_veto_keeps_an_excellent_score_from_an_excellent_grade(mini):
    a = run(
        mini,
        {"s": {"pm25": 22, "water_good": 85, "incident": 1}, "h": {"pm25": 27, "water_good": 85}},
    )
    # water for s: (100·100 + 0·10)/110 = 90.909…; total 0.6·100 + 0.4·90.909 = 96.36
    assert a.total["s"] == pytest.approx(60 + 0.4 * 100 * 100 / 110)
    assert a.grade_by_score["s"] == "excellent"
    assert a.grade["s"] == "good"
    assert a.vetoes.loc["s", "incident"]
    assert a.grade["h"] == "excellent"


def test_missing_optional_value_renormalises_or_scores_zero(mini):
    values = {"h": {"pm25": 38.5}, "s": {"pm25": 36.0, "water_good": 85.0, "incident": 0}}
    renorm = run(mini, values)
    # water_good missing for h: its dimension has no score left, so the total rests on air
    assert np.isnan(renorm.dimension_scores.loc["h", "water"])
    zero = run(mini, values, missing="zero")
    assert zero.dimension_scores.loc["h", "water"] == 0
    assert zero.base_total["h"] == pytest.approx(0.6 * 50)


def test_geometric_and_equal_and_topsis_are_recorded_and_differ(mini):
    values = {
        "h": {"pm25": 38.5, "water_good": 67.5},
        "s": {"pm25": 36.0, "water_good": 85.0, "incident": 0},
    }
    a = run(mini, values)
    g = a.rerun(aggregation="geometric")
    # s: 50^0.6 · 100^0.4 = 65.98
    assert g.base_total["s"] == pytest.approx(50**0.6 * 100**0.4)
    assert g.params.aggregation == "geometric"
    assert [s.name for s in g.steps] == ["normalise", "weight", "aggregate", "adjust", "grade"]
    e = a.rerun(weighting="equal")
    assert e.base_total["s"] == pytest.approx(0.5 * 50 + 0.5 * 100)
    t = a.rerun(aggregation="topsis")
    assert t.base_total["s"] > t.base_total["h"]


def test_rerun_with_no_change_reproduces_every_layer(mini):
    a = run(
        mini,
        {"h": {"pm25": 30, "water_good": 70}, "s": {"pm25": 25, "water_good": 90, "incident": 0}},
    )
    b = a.rerun()
    for layer in ("normalised", "weights", "dimension_scores", "adjustments"):
        assert getattr(a, layer).equals(getattr(b, layer)), layer
    assert a.total.equals(b.total)


LAYERS = (
    "applicable", "target", "target_high", "target_year", "normalised", "indicator_weights",
    "weights", "dimension_weights", "dimension_scores", "base_total", "adjustments", "total",
    "grade_by_score", "grade", "vetoes", "rank", "group_rank",
)  # fmt: skip


def test_replaying_the_recorded_steps_gives_an_equal_assessment(jilin):
    """COINr's Regen: the steps a run recorded, replayed on its inputs, give the same run —
    also for the steps as `assessment.json` stores them, read back."""
    scheme, roster = jilin
    inputs = Inputs.build(scheme, 2024, list(roster), jilin_values(scheme, roster))
    choices = Params.of(scheme, normalisation="minmax", weighting="equal", aggregation="geometric")
    a = assess(scheme, inputs, choices)
    stored = [Step.model_validate_json(s.model_dump_json()) for s in a.steps]
    for b in (a.rerun(), replay(scheme, inputs, stored)):
        assert b.params == a.params and b.steps == a.steps
        for layer in LAYERS:
            assert getattr(a, layer).equals(getattr(b, layer)), layer
    # An edited step replays as that choice made from the start.
    edited = [
        s.model_copy(update={"params": {**s.params, "method": "arithmetic"}})
        if s.name == "aggregate"
        else s
        for s in stored
    ]
    expected = assess(scheme, inputs, choices.model_copy(update={"aggregation": "arithmetic"}))
    assert replay(scheme, inputs, edited).total.equals(expected.total)
    assert not expected.total.equals(a.total)


@pytest.fixture(scope="module")
def jilin():
    scheme = load_scheme()
    return scheme, load_roster(scheme=scheme)


def test_clean_energy_units_are_scored_on_their_characteristic_indicators(jilin):
    scheme, roster = jilin
    a = assess(scheme, Inputs.build(scheme, 2024, list(roster), jilin_values(scheme, roster)))
    characteristic = [
        i.id
        for i in scheme.indicators
        if i.positionings != "all" and "clean_energy" in i.positionings
    ]
    assert characteristic  # the scheme declares some
    for ind in characteristic:
        assert a.applicable.loc["songyuan", ind] and a.applicable.loc["baicheng", ind]
        assert not a.applicable.loc["changchun", ind]
        assert a.weights.loc["songyuan", ind] > 0
        assert a.weights.loc["changchun", ind] == 0


def test_showcase_units_face_stricter_targets(jilin):
    scheme, roster = jilin
    a = assess(scheme, Inputs.build(scheme, 2024, list(roster), jilin_values(scheme, roster)))
    # the province's 2027 PM2.5 target is 27 μg/m³ (seed); showcase units are held to less
    assert a.target.loc["changchun", "pm25_annual_mean"] == 27
    for showcase in ("changbaishan", "meihekou"):
        assert a.target.loc[showcase, "pm25_annual_mean"] < 27
        assert (
            a.target.loc[showcase, "good_surface_water_ratio"]
            > a.target.loc["jilin", "good_surface_water_ratio"]
        )


def test_weights_of_every_unit_sum_to_one(jilin):
    scheme, roster = jilin
    a = assess(scheme, Inputs.build(scheme, 2024, list(roster), jilin_values(scheme, roster)))
    assert a.weights.sum(axis=1).to_numpy() == pytest.approx(np.ones(len(roster)))
    assert a.dimension_weights.sum(axis=1).to_numpy() == pytest.approx(np.ones(len(roster)))


@settings(max_examples=40, deadline=None)
@given(st.permutations(range(11)), st.integers(0, 2**16))
def test_permuting_submissions_changes_nothing(jilin, order, seed):
    scheme, roster = jilin
    values = jilin_values(scheme, roster, seed)
    units = list(roster)
    a = assess(scheme, Inputs.build(scheme, 2024, units, values))
    b = assess(scheme, Inputs.build(scheme, 2024, [units[i] for i in order], values))
    assert a.total.equals(b.total)
    assert a.rank.equals(b.rank)
    assert a.normalised.equals(b.normalised)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 2**16),
    st.sampled_from(range(11)),
    st.integers(0, 39),
    st.floats(0.01, 0.5),
    st.sampled_from([None, "minmax", "efficacy", "zscore"]),
    st.sampled_from(["arithmetic", "geometric"]),
)
def test_improving_one_value_never_lowers_that_units_total(
    jilin, seed, who, which, step, norm, agg
):
    scheme, roster = jilin
    values = jilin_values(scheme, roster, seed)
    uid = list(roster)[who].id
    ind = scheme.indicators[which % len(scheme.indicators)]
    if ind.input.type == "yesno":
        return
    before = assess(
        scheme,
        Inputs.build(scheme, 2024, list(roster), values),
        Params.of(scheme, normalisation=norm, aggregation=agg),
    )
    x = values[uid][ind.id]
    span = (ind.input.max or 100.0) - (ind.input.min or 0.0)
    better = x - step * span if ind.direction == "lower" else x + step * span
    lo = ind.input.min if ind.input.min is not None else -np.inf
    hi = ind.input.max if ind.input.max is not None else np.inf
    values[uid][ind.id] = float(np.clip(better, lo, hi))
    after = assess(scheme, Inputs.build(scheme, 2024, list(roster), values), before.params)
    assert after.total[uid] >= before.total[uid] - 1e-9
