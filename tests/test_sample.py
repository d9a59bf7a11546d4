"""The embedded demo sample: complete, in range, cited where real, consistent with the province."""

from __future__ import annotations

import pytest

from beautycity.assessment.engine import Inputs, assess
from beautycity.cities import Level, load_roster
from beautycity.sample_data import ILLUSTRATIVE, load_sample
from beautycity.scheme.effective import effective_scheme
from beautycity.scheme.load import load_scheme

YEARS = (2023, 2024)

# Optional indicators a unit leaves empty (declared in the sample's header and docs/sample-data.md).
OPTIONAL_GAPS = {
    ("changbaishan", 2023, "rail_freight_share"),
    ("changbaishan", 2024, "rail_freight_share"),
}

# Every real figure, exactly as published (docs/sample-data.md lists them with their sources):
# - 吉林省2023年生态环境状况公报, reported by 中新网 on 2024-06-03: 优良天数比例92.4%,
#   PM2.5 26.5微克/立方米, 优良水体比例86.2%, 森林覆盖率45.42%, 草原综合植被覆盖度67.06%, EQI 66.99;
# - 吉林省2024年生态环境状况公报, reported by 中新网 on 2025-06-04: 优良天数比例92.9%,
#   PM2.5 26.9微克/立方米, 优良水体比例达到89%, EQI 67.3;
# - 长春 "十四五" review (2025-12-30): 截至2024年 优良天数比例达89.6%,
#   国考断面水质优良比例提升至75%.
PUBLISHED = {
    ("province", 2023, "pm25_annual_mean"): (26.5, "jl-bulletin-2023"),
    ("province", 2023, "good_air_days_ratio"): (92.4, "jl-bulletin-2023"),
    ("province", 2023, "good_surface_water_ratio"): (86.2, "jl-bulletin-2023"),
    ("province", 2023, "eco_quality_index"): (66.99, "jl-bulletin-2023"),
    ("province", 2023, "forest_coverage"): (45.42, "jl-bulletin-2023"),
    ("province", 2023, "grassland_vegetation_cover"): (67.06, "jl-bulletin-2023"),
    ("province", 2024, "pm25_annual_mean"): (26.9, "jl-bulletin-2024"),
    ("province", 2024, "good_air_days_ratio"): (92.9, "jl-bulletin-2024"),
    ("province", 2024, "good_surface_water_ratio"): (89.0, "jl-bulletin-2024"),
    ("province", 2024, "eco_quality_index"): (67.3, "jl-bulletin-2024"),
    ("changchun", 2024, "good_air_days_ratio"): (89.6, "cc-2024-review"),
    ("changchun", 2024, "good_surface_water_ratio"): (75.0, "cc-2024-review"),
}


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def scheme():
    return load_scheme()


@pytest.fixture(scope="module")
def roster(scheme):
    return load_roster(scheme=scheme)


def _sourced(sample):
    """(unit, year, indicator) -> (value, source id) for every figure that cites a source."""
    found = {
        ("province", year, ind): (fig.value, fig.source)
        for year, figures in sample.province.items()
        for ind, fig in figures.items()
        if fig.source
    }
    for uid, unit in sample.units.items():
        for year, data in unit.years.items():
            for ind, fig in data.values.items():
                if fig.source:
                    found[(uid, year, ind)] = (fig.value, fig.source)
    return found


def test_every_unit_reports_exactly_what_its_positioning_asks(sample, scheme, roster):
    assert set(sample.units) == {u.id for u in roster}
    for unit in roster:
        years = sample.units[unit.id].years
        assert set(years) == set(YEARS)
        applicable = {e.id for e in effective_scheme(scheme, unit.positioning).indicators}
        for year in YEARS:
            gaps = {ind for uid, y, ind in OPTIONAL_GAPS if (uid, y) == (unit.id, year)}
            assert set(years[year].values) == applicable - gaps, (unit.id, year)


def test_declared_gaps_are_optional_indicators(scheme):
    assert all(not scheme.indicator[ind].required for _, _, ind in OPTIONAL_GAPS)


def test_values_are_within_range_and_decimals(sample, scheme):
    for uid, unit in sample.units.items():
        for year, data in unit.years.items():
            for ind, fig in data.values.items():
                spec = scheme.indicator[ind].input
                where = (uid, year, ind, fig.value)
                assert spec.min <= fig.value <= spec.max, where
                assert round(fig.value, spec.decimals) == fig.value, where


