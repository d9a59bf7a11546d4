"""Content of the shipped Jilin scheme (indicators/jilin-2027.yaml): what it must say, not only
that it loads. Seed values are quoted from the Beautiful Jilin plan with their section."""

from __future__ import annotations

import re

import pytest

from beautycity.scheme.effective import effective_scheme
from beautycity.scheme.load import load_scheme
from beautycity.scheme.model import Direction, ProvenanceKind, Scheme, Text, VetoEffect

CJK = re.compile(r"[\u4e00-\u9fff]")
# English texts cite the plan's sections by their own labels, e.g. "section 三(四)".
SECTION = re.compile(r"[一二三四五六七八九十]+\([一二三四五六七八九十]+\)")


@pytest.fixture(scope="module")
def scheme() -> Scheme:
    return load_scheme()


def test_indicator_count(scheme):
    # The issue asks for 25-40 indicators; a unit is scored on the common ones plus the
    # characteristic ones of its positioning, and that is what its officer fills in. Since
    # 1.1.0 every positioning has characteristic indicators of its own, so the scheme as a
    # whole holds more (46) than any one unit reports.
    for pos in scheme.positionings:
        assert 25 <= len(effective_scheme(scheme, pos.id).indicators) <= 40, pos.id
    assert len(scheme.indicators) <= 50


def test_five_dimensions_in_seed_order(scheme):
    # Seed 三(四) 建设美丽城市: "以绿色低碳、环境优美、生态宜居、安全健康、智慧高效为导向"
    assert [d.name.zh for d in scheme.dimensions] == [
        "绿色低碳",
        "环境优美",
        "生态宜居",
        "安全健康",
        "智慧高效",
    ]
    assert [d.code for d in scheme.dimensions] == ["A", "B", "C", "D", "E"]
    assert sum(d.weight for d in scheme.dimensions) == pytest.approx(100)


# (indicator, {year: value}) for every quantified target the seed states. Where the seed gives
# no year (全覆盖, 全面执行, 基本消除) the scheme applies it at both milestones, 2027 and 2035.
SEED_TARGETS = [
    # 三(一) 守护美丽吉林幸福蓝天: "到2027年，细颗粒物浓度下降到27微克/立方米以下；
    # 到2035年，细颗粒物浓度下降到25微克/立方米以下"
    ("pm25_annual_mean", {2027: 27, 2035: 25}),
    # 三(一): "基本消除重污染天气" -> 0 days
    ("heavy_pollution_days", {2027: 0, 2035: 0}),
    # 三(二) 提升水环境质量: "到2027年，地表水国考断面优良水体比例保持在85%左右，
    # 美丽河湖建成率达到40%左右"
    ("good_surface_water_ratio", {2027: 85}),
    ("beautiful_rivers_lakes_rate", {2027: 40}),
    # 三(二) 强化水资源保护利用: "推进水源地规范化建设，力争县级及以上城市饮用水水源地安全保障达标
    # 建设全覆盖" — standardised construction (D8, since 1.1.0; D1 is water quality, NDRC 2020)
    ("drinking_water_source_standardisation", {2027: 100, 2035: 100}),
    # 三(二): "基本消除城乡黑臭水体并形成长效机制"
    ("black_odorous_elimination", {2027: 100, 2035: 100}),
    # 三(三) 全域推进"无废城市"建设: "推进地级及以上城市居民小区垃圾分类全覆盖"
    ("waste_sorting_coverage", {2027: 100, 2035: 100}),
    # 三(三): "到2035年，全域建成'无废城市'" -> 100 % of the plan's tasks by 2035, with the
    # scheme's interim milestones (1.1.0; 1.0.0 had a yes/no for 2035)
    ("zero_waste_task_completion", {2025: 30, 2027: 45, 2030: 70, 2035: 100}),
    # 二(五) 大力推广新能源汽车: "到2027年，新增汽车中新能源汽车占比力争达到45%"
    ("nev_share_new_cars", {2027: 45}),
    # 二(四) 推动能源清洁低碳转型: "到2030年，非化石能源占能源消费总量比重达到20%左右"
    ("non_fossil_energy_share", {2030: 20}),
    # 二(五) 加快交通运输体系升级: "到2027年，老旧内燃机车基本淘汰；到2035年，
    # 铁路货运周转量占总周转量比例达到25%左右"
    ("old_diesel_locomotive_retirement", {2027: 100}),
    ("rail_freight_share", {2035: 25}),
    # 二(二) 积极稳妥推进碳达峰碳中和: "确保2030年前实现碳达峰" -> emissions stop rising
    ("carbon_emissions_change", {2030: 0}),
    # 二(五) 提升绿色建筑、绿色建造水平: "城镇新建建筑全面执行绿色建筑标准"
    ("green_building_share", {2027: 100, 2035: 100}),
]


