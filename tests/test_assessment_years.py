"""Year to year: follow-up of last year's list under today's rules, comparability across
scheme versions, and relative aggregations that are ranked, not graded."""

from __future__ import annotations

import click
import pytest

from beautycity.assessment.build import build_doc
from beautycity.assessment.engine import Inputs, assess
from beautycity.assessment.uncertainty import analyse
from beautycity.cli import main
from beautycity.scheme.load import load_scheme
from beautycity.scheme.model import RobustnessSpec

from .builders import ADJUSTMENTS, unit
from .minischeme import MINI_SCHEME

UNITS = [unit("h1", "hub"), unit("h2", "hub"), unit("s1", "showcase")]
# 2022 → 2023 → 2024 values: h1's PM2.5 improves fast (on track in 2024), h2's stalls (off
# track), s1 meets its water target in 2024 after missing it.
YEARS = {
    2022: {"h1": {"pm25": 40.0, "water_good": 80.0}, "h2": {"pm25": 33.0, "water_good": 86.0},
           "s1": {"pm25": 30.0, "water_good": 70.0, "incident": 0.0}},
    2023: {"h1": {"pm25": 36.0, "water_good": 82.0}, "h2": {"pm25": 32.0, "water_good": 86.0},
           "s1": {"pm25": 28.0, "water_good": 75.0, "incident": 0.0}},
    2024: {"h1": {"pm25": 31.0, "water_good": 84.0}, "h2": {"pm25": 31.8, "water_good": 85.5},
           "s1": {"pm25": 21.0, "water_good": 86.0, "incident": 0.0}},
}  # fmt: skip


def _doc(scheme, year, previous=None, sha="x"):
    a = assess(scheme, Inputs.build(scheme, year, UNITS, YEARS[year]))
    return build_doc(a, sha, previous=previous)


def _ind(doc, uid, ind):
    u = next(u for u in doc.units if u.id == uid)
    return next(i for i in u.indicators if i.id == ind)


@pytest.fixture(scope="module")
def chain(mini):
    d22 = _doc(mini, 2022)
    d23 = _doc(mini, 2023, d22)
    return d22, d23, _doc(mini, 2024, d23)


def test_first_year_has_no_failures_only_distances(chain):
    d22, _, _ = chain
    states = {i.status for u in d22.units for i in u.indicators}
    assert "not_met" not in states and "off_track" not in states
    h1 = _ind(d22, "h1", "pm25")
    assert (h1.status, h1.years_left) == ("short", 5)
    # 40 is 13 above the 27 target: the deduction (0.5 a unit, capped at 3) fires, and a fired
    # deduction needs action even while the target is years away
    assert h1.action == ("deduction",)
    u = next(u for u in d22.units if u.id == "h1")
    assert next(a.points for a in u.adjustments if a.id == "pm25_shortfall") == -3.0


def test_trajectories_and_follow_up_of_exactly_last_years_list(chain):
    _, d23, d24 = chain
    # h1: 36 → 31 is −5 a year; 31 − 15 = 16 by 2027 ≤ 27: on track
    h1 = _ind(d24, "h1", "pm25")
    assert h1.status == "on_track" and h1.projected == pytest.approx(16.0)
    # h2: 32 → 31.8, −0.2 a year: 31.2 by 2027 > 27: off track, and on the list again
    h2 = _ind(d24, "h2", "pm25")
    assert h2.status == "off_track" and "off_track" in h2.action
    for uid in ("h1", "h2", "s1"):
        for ind in ("pm25", "water_good"):
            last, now = _ind(d23, uid, ind), _ind(d24, uid, ind)
            # last year's list as last year's own document has it (same scheme and rules)
            assert now.previous_action == last.action
            assert now.previous_status == last.status
            assert (now.follow_up is not None) == bool(last.action)
            if now.follow_up:
                assert (now.follow_up == "closed") == (not now.action)
    # h2's water fell from 86 to 85.5 yet still meets 85: an expected indicator, no action
    assert _ind(d24, "h2", "water_good").action == ()


