"""The Jilin scheme 1.1.0 (issue #15): each fix the review asked for, pinned.

1.0.0 is kept unchanged in indicators/history/; `scheme diff` between the two must list every
change made, and the changelog must say what changed."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from beautycity.assessment.build import build_doc
from beautycity.assessment.engine import Inputs, assess
from beautycity.cities import load_roster
from beautycity.cli import main
from beautycity.problems import BeautycityError
from beautycity.resources import default_scheme_path
from beautycity.sample_data import ILLUSTRATIVE, load_sample
from beautycity.scheme.diff import MEANING, same_meaning
from beautycity.scheme.effective import effective_scheme
from beautycity.scheme.load import load_scheme
from beautycity.scheme.model import Direction, Indicator, InputType, Kind, ProvenanceKind

from .builders import jilin_values

HISTORY = default_scheme_path().parent / "history" / "jilin-2027-1.0.0.yaml"
YEARS = (2023, 2024)

# What 1.1.0 removed and what replaced it (a changed meaning gets a new id).
REPLACED = {
    "zero_waste_city": "zero_waste_task_completion",  # E3 -> A13
    "hazardous_waste_capacity_match": "hazardous_waste_capacity_coverage",  # D5 -> D9
    "eco_demonstration_title": "eco_demonstration_criteria_met",  # C10 -> C11
    "public_satisfaction": "public_satisfaction_survey",  # E5 -> E8
}
NEW = {
    *REPLACED.values(),
    "forest_economy_output_growth",  # A14, eco_economy
    "tourism_revenue_gdp_ratio",  # A15, eco_economy
    "metro_boundary_sections_compliance",  # B7, hub
    "drinking_water_source_standardisation",  # D8, split from D1
    "key_source_online_monitoring",  # E9
    "digital_platform_integration",  # E10
}


@pytest.fixture(scope="module")
def scheme():
    return load_scheme()


@pytest.fixture(scope="module")
def old():
    return load_scheme(HISTORY)


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def roster(scheme):
    return load_roster(scheme=scheme)


def _values(sample, year):
    return {
        uid: {ind: fig.value for ind, fig in unit.years[year].values.items()}
        for uid, unit in sample.units.items()
    }


@pytest.fixture(scope="module")
def assessed(scheme, sample, roster):
    """The sample scored under 1.1.0, both years: {year: Assessment}."""
    out = {}
    for year in YEARS:
        counts = {uid: dict(u.years[year].adjustments) for uid, u in sample.units.items()}
        out[year] = assess(
            scheme, Inputs.build(scheme, year, list(roster), _values(sample, year), counts)
        )
    return out


@pytest.fixture(scope="module")
def docs(assessed):
    before = build_doc(assessed[2023], "x")
    return {2023: before, 2024: build_doc(assessed[2024], "x", previous=before)}


def _result(doc, uid, ind):
    unit = next(u for u in doc.units if u.id == uid)
    return next(r for r in unit.indicators if r.id == ind)


# ------------------------------------------------------------------- version and changelog


def test_scheme_check_passes():
    result = CliRunner().invoke(main, ["scheme", "check"])
    assert result.exit_code == 0, result.output


def test_version_and_changelog(scheme, old):
    assert (old.version, scheme.version) == ("1.0.0", "1.1.0")
    first, *_, last = scheme.changelog
    assert (first.version, first.released) == ("1.1.0", "2026-12-01")
    assert scheme.changelog[0].version == scheme.version  # newest first
    assert (last.version, [c.en for c in last.changes]) == ("1.0.0", ["First release."])
    assert [c.zh for c in last.changes] == ["首次发布。"]
    assert len(first.changes) >= 10  # one line per change
    for change in first.changes:
        assert change.zh.strip() and change.en.strip()


# ------------------------------------------------------ 1. characteristic indicators


@pytest.mark.parametrize("year", YEARS)
def test_no_characteristic_indicator_gives_every_unit_of_its_positioning_100(
    scheme, roster, assessed, year
):
    a = assessed[year]
    for ind in (i for i in scheme.indicators if i.characteristic):
        units = [u.id for u in roster if ind.applies_to(u.positioning)]
        assert units, ind.id
        scores = a.normalised.loc[units, ind.id]
        assert scores.notna().all(), ind.id
        assert (scores < 100).any(), (year, ind.id, dict(scores))


def test_every_positioning_has_characteristic_indicators_of_its_own(scheme):
    own = {
        p.id: {i.id for i in scheme.indicators if i.characteristic and i.applies_to(p.id)}
        for p in scheme.positionings
    }
    assert own == {
        "hub": {"green_travel_share", "metro_boundary_sections_compliance"},
        "industrial": {"park_circular_retrofit"},
        "clean_energy": {"new_energy_capacity_share", "grassland_vegetation_cover"},
        "eco_economy": {
            "forest_coverage",
            "forest_economy_output_growth",
            "tourism_revenue_gdp_ratio",
        },
        "showcase": {"eco_demonstration_criteria_met"},
    }


def test_eco_economy_indicators_measure_what_the_seed_asks(scheme):
    # 二(三): "积极发展林下经济、冰雪经济和休闲度假产业"; 三(四): "大力推动生态经济发展"
    forest = scheme.indicator["forest_economy_output_growth"]
    tourism = scheme.indicator["tourism_revenue_gdp_ratio"]
    for ind in (forest, tourism):
        assert ind.positionings == ("eco_economy",)
        assert "积极发展林下经济、冰雪经济和休闲度假产业" in ind.provenance.ref.zh
        assert "统计" in ind.source.zh  # a published statistical source
    assert "林下经济产值" in forest.definition.zh
    assert "旅游总收入" in tourism.definition.zh and "地区生产总值" in tourism.definition.zh
    assert "统计公报" in tourism.source.zh
    # tourism revenue is not value added: the ratio may exceed 100 and the input allows it
    assert tourism.input.max > 100


def test_hub_indicator_measures_its_role_in_the_metropolitan_circle(scheme):
    # 三(四): "发挥现代化都市圈核心辐射带动作用……积极推进共建共享"
    b7 = scheme.indicator["metro_boundary_sections_compliance"]
    assert b7.positionings == ("hub",)
    assert "辐射带动" in b7.provenance.ref.zh and "共建共享" in b7.provenance.ref.zh
    assert "跨市界" in b7.definition.zh and "都市圈" in b7.definition.zh


def test_forest_coverage_has_a_forest_region_target(scheme, old, sample):
    c9, before = scheme.indicator["forest_coverage"], old.indicator["forest_coverage"]
    assert same_meaning(before, c9)  # same quantity, same id
    province = sample.province[2023]["forest_coverage"].value  # 45.42, published
    assert before.targets[2027] == 45.8
    # the 1.0.0 target lay below every eco-economy unit; the 1.1.0 floor lies above the
    # provincial level, and the target above at least one of them
    eco = [u for u, s in sample.units.items() if "forest_coverage" in s.years[2024].values]
    values = [sample.units[u].years[2024].values["forest_coverage"].value for u in eco]
    assert min(values) > before.targets[2027]
    assert c9.scoring.floor > province
    assert min(values) < c9.targets[2027] <= c9.targets[2035]


def test_new_energy_target_above_what_both_bases_reached(scheme, old, sample):
    a10, before = (
        scheme.indicator["new_energy_capacity_share"],
        old.indicator["new_energy_capacity_share"],
    )
    bases = [
        u for u, s in sample.units.items() if "new_energy_capacity_share" in s.years[2024].values
    ]
    values = [sample.units[u].years[2024].values["new_energy_capacity_share"].value for u in bases]
    assert len(bases) == 2 and min(values) >= before.targets[2027]  # what 1.0.0 got wrong
    assert a10.targets[2027] > max(values)
    assert a10.targets[2027] > before.targets[2027] and a10.scoring.floor > before.scoring.floor


# ------------------------------------------------------------------- 2. D1 split


def test_d1_definition_and_provenance_agree(scheme, old):
    quality = scheme.indicator["drinking_water_compliance"]
    construction = scheme.indicator["drinking_water_source_standardisation"]
    # D1 keeps what it measured (water quality) and its id; it now cites NDRC 2020
    assert same_meaning(old.indicator["drinking_water_compliance"], quality)
    assert "水质" in quality.definition.zh
    assert quality.provenance.kind is ProvenanceKind.NDRC2020
    assert "集中式饮用水水源地水质达标率" in quality.provenance.ref.zh
    assert "安全保障达标建设" not in quality.provenance.ref.zh
    assert quality.kind is Kind.BINDING
    # D8 measures what the seed asks: standardised construction
    assert construction.provenance.kind is ProvenanceKind.SEED
    assert "安全保障达标建设全覆盖" in construction.provenance.ref.zh
    assert "规范化建设" in construction.definition.zh and "HJ 773" in construction.definition.zh
    assert "水质" not in construction.name.zh
    assert construction.targets == {2027: 100, 2035: 100}


# ------------------------------------------------------------------- 3. E3 as progress


def test_zero_waste_is_a_percent_with_interim_milestones(scheme):
    assert "zero_waste_city" not in scheme.indicator
    ind = scheme.indicator["zero_waste_task_completion"]
    assert ind.input.type is InputType.PERCENT and ind.unit.symbol == "%"
    assert ind.scoring.method == "distance_to_target"
    assert sorted(ind.targets) == [2025, 2027, 2030, 2035]
    steps = [ind.targets[y] for y in sorted(ind.targets)]
    assert steps == sorted(steps) and steps[-1] == 100 and steps[0] < 50
    assert "2035年，全域建成" in ind.provenance.ref.zh


def test_zero_waste_progress_is_no_constant_penalty(scheme, roster, assessed, docs):
    scores = assessed[2024].normalised["zero_waste_task_completion"]
    assert scores.nunique() >= 5 and (scores > 0).all()
    # 2024 is judged against the 2025 milestone, by a trajectory: never "pending"
    for u in roster:
        r = _result(docs[2024], u.id, "zero_waste_task_completion")
        assert r.milestone_year == 2025
        assert r.status in {"met", "on_track", "off_track"}, (u.id, r.status)


# --------------------------------------------- 4. 智慧高效: resource use out, vetoes, smart in


def test_resource_intensities_moved_to_green_low_carbon(scheme, old):
    for ind_id, code in (
        ("water_intensity_reduction", "A11"),
        ("solid_waste_intensity_change", "A12"),
    ):
        ind = scheme.indicator[ind_id]
        assert old.indicator[ind_id].dimension == "smart_governance"
        assert (ind.dimension, ind.code) == ("green_low_carbon", code)
        assert same_meaning(old.indicator[ind_id], ind)  # same id: values stay comparable
        assert ind.baseline is not None and (ind.baseline.year, ind.baseline.value) == (2020, 0)
    smart = {i.id for i in scheme.indicators if i.dimension == "smart_governance"}
    assert smart == {
        "auto_monitoring_networking",
        "inspection_rectification",
        "data_falsification",
        "public_satisfaction_survey",
        "key_source_online_monitoring",
        "digital_platform_integration",
    }


def test_smart_governance_indicators_are_measurable(scheme):
    online = scheme.indicator["key_source_online_monitoring"]
    platform = scheme.indicator["digital_platform_integration"]
    assert "排污许可管理条例" in online.provenance.ref.zh and online.kind is Kind.BINDING
    assert "联网" in online.definition.zh and "自动监控" in online.source.zh
    assert "省生态环境大数据平台" in platform.definition.zh and "五类" in platform.definition.zh
    for ind in (online, platform):
        assert ind.input.type is InputType.PERCENT and ind.targets[2027] == 100


def test_veto_facts_are_veto_only(scheme):
    # D7 and E7 decide a grade, never points: weight 0, their vetoes kept.
    assert {i.id for i in scheme.indicators if i.veto} == {
        "major_env_incident",
        "data_falsification",
    }
    for ind_id in ("major_env_incident", "data_falsification"):
        ind = scheme.indicator[ind_id]
        assert ind.weight == 0 and ind.veto is not None


def test_weight_0_needs_a_veto(tmp_path):
    d7 = load_scheme().indicator["major_env_incident"].model_dump()
    assert Indicator.model_validate({**d7, "weight": 0.0}, strict=False).weight == 0
    text = default_scheme_path().read_text(encoding="utf-8")
    at = text.index("id: non_fossil_energy_share")
    weight = text.index("    weight: 15\n", at)
    path = tmp_path / "zero.yaml"
    path.write_text(text[:weight] + "    weight: 0\n" + text[weight + 15 :], encoding="utf-8")
    with pytest.raises(BeautycityError) as info:
        load_scheme(path)
    assert "scheme.zero-weight" in {p.code for p in info.value.problems}


def test_a_veto_only_indicator_takes_no_weight_by_any_method(scheme):
    roster = load_roster(scheme=scheme)
    a = assess(scheme, Inputs.build(scheme, 2024, list(roster), jilin_values(scheme, roster, 1)))
    for weighting in ("expert", "equal", "entropy", "entropy_minmax"):
        w = a.rerun(weighting=weighting).weights
        assert (w[["major_env_incident", "data_falsification"]] == 0).all().all(), weighting
        assert w.sum(axis=1).round(9).eq(1).all(), weighting


def test_pm25_and_good_water_are_not_penalised_twice(scheme):
    shortfall = [a for a in scheme.adjustments if a.basis == "shortfall"]
    assert shortfall == []
    assert {a.id for a in scheme.adjustments} == {"national_honours", "inspection_typical_cases"}
    # the fall from last year is still caught: both are binding (red line)
    for ind_id in ("pm25_annual_mean", "good_surface_water_ratio"):
        assert scheme.indicator[ind_id].kind is Kind.BINDING


# ------------------------------------------------------------------- 5. binding


def test_energy_intensity_and_forest_coverage_are_binding(scheme, old):
    for ind_id in ("energy_intensity_reduction", "forest_coverage"):
        assert old.indicator[ind_id].kind is Kind.EXPECTED
        assert scheme.indicator[ind_id].kind is Kind.BINDING
        assert "约束性" in scheme.indicator[ind_id].provenance.ref.zh


# ------------------------------------------------------------------- 6. D5's range


def test_hazardous_waste_coverage_accepts_what_its_definition_allows(scheme, old):
    assert old.indicator["hazardous_waste_capacity_match"].input.max == 300
    assert "hazardous_waste_capacity_match" not in scheme.indicator
    ind = scheme.indicator["hazardous_waste_capacity_coverage"]
    # Σ min(capacity, generation) ÷ Σ generation × 100 lies in [0, 100]; no waste -> 100
    assert "min" in ind.definition.en and "100 where no hazardous waste" in ind.definition.en
    assert (ind.input.min, ind.input.max) == (0, 100)
    for value in (0, 0.1, 37.5, 99.9, 100):
        assert ind.input.contains(value)
    assert not ind.input.contains(100.1)
    assert all(ind.input.contains(t) for t in ind.targets.values())
    assert ind.scoring.floor < min(ind.targets.values())


# ------------------------------------------------------------------- 7. public satisfaction


def test_public_satisfaction_is_a_named_survey_worth_a_tenth(scheme):
    assert "public_satisfaction" not in scheme.indicator
    ind = scheme.indicator["public_satisfaction_survey"]
    text = ind.definition.zh
    for phrase in (
        "吉林省公众生态环境满意度调查",
        "委托第三方",
        "不少于1000份",
        "计算机辅助电话调查",
        "满意",
    ):
        assert phrase in text, phrase
    assert "省生态环境厅" in ind.source.zh
    assert (
        "群众满意程度" in ind.provenance.ref.zh and ind.provenance.kind is ProvenanceKind.NATIONAL
    )
    assert ind.direction is Direction.HIGHER and ind.input.type is InputType.PERCENT
    assert ind.scoring.method == "distance_to_target"
    for pos in scheme.positionings:
        share = effective_scheme(scheme, pos.id).indicator[ind.id].weight
        assert share == pytest.approx(0.10), pos.id


# ------------------------------------------------------------------- ids and meaning


def test_kept_ids_kept_their_meaning_and_changed_ones_got_new_ids(scheme, old):
    for ind in scheme.indicators:
        if ind.id in old.indicator:
            assert same_meaning(old.indicator[ind.id], ind), ind.id
    assert set(old.indicator) - set(scheme.indicator) == set(REPLACED)
    assert set(scheme.indicator) - set(old.indicator) == NEW
    # a retired code is never reused: a workbook read by code cannot pick up another quantity
    old_codes = {i.code: i.id for i in old.indicators}
    for ind in scheme.indicators:
        assert old_codes.get(ind.code, ind.id) == ind.id, ind.code


def test_sample_reports_the_new_indicators_as_illustrative(sample, scheme):
    for uid, unit in sample.units.items():
        for year, data in unit.years.items():
            assert not set(data.values) & set(REPLACED), (uid, year)
            for ind in set(data.values) & NEW:
                assert sample.provenance(uid, year, ind) == ILLUSTRATIVE


# ------------------------------------------------------------------- scheme diff


@pytest.fixture(scope="module")
def diff():
    result = CliRunner().invoke(
        main, ["scheme", "diff", str(HISTORY), str(default_scheme_path()), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _changes(section, item_id):
    item = next((c for c in section["changed"] if c["id"] == item_id), None)
    assert item is not None, item_id
    return {c["path"]: (c["old"], c["new"]) for c in item["changes"]}


def test_the_diff_lists_every_change(diff):
    assert diff["old"]["version"] == "1.0.0" and diff["new"]["version"] == "1.1.0"
    assert not diff["unbumped"]
    fields = {c["path"]: (c["old"], c["new"]) for c in diff["sections"]["scheme"]["fields"]}
    assert fields["version"] == ("1.0.0", "1.1.0")
    assert fields["changelog"][0] == [] and fields["changelog"][1][0]["version"] == "1.1.0"

    ind = diff["sections"]["indicators"]
    assert {r["id"] for r in ind["added"]} == NEW
    assert {r["id"] for r in ind["removed"]} == set(REPLACED)
    expected = {
        # 1. characteristic indicators that discriminate
        "forest_coverage": {
            "kind": ("expected", "binding"),
            "targets.2027": (45.8, 75),
            "targets.2035": (None, 80),
            "scoring.floor": (20, 50),
            "weight": (20, 15),
            "provenance.kind": ("provincial", "scheme"),
        },
        "new_energy_capacity_share": {
            "targets.2027": (70, 85),
            "targets.2035": (85, 90),
            "scoring.floor": (20, 50),
        },
        # 2. D1: provenance now agrees with what it measures
        "drinking_water_compliance": {"provenance.kind": ("seed", "ndrc2020"), "weight": (20, 15)},
        # 4. resource intensities to 绿色低碳, token weights for the veto facts
        "water_intensity_reduction": {
            "code": ("E1", "A11"),
            "dimension": ("smart_governance", "green_low_carbon"),
            "weight": (15, 9),
            "baseline": (None, {"year": 2020, "value": 0.0}),
        },
        "solid_waste_intensity_change": {
            "code": ("E2", "A12"),
            "dimension": ("smart_governance", "green_low_carbon"),
            "weight": (15, 8),
        },
        "major_env_incident": {"weight": (15, 0)},
        "data_falsification": {"weight": (10, 0)},
        # 5. binding
        "energy_intensity_reduction": {"kind": ("expected", "binding"), "weight": (15, 12)},
        # re-balanced weights
        "non_fossil_energy_share": {"weight": (20, 15)},
        "sludge_safe_disposal": {"weight": (10, 13)},
        "auto_monitoring_networking": {"weight": (15, 12)},
        "inspection_rectification": {"weight": (20, 14)},
    }
    for ind_id, changes in expected.items():
        found = _changes(ind, ind_id)
        for path, (was, now) in changes.items():
            assert path in found, (ind_id, path)
            assert found[path] == (was, now), (ind_id, path, found[path])
    # no kept indicator changed what it measures
    for item in ind["changed"]:
        for c in item["changes"]:
            assert not c["path"].startswith(MEANING), (item["id"], c["path"])

    adj = diff["sections"]["adjustments"]
    assert {r["id"] for r in adj["removed"]} == {"pm25_shortfall", "water_shortfall"}
    assert set(_changes(adj, "national_honours")) == {"definition.zh", "definition.en"}

    dims = diff["sections"]["dimensions"]
    assert _changes(dims, "safe_healthy")["weight"] == (20, 15)
    assert _changes(dims, "smart_governance")["weight"] == (15, 20)
    positionings = diff["sections"]["positionings"]
    assert _changes(positionings, "hub")["indicator_weights.pm25_annual_mean"] == (30, 35)
    assert _changes(positionings, "industrial")["dimension_weights.smart_governance"] == (10, 20)


def test_the_changelog_names_every_indicator_the_diff_lists(diff, scheme, old):
    lines = " ".join(c.en for c in scheme.changelog[0].changes)
    ind = diff["sections"]["indicators"]
    codes = {r["code"] for r in ind["added"] + ind["removed"]}
    for item in ind["changed"]:
        codes.add(old.indicator[item["id"]].code)
        codes.add(item["code"])
    for adj in (
        diff["sections"]["adjustments"]["removed"] + diff["sections"]["adjustments"]["changed"]
    ):
        codes.add(adj["code"])
    named = set(re.findall(r"\b[A-Z][0-9]{1,2}\b", lines))
    assert not codes - named, sorted(codes - named)
