"""The path to the next grade: hand-worked paths, and on Jilin data that every path is
verified by re-scoring, minimal for its order and never beyond a milestone target."""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pandas as pd
import pytest

from beautycity.assessment.document import NextGrade
from beautycity.assessment.engine import Assessment, Inputs, assess
from beautycity.assessment.nextgrade import next_grades
from beautycity.assessment.params import Params
from beautycity.cities import load_roster
from beautycity.scheme.load import load_scheme
from beautycity.scheme.model import Direction

from .builders import jilin_values, unit


@pytest.fixture(scope="module")
def jilin():
    scheme = load_scheme()
    return scheme, load_roster(scheme=scheme)


def mini_run(scheme, values: dict, positioning: str = "hub", **params) -> Assessment:
    units = [unit(uid, positioning) for uid in values]
    return assess(scheme, Inputs.build(scheme, 2024, units, values), Params.of(scheme, **params))


def rescored(a: Assessment, paths: dict[str, NextGrade | None], drop_last: bool = False):
    """Grade indices after each unit's path (all units at once: they score independently)."""
    raw = a.inputs.raw.copy()
    for uid, path in paths.items():
        steps = path.steps[:-1] if path and drop_last else path.steps if path else ()
        for s in steps:
            raw.loc[uid, s.indicator] = s.to
    b = assess(a.scheme, dataclasses.replace(a.inputs, raw=raw), a.params)
    return grade_index(b), b.total


def grade_index(a: Assessment) -> pd.Series:
    order = [g.id for g in a.scheme.grades]
    return a.grade.map(order.index)


def check_paths(a: Assessment, paths: dict[str, NextGrade | None]) -> None:
    """Every path reaches its grade; without its last step it does not; no step passes its
    milestone target; the points add up to the total gained."""
    order = [g.id for g in a.scheme.grades]
    now = grade_index(a)
    assert list(paths) == list(a.total.index)
    after, total = rescored(a, paths)
    before, _ = rescored(a, paths, drop_last=True)
    for uid, path in paths.items():
        if now[uid] == 0:
            assert path is None
            continue
        assert path is not None and path.reachable and path.steps, uid
        assert path.grade == order[now[uid] - 1]
        assert after[uid] <= now[uid] - 1, uid
        assert before[uid] > now[uid] - 1, uid
        gained = sum(s.points for s in path.steps)
        assert gained == pytest.approx(total[uid] - a.total[uid], abs=0.005 * len(path.steps))
        assert path.points_needed == pytest.approx(
            max(a.scheme.grades[now[uid] - 1].min - a.total[uid], 0), abs=0.005
        )
        for s in path.steps:
            ind = a.scheme.indicator[s.indicator]
            lo, hi = a.target.loc[uid, s.indicator], a.target_high.loc[uid, s.indicator]
            if ind.direction is Direction.HIGHER:
                end = lo
            elif ind.direction is Direction.LOWER:
                end = hi
            else:
                end = hi if s.from_ is not None and s.from_ > hi else lo
            if s.from_ is not None:
                # Towards the target, never past it.
                assert (s.to - s.from_) * (end - s.from_) > 0, (uid, s)
                assert abs(s.to - s.from_) <= abs(end - s.from_) + 1e-9, (uid, s)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_jilin_paths_reach_the_next_grade(jilin, seed):
    scheme, roster = jilin
    values = jilin_values(scheme, roster, seed)
    a = assess(scheme, Inputs.build(scheme, 2024, list(roster), values))
    paths = next_grades(a)
    assert any(p is not None for p in paths.values())
    check_paths(a, paths)


def test_jilin_geometric_paths(jilin):
    # Gains interact under a geometric mean: the cumulative re-scoring still decides.
    scheme, roster = jilin
    values = jilin_values(scheme, roster, 3)
    a = assess(
        scheme,
        Inputs.build(scheme, 2024, list(roster), values),
        Params.of(scheme, aggregation="geometric"),
    )
    check_paths(a, next_grades(a))


def test_hand_worked_partial_step(mini):
    # Hub (2024 → milestone 2027: pm25 target 27, floor 50; water_good target 85, floor 50).
    # pm25 35 → 100·(50−35)/23 = 65.2174; water_good 70 → 100·20/35 = 57.1429.
    # total = 0.6·65.2174 + 0.4·57.1429 − min(0.5·(35−27), 3) = 39.1304 + 22.8571 − 3
    #       = 58.9876: fail, 1.0124 short of pass (60).
    # Gains alone: pm25 → 27 gives 60 + 22.8571 − 0 = 82.8571 (+23.87); water_good → 85 gives
    # 39.1304 + 40 − 3 = 76.1304 (+17.14): pm25 first, and it alone is enough.
    # Smallest pm25 (1 decimal): 60·(50−x)/23 + 22.8571 − 3 ≥ 60 ⇔ x ≤ 34.612 → 34.6,
    # total 60·15.4/23 + 19.8571 = 60.0311, so points = 60.0311 − 58.9876 = 1.04.
    a = mini_run(mini, {"h": {"pm25": 35.0, "water_good": 70.0}})
    assert a.total["h"] == pytest.approx(58.9876, abs=1e-4)
    path = next_grades(a)["h"]
    assert path is not None
    assert path.grade == "pass" and path.reachable
    assert path.points_needed == 1.01
    assert [(s.indicator, s.from_, s.to, s.points) for s in path.steps] == [
        ("pm25", 35.0, 34.6, 1.04)
    ]
    assert path.model_dump(mode="json")["steps"][0]["from"] == 35.0


