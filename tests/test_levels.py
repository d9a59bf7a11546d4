"""Unit levels drive applicability: an indicator declared for some levels only is absent, for a
unit of another level, from its effective scheme, template, layout, assessment and results."""

from __future__ import annotations

import math

import numpy as np
import pytest
from openpyxl import load_workbook

from beautycity import cities
from beautycity.assessment.build import build_doc
from beautycity.assessment.engine import Inputs, assess
from beautycity.cities import Level, Roster, Unit
from beautycity.problems import BeautycityError
from beautycity.scheme import levels
from beautycity.scheme.effective import effective_scheme
from beautycity.scheme.load import load_scheme
from beautycity.scheme.model import Text
from beautycity.submission.read import read_submissions
from beautycity.workbook.build import template_name, write_template
from beautycity.workbook.fill import fill_workbook
from beautycity.workbook.layout import plan

from .minischeme import MINI_SCHEME

YEAR = 2025

# The mini scheme with a second air indicator that the plan would set for 地级及以上城市 only:
# the air dimension's common weights become 60 + 40.
OZONE = """\
  - id: ozone
    code: A2
    name: {zh: 臭氧浓度, en: Ozone concentration}
    unit: {zh: 微克/立方米, en: μg/m³, symbol: μg/m³}
    definition: {zh: 第90百分位数, en: 90th percentile}
    source: {zh: 公报, en: Bulletin}
    provenance: {kind: scheme, ref: {zh: 本体系, en: This scheme}}
    dimension: air
    direction: lower
    kind: expected
    targets: {2027: 160}
    scoring: {method: distance_to_target, floor: 220}
    weight: 40
    input: {type: number, min: 0, max: 400, decimals: 0}
    department: {zh: 生态环境局, en: Ecology bureau}
    levels: [LEVELS]
"""
PM25_WEIGHT = "    weight: 100\n    input: {type: number, min: 0, max: 300, decimals: 1}\n"


def scheme_text(ozone_levels: str = "prefecture", pm25_levels: str | None = None) -> str:
    pm25 = PM25_WEIGHT.replace("100", "60")
    if pm25_levels is not None:
        pm25 += f"    levels: [{pm25_levels}]\n"
    text = MINI_SCHEME.replace(PM25_WEIGHT, pm25)
    return text.replace("grades:\n", OZONE.replace("LEVELS", ozone_levels) + "grades:\n")


@pytest.fixture(scope="module")
def scheme(tmp_path_factory):
    path = tmp_path_factory.mktemp("levels") / "levels.yaml"
    path.write_text(scheme_text(), encoding="utf-8")
    return load_scheme(path)


def unit(uid: str, level: Level, positioning: str = "hub") -> Unit:
    return Unit(
        id=uid,
        name=Text(zh=uid, en=uid),
        short=Text(zh=uid, en=uid),
        level=level,
        positioning=positioning,
        statement=Text(zh="定位", en="positioning"),
    )


CITY, COUNTY = unit("city", Level.PREFECTURE), unit("county", Level.COUNTY)
VALUES = {"pm25": 30.0, "water_good": 80.0, "ozone": 190.0}


def test_levels_are_known_to_the_scheme_layer_and_reexported_by_cities():
    assert cities.Level is levels.Level
    assert levels.LEVELS == ("prefecture", "county", "zone") == tuple(lv.value for lv in Level)


def test_the_effective_scheme_of_a_county_leaves_the_indicator_out(scheme):
    county = effective_scheme(scheme, "hub", "county")
    city = effective_scheme(scheme, "hub", "prefecture")
    every = effective_scheme(scheme, "hub")  # no level: every indicator of the positioning
    assert "ozone" not in county.indicator
    assert "ozone" in city.indicator and "ozone" in every.indicator
    assert (county.level, city.level, every.level) == ("county", "prefecture", None)
    for eff in (county, city, every):
        assert math.isclose(sum(e.weight for e in eff.indicators), 1.0)
        assert math.isclose(sum(d.weight for d in eff.dimensions), 1.0)
    # Renormalised within the dimension: PM2.5 carries the whole air share for the county.
    assert county.indicator["pm25"].weight_in_dimension == 1.0
    assert city.indicator["pm25"].weight_in_dimension == pytest.approx(0.6)
    assert city.indicator["ozone"].weight_in_dimension == pytest.approx(0.4)
    assert county.indicator["pm25"].weight == pytest.approx(0.6)
    # A Level member works as its id.
    assert effective_scheme(scheme, "hub", Level.COUNTY) == county