@pytest.mark.parametrize(
    ("indicator_id", "targets"), SEED_TARGETS, ids=[t[0] for t in SEED_TARGETS]
)
def test_seed_targets(scheme, indicator_id, targets):
    ind = scheme.indicator[indicator_id]
    assert ind.targets == pytest.approx(targets)
    assert ind.provenance.kind is ProvenanceKind.SEED


def test_seed_goals_quantified_by_the_scheme(scheme):
    # 三(三): "到2027年，固体废物产生强度明显下降" — "clearly lower" needs a number, so the
    # scheme sets one below zero for 2027 and says where it comes from.
    waste = scheme.indicator["solid_waste_intensity_change"]
    assert waste.direction is Direction.LOWER
    assert waste.targets[2027] < 0
    assert "明显下降" in waste.provenance.ref.zh
    # 二(六): "到2035年，能源和水资源利用效率达到国际先进水平"
    for indicator_id in ("energy_intensity_reduction", "water_intensity_reduction"):
        ind = scheme.indicator[indicator_id]
        assert 2035 in ind.targets
        assert ind.targets[2027] < ind.targets[2035]
        assert "国际先进水平" in ind.provenance.ref.zh
    for ind in scheme.indicators:
        if ind.provenance.kind is ProvenanceKind.SCHEME:
            assert "本方案设定" in ind.provenance.ref.zh, ind.id


def test_binding_indicators(scheme):
    binding = {i.id for i in scheme.indicators if i.kind == "binding"}
    assert {"pm25_annual_mean", "good_surface_water_ratio", "drinking_water_compliance"} <= binding
    # 约束性 in the national 14th Five-Year Plan outline (1.1.0)
    assert {"energy_intensity_reduction", "forest_coverage"} <= binding


def test_every_positioning_has_a_characteristic_indicator(scheme):
    for pos in scheme.positionings:
        own = [i for i in scheme.indicators if i.characteristic and i.applies_to(pos.id)]
        assert own, pos.id


def _texts(scheme: Scheme):
    for d in scheme.dimensions:
        yield f"dimension {d.id}", d.name
        yield f"dimension {d.id}", d.description
    for p in scheme.positionings:
        yield f"positioning {p.id}", p.name
        yield f"positioning {p.id}", p.description
    for i in scheme.indicators:
        for field in ("name", "definition", "source", "department"):
            yield f"{i.id}.{field}", getattr(i, field)
        yield f"{i.id}.provenance", i.provenance.ref
        if i.veto:
            yield f"{i.id}.veto", i.veto.reason
    for a in scheme.adjustments:
        for field in ("name", "definition", "source", "department"):
            text = getattr(a, field)
            if text is not None:
                yield f"{a.id}.{field}", text
    for g in scheme.grades:
        yield f"grade {g.id}", g.name
    yield "scheme", scheme.name
    yield "scheme", scheme.description


def test_every_text_bilingual(scheme):
    for where, text in _texts(scheme):
        assert isinstance(text, Text)
        assert text.zh.strip() and text.en.strip(), where
        assert CJK.search(text.zh), f"{where}: zh has no Chinese"
        assert not CJK.search(SECTION.sub("", text.en)), f"{where}: en holds Chinese"
    for ind in scheme.indicators:
        assert ind.unit.zh.strip() and ind.unit.en.strip(), ind.id