def test_veto_step_comes_first(mini):
    # Showcase (pm25 target 22; water: water_good 100/110, incident 10/110; an incident caps
    # the grade at good). pm25 22 → 100; water_good 70 → 57.1429; incident 1 → 0.
    # water = (100·57.1429 + 10·0)/110 = 51.9481; total = 60 + 0.4·51.9481 = 80.7792: good,
    # and good is also the cap, so the veto must go before excellent (90) can be reached.
    # 1. incident 1 → 0: water = (5714.29 + 1000)/110 = 61.0390, total 84.4156 (+3.64).
    # 2. water_good: 60 + 0.4·(10000·(w−50)/35 + 1000)/110 ≥ 90 ⇔ w ≥ 75.375 → 75.38 (2 dp),
    #    score 72.5143, water 75.0130, total 90.0052 (+5.59).
    a = mini_run(
        mini, {"s": {"pm25": 22.0, "water_good": 70.0, "incident": 1.0}}, positioning="showcase"
    )
    assert a.grade["s"] == "good" and a.total["s"] == pytest.approx(80.7792, abs=1e-4)
    path = next_grades(a)["s"]
    assert path is not None and path.grade == "excellent" and path.reachable
    assert path.points_needed == 9.22
    assert [(s.indicator, s.from_, s.to, s.points) for s in path.steps] == [
        ("incident", 1.0, 0.0, 3.64),
        ("water_good", 70.0, 75.38, 5.59),
    ]


def test_veto_alone_needs_no_points(jilin):
    # Data falsification fails the unit whatever its total; lifting it is the whole path.
    scheme, roster = jilin
    values = jilin_values(scheme, roster, 0)
    a0 = assess(scheme, Inputs.build(scheme, 2024, list(roster), values))
    uid = next(u for u in a0.total.index if 60 <= a0.total[u] < 80)
    values[uid]["data_falsification"] = 1.0
    a = assess(scheme, Inputs.build(scheme, 2024, list(roster), values))
    assert a.grade[uid] == "fail"
    path = next_grades(a)[uid]
    assert path is not None and path.grade == "pass" and path.points_needed == 0
    assert [(s.indicator, s.from_, s.to) for s in path.steps] == [("data_falsification", 1.0, 0.0)]
    check_paths(a, next_grades(a))


def test_top_grade_gets_none(mini):
    a = mini_run(mini, {"h": {"pm25": 20.0, "water_good": 90.0}, "l": {"pm25": 40.0}})
    paths = next_grades(a)
    assert a.grade["h"] == "excellent" and paths["h"] is None
    assert isinstance(paths["l"], NextGrade)


def test_unreachable_lists_every_step(mini):
    # Min–max scores a unit against the others, and b beats both targets: a at pm25 27 and
    # water_good 85 is still the worst on both, 0 points each, so it cannot pass.
    values = {"a": {"pm25": 45.0, "water_good": 55.0}, "b": {"pm25": 20.0, "water_good": 95.0}}
    a = mini_run(mini, values, normalisation="minmax")
    paths = next_grades(a)
    assert paths["b"] is None
    path = paths["a"]
    assert path is not None and not path.reachable and path.points_needed == 60
    assert sorted((s.indicator, s.to, s.points) for s in path.steps) == [
        ("pm25", 27.0, 0.0),
        ("water_good", 85.0, 0.0),
    ]


def test_missing_required_value_is_a_step(mini):
    # Missing values scored 0: pm25 at its target gives 60 (pass); reporting water_good at its
    # target (all or nothing: there is no value to start from) adds 0.4·100 = 40.
    a = mini_run(mini, {"h": {"pm25": 27.0, "water_good": None}}, missing="zero")
    assert a.total["h"] == pytest.approx(60)
    path = next_grades(a)["h"]
    assert path is not None and path.grade == "good" and path.reachable
    assert [(s.indicator, s.from_, s.to, s.points) for s in path.steps] == [
        ("water_good", None, 85.0, 40.0)
    ]
    assert path.model_dump(mode="json")["steps"][0]["from"] is None


def test_coupled_run_is_rescored_unit_by_unit(mini):
    # Min–max scales each unit against the others: a path holds with only that unit changed.
    values = {
        "a": {"pm25": 45.0, "water_good": 55.0},
        "b": {"pm25": 30.0, "water_good": 80.0},
        "c": {"pm25": 38.0, "water_good": 60.0},
    }
    a = mini_run(mini, values, normalisation="minmax")
    order = [g.id for g in mini.grades]
    for uid, path in next_grades(a).items():
        if path is None:
            continue
        changed = {u: dict(v) for u, v in values.items()}
        changed[uid].update({s.indicator: s.to for s in path.steps})
        b = mini_run(mini, changed, normalisation="minmax")
        assert order.index(b.grade[uid]) <= order.index(path.grade)


@pytest.mark.slow
def test_time_at_scale(jilin, capsys):
    scheme, roster = jilin
    copies = 182  # × 11 units = 2,002
    units, values = [], {}
    for k in range(copies):
        for uid, row in jilin_values(scheme, roster, k).items():
            new = roster[uid].model_copy(update={"id": f"{uid}_{k}"})
            units.append(new)
            values[new.id] = row
    a = assess(scheme, Inputs.build(scheme, 2024, units, values))
    started = time.perf_counter()
    paths = next_grades(a)
    took = time.perf_counter() - started
    with capsys.disabled():
        steps = np.mean([len(p.steps) for p in paths.values() if p is not None])
        print(f"\nnext_grades: {len(units)} units in {took:.2f} s, {steps:.2f} steps on average")
    check_paths(a, paths)