def test_adjustments_are_the_count_inputs_within_range(sample, scheme):
    counted = {a.id: a for a in scheme.adjustments if a.basis == "count"}
    for uid, unit in sample.units.items():
        for year, data in unit.years.items():
            assert set(data.adjustments) == set(counted), (uid, year)
            for aid, count in data.adjustments.items():
                spec = counted[aid].input
                assert spec.min <= count <= spec.max and count == int(count), (uid, year, aid)


def test_notes_sit_beside_reported_values(sample):
    notes = [
        (uid, year, ind)
        for uid, unit in sample.units.items()
        for year, data in unit.years.items()
        for ind in data.notes
        if ind in data.values
    ]
    assert 2 <= len(notes) <= 3
    assert all(
        set(data.notes) <= set(data.values)
        for unit in sample.units.values()
        for data in unit.years.values()
    )


def test_every_source_exists_and_is_cited(sample):
    ids = [s.id for s in sample.sources]
    assert len(ids) == len(set(ids))
    cited = {src for _, src in _sourced(sample).values()}
    assert cited == set(ids)  # every cited id exists, and no source is listed unused


def test_real_figures_are_exactly_the_published_ones(sample):
    assert _sourced(sample) == PUBLISHED
    for (unit, year, ind), (value, src) in PUBLISHED.items():
        # the number stands in the quoted sentence, as published
        assert f"{value:g}" in sample.source[src].quote, (unit, year, ind)
        assert sample.provenance(unit, year, ind) == src


def test_everything_else_is_illustrative(sample):
    assert sample.provenance("changchun", 2023, "good_air_days_ratio") == ILLUSTRATIVE
    assert sample.provenance("yanbian", 2024, "pm25_annual_mean") == ILLUSTRATIVE
    with pytest.raises(KeyError):
        sample.provenance("changbaishan", 2024, "rail_freight_share")  # the declared gap


@pytest.mark.parametrize(
    ("indicator", "tolerance"), [("pm25_annual_mean", 0.5), ("good_air_days_ratio", 1.0)]
)
@pytest.mark.parametrize("year", YEARS)
def test_prefecture_means_match_the_province(sample, roster, indicator, tolerance, year):
    # The bulletin's air figures are the mean over the 9 地级及以上城市.
    prefectures = [u.id for u in roster if u.level is Level.PREFECTURE]
    assert len(prefectures) == 9
    values = [sample.units[u].years[year].values[indicator].value for u in prefectures]
    mean = sum(values) / len(values)
    assert abs(mean - sample.province[year][indicator].value) <= tolerance


def _assessment(sample, scheme, roster, year):
    values = {
        uid: {ind: fig.value for ind, fig in unit.years[year].values.items()}
        for uid, unit in sample.units.items()
    }
    counts = {uid: dict(unit.years[year].adjustments) for uid, unit in sample.units.items()}
    return assess(scheme, Inputs.build(scheme, year, list(roster), values, counts))


@pytest.mark.parametrize("year", YEARS)
def test_no_veto_fires(sample, scheme, roster, year):
    for ind in (i for i in scheme.indicators if i.veto):
        for unit in sample.units.values():
            assert not ind.veto.fires(unit.years[year].values[ind.id].value)
    assert not _assessment(sample, scheme, roster, year).vetoes.to_numpy().any()


@pytest.mark.parametrize("year", YEARS)
def test_results_are_varied(sample, scheme, roster, year):
    a = _assessment(sample, scheme, roster, year)
    assert a.grade.nunique() >= 2  # not every unit in the same grade
    assert (a.normalised < 100).any(axis=1).all()  # every unit lags somewhere
    deducted = a.adjustments["inspection_typical_cases"] < 0
    assert list(deducted[deducted].index) == (["liaoyuan"] if year == 2023 else [])


def test_trends_run_both_ways(sample, scheme):
    better = worse = 0
    for unit in sample.units.values():
        first, second = unit.years[2023].values, unit.years[2024].values
        for ind in first.keys() & second.keys():
            change = second[ind].value - first[ind].value
            if scheme.indicator[ind].direction == "lower":
                change = -change
            better += change > 0
            worse += change < 0
    assert better > 5 * worse > 0