def test_floor_lies_on_the_bad_side_of_every_target(scheme):
    for pos in scheme.positionings:
        for e in effective_scheme(scheme, pos.id).indicators:
            ind = e.indicator
            if ind.scoring.method != "distance_to_target":
                continue
            for year, target in e.targets.items():
                if ind.direction is Direction.HIGHER:
                    assert ind.scoring.floor < target, (pos.id, ind.id, year)
                else:
                    assert ind.scoring.floor > target, (pos.id, ind.id, year)


def test_showcase_targets_stricter_than_province(scheme):
    showcase = effective_scheme(scheme, "showcase")
    pm25 = showcase.indicator["pm25_annual_mean"]
    province = scheme.indicator["pm25_annual_mean"].targets
    for year in (2027, 2035):
        assert pm25.targets[year] < province[year]
    assert pm25.tightened == {2027, 2035}
    for e in showcase.indicators:
        for year in e.tightened:
            base = e.indicator.targets.get(year)
            if base is None:
                continue
            if e.indicator.direction is Direction.LOWER:
                assert e.targets[year] < base, e.id
            else:
                assert e.targets[year] > base, e.id


def test_hub_weighs_pm25_more(scheme):
    hub = effective_scheme(scheme, "hub").indicator["pm25_annual_mean"]
    industrial = effective_scheme(scheme, "industrial").indicator["pm25_annual_mean"]
    assert hub.weight_in_dimension > industrial.weight_in_dimension


def test_effective_weights_sum_to_one(scheme):
    for pos in scheme.positionings:
        eff = effective_scheme(scheme, pos.id)
        assert sum(d.weight for d in eff.dimensions) == pytest.approx(1.0), pos.id
        assert sum(e.weight for e in eff.indicators) == pytest.approx(1.0), pos.id
        for dim in scheme.dimensions:
            within = sum(e.weight_in_dimension for e in eff.in_dimension(dim.id))
            assert within == pytest.approx(1.0), (pos.id, dim.id)


def test_both_veto_effects(scheme):
    vetoes = {i.id: i.veto for i in scheme.indicators if i.veto}
    assert {v.effect for v in vetoes.values()} == {VetoEffect.FAIL, VetoEffect.CAP}
    cap = vetoes["major_env_incident"]
    assert cap.effect is VetoEffect.CAP and cap.cap_grade == "good"
    assert vetoes["data_falsification"].effect is VetoEffect.FAIL
    # both fire on a "yes" and stay silent on a "no"
    for veto in vetoes.values():
        assert veto.fires(1) and not veto.fires(0)


def test_adjustments(scheme):
    kinds = {a.kind for a in scheme.adjustments}
    assert kinds == {"bonus", "deduction"}
    # 1.1.0: no deduction by shortfall from target: every indicator already scores its own
    # shortfall (distance to target), so such a deduction penalised it twice (J3, J4 removed).
    assert [a.basis for a in scheme.adjustments] == ["count", "count"]
    honours, cases = (scheme.adjustments[0], scheme.adjustments[1])
    assert (honours.id, honours.points, honours.cap) == ("national_honours", 1, 3)
    assert (cases.id, cases.points, cases.cap) == ("inspection_typical_cases", 1, 5)


def test_grades(scheme):
    assert [(g.id, g.name.zh, g.min) for g in scheme.grades] == [
        ("excellent", "优秀", 90),
        ("good", "良好", 80),
        ("pass", "合格", 60),
        ("fail", "不合格", 0),
    ]


def test_every_indicator_has_advice(scheme):
    # What a leader's report recommends when the indicator lags its target (整改建议).
    for ind in scheme.indicators:
        assert ind.advice is not None, ind.id
        assert ind.advice.zh.strip() and ind.advice.en.strip(), ind.id
        assert not CJK.search(ind.advice.en), ind.id