def test_last_years_statuses_are_recomputed_under_todays_rules(mini, chain):
    _, d23, _ = chain
    # A document written by older rules: every shortfall "not met", no actions recorded.
    stale_units = tuple(
        u.model_copy(
            update={
                "indicators": tuple(
                    i.model_copy(update={"status": "not_met" if i.status != "met" else "met",
                                         "action": ()})
                    for i in u.indicators
                )
            }
        )
        for u in d23.units
    )  # fmt: skip
    stale = d23.model_copy(update={"units": stale_units})
    d24 = _doc(mini, 2024, stale)
    fresh = _doc(mini, 2024, d23)
    assert d24.units == fresh.units


def test_a_redefined_indicator_is_not_compared(tmp_path, mini, chain):
    _, d23, _ = chain
    text = (MINI_SCHEME + ADJUSTMENTS).replace('version: "0.1"', 'version: "0.2"', 1)
    text = text.replace("definition: {zh: 比例, en: Ratio}", "definition: {zh: 新口径, en: New}")
    path = tmp_path / "mini-0.2.yaml"
    path.write_text(text, encoding="utf-8")
    changed = load_scheme(path)
    doc = _doc(changed, 2024, d23, sha="y")
    assert doc.comparison is not None and not doc.comparison.same_scheme
    assert doc.comparison.excluded == ("water_good",)
    water, pm25 = _ind(doc, "s1", "water_good"), _ind(doc, "s1", "pm25")
    assert water.previous is None and water.change is None and water.follow_up is None
    assert pm25.previous == 28.0 and pm25.change == pytest.approx(-7.0)
    same = _doc(mini, 2024, d23)
    assert same.comparison.same_scheme and same.comparison.excluded == ()


def test_topsis_closeness_is_ranked_not_graded(tmp_path, mini):
    a = assess(mini, Inputs.build(mini, 2024, UNITS, YEARS[2024]))
    t = a.rerun(aggregation="topsis")
    assert t.grade.isna().all() and t.grade_by_score.isna().all()
    doc = build_doc(t, "x")
    assert all(u.grade is None and u.next_grade is None for u in doc.units)
    assert sum(doc.grade_counts.values()) == 0
    text = (MINI_SCHEME + ADJUSTMENTS).replace(
        "weights: {dimensions: 100, indicators: 100}\n",
        "weights: {dimensions: 100, indicators: 100}\nmethod: {grade_relative: true}\n",
    )
    path = tmp_path / "mini-relative.yaml"
    path.write_text(text, encoding="utf-8")
    relative = load_scheme(path)
    graded = assess(relative, Inputs.build(relative, 2024, UNITS, YEARS[2024])).rerun(
        aggregation="topsis"
    )
    assert graded.grade.notna().all()


def test_the_command_line_takes_the_replication_bounds_of_the_spec():
    score = main.get_command(click.Context(main), "score")
    option = next(p for p in score.params if p.name == "robustness")
    assert isinstance(option.type, click.IntRange)
    field = RobustnessSpec.model_fields["replications"]
    bounds = {type(m).__name__: m for m in field.metadata}
    assert option.type.min == bounds["Ge"].ge and option.type.max == bounds["Le"].le


def test_a_target_range_keeps_its_own_method_under_a_data_driven_override(tmp_path):
    text = (MINI_SCHEME + ADJUSTMENTS).replace(
        "    direction: higher\n    kind: expected\n    targets:\n      2027: 85\n",
        "    direction: range\n    kind: expected\n    targets:\n      2027: [80, 90]\n",
    )
    path = tmp_path / "range.yaml"
    path.write_text(text, encoding="utf-8")
    ranged = load_scheme(path)
    assert ranged.indicator["water_good"].direction == "range"
    a = assess(ranged, Inputs.build(ranged, 2024, UNITS, YEARS[2024]))
    minmax = a.rerun(normalisation="minmax")
    assert (minmax.normalised["water_good"] == a.normalised["water_good"]).all()
    assert not (minmax.normalised["pm25"] == a.normalised["pm25"]).all()
    spec = ranged.robustness.model_copy(update={"replications": 100})
    assert len(analyse(a, spec).units) == 3  # min–max and efficacy replications run too