def test_the_layout_and_the_template_of_a_county_leave_the_indicator_out(scheme, tmp_path):
    assert "ozone" not in [i.id for i in plan(scheme, COUNTY, YEAR).items]
    assert "ozone" in [i.id for i in plan(scheme, CITY, YEAR).items]
    for u, expected in ((COUNTY, False), (CITY, True)):
        path = write_template(tmp_path / template_name(u, YEAR), scheme, u, YEAR)
        codes = {c.value for row in load_workbook(path).worksheets[1].iter_rows() for c in row}
        assert ("A2" in codes) is expected, u.id
        assert "A1" in codes


def test_a_filled_county_workbook_validates_without_the_indicator(scheme, tmp_path):
    roster = Roster(units=(CITY, COUNTY))
    filled = []
    for u in roster:
        path = write_template(tmp_path / "blank" / template_name(u, YEAR), scheme, u, YEAR)
        layout = plan(scheme, u, YEAR)
        values = {i.id: VALUES.get(i.id, 0.0) for i in layout.items}
        contact = {"person": "某", "phone": "0431-1", "filled_on": f"{YEAR + 1}-02-01"}
        filled.append(fill_workbook(path, tmp_path / path.name, layout, values, contact=contact))
    report = read_submissions(filled, scheme, roster, year=YEAR)
    assert report.valid, [p.text("en") for p in report.problems]
    got = {s.city: set(s.values) for s in report.submissions}
    assert got == {"city": {"pm25", "water_good", "ozone"}, "county": {"pm25", "water_good"}}


def test_the_assessment_scores_a_county_without_the_indicator(scheme):
    inputs = Inputs.build(scheme, YEAR, [CITY, COUNTY], {"city": VALUES, "county": VALUES})
    a = assess(scheme, inputs)
    assert bool(a.applicable.loc["city", "ozone"]) and not a.applicable.loc["county", "ozone"]
    assert np.isnan(a.normalised.loc["county", "ozone"])
    assert a.weights.loc["county", "ozone"] == 0.0
    for uid in ("city", "county"):
        assert a.weights.loc[uid].sum() == pytest.approx(1.0)
    assert a.weights.loc["county", "pm25"] == pytest.approx(0.6)
    assert a.weights.loc["city", "pm25"] == pytest.approx(0.36)
    # The county's ozone value, whatever it is, changes nothing.
    other = {"city": VALUES, "county": {**VALUES, "ozone": 400.0}}
    again = assess(scheme, Inputs.build(scheme, YEAR, [CITY, COUNTY], other))
    assert again.total["county"] == a.total["county"]
    doc = build_doc(a, "0" * 64)
    shown = {u.id: {r.id for r in u.indicators} for u in doc.units}
    assert "ozone" in shown["city"] and "ozone" not in shown["county"]


def test_units_of_one_positioning_and_two_levels_are_grouped_apart(scheme):
    zone = unit("zone", Level.ZONE)
    a = assess(
        scheme,
        Inputs.build(
            scheme, YEAR, [COUNTY, CITY, zone], dict.fromkeys(("city", "county", "zone"), VALUES)
        ),
    )
    assert list(a.applicable["ozone"]) == [True, False, False]  # sorted by id: city, county, zone
    assert a.total["county"] == a.total["zone"]


def _problems(tmp_path, text: str) -> list:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BeautycityError) as caught:
        load_scheme(path)
    return caught.value.problems


def test_an_unknown_level_is_a_located_problem(tmp_path):
    text = scheme_text("prefecture, city")
    (p,) = _problems(tmp_path, text)
    assert p.code == "scheme.unknown-level"
    assert p.location.path == "indicators[3].levels[1]"
    assert text.splitlines()[p.location.line - 1].strip() == "levels: [prefecture, city]"
    assert "'city'" in p.en and "prefecture, county, zone" in p.en and p.fix_zh


def test_a_level_left_without_an_indicator_in_a_dimension_is_a_problem(tmp_path):
    # PM2.5 for prefectures and counties, ozone for prefectures: a zone has no air indicator.
    problems = _problems(tmp_path, scheme_text("prefecture", pm25_levels="prefecture, county"))
    assert {p.code for p in problems} == {"scheme.empty-dimension-level"}
    assert sorted(p.location.path for p in problems) == ["positionings[0]", "positionings[1]"]
    assert all("zone" in p.en and "'air'" in p.en for p in problems)


def test_a_scheme_without_levels_is_checked_as_before(mini):
    assert all(i.levels == "all" for i in mini.indicators)
    for pos in mini.positionings:
        for level in (None, *levels.LEVELS):
            assert (
                effective_scheme(mini, pos.id, level).indicators
                == effective_scheme(mini, pos.id).indicators
            )
